"""SQLite: an import's crime rows staged in a database file of their own, then moved into the crime table by one
INSERT … SELECT per month.

Python's sqlite3 binds a row's values one at a time from Python objects, about a microsecond each: for a
month's rows that was half the import. ADBC's SQLite driver (Apache Arrow's database connectivity) writes
polars' own columns into a separate file from C, in a thread of its own and without holding Python's lock,
while the importer reads, checks and places the next piece. Once every month of the import is read, the
import's own connection attaches that file and copies each month's rows in one statement, which SQLite
runs without coming back to Python. SQLite and PostgreSQL thus take a month the same way: built aside
while the file is read, moved in at the end (`months.MonthLoad`).

The stage is throwaway. It is written outside the import's transaction, in a temporary folder, and holds
nothing the crime table keeps unless the transaction commits. SQLite cannot detach a database that its
connection has read until that connection's transaction ends, so a stage stays attached until then: the
next stage detaches (and deletes) those it can, and the transaction's commit detaches its own. A
connection holds at most `sqlite3.SQLITE_LIMIT_ATTACHED` (10) attached databases; with none left (imports
nested in one outer transaction, as tests run them), the rows are kept in memory and bound by executemany,
as they were before the stage, with the same result.
"""

from __future__ import annotations

import itertools
import shutil
import sqlite3
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, NamedTuple

import polars as pl
from django.db import OperationalError, connection, transaction

from . import store

ALIAS_PREFIX = "openward_stage_"


class StageFailed(Exception):
    """The stage's file could not be written (its folder full or not writable): the import stops, nothing stored."""


class _Attached(NamedTuple):
    raw: Any  # the sqlite3.Connection it is attached to (they take no weak reference)
    alias: str
    folder: tempfile.TemporaryDirectory


# Stages attached to a connection and not yet detached (this process's connections: one per thread).
_attached: list[_Attached] = []
_serials = itertools.count(1)


def detach_finished() -> None:
    """Detach and delete the stages whose transaction has ended (on the current connection) or whose connection
    has been closed since."""
    connection.ensure_connection()
    raw = connection.connection
    for entry in list(_attached):
        if entry.raw is raw:
            try:
                with connection.cursor() as cursor:
                    cursor.execute(f"DETACH DATABASE {entry.alias}")
            except OperationalError:  # "database … is locked": read in a transaction still open
                continue
        elif _is_open(entry.raw):
            continue  # another thread's connection: its own imports detach it
        _attached.remove(entry)
        entry.folder.cleanup()


def _is_open(raw) -> bool:
    try:
        raw.total_changes  # noqa: B018 - raises once the connection is closed
    except sqlite3.ProgrammingError:
        return False
    return True


def _attached_now(cursor) -> int:
    cursor.execute("PRAGMA database_list")
    return sum(1 for _, name, _ in cursor.fetchall() if name not in ("main", "temp"))


