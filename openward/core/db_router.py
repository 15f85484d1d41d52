"""Reads of the data people only read go to a read replica, when one is configured (DATABASE_REPLICA_URL).

What goes to the replica: reads of the apps whose rows only importers and the police.uk sync write,
and which every public page reads: places (areas), crime and stop and search (crime), census
populations (census) and the police.uk data kept in sync (policeuk). A replica that is a few seconds
behind shows a page a few seconds old, which is all a lag can do to them.

Everything else reads and writes the primary (`default`): people's accounts, verification,
engagement, notifications, priorities and ballots, monitoring, commitments, the audit log and the
import runs. These are read right after they are written (a person signs up and sees their account,
votes and sees their ballot counted), which a lagging replica would get wrong.

Reads go to the primary, whatever the model, in two more cases:
- inside a transaction on the primary (`transaction.atomic()`, as every service that writes is): a
  write and the reads it rests on see the same database. With ATOMIC_REQUESTS on the primary, the
  transaction wrapping the whole request does not count (it would send every read there);
- inside `primary()`: importers (`BaseImporter.run`) and the police.uk sync read what they check
  against (forces, wards, categories, months already stored) from the primary, so a replica that
  has not yet replayed the last import cannot make the next one wrong.

Writes always go to the primary, and migrations run there only (the replica copies them). Rows read
from either database may be related to each other: they are the same data.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import DEFAULT_DB_ALIAS, connections, router

REPLICA = "replica"
# App labels whose reads may go to the replica: written only by importers and the sync.
REPLICA_APPS = frozenset({"areas", "crime", "census", "policeuk"})

_pinned: ContextVar[bool] = ContextVar("openward_reads_from_primary", default=False)


@contextmanager
def primary() -> Iterator[None]:
    """Every read inside this block goes to the primary (imports, the sync: anything that checks and then writes)."""
    token = _pinned.set(True)
    try:
        yield
    finally:
        _pinned.reset(token)


def reads_from_primary() -> bool:
    """Whether reads here must see the primary: inside `primary()` or a transaction on it."""
    if _pinned.get():
        return True
    conn = connections[DEFAULT_DB_ALIAS]
    # ATOMIC_REQUESTS opens the outermost transaction around every view: only the ones inside it count.
    request_block = 1 if conn.settings_dict.get("ATOMIC_REQUESTS") else 0
    return len(conn.atomic_blocks) > request_block


def in_use() -> bool:
    """Whether reads may go to the replica (DATABASE_REPLICA_URL set, so the router is on)."""
    return any(isinstance(r, ReplicaRouter) for r in router.routers)


def replica_behind() -> bool:
    """Whether the replica has not yet replayed the newest import the primary recorded (False without a
    replica). An import records its run after its rows commit, so a replica holding the run holds the rows:
    the whole-page cache keeps no page until then (it would keep the old figures under the new version)."""
    if not in_use():
        return False
    from .models import ImportRun

    newest = [
        ImportRun.objects.using(alias).order_by("-pk").values_list("pk", flat=True).first()
        for alias in (DEFAULT_DB_ALIAS, REPLICA)
    ]
    return newest[0] != newest[1]


class ReplicaRouter:
    """DATABASE_ROUTERS entry, set by the settings only when DATABASE_REPLICA_URL is."""

    def db_for_read(self, model, **hints) -> str:
        if model._meta.app_label in REPLICA_APPS and not reads_from_primary():
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        dbs = {obj1._state.db, obj2._state.db}
        return True if dbs <= {DEFAULT_DB_ALIAS, REPLICA} else None

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == DEFAULT_DB_ALIAS
