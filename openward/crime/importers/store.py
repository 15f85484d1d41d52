"""Write prepared rows fast: executemany on SQLite, COPY on PostgreSQL; then the precomputed counts.

Everything here runs inside the import's transaction, so a month is replaced (delete, then
insert) and its counts rebuilt atomically: readers see the old month or the new one.
"""

from __future__ import annotations

import datetime as dt
import io
from contextlib import contextmanager
from typing import NamedTuple

import polars as pl
from django.db import connection

from openward.areas.models import Force, Ward

from ..models import (
    AreaCount,
    Crime,
    CrimeCategory,
    DroppedDuplicate,
    Level,
    MonthlyCount,
    Outcome,
    OutcomeCount,
    PointCount,
    Stop,
)

MODELS = {"crime": Crime, "outcome": Outcome, "stop": Stop}
# Below this many rows, dropping and rebuilding indexes costs more than it saves.
BULK_LOAD_ROWS = 50_000
SQLITE_CACHE_KIB = 256 * 1024


@contextmanager
def fast_writes():
    """For the import's duration, give SQLite a 256 MB page cache: index updates stay in memory.

    The default 2 MB cache makes every index insert of a large load go to disk; this halves the
    time of a million-row import. The previous size is restored afterwards.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


class MonthWouldShrink(Exception):
    """Replacing a stored month would leave fewer than half its rows; the caller's transaction must roll back."""

    def __init__(self, stored: int, incoming: int, *, force_id: int | None = None):
        self.stored = stored
        self.incoming = incoming
        self.force_id = force_id
        super().__init__(f"{stored} stored rows would be replaced by {incoming}")


class ReferenceGone(Exception):
    """A ward, force or category the rows refer to was deleted while they were imported."""


def hold_references(cursor, ward_ids: set[int], force_ids: set[int], category_ids: set[int]) -> None:
    """Lock the ward, force and category rows the crime rows just written refer to until the import commits
    (FOR KEY SHARE, as a foreign key's trigger would), raising ReferenceGone if one no longer exists.

    The crime table has no foreign-key constraints (see `Crime`); this is what they would check. SQLite
    lets one writer in at a time, so nothing can delete them meanwhile there.
    """
    if connection.vendor != "postgresql":
        return
    for model, ids in ((Ward, ward_ids), (Force, force_ids), (CrimeCategory, category_ids)):
        if not ids:
            continue
        table = model._meta.db_table
        cursor.execute(
            f"SELECT COUNT(*) FROM (SELECT 1 FROM {table} WHERE id = ANY(%s) FOR KEY SHARE) AS held", [sorted(ids)]
        )
        if cursor.fetchone()[0] != len(ids):
            raise ReferenceGone(f"a {model._meta.verbose_name} the rows refer to was deleted while they were imported")


def replace_month(
    table: str,
    force_id: int,
    month: dt.date,
    rows: pl.DataFrame,
    columns: tuple[str, ...],
    *,
    is_demo: bool,
    allow_shrink: bool = False,
) -> int:
    """Delete the table's rows for (force, month) and insert `rows`; returns rows deleted.

    Generated demo rows and real rows replace only their own kind, so loading the demo
    into a database with real data (or the reverse) never deletes the other. Unless
    `allow_shrink`, raises MonthWouldShrink (before inserting) when `rows` are fewer than half
    the rows deleted: the DELETE's own row count is the check, so a normal import pays nothing.
    """
    db_table = MODELS[table]._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {db_table} WHERE force_id = %s AND month = %s AND is_demo = %s", [force_id, month, is_demo]
        )
        deleted = cursor.rowcount
        if not allow_shrink and 2 * rows.height < deleted:
            raise MonthWouldShrink(deleted, rows.height)
        if rows.height:
            insert(cursor, db_table, rows.select(columns))
    return deleted


DROPPED_COLUMNS = (
    "force_id", "month", "latitude", "longitude", "street_id", "street_name", "lsoa_code", "ward_id",
    "borough_code", "is_demo", "category_id", "persistent_id", "reason", "source",
)  # fmt: skip


def store_dropped_duplicates(force_id: int, month: dt.date, dropped: pl.DataFrame, *, is_demo: bool, replace: bool):
    """Record the crime rows left out as copies (placed like crimes); `replace` first drops the month's earlier ones."""
    db_table = DroppedDuplicate._meta.db_table
    with connection.cursor() as cursor:
        if replace:
            cursor.execute(
                f"DELETE FROM {db_table} WHERE force_id = %s AND month = %s AND is_demo = %s",
                [force_id, month, is_demo],
            )
        if dropped.height:
            insert(cursor, db_table, dropped.select(DROPPED_COLUMNS))


