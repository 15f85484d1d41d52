"""What a process keeps in its own memory between requests (ward indexes, the current generation, cached
pages, twin rows), each registered here with how to forget it.

Each such cache is keyed so that new data is seen (a version in the shared cache, a data version);
`forget_all()` is for when those keys can repeat, as between tests (database ids are reused after a
rollback), so one test's figures or shapes never answer the next. The root conftest calls it around
every test.
"""

from __future__ import annotations

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
