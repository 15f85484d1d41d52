"""Store a month of crimes for the forces an import brings: on PostgreSQL as a partition built aside and
swapped in, elsewhere in place.

A data.police.uk month arrives force by force. Importing replaces the (force, month) slices the
import brings rows for, and keeps every other force's rows for the month, and rows of the other
kind (generated demo rows and real rows never replace each other).

PostgreSQL (`crime_crime` partitioned by month, migration 0004): the month is written as
PostgreSQL advises for a bulk load, into a new table with no index (a binary `COPY`, kept open while
the importer reads the next piece of the file), and its indexes are built afterwards, each once, by
sorting. The rows the import keeps are copied in by one INSERT … SELECT. At the end of the import
the new table becomes the month's partition in place of the old one (`swap_in`): until the import
commits, readers see the old month; if it fails, the new table goes with its transaction. When the
month's partition holds far more rows than the import replaces (one small force re-imported into
a national month), rebuilding it would copy much more than it writes, so the slices are replaced in
place instead (delete, insert, the indexes updated row by row), as everywhere else.

SQLite: the month is written as it is read into a stage, a database file of its own (`sqlitestage`),
and once every month of the import is read, each force's slice is deleted and the month's rows are moved
in by one INSERT … SELECT (`swap_in`). A load that at least doubles the table (a first load) drops its
indexes before and builds them after, each once, by sorting. Whether any force's month would shrink is
found before anything is written.

PostgreSQL, a month replaced in place: each force's slice is deleted when its first rows arrive and the
rows are copied in piece by piece as they come.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from typing import Any

import polars as pl
from django.db import connection
from psycopg import sql
from psycopg.copy import QueuedLibpqWriter

from ..models import Crime
from . import pgbinary, sqlitestage, store
from .frames import CRIME_COLUMNS

TABLE = Crime._meta.db_table
DEFAULT_PARTITION = f"{TABLE}_default"
# Rebuild a month's partition, copying the rows it keeps, unless it keeps more than this many times
# the rows the import replaces: copying costs about as much per row as loading.
KEEP_IN_PLACE_RATIO = 4
# Partial indexes that the rows of a data.police.uk CSV never enter (demo rows only; police.uk's own street
# ids only): made before the rows are written, they cost each row a test of its condition and nothing more,
# where building one after would read the whole new month once for an index with nothing in it.
KEPT_WHILE_LOADING = ("crime_demo", "crime_street")


def partition_name(month: dt.date) -> str:
    return f"{TABLE}_p{month:%Y%m}"


def next_month(month: dt.date) -> dt.date:
    return dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)


def is_partitioned() -> bool:
    """Whether the crime table is partitioned by month (PostgreSQL, from migration 0004)."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_partitioned_table WHERE partrelid = to_regclass(%s)", [TABLE])
        return cursor.fetchone() is not None


def month_partitions() -> list[str]:
    """The crime table's month partitions, oldest first (empty where it is not partitioned)."""
    if not is_partitioned():
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = to_regclass(%s) AND c.relname <> %s ORDER BY c.relname",
            [TABLE, DEFAULT_PARTITION],
        )
        return [row[0] for row in cursor.fetchall()]


