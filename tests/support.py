"""Support every test package shares, outside the production package: a free port, and keeping each test
apart from the ones before it on the same worker (process-local caches, rows the data migrations load).
The root conftest uses these around every test; people and places are in tests/personas.py."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TypeVar

T = TypeVar("T")

# Every test starts on this day and time (a Wednesday, GMT), with the clock running from there: an
# outcome that depends on today's date would pass on some days only. Tests that need another moment
# move there with the `time_machine` fixture (the root conftest's pinned_clock moves each test here).
PINNED_NOW = datetime(2026, 11, 18, 10, 30, tzinfo=UTC)

# Fixtures that give a test the database (directly or through pytest-django's marker, checked apart).
DATABASE_FIXTURES = frozenset(
    {"db", "transactional_db", "live_server", "django_db_reset_sequences", "django_db_serialized_rollback"}
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LoopbackServer:
    """A stand-in HTTP server on 127.0.0.1 (a free port) for a browser test: each GET, in a thread of its own,
    is answered with `answer(path)` -> (status, content type, body). `origin` is its address."""

    def __init__(self, answer: Callable[[str], tuple[int, str, bytes]]):
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                status, kind, body = answer(self.path)
                self.send_response(status)
                if kind:
                    self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def forget_process_caches() -> None:
    """Empty the shared cache (figures, rate limits, the page-cache version) and every cache this process
    keeps in memory (ward indexes, the current generation, cached pages, twin rows): ids repeat after
    rolled-back tests, so figures cached or indexes built in one test must not answer the next."""
    from django.core.cache import cache

    from openward.core import process_caches

    cache.clear()
    process_caches.forget_all()


def uses_database(request) -> bool:
    """Does this test have the database (a django_db mark, or a fixture that gives it)?"""
    return request.node.get_closest_marker("django_db") is not None or bool(
        DATABASE_FIXTURES & set(request.fixturenames)
    )


def restore_data_migration_rows() -> None:
    """Put back the rows data migrations load (the standard minutes topics, panels' and monitoring groups', and
    the default concerns) when any is missing: a transactional test empties every table when it ends, and a
    later test on the same worker would find none. The loaders are the migrations' own; they run only when a
    row is missing."""
    from openward.engagement.models import Topic
    from openward.engagement.vocabulary import ensure_standard_topics, standard_topics_missing
    from openward.priorities.models import Concern
    from openward.priorities.vocabulary import CONCERNS, load_concerns

    if standard_topics_missing(Topic):
        ensure_standard_topics(Topic)
    if Concern.objects.filter(slug__in=[c[0] for c in CONCERNS]).count() < len(CONCERNS):
        load_concerns(Concern)


def built_once_per_module(django_db_blocker, build: Callable[[], T]) -> Iterator[T]:
    """Rows a module's tests only read, built once (at the pinned clock) and rolled back after its last test.

    For a module-scoped fixture: `yield from built_once_per_module(django_db_blocker, make_rows)`. The rows
    are written in a transaction left open while the module's tests run; each test's own transaction is a
    savepoint inside it, rolled back when the test ends, so what one test writes the next never sees, while
    the module's rows stay. Only for modules without transactional tests (their flush would empty the tables
    under the open transaction). `make test` runs a module on one worker (`--dist loadfile`): built once."""
    import time_machine
    from django.db import transaction

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with time_machine.travel(PINNED_NOW, tick=True):
                built = build()
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
