"""Test settings: the embedded defaults (SQLite in memory, a per-process cache) unless the environment
names PostgreSQL (DATABASE_URL) and Redis (REDIS_URL); in-process tests run tasks immediately."""

import os

from django.core.cache.backends.redis import RedisCache

from .base import *  # noqa: F403
from .base import DATABASES, REDIS_URL

if not os.environ.get("DATABASE_URL"):
    DATABASES["default"] = {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}

# The read replica is a test mirror of default (the same test database through a second connection), on
# SQLite and PostgreSQL alike, whether or not DATABASE_REPLICA_URL is set. The router stays off: a test
# inside a transaction would not see its own rows through the second connection. The router's tests
# (openward/core/tests/test_db_router.py) switch it on, outside transactions.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
DATABASE_ROUTERS: list[str] = []

# In-process tests assert on what a task did right after the write that queued it; the tests that
# exercise the queue itself run real workers on the run's backend (notifications/tests/test_fanout.py).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DEBUG = False

# Uploads go to the file system (MEDIA_ROOT) whatever OPENWARD_STORAGE_URL says; the object storage tests
# (openward/commitments/tests/test_object_storage.py) point them at a bucket on a loopback S3 server.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Serve app static files straight from the finders (no collectstatic before tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Each xdist worker (gw0, gw1, ...) has its own key prefix, so parallel workers never read each
# other's figures or rate-limit counters.
CACHE_KEY_PREFIX = "openward-test-" + os.environ.get("PYTEST_XDIST_WORKER", "main")


class WorkerRedisCache(RedisCache):
    """Redis cache whose clear() deletes only this worker's keys.

    Django's clear() is FLUSHDB: between two tests it would wipe the other workers' keys and the RQ queues."""

    def clear(self):
        client = self._cache.get_client(write=True)
        keys = list(client.scan_iter(match=f"{self.key_prefix}:*", count=1000))
        for start in range(0, len(keys), 1000):
            client.delete(*keys[start : start + 1000])
        return True


# The cache (and with it the rate limits) is Redis when REDIS_URL is set, as in production;
# tests clear it between tests.
CACHES = {
    "default": (
        {"BACKEND": "openward.settings.test.WorkerRedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": CACHE_KEY_PREFIX}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": CACHE_KEY_PREFIX}
    )
}
