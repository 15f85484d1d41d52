"""Settings shared by every environment.

SQLite, in-process tasks and email to a file unless the environment says otherwise:
DATABASE_URL selects PostgreSQL, REDIS_URL selects Redis-backed task workers,
EMAIL_URL-style settings select a real SMTP server. Every setting is documented in
docs/settings.md (a test checks that).
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("OPENWARD_VAR_DIR", BASE_DIR / "var"))
# SQLite, generated demo files and dev email live here; a fresh checkout has no var/ yet.
VAR_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = os.environ.get("SECRET_KEY", "dev-insecure-openward-key-change-me")
# Keys the one-ballot-per-person hash; kept apart from SECRET_KEY so rotating that does not reopen voting.
BALLOT_KEY = os.environ.get("BALLOT_KEY", "dev-insecure-openward-ballot-key")
DEBUG = os.environ.get("DEBUG", "1") == "1"
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "openward.core",
    "openward.areas",
    "openward.policeuk",
    "openward.crime",
    "openward.accounts",
    "openward.verification",
    "openward.engagement",
    "openward.notifications",
    "openward.priorities",
    "openward.patrols",
    "openward.census",
    "openward.commitments",
    "openward.monitoring",
]

MIDDLEWARE = [
    # First: an anonymous visit to a public page this process served lately is answered from memory
    # (openward.core.pagecache), before anything else runs.
    "openward.core.pagecache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "openward.core.access.AccessMiddleware",
    "openward.core.middleware.ApiSessionCsrfMiddleware",
]

ROOT_URLCONF = "openward.urls"
WSGI_APPLICATION = "openward.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "openward" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "openward.core.context_processors.site",
                "openward.accounts.context_processors.staff_home",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'openward.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the web process read while a worker or importer writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }

# A read replica of the primary (a PostgreSQL streaming replica, usually): pages read the data people only
# read (places, crime, census, police.uk) from it through openward.core.db_router; everything else, every
# write and every import stay on `default`. Unset: one database.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
DATABASE_ROUTERS: list[str] = []
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60"))
    )
    DATABASE_ROUTERS = ["openward.core.db_router.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "openward" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"


def uploads_storage(url: str) -> dict:
    """STORAGES["default"] (uploaded files: commitment evidence, bulletin images) for OPENWARD_STORAGE_URL.

    Empty: files under MEDIA_ROOT. `s3://BUCKET/PREFIX?endpoint_url=https://…&region=…&addressing_style=path`:
    an S3-compatible bucket through django-storages, with credentials from AWS_ACCESS_KEY_ID and
    AWS_SECRET_ACCESS_KEY (or the machine's own role). Objects get no ACL of their own (the bucket's
    rules apply: keep it private); files are served only by the views that check access, never by a
    bucket address."""
    from urllib.parse import parse_qsl, urlsplit

    from django.core.exceptions import ImproperlyConfigured

    if not url:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    names = {"endpoint_url": "endpoint_url", "region": "region_name", "addressing_style": "addressing_style"}
    unknown = sorted(set(query) - set(names))
    if parts.scheme != "s3" or not parts.netloc or unknown:
        raise ImproperlyConfigured(
            f"OPENWARD_STORAGE_URL {url!r} is not understood"
            + (f" (unknown option {', '.join(unknown)})" if unknown else "")
            + ": write s3://BUCKET?endpoint_url=https://HOST&region=REGION (both optional), or leave it empty."
        )
    options = {
        "bucket_name": parts.netloc,
        "location": parts.path.strip("/"),
        "default_acl": None,
        "file_overwrite": False,
        "querystring_auth": True,
    }
    options.update({names[k]: v for k, v in query.items()})
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


# Where uploaded files are kept: the file system (the default) or object storage (docs/deployment.md).
OPENWARD_STORAGE_URL = os.environ.get("OPENWARD_STORAGE_URL", "")
UPLOADS_STORAGE = uploads_storage(OPENWARD_STORAGE_URL)
STORAGES = {
    "default": UPLOADS_STORAGE,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

REDIS_URL = os.environ.get("REDIS_URL", "")

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "openward"}
    )
}

# Tasks: the database backend with a worker (started by `make run`) on the embedded
# default; RQ on Redis when REDIS_URL is set. Tests use the immediate backend unless
# they exercise a worker on purpose.
TASKS = {
    "default": (
        {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}
        if REDIS_URL
        else {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    )
}
RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0"}}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "0") == "1"
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Open Ward <no-reply@openward.localhost>")

# Public base URL used in emails and feeds.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
SITE_NAME = "Open Ward"

# django-otp's own back-off refuses every code for 2**(n-1) seconds after n wrong ones, so the right
# code typed straight after a slip was refused. Guessing is bounded by "otp-user" (attempts per 15
# minutes) and "otp-wrong-user" (wrong codes per day) instead, about as many guesses a day as the
# back-off allowed; the replay guard (a code's time step is never accepted twice) is unchanged.
OTP_TOTP_THROTTLE_FACTOR = 0
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "/"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Street maps: map tiles from a server you choose, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png
# (read its tile usage policy first), with the attribution it asks for. Empty (the default, and offline):
# no tiles, and maps are the app's own SVG drawings.
OPENWARD_TILE_URL = os.environ.get("OPENWARD_TILE_URL", "")
OPENWARD_TILE_ATTRIBUTION = os.environ.get("OPENWARD_TILE_ATTRIBUTION", "")


def tile_origin(url: str) -> list[str]:
    """The scheme and host a tile URL loads from, for the content security policy's img-src."""
    from urllib.parse import urlsplit

    parts = urlsplit(url.replace("{s}", "*"))  # Leaflet's subdomains: any of them
    return [f"{parts.scheme}://{parts.netloc}"] if parts.scheme in ("http", "https") and parts.netloc else []