class Stage:
    """Crime rows staged for one import, a table per month (see the module docstring).

    `write` rows as they are read (in the order they are to be stored); once every month is read, `insert_into`
    moves a month's rows into the crime table on the import's connection. Used as a context manager, which
    ends the stage (`close`): the file goes when its connection detaches it, or at once if it was never
    attached.
    """

    def __init__(self) -> None:
        detach_finished()
        with connection.cursor() as cursor:
            # The connection's limit, not SQLite's compiled default: setlimit can lower it.
            limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_ATTACHED)
            self.in_file = _attached_now(cursor) < limit
        try:
            self._folder = tempfile.TemporaryDirectory(prefix="openward-stage-")
        except OSError as exc:
            raise StageFailed(_unwritable(tempfile.gettempdir(), exc)) from exc
        self.path = Path(self._folder.name) / "stage.sqlite3"
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="stage") if self.in_file else None
        self._pending: Future | None = None
        self._adbc: Any = None
        self._columns: dict[str, list[str]] = {}  # each staged table's columns, in the writer's thread
        self._held: dict[str, list[pl.DataFrame]] = {}
        self._alias: str | None = None

    # -- while reading -------------------------------------------------------------------------
    def write(self, table: str, rows: pl.DataFrame) -> None:
        """Add `rows` to the staged `table`: written in the stage's own thread while the caller goes on."""
        rows = _as_stored(rows)
        if not self.in_file:
            self._held.setdefault(table, []).append(rows)
            return
        self._wait()  # one piece in flight at most: memory stays one piece
        assert self._writer is not None
        self._pending = self._writer.submit(self._ingest, table, rows)

    def _ingest(self, table: str, rows: pl.DataFrame) -> None:
        """In the stage's thread: append `rows` to `table`, made with no column types, so that every value is kept
        as written (the crime table's own types apply when the rows are moved in)."""
        if self._adbc is None:
            import adbc_driver_sqlite.dbapi

            self._adbc = adbc_driver_sqlite.dbapi.connect(str(self.path), autocommit=True)
            with self._adbc.cursor() as cursor:
                cursor.execute("PRAGMA journal_mode = OFF")  # a throwaway file: no journal, no waiting for disk
                cursor.execute("PRAGMA synchronous = OFF")
        with self._adbc.cursor() as cursor:
            if table not in self._columns:
                cursor.execute(f"CREATE TABLE {table} ({', '.join(rows.columns)})")
                self._columns[table] = rows.columns
            cursor.adbc_ingest(table, rows, mode="append")

    def _wait(self) -> None:
        """Wait for the piece in flight; the writer's error, if any, is raised here."""
        if self._pending is not None:
            pending, self._pending = self._pending, None
            import adbc_driver_manager

            try:
                pending.result()
            except (OSError, adbc_driver_manager.Error) as exc:
                raise StageFailed(_unwritable(self._folder.name, exc)) from exc

    # -- at the end of the import -------------------------------------------------------------
    def insert_into(self, cursor, db_table: str, table: str) -> None:
        """Move the staged `table`'s rows into `db_table` (in the order written) on the import's connection."""
        if not self.in_file:
            if frames := self._held.pop(table, []):
                store.insert(cursor, db_table, pl.concat(frames, how="vertical_relaxed"), rebuild_indexes=False)
            return
        self.finish_writing()
        if table not in self._columns:
            return
        alias = self._attach(cursor)
        columns = ", ".join(self._columns[table])
        cursor.execute(f"INSERT INTO {db_table} ({columns}) SELECT {columns} FROM {alias}.{table} ORDER BY rowid")

    def finish_writing(self) -> None:
        """Wait until every row written is in the stage's file (raising the writer's error, if any); the stage
        takes no more rows."""
        if self._writer is None:
            return
        try:
            self._wait()
        finally:
            if self._adbc is not None:
                self._writer.submit(self._adbc.close).result()
                self._adbc = None
            self._writer.shutdown()
            self._writer = None

    def _attach(self, cursor) -> str:
        if self._alias is None:
            self._alias = f"{ALIAS_PREFIX}{next(_serials)}"
            cursor.execute(f"ATTACH DATABASE %s AS {self._alias}", [str(self.path)])
            _attached.append(_Attached(connection.connection, self._alias, self._folder))
            transaction.on_commit(detach_finished)
        return self._alias

    def __enter__(self) -> Stage:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        """End the stage: stop its writer (waiting for a piece in flight), and delete its file unless attached."""
        try:
            self.finish_writing()
        except Exception:  # noqa: BLE001 - called when the import stops; its own error is the one to report
            pass
        self._held.clear()
        if self._alias is None:
            self._folder.cleanup()


def _unwritable(folder: str, exc: Exception) -> str:
    try:
        free = f"; {shutil.disk_usage(folder).free / 1e6:,.0f} MB free there"
    except OSError:
        free = ""
    return (
        f"the import's temporary copy of the rows could not be written in {folder} "
        f"({str(exc).splitlines()[0]}{free}). "
        "It needs about 240 MB of free space a million rows there: free some, or set TMPDIR to a folder with "
        "room, and import the files again. Nothing was imported."
    )


def _as_stored(rows: pl.DataFrame) -> pl.DataFrame:
    """Values as the crime table stores them on SQLite (`store.sqlite_dates`) and as ADBC can send them (a column
    that is only missing values has no Arrow type ADBC binds: it goes as missing text)."""
    return store.sqlite_dates(rows).with_columns(
        pl.col(c).cast(pl.String) for c, t in rows.schema.items() if t == pl.Null
    )