def insert(cursor, db_table: str, rows: pl.DataFrame, *, rebuild_indexes: bool = True) -> None:
    """Insert `rows` (columns named as the table's); unless told not to, a large first load rebuilds indexes after."""
    if not rebuild_indexes:
        _write(cursor, db_table, rows)
        return
    with indexes_rebuilt_after_if_larger(cursor, db_table, rows.height):
        _write(cursor, db_table, rows)


def _write(cursor, db_table: str, rows: pl.DataFrame) -> None:
    if connection.vendor == "postgresql":
        _copy(cursor, db_table, rows)
    else:
        _executemany(cursor, db_table, rows)


def _sql_literal(value) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def sqlite_dates(rows: pl.DataFrame) -> pl.DataFrame:
    """`rows` with dates and times as text, in the forms Django stores them in on SQLite."""
    return rows.with_columns(
        [pl.col(c).dt.strftime("%Y-%m-%d") for c, t in rows.schema.items() if t == pl.Date]
        + [pl.col(c).dt.strftime("%Y-%m-%d %H:%M:%S") for c, t in rows.schema.items() if isinstance(t, pl.Datetime)]
    )


def _executemany(cursor, db_table: str, rows: pl.DataFrame) -> None:
    # Binding each value costs about a microsecond in Python's sqlite3; columns that hold one
    # value for the whole batch (force, month, demo flag, …) are written into the SQL instead.
    rows = sqlite_dates(rows)
    constant = [c for c in rows.columns if is_constant(rows[c])]
    varying = [c for c in rows.columns if c not in constant]
    values = ["%s"] * len(varying) + [_sql_literal(rows[c][0]) for c in constant]
    sql = f"INSERT INTO {db_table} ({', '.join(varying + constant)}) VALUES ({', '.join(values)})"
    if not varying:
        cursor.executemany(sql, [()] * rows.height)
        return
    cursor.executemany(sql, zip(*(rows[c].to_list() for c in varying), strict=True))


def is_constant(column: pl.Series) -> bool:
    """Whether every value of a non-empty column is the same (all missing counts): one comparison with its first
    value, cheaper than counting its distinct values (which hashes every text)."""
    if column.is_empty():
        return False
    first = column[0]
    if first is None:
        return column.null_count() == len(column)
    return not column.null_count() and bool((column == first).all())


def csv_payload(rows: pl.DataFrame) -> bytes:
    """`rows` as COPY … WITH (FORMAT csv, NULL '\\N') reads them."""
    rows = rows.with_columns(
        [pl.col(c).dt.strftime("%Y-%m-%d %H:%M:%S+00") for c, t in rows.schema.items() if isinstance(t, pl.Datetime)]
    )
    buffer = io.BytesIO()
    # With NULL '\N', only an unquoted \N is a missing value: every text is quoted, so that a text that reads
    # \N stays one, and an empty text stays the empty string our NOT NULL text columns need.
    rows.write_csv(buffer, include_header=False, null_value="\\N", quote_style="non_numeric")
    return buffer.getvalue()


def _copy(cursor, db_table: str, rows: pl.DataFrame) -> None:
    sql = f"COPY {db_table} ({', '.join(rows.columns)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
    with cursor.cursor.copy(sql) as copy:
        copy.write(csv_payload(rows))


def table_rows_up_to(cursor, db_table: str, limit: int) -> int:
    """The table's rows, counted up to `limit` (a large table is not read to the end)."""
    cursor.execute(f"SELECT count(*) FROM (SELECT 1 FROM {db_table} LIMIT %s) AS existing", [limit])
    return cursor.fetchone()[0]


class DroppedIndexes(NamedTuple):
    """A table's plain indexes and (PostgreSQL) foreign keys, dropped for a bulk load: `rebuild` puts them back."""

    db_table: str
    indexes: list[tuple[str, str]]
    foreign_keys: list[tuple[str, str]]

    def rebuild(self, cursor) -> None:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")  # sort each index in memory
        for _, definition in self.indexes:
            cursor.execute(definition)
        for name, definition in self.foreign_keys:
            cursor.execute(f'ALTER TABLE {self.db_table} ADD CONSTRAINT "{name}" {definition}')


