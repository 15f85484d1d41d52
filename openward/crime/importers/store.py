"""Write prepared rows fast: executemany on SQLite, COPY on PostgreSQL; then the monthly counts.

Everything here runs inside the import's transaction, so a month is replaced (delete, then
insert) and its counts rebuilt atomically: readers see the old month or the new one.
"""

from __future__ import annotations

import datetime as dt
import io

import polars as pl
from django.db import connection

from ..models import Crime, CrimeCategory, MonthlyCount, Outcome, Stop

MODELS = {"crime": Crime, "outcome": Outcome, "stop": Stop}


def replace_month(
    table: str, force_id: int, month: dt.date, rows: pl.DataFrame, columns: tuple[str, ...], *, is_demo: bool
) -> int:
    """Delete the table's rows for (force, month) and insert `rows`; returns rows deleted.

    Generated demo rows and real rows replace only their own kind, so loading the demo
    into a database with real data (or the reverse) never deletes the other.
    """
    db_table = MODELS[table]._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {db_table} WHERE force_id = %s AND month = %s AND is_demo = %s", [force_id, month, is_demo]
        )
        deleted = cursor.rowcount
        if rows.height:
            insert(cursor, db_table, rows.select(columns))
    return deleted


def insert(cursor, db_table: str, rows: pl.DataFrame) -> None:
    columns = rows.columns
    if connection.vendor == "postgresql":
        _copy(cursor, db_table, rows)
        return
    rows = rows.with_columns(
        [pl.col(c).dt.strftime("%Y-%m-%d") for c, t in rows.schema.items() if t == pl.Date]
        + [pl.col(c).dt.strftime("%Y-%m-%d %H:%M:%S") for c, t in rows.schema.items() if isinstance(t, pl.Datetime)]
    )
    placeholders = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {db_table} ({', '.join(columns)}) VALUES ({placeholders})"
    cursor.executemany(sql, rows.iter_rows())


def _copy(cursor, db_table: str, rows: pl.DataFrame) -> None:
    rows = rows.with_columns(
        [pl.col(c).dt.strftime("%Y-%m-%d %H:%M:%S+00") for c, t in rows.schema.items() if isinstance(t, pl.Datetime)]
    )
    buffer = io.BytesIO()
    # With NULL '\N', an empty unquoted field is the empty string, as our NOT NULL text columns need.
    rows.write_csv(buffer, include_header=False, null_value="\\N")
    sql = f"COPY {db_table} ({', '.join(rows.columns)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
    with cursor.cursor.copy(sql) as copy:
        copy.write(buffer.getbuffer())


def rebuild_monthly_counts(force_id: int, month: dt.date) -> int:
    """Recount crimes per ward, LSOA and category for one force's month; returns rows written."""
    counts, crimes = MonthlyCount._meta.db_table, Crime._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {counts} WHERE force_id = %s AND month = %s", [force_id, month])
        cursor.execute(
            f"""INSERT INTO {counts} (ward_id, lsoa_code, borough_code, force_id, category_id, month, count)
                SELECT ward_id, lsoa_code, MAX(borough_code), force_id, category_id, month, COUNT(*)
                FROM {crimes} WHERE force_id = %s AND month = %s
                GROUP BY ward_id, lsoa_code, force_id, category_id, month""",
            [force_id, month],
        )
        return cursor.rowcount


def update_category_months() -> None:
    """Each category's first and last month with crimes, from the monthly counts."""
    categories, counts = CrimeCategory._meta.db_table, MonthlyCount._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE {categories} SET
                first_month = (SELECT MIN(month) FROM {counts} WHERE category_id = {categories}.id),
                last_month = (SELECT MAX(month) FROM {counts} WHERE category_id = {categories}.id)"""
        )
