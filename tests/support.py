"""Support every test package shares, outside the production package: a free port, and keeping each test
apart from the ones before it on the same worker (process-local caches, rows the data migrations load).
The root conftest uses these around every test; people and places are in tests/personas.py."""

from __future__ import annotations

import socket

# Fixtures that give a test the database (directly or through pytest-django's marker, checked apart).
DATABASE_FIXTURES = frozenset(
    {"db", "transactional_db", "live_server", "django_db_reset_sequences", "django_db_serialized_rollback"}
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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
