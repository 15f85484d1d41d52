"""Where secret ballots sit on disk: in key order, so a row's position says nothing about when it was cast.

SQLite stores the three tables WITHOUT ROWID (migration 0004), always in the order of their
random or keyed primary keys. PostgreSQL appends new rows at the end of a table's heap, so
`reorder` rewrites the tables in key order (CLUSTER); until it runs, rows cast since the last
run sit in the order they were cast (docs/ballot-secrecy.md says so).
"""

from __future__ import annotations

from django.db import connection

from .models import Ballot, Demographics, Participation

SECRET_MODELS = (Participation, Ballot, Demographics)


def _primary_key_index(cursor, table: str) -> str:
    constraints = connection.introspection.get_constraints(cursor, table)
    return next(name for name, c in constraints.items() if c["primary_key"])


def reorder() -> str:
    """Put the secret tables in key order on disk; returns what was done, in words."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # CLUSTER refuses a table with foreign-key checks still deferred in the caller's transaction.
            if connection.in_atomic_block:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for model in SECRET_MODELS:
                table = model._meta.db_table
                index = _primary_key_index(cursor, table)
                cursor.execute(f"CLUSTER {connection.ops.quote_name(table)} USING {connection.ops.quote_name(index)}")
            return "Rewrote the ballot, demographic and register tables in key order (CLUSTER)."
        if connection.vendor == "sqlite":
            done = "The ballot tables are stored in key order (WITHOUT ROWID)"
            cursor.execute("PRAGMA journal_mode")
            if cursor.fetchone()[0].lower() != "wal":
                return f"{done}."
            if connection.in_atomic_block:
                return f"{done}; the write-ahead log cannot be emptied inside a transaction."
            # The write-ahead log holds recently written pages in the order they were written.
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            return f"{done}; emptied the write-ahead log."
    return f"Nothing done: {connection.vendor} is not a database Open Ward knows how to reorder."