def drop_indexes(cursor, db_table: str, *, keep: tuple[str, ...] = ()) -> DroppedIndexes:
    """Drop the table's plain indexes but those named in `keep` (and, on PostgreSQL, its foreign keys) before a
    load that at least doubles it; `DroppedIndexes.rebuild` builds them again after.

    Building an index once, by sorting, is several times faster than updating it row by row
    once it outgrows memory, and one foreign-key check of the whole table is faster than a
    trigger per row (the advice of both SQLite and PostgreSQL for populating a database). On
    PostgreSQL this locks the table until the import commits, so it is kept for first and very
    large loads, when no page can be reading that data yet; on SQLite, readers keep seeing the
    previous snapshot meanwhile.
    """
    foreign_keys = []
    if connection.vendor == "postgresql":
        cursor.execute(
            """SELECT i.indexname, i.indexdef FROM pg_indexes i
               WHERE i.tablename = %s AND i.schemaname = current_schema()
               AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)""",
            [db_table],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid = %s::regclass AND contype = 'f'",
            [db_table],
        )
        foreign_keys = cursor.fetchall()
        # Checks still pending from earlier writes in this transaction must run before the
        # table can be altered.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for name, _ in foreign_keys:
            cursor.execute(f'ALTER TABLE {db_table} DROP CONSTRAINT "{name}"')
    else:
        # Indexes SQLite makes for constraints have no SQL; they stay.
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
            [db_table],
        )
        indexes = cursor.fetchall()
    indexes = [(name, definition) for name, definition in indexes if name not in keep]
    for name, _ in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    return DroppedIndexes(db_table, indexes, foreign_keys)


@contextmanager
def indexes_rebuilt_after_if_larger(cursor, db_table: str, incoming: int, *, keep: tuple[str, ...] = ()):
    """A load of `incoming` rows that at least doubles the table drops its indexes (but those in `keep`) and
    builds them after."""
    if incoming < BULK_LOAD_ROWS or table_rows_up_to(cursor, db_table, incoming + 1) > incoming:
        yield
        return
    dropped = drop_indexes(cursor, db_table, keep=keep)
    yield
    dropped.rebuild(cursor)


COUNT_KEYS = ("ward_id", "lsoa_code", "category_id")
OUTCOME_KEYS = ("ward_id", "borough_code", "category_id", "outcome_category")
POINT_KEYS = ("ward_id", "latitude", "longitude", "street_name")
ASB = "anti-social-behaviour"


class Counted(NamedTuple):
    """A force-month's precomputed counts: per ward/LSOA/category (MonthlyCount, and from it AreaCount), per
    ward/borough/category/outcome (OutcomeCount) and per ward/snap point, anti-social behaviour left out
    (PointCount)."""

    monthly: pl.DataFrame
    outcomes: pl.DataFrame
    points: pl.DataFrame


def _asb_id() -> int | None:
    return CrimeCategory.objects.filter(slug=ASB).values_list("pk", flat=True).first()


def count_crimes(rows: pl.DataFrame, asb_id: int | None) -> Counted:
    """What a cold crime page reads, counted from placed crime rows (to add up with `replace_monthly_counts`).

    A row's borough follows from its ward, or without one from its LSOA, so each group has one.
    """
    borough = pl.col("borough_code").max()
    located = rows.filter(pl.col("latitude").is_not_null() & pl.col("longitude").is_not_null())
    if asb_id is not None:
        located = located.filter(pl.col("category_id") != asb_id)
    return Counted(
        rows.group_by(COUNT_KEYS).agg(borough, count=pl.len()),
        rows.group_by(OUTCOME_KEYS).agg(count=pl.len()),
        located.group_by(POINT_KEYS).agg(borough, count=pl.len()),
    )


MONTHLY_COLUMNS = ("ward_id", "lsoa_code", "borough_code", "force_id", "category_id", "month", "count")
POINT_COLUMNS = ("ward_id", "borough_code", "force_id", "month", "latitude", "longitude", "street_name", "count")
ROLLUP_COLUMNS = ("level", "area", "force_id", "category_id", "month", "count")


def _rolled_up(counts: pl.DataFrame, force_id: int, keys: tuple[str, ...]) -> pl.DataFrame:
    """`counts` (with ward_id and borough_code) summed per ward, per borough and for the force, by `keys`."""
    total = pl.col("count").sum()
    wards = counts.filter(pl.col("ward_id").is_not_null()).group_by("ward_id", *keys).agg(total)
    boroughs = counts.filter(pl.col("borough_code") != "").group_by("borough_code", *keys).agg(total)
    force = counts.group_by(*keys).agg(total)
    return pl.concat(
        [
            wards.select(
                pl.lit(Level.WARD.value).alias("level"), pl.col("ward_id").cast(pl.Utf8).alias("area"), *keys, "count"
            ),
            boroughs.select(
                pl.lit(Level.BOROUGH.value).alias("level"), pl.col("borough_code").alias("area"), *keys, "count"
            ),
            force.select(pl.lit(Level.FORCE.value).alias("level"), pl.lit(str(force_id)).alias("area"), *keys, "count"),
        ]
    )


