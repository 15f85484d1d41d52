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


def physical_order(model) -> list:
    """Primary keys in the order the database stores the rows: what a copy of its files shows."""
    table, pk = connection.ops.quote_name(model._meta.db_table), connection.ops.quote_name(model._meta.pk.column)
    if connection.vendor == "postgresql":
        sql = f"SELECT {pk} FROM {table} ORDER BY ctid"
    else:
        # NOT INDEXED: a scan of the table itself, not of an index that happens to cover the column.
        sql = f"SELECT {pk} FROM {table} NOT INDEXED"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [model._meta.pk.to_python(row[0]) for row in cursor.fetchall()]


def stored_without_rowid(model) -> bool:
    """On SQLite: is the table keyed by its primary key alone, with no rowid counting up?"""
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = %s", [model._meta.db_table])
        row = cursor.fetchone()
    return bool(row) and row[0].upper().rstrip().endswith("WITHOUT ROWID")


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
