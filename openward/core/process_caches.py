"""What a process keeps in its own memory between requests (ward indexes, the current generation, cached
pages, twin rows), each registered here with how to forget it.

Each such cache is keyed so that new data is seen (a version in the shared cache, a data version);
`forget_all()` is for when those keys can repeat, as between tests (database ids are reused after a
rollback), so one test's figures or shapes never answer the next. The root conftest calls it around
every test.
"""

from __future__ import annotations

import time
from collections.abc import Callable

_forgetters: list[Callable[[], None]] = []


def register(forget: Callable[[], None]) -> Callable[[], None]:
    """Add a way to empty one process-local cache (a module calls this once, at import)."""
    if forget not in _forgetters:
        _forgetters.append(forget)
    return forget


def forget_all() -> None:
    """Empty every registered process-local cache."""
    for forget in _forgetters:
        forget()


def shared_version(key: str) -> int:
    """The version in the shared cache that a process-local cache is keyed by. When the shared cache has
    lost it (flushed, evicted) it starts again from a number no earlier life of the cache used: counting
    from 0 again would let a process reuse what it built before the flush."""
    from django.core.cache import cache

    version = cache.get(key)
    if version is None:
        cache.add(key, time.time_ns(), timeout=None)
        version = cache.get(key)
    return version


def bump_shared_version(key: str) -> int:
    """Tell every process that what it keeps under `key`'s version is out of date; the new version."""
    from django.core.cache import cache

    try:
        return cache.incr(key)
    except ValueError:
        cache.add(key, time.time_ns(), timeout=None)
        return cache.incr(key)