class MonthLoad:
    """One month of crimes for the forces an import brings (see the module docstring).

    `add` rows as they are read (of any of the month's forces); `finish` checks that no force's
    month shrinks (raising store.MonthWouldShrink) and builds the month; `swap_in`, once every
    month of the import is finished, makes them the stored months. `pause` ends the open COPY so that
    the importer can query the database; `abort` ends a load the import gave up. On SQLite the rows go
    to the import's `stage`.
    """

    def __init__(
        self,
        month: dt.date,
        forces: set[int],
        *,
        is_demo: bool,
        allow_shrink: bool,
        stage: sqlitestage.Stage | None = None,
    ):
        self.month = month
        self.expected_forces = forces
        self.is_demo = is_demo
        self.allow_shrink = allow_shrink
        self.incoming: Counter[int] = Counter()
        self.stored: dict[int, int] = {}  # rows of this import's kind stored before it, per force
        self.other_kind: set[int] = set()  # forces that also have rows of the other kind this month
        self.replaced = 0
        self.ward_ids: set[int] = set()
        self.category_ids: set[int] = set()
        self.swap: bool | None = None  # decided when the first rows arrive
        self._old_partition: str | None = None
        self._stream: _CopyStream | None = None
        self._cleared: set[int] = set()  # in place: the forces whose slice is deleted
        self._staging = f"{partition_name(month)}_new"
        self.stage = stage
        self.stage_table = f"m{month:%Y%m}"

    # -- while reading -------------------------------------------------------------------------
    def add(self, rows: pl.DataFrame) -> None:
        """Store (or, in place, keep until `finish`) placed crime rows of this month."""
        if not rows.height:
            return
        rows = rows.select(CRIME_COLUMNS)
        if self.swap is None:
            self._start()
        for force_id, n in rows.group_by("force_id").len().iter_rows():
            self.incoming[force_id] += n
        self.ward_ids.update(rows["ward_id"].drop_nulls().unique().to_list())
        self.category_ids.update(rows["category_id"].unique().to_list())
        if self.swap:
            assert self._stream is not None
            self._stream.write(rows)
        elif self.stage is not None:
            self.stage.write(self.stage_table, rows)
        else:
            self._add_in_place(rows)

    def _add_in_place(self, rows: pl.DataFrame) -> None:
        with connection.cursor() as cursor:
            for force_id in sorted(set(rows["force_id"].unique().to_list()) - self._cleared):
                cursor.execute(
                    f"DELETE FROM {TABLE} WHERE force_id = %s AND month = %s AND is_demo = %s",
                    [force_id, self.month, self.is_demo],
                )
                self.stored[force_id] = cursor.rowcount
                self._cleared.add(force_id)
            store.insert(cursor, TABLE, rows, rebuild_indexes=False)

    def pause(self) -> None:
        if self._stream is not None:
            self._stream.close()

    def abort(self) -> None:
        if self._stream is not None:
            self._stream.close(failed=True)

    def _start(self) -> None:
        if not is_partitioned():
            if self.stage is None:
                raise ValueError("a month of crimes on SQLite is written to the import's stage")
            self.swap = False
            return
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT force_id, is_demo, COUNT(*) FROM {TABLE} WHERE month = %s GROUP BY force_id, is_demo",
                [self.month],
            )
            stats = cursor.fetchall()
            cursor.execute(
                "SELECT 1 FROM pg_inherits WHERE inhparent = to_regclass(%s) AND inhrelid = to_regclass(%s)",
                [TABLE, partition_name(self.month)],
            )
            self._old_partition = partition_name(self.month) if cursor.fetchone() else None
        self.stored = {force_id: n for force_id, is_demo, n in stats if is_demo == self.is_demo}
        self.other_kind = {force_id for force_id, is_demo, _ in stats if is_demo != self.is_demo}
        replaced = sum(self.stored.get(f, 0) for f in self.expected_forces)
        kept = sum(n for _, _, n in stats) - replaced
        self.swap = self._old_partition is None or kept <= KEEP_IN_PLACE_RATIO * replaced
        if not self.swap:
            return
        following = next_month(self.month)
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TABLE {self._staging} (LIKE {TABLE} INCLUDING DEFAULTS)")
            # The partition's bounds as a constraint, so that attaching it need not read it to check them.
            cursor.execute(
                f"ALTER TABLE {self._staging} ADD CONSTRAINT {partition_name(self.month)}_month "
                f"CHECK (month >= '{self.month}' AND month < '{following}')"
            )
            self._build_indexes(cursor, before_rows=True)
        self._stream = _CopyStream(self._staging)

    # -- at the end of the month ---------------------------------------------------------------
    def finish(self) -> None:
        """Check no force's month shrinks, then store the month (PostgreSQL, in place) or build its table (swap); on
        SQLite, where nothing of the month is written yet, only the check (`swap_in` moves the month in)."""
        if self.swap is None:
            return  # no rows: the stored month is left as it is
        forces = sorted(self.incoming)
        with connection.cursor() as cursor:
            if self.swap:
                assert self._stream is not None
                self._stream.end()
                self._check_shrink()
                self.replaced = sum(self.stored.get(f, 0) for f in forces)
                cursor.execute(
                    f"INSERT INTO {self._staging} SELECT * FROM {TABLE} "
                    "WHERE month = %s AND NOT (is_demo = %s AND force_id = ANY(%s))",
                    [self.month, self.is_demo, forces],
                )
                self._build_indexes(cursor, before_rows=False)
            else:
                if self.stage is not None:  # nothing of the month written yet: moved in by `swap_in`
                    cursor.execute(
                        f"SELECT force_id, COUNT(*) FROM {TABLE} WHERE month = %s AND is_demo = %s AND force_id IN "
                        f"({', '.join(['%s'] * len(forces))}) GROUP BY force_id",
                        [self.month, self.is_demo, *forces],
                    )
                    self.stored = dict(cursor.fetchall())
                self._check_shrink()
                self.replaced = sum(self.stored.get(f, 0) for f in forces)
                other = Crime.objects.filter(month=self.month, is_demo=not self.is_demo, force_id__in=forces)
                self.other_kind = set(other.values_list("force_id", flat=True).distinct().order_by())
            store.hold_references(cursor, self.ward_ids, set(forces), self.category_ids)

    def _check_shrink(self) -> None:
        if self.allow_shrink:
            return
        for force_id in sorted(self.incoming):
            stored, incoming = self.stored.get(force_id, 0), self.incoming[force_id]
            if 2 * incoming < stored:
                raise store.MonthWouldShrink(stored, incoming, force_id=force_id)

    def _build_indexes(self, cursor, *, before_rows: bool) -> None:
        """The parent table's primary key and indexes on the new table, so that attaching adopts them: those
        `KEPT_WHILE_LOADING` before the rows are written, the others (each built once, by sorting) after."""
        suffix = f"p{self.month:%Y%m}_new"
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")  # sort each index in memory
        if not before_rows:
            cursor.execute(f"ALTER TABLE {self._staging} ADD CONSTRAINT {TABLE}_pkey_{suffix} PRIMARY KEY (id, month)")
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = %s "
            "AND indexname <> %s ORDER BY indexname",
            [TABLE, f"{TABLE}_pkey"],
        )
        for name, definition in cursor.fetchall():
            if (name in KEPT_WHILE_LOADING) == before_rows:
                on_staging = f"CREATE INDEX {name}_{suffix} ON {self._staging} "
                cursor.execute(re.sub(r"^CREATE INDEX \S+ ON (ONLY )?\S+ ", on_staging, definition))

    def swap_in(self) -> None:
        """PostgreSQL: make the month built aside the stored one: drop the old partition (or the month's rows in
        the default partition) and attach the new table. Takes the crime table's strongest lock only until the
        import commits, which it does next."""
        if not self.swap:
            return
        final = partition_name(self.month)
        with connection.cursor() as cursor:
            if self._old_partition:
                cursor.execute(f"ALTER TABLE {TABLE} DETACH PARTITION {self._old_partition}")
                cursor.execute(f"DROP TABLE {self._old_partition}")
            else:
                cursor.execute(f"DELETE FROM {DEFAULT_PARTITION} WHERE month = %s", [self.month])
            cursor.execute(f"ALTER TABLE {self._staging} RENAME TO {final}")
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = %s", [final]
            )
            for (name,) in cursor.fetchall():
                if name.endswith("_new"):
                    cursor.execute(f"ALTER INDEX {name} RENAME TO {name.removesuffix('_new')}")
            cursor.execute(
                f"ALTER TABLE {TABLE} ATTACH PARTITION {final} FOR VALUES FROM (%s) TO (%s)",
                [self.month, next_month(self.month)],
            )