# Content security policy: everything is served by the app itself (no CDN).
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *tile_origin(OPENWARD_TILE_URL)],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# The places pack `make run` loads: London's wards, boroughs, postcodes and LSOA look-up (data/london/README.md).
PLACES_PACK_DIR = Path(os.environ.get("OPENWARD_PLACES_PACK", BASE_DIR / "data" / "london"))

# Where the real data sets live (tests and benchmarks only; never copied into the repo).
SHARED_DATA_DIR = Path(os.environ.get("OPENWARD_SHARED_DATA", BASE_DIR.parent / "shared" / "data"))

NINJA_PAGINATION_PER_PAGE = 100

# The demo's sign-in-as-anyone page (/accounts/demo/): on with DEBUG, or where a settings module says so.
OPENWARD_DEMO_SIGN_IN = False

# Jobs `manage.py run_scheduler` runs (`make run` starts it): a cron expression in local time, the
# management command and its arguments. A deployment may use cron with the same lines instead.
OPENWARD_SCHEDULE = [
    ("*/5 * * * *", "run_notification_jobs", []),
    ("0 7 * * 1", "run_notification_jobs", ["--weekly-digest"]),
    ("30 3 * * *", "purge_personal_data", []),
    ("*/5 * * * *", "reorder_ballots", []),
    # police.uk publishes a month's data in the second half of the next month; daily runs catch it
    # soon after, and a run with nothing new only refreshes teams and asks which months exist.
    ("15 4 * * *", "sync_policeuk", []),
]

# The police.uk-compatible API `sync_policeuk` reads (docs/run-your-area.md).
POLICEUK_API_URL = os.environ.get("POLICEUK_API_URL", "https://data.police.uk/api/")
# Requests a second it makes at most (in bursts of 30): police.uk allows 15. A source of your own may allow more.
POLICEUK_API_RATE = float(os.environ.get("POLICEUK_API_RATE", "15"))
# The forces it keeps current when none is named (comma-separated police.uk ids).
POLICEUK_SYNC_FORCES = [
    f.strip() for f in os.environ.get("POLICEUK_SYNC_FORCES", "metropolitan,city-of-london").split(",") if f.strip()
]

