"""Published crime figures change only when an import commits, so they are cached against a data version.

The version is three primary-key maxima (import runs, crimes, stops): each is one index probe,
and every import, re-import or demo load moves at least one of them, so a stale figure is
never served after new data lands. The cache is the project's (per process locmem, or Redis).
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.db import connections, router

from openward.core import deadline
from openward.core.models import ImportRun

from ..models import Crime, Stop

TIMEOUT = 24 * 3600


def data_version() -> str:
    """Read from the database the figures are computed from: with a read replica, a figure computed from
    what it holds is cached under its version, never under the primary's newer one."""
    tables = [model._meta.db_table for model in (ImportRun, Crime, Stop)]
    with deadline.probe(), connections[router.db_for_read(Crime)].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"(SELECT MAX(id) FROM {t})" for t in tables))
        return ":".join(str(v) for v in cursor.fetchone())


def has_crime_data(version: str) -> bool:
    """Whether any street-level crime or stop and search is loaded (the version's crime and stop maxima)."""
    return version.split(":")[1] != "None" or version.split(":")[2] != "None"


def cached(key: str, compute, timeout: int = TIMEOUT, version: str | None = None):
    """`compute()`'s value for `key` under the current data version (pass `version` if already read)."""
    full = "crime:" + hashlib.sha1(f"{key}|{version or data_version()}".encode()).hexdigest()
    value = cache.get(full)
    if value is None:
        value = compute()
        cache.set(full, value, timeout=timeout)
    return value