def swap_in(loads: list[MonthLoad]) -> None:
    """Make the months an import built aside the stored ones, once every month is finished (see the module
    docstring): PostgreSQL swaps in each month's new partition; SQLite deletes the slices the import replaces
    and moves the staged months in, dropping the table's indexes first when that at least doubles it."""
    staged = [load for load in loads if load.stage is not None and load.swap is False]
    if staged:
        with connection.cursor() as cursor:
            for load in staged:
                for force_id in sorted(load.incoming):
                    cursor.execute(
                        f"DELETE FROM {TABLE} WHERE force_id = %s AND month = %s AND is_demo = %s",
                        [force_id, load.month, load.is_demo],
                    )
            incoming = sum(load.incoming.total() for load in staged)
            with store.indexes_rebuilt_after_if_larger(cursor, TABLE, incoming, keep=KEPT_WHILE_LOADING):
                for load in staged:
                    assert load.stage is not None
                    load.stage.insert_into(cursor, TABLE, load.stage_table)
    for load in loads:
        load.swap_in()


class _CopyStream:
    """A COPY into the new table kept open across writes, so that the database takes in one piece of rows
    while the importer reads the next (psycopg's queued writer sends them from a thread of its own).

    The rows go in PostgreSQL's binary format (`pgbinary`): the database stores each value as sent instead
    of parsing its text, half its work for a month, and the work an import waits for.

    Columns that hold one value in every row written (the force, the month, the demo flag, columns a
    source leaves empty) are not sent: the table fills them as their default. A piece that breaks one
    of these ends the COPY, the defaults are adjusted and a new COPY begins.
    """

    def __init__(self, table: str):
        self.table = table
        self.defaults: dict[str, object] = {}
        self._types: dict[str, str] | None = None
        self._encoder: pgbinary.BinaryEncoder | None = None
        self._cursor: Any = None
        self._manager: Any = None
        self._copy: Any = None

    def write(self, rows: pl.DataFrame) -> None:
        constant = {c: rows[c][0] for c in rows.columns if store.is_constant(rows[c])}
        if len(constant) == len(rows.columns):
            constant.pop(rows.columns[0])  # a COPY needs a column (a piece of one row is all constants)
        if self._copy is not None and any(c not in constant or constant[c] != v for c, v in self.defaults.items()):
            self.close()
        if self._copy is None:
            self._set_defaults(constant)
            self._cursor = connection.cursor()
            raw = self._cursor.cursor
            columns = [c for c in rows.columns if c not in self.defaults]
            if self._types is None:
                self._types = pgbinary.column_types(self._cursor, self.table)
            self._encoder = pgbinary.encoder_for(self._types, columns)
            form = "FORMAT binary" if self._encoder else "FORMAT csv, NULL '\\N'"
            sql = f"COPY {self.table} ({', '.join(columns)}) FROM STDIN WITH ({form})"
            self._manager = raw.copy(sql, writer=QueuedLibpqWriter(raw))
            self._copy = self._manager.__enter__()
        sent = rows.drop(list(self.defaults))
        self._copy.write(self._encoder.encode(sent) if self._encoder else store.csv_payload(sent))

    def _set_defaults(self, defaults: dict[str, object]) -> None:
        with connection.cursor() as cursor:
            for column in self.defaults.keys() - defaults.keys():
                cursor.execute(f"ALTER TABLE {self.table} ALTER COLUMN {column} DROP DEFAULT")
            for column, value in defaults.items():
                if column not in self.defaults or self.defaults[column] != value:
                    literal = sql.Literal(value).as_string(cursor.cursor)
                    cursor.execute(f"ALTER TABLE {self.table} ALTER COLUMN {column} SET DEFAULT {literal}")
        self.defaults = defaults

    def close(self, *, failed: bool = False) -> None:
        """Wait for the database to take in everything written (or, `failed`, cancel the COPY)."""
        if self._copy is None:
            return
        manager, cursor, copy, encoder = self._manager, self._cursor, self._copy, self._encoder
        self._copy = self._manager = self._cursor = self._encoder = None
        if failed:
            stop = RuntimeError("the import stopped")
            try:
                manager.__exit__(RuntimeError, stop, None)
            except Exception:  # noqa: BLE001 - the import's own error is the one to report
                pass
        else:
            if encoder is not None:
                copy.write(encoder.finish())
            manager.__exit__(None, None, None)
        cursor.close()

    def end(self) -> None:
        """Close the COPY and leave the table with no default of ours (it keeps its id's)."""
        self.close()
        self._set_defaults({})