def replace_monthly_counts(force_id: int, month: dt.date, counted: list[Counted], *, recount: bool) -> int:
    """Store one force's month of precomputed counts from the rows just imported; returns MonthlyCount rows written.

    Each table's rows for the force and month are replaced: the counts of every ward, borough and the
    force the import changes, and no other. The rows just imported are the whole month unless rows of
    the other kind (demo or real) share it (`recount`); then the database recounts them all.
    """
    if recount:
        return rebuild_monthly_counts(force_id, month)
    total = pl.col("count").sum()
    monthly = pl.concat([c.monthly for c in counted], how="vertical_relaxed")
    monthly = monthly.group_by(COUNT_KEYS).agg(pl.col("borough_code").max(), total)
    outcomes = pl.concat([c.outcomes for c in counted], how="vertical_relaxed").group_by(OUTCOME_KEYS).agg(total)
    points = pl.concat([c.points for c in counted], how="vertical_relaxed")
    points = points.group_by(POINT_KEYS).agg(pl.col("borough_code").max(), total)
    this_month = {"force_id": pl.lit(force_id, pl.Int64), "month": pl.lit(month)}
    tables = (
        (MonthlyCount, monthly.with_columns(**this_month).select(MONTHLY_COLUMNS)),
        (AreaCount, _rolled_up(monthly, force_id, ("category_id",)).with_columns(**this_month).select(ROLLUP_COLUMNS)),
        (
            OutcomeCount,
            _rolled_up(outcomes, force_id, ("category_id", "outcome_category"))
            .with_columns(**this_month)
            .select(*ROLLUP_COLUMNS, "outcome_category"),
        ),
        (PointCount, points.with_columns(**this_month).select(POINT_COLUMNS)),
    )
    with connection.cursor() as cursor:
        for model, rows in tables:
            db_table = model._meta.db_table
            cursor.execute(f"DELETE FROM {db_table} WHERE force_id = %s AND month = %s", [force_id, month])
            if rows.height:
                insert(cursor, db_table, rows)
    return monthly.height


_COUNT_TYPES = {
    "ward_id": pl.Int64, "category_id": pl.Int64, "count": pl.Int64, "latitude": pl.Float64, "longitude": pl.Float64
}  # fmt: skip


def rebuild_monthly_counts(force_id: int, month: dt.date) -> int:
    """Recount one force's month of precomputed counts from the stored crimes; returns MonthlyCount rows written."""
    crimes = Crime._meta.db_table
    asb_id = _asb_id()
    where = "WHERE force_id = %s AND month = %s"
    with connection.cursor() as cursor:

        def frame(keys: tuple[str, ...], extra: str = "", params: tuple = (), borough: bool = False) -> pl.DataFrame:
            columns = [*keys, *(["MAX(borough_code)"] if borough else []), "COUNT(*)"]
            cursor.execute(
                f"SELECT {', '.join(columns)} FROM {crimes} {where}{extra} GROUP BY {', '.join(keys)}",
                [force_id, month, *params],
            )
            names = [*keys, *(["borough_code"] if borough else []), "count"]
            schema = {n: _COUNT_TYPES.get(n, pl.Utf8) for n in names}
            return pl.DataFrame(cursor.fetchall(), schema=schema, orient="row")

        counted = Counted(
            frame(COUNT_KEYS, borough=True),
            frame(OUTCOME_KEYS),
            frame(
                POINT_KEYS,
                " AND latitude IS NOT NULL AND longitude IS NOT NULL AND category_id <> %s",
                (asb_id if asb_id is not None else -1,),
                borough=True,
            ),
        )
    return replace_monthly_counts(force_id, month, [counted], recount=False)


def update_category_months() -> None:
    """Each category's first and last month with crimes, from the forces' rolled-up counts."""
    categories, counts = CrimeCategory._meta.db_table, AreaCount._meta.db_table
    of_category = f"FROM {counts} WHERE level = '{Level.FORCE.value}' AND category_id = {categories}.id"
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {categories} SET first_month = (SELECT MIN(month) {of_category}), "
            f"last_month = (SELECT MAX(month) {of_category})"
        )
