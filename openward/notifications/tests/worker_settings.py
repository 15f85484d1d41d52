"""Settings for the worker-kill test: a database of its own shared by the test and real workers (a SQLite
file, or PostgreSQL when the run has DATABASE_URL), the run's task backend (RQ when it has REDIS_URL, the
database backend otherwise), SMTP on a loopback port the test chooses, and short leases so a lost claim
is retried quickly."""

import os

import dj_database_url

from openward.settings.base import *  # noqa: F403
from openward.settings.base import REDIS_URL

DATABASES = {"default": dj_database_url.parse(os.environ.get("OPENWARD_TEST_DATABASE_URL", "sqlite://:memory:"))}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
TASKS = {
    "default": {
        "BACKEND": "django_tasks_rq.RQBackend" if REDIS_URL else "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ.get("OPENWARD_TEST_SMTP_PORT", "0"))
EMAIL_TIMEOUT = 5
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DEBUG = False
NOTIFICATIONS = {
    "CHUNK": 250,
    "LEASE_SECONDS": 4,
    "RETRY_SECONDS": 1,
    "SWEEP_SECONDS": 1,
    "MAX_ATTEMPTS": 100,
    "MARK_EVERY": 10,
    "PLACE_OFFER_HOURS": 24,
}
