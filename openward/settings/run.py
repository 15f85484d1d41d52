"""`make run`: the site as production runs it, on one machine, with no services to install.

gunicorn with threads and DEBUG off; static files from whitenoise with hashed names; the
project's own 404 and 500 pages; SQLite in WAL mode (base); a cache every worker process
shares (files in var/cache, or Redis when REDIS_URL is set); links in emails to the address
actually served (HOST and PORT, or SITE_URL).
"""

import os

from .base import *  # noqa: F403
from .base import REDIS_URL, UPLOADS_STORAGE, VAR_DIR

DEBUG = False
HOST = os.environ.get("HOST", "127.0.0.1")
PORT = int(os.environ.get("PORT", "8000"))
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}
# 0.0.0.0 listens everywhere; links still need an address a browser on this machine can open.
_LINK_HOST = "127.0.0.1" if HOST in {"0.0.0.0", "::"} else HOST  # noqa: S104
SITE_URL = os.environ.get("SITE_URL") or f"http://{_LINK_HOST}:{PORT}"
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h] or sorted(_LOOPBACK | {_LINK_HOST})
# The demo's sign-in-as-anyone page, only while the site answers on this machine alone.
OPENWARD_DEMO_SIGN_IN = HOST in _LOOPBACK and os.environ.get("OPENWARD_DEMO_SIGN_IN", "1") == "1"

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    )
}
STORAGES = {
    "default": UPLOADS_STORAGE,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
