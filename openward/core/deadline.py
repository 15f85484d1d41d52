"""A time limit on one request's heavy work, so no single request can hold a worker or the database for long.

`with deadline.limit():` starts the clock (`OPENWARD_REQUEST_DEADLINE_SECONDS`). Python loops
call `deadline.check()`; the database is limited too: SQLite through a progress handler that
interrupts a query once the time is up, PostgreSQL through `statement_timeout` (the smaller of
the time left and `OPENWARD_STATEMENT_TIMEOUT_MS`), reset when the block ends. Either way the
caller gets `DeadlineExceeded`, whose message a person can act on.
"""

from __future__ import annotations

import contextvars
import time
from contextlib import ExitStack, contextmanager, nullcontext

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, transaction

from . import db_router

# How many SQLite virtual-machine instructions run between two looks at the clock (about a millisecond).
SQLITE_CHECK_EVERY = 20_000

_deadline: contextvars.ContextVar[tuple[float, float] | None] = contextvars.ContextVar("deadline", default=None)
_probing: contextvars.ContextVar[bool] = contextvars.ContextVar("deadline_probing", default=False)


class DeadlineExceeded(Exception):
    """The request's heavy work ran past its time limit and was stopped."""

    def __init__(self, seconds: float):
        super().__init__(
            f"This request needed more than {seconds:g} seconds of work and was stopped. "
            "Ask for a smaller area or a single month, or use a ward or borough page."
        )


def check() -> None:
    """Raise DeadlineExceeded if the current request's time is up (no-op outside `limit`)."""
    current = _deadline.get()
    if current is not None and time.monotonic() > current[0]:
        raise DeadlineExceeded(current[1])


@contextmanager
def limit(seconds: float | None = None):
    """Run the block under a deadline; an inner `limit` keeps the outer (earlier) one."""
    if _deadline.get() is not None:
        yield
        return
    seconds = settings.OPENWARD_REQUEST_DEADLINE_SECONDS if seconds is None else seconds
    end = time.monotonic() + seconds
    token = _deadline.set((end, seconds))
    try:
        with _database_limited(end):
            yield
    except OperationalError as exc:
        if time.monotonic() > end or _is_timeout(exc):
            raise DeadlineExceeded(seconds) from exc
        raise
    finally:
        _deadline.reset(token)


def _is_timeout(exc: OperationalError) -> bool:
    text = str(exc).lower()
    return "interrupted" in text or "statement timeout" in text


@contextmanager
def _database_limited(end: float):
    """Limit the primary and, when there is one, the read replica (pages read crime from it)."""
    with ExitStack() as stack:
        for alias in (DEFAULT_DB_ALIAS, db_router.REPLICA) if db_router.in_use() else (DEFAULT_DB_ALIAS,):
            stack.enter_context(_connection_limited(connections[alias], end))
        yield


@contextmanager
def _connection_limited(connection, end: float):
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        raw = connection.connection
        raw.set_progress_handler(lambda: int(time.monotonic() > end), SQLITE_CHECK_EVERY)
        try:
            yield
        finally:
            raw.set_progress_handler(None, SQLITE_CHECK_EVERY)
        return
    if connection.vendor != "postgresql":
        yield
        return
    # The limit is set just before the block's first statement (not counting `probe()`s), so a
    # request answered from the cache makes no round trip for it, and reset only if it was set.
    state = {"set": False}

    def limited(execute, sql, params, many, context):
        if not state["set"] and not _probing.get():
            state["set"] = True
            left_ms = max(1, int((end - time.monotonic()) * 1000))
            limit_ms = min(left_ms, settings.OPENWARD_STATEMENT_TIMEOUT_MS)
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('statement_timeout', %s, false)", [str(limit_ms)])
        return execute(sql, params, many, context)

    try:
        with connection.execute_wrapper(limited):
            # Inside a transaction (tests, ATOMIC_REQUESTS) a cancelled statement aborts it: a savepoint
            # keeps the rest of the transaction usable.
            with transaction.atomic(using=connection.alias) if connection.in_atomic_block else nullcontext():
                yield
    finally:
        if state["set"] and connection.is_usable():
            with connection.cursor() as cursor:
                cursor.execute("RESET statement_timeout")


@contextmanager
def probe():
    """Statements in this block are single index probes (a data version): they need no time limit, so
    they do not make `limit()` set one."""
    token = _probing.set(True)
    try:
        yield
    finally:
        _probing.reset(token)