# Bounded work per request (openward.core.deadline): the heavy read paths (police.uk crime and
# stop queries, crime pages and summaries) stop after this long with a 503 that says so, and on
# PostgreSQL each of their statements is cut off by statement_timeout. Imports and workers are
# not limited.
OPENWARD_REQUEST_DEADLINE_SECONDS = float(os.environ.get("OPENWARD_REQUEST_DEADLINE_SECONDS", "10"))
OPENWARD_STATEMENT_TIMEOUT_MS = int(os.environ.get("OPENWARD_STATEMENT_TIMEOUT_MS", "5000"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
AUTH_USER_MODEL = "accounts.User"

# ---------------------------------------------------------------------------------------
# Residents and verification (openward.accounts, openward.verification)
# ---------------------------------------------------------------------------------------
# Key for the keyed hashes of addresses and codes; set it apart from SECRET_KEY in
# production so rotating one does not invalidate the other.
OPENWARD_IDENTITY_HASH_KEY = os.environ.get("OPENWARD_IDENTITY_HASH_KEY", SECRET_KEY)
OPENWARD_CONFIRM_LINK_HOURS = int(os.environ.get("OPENWARD_CONFIRM_LINK_HOURS", "72"))
OPENWARD_SIGN_IN_LINK_MINUTES = int(os.environ.get("OPENWARD_SIGN_IN_LINK_MINUTES", "30"))
OPENWARD_UNCONFIRMED_ACCOUNT_DAYS = int(os.environ.get("OPENWARD_UNCONFIRMED_ACCOUNT_DAYS", "7"))
OPENWARD_LETTER_CODE_DAYS = int(os.environ.get("OPENWARD_LETTER_CODE_DAYS", "30"))
OPENWARD_ADDRESS_VERIFICATION_DAYS = int(os.environ.get("OPENWARD_ADDRESS_VERIFICATION_DAYS", "730"))
OPENWARD_IN_PERSON_REFERENCE_HOURS = int(os.environ.get("OPENWARD_IN_PERSON_REFERENCE_HOURS", "24"))
OPENWARD_CODE_ATTEMPTS = int(os.environ.get("OPENWARD_CODE_ATTEMPTS", "5"))
OPENWARD_LETTERS_PER_MONTH = int(os.environ.get("OPENWARD_LETTERS_PER_MONTH", "3"))
# Proxies whose X-Forwarded-For is believed (addresses or networks, comma-separated): the TLS
# proxy in front of the site. Empty: the connecting address is the client.
OPENWARD_TRUSTED_PROXIES = [p.strip() for p in os.environ.get("OPENWARD_TRUSTED_PROXIES", "").split(",") if p.strip()]
# scope: (attempts, window in seconds). Sign-up and sign-in count per client, per account and
# client, and per account (a browser that signed in as the account before is not held by that).
OPENWARD_RATE_LIMITS = {
    "sign-up-client": (20, 3600),
    "sign-up-account-client": (3, 3600),
    "sign-up-account": (10, 3600),
    "sign-in-client": (30, 3600),
    "sign-in-account-client": (5, 3600),
    "sign-in-account": (20, 3600),
    "code-user": (10, 3600),
    "code-ip": (30, 3600),
    "otp-user": (10, 900),
    "otp-wrong-user": (20, 86400),
    "reference-staff": (30, 3600),
}
# Letters: "print" makes PDF batches for the team to post; "notify" sends them through
# GOV.UK Notify's letter API (needs NOTIFY_API_KEY and NOTIFY_LETTER_TEMPLATE_ID).
OPENWARD_LETTER_BACKEND = os.environ.get("OPENWARD_LETTER_BACKEND", "print")
NOTIFY_API_KEY = os.environ.get("NOTIFY_API_KEY", "")
NOTIFY_LETTER_TEMPLATE_ID = os.environ.get("NOTIFY_LETTER_TEMPLATE_ID", "")
NOTIFY_BASE_URL = os.environ.get("NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")
# django-otp's own back-off refuses every code for 2**(n-1) seconds after n wrong ones, so the right
# code typed straight after a slip was refused. Guessing is bounded by "otp-user" (attempts per 15
# minutes) and "otp-wrong-user" (wrong codes per day) instead, about as many guesses a day as the
# back-off allowed; the replay guard (a code's time step is never accepted twice) is unchanged.
OTP_TOTP_THROTTLE_FACTOR = 0
LOGIN_URL = "accounts:sign-in"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(14 * 24 * 3600)))
MIDDLEWARE.insert(
    MIDDLEWARE.index("django_otp.middleware.OTPMiddleware"), "openward.accounts.middleware.ApiTokenMiddleware"
)

# Notifications (openward.notifications): how the delivery ledger sends. CHUNK recipients share
# one SMTP connection; a claim not marked sent within LEASE_SECONDS is taken to be lost (its worker
# died) and is sent again; failures are retried with doubling delays up to MAX_ATTEMPTS.
NOTIFICATIONS = {
    "CHUNK": 500,
    "LEASE_SECONDS": 300,
    "RETRY_SECONDS": 60,
    "SWEEP_SECONDS": 60,
    "MAX_ATTEMPTS": 8,
    "MARK_EVERY": 10,  # sent-marks per ledger write: also the most duplicates a killed worker can cause
    "PLACE_OFFER_HOURS": 24,
}
if REDIS_URL:
    # `manage.py rqworker default --with-scheduler --job-class django_tasks_rq.Job` runs a Redis worker;
    # the scheduler runs deferred sweeps and retries.
    INSTALLED_APPS.append("django_rq")
