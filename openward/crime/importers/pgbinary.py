"""Rows in PostgreSQL's binary COPY format, encoded from Arrow by pgpq.

PostgreSQL takes in a binary COPY with about half the work of the same rows as CSV: it reads each
value as it is stored instead of parsing its text (1M crime rows into an unindexed table, psql on
this project's 2-core machines: 2.4 s against 4.5 s). While an import streams a month, that work
is what the importer waits for; encoding the rows costs the importer's own thread a little more than
writing CSV (0.9 against 0.6 s for 1M rows), on the other core.

Binary values must have the column's exact type (an int4 column takes 4 bytes, not 8), so the
frame is cast to the table's own column types, read from the catalogue; a table with a column of a
type not listed here is written as CSV instead (`encoder_for` returns None), as is everything where
pgpq has no wheel (Linux on ARM).
"""

from __future__ import annotations

import polars as pl

try:
    import pgpq
except ImportError:  # no wheel for Linux on ARM (requirements/base.in): months go in as CSV there
    pgpq = None  # type: ignore[assignment]

# PostgreSQL's type (as information_schema names it) -> the polars type whose Arrow form pgpq
# encodes as that type's binary representation.
POLARS_TYPES: dict[str, pl.DataType] = {
    "bigint": pl.Int64(),
    "integer": pl.Int32(),
    "smallint": pl.Int16(),
    "double precision": pl.Float64(),
    "real": pl.Float32(),
    "boolean": pl.Boolean(),
    "date": pl.Date(),
    "character varying": pl.Utf8(),
    "text": pl.Utf8(),
}


def column_types(cursor, db_table: str) -> dict[str, str]:
    """The table's columns and their types, as information_schema names them."""
    cursor.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = %s",
        [db_table],
    )
    return dict(cursor.fetchall())


class BinaryEncoder:
    """Encodes frames of the given columns as one binary COPY: the signature with the first frame,
    the trailer from `finish`."""

    def __init__(self, types: dict[str, pl.DataType]):
        self.types = types
        self._encoder: pgpq.ArrowToPostgresBinaryEncoder | None = None

    def encode(self, rows: pl.DataFrame) -> bytes:
        frame = rows.select(pl.col(column).cast(kind) for column, kind in self.types.items())
        # Arrow's classic string layout (the one pgpq reads), not polars' own string views.
        table = frame.to_arrow(compat_level=pl.CompatLevel.oldest())
        parts = []
        if self._encoder is None:
            self._encoder = pgpq.ArrowToPostgresBinaryEncoder(table.schema)
            parts.append(self._encoder.write_header())
        parts.extend(self._encoder.write_batch(batch) for batch in table.to_batches())
        return b"".join(parts)

    def finish(self) -> bytes:
        """The end of the COPY's data (nothing if no frame was encoded: psycopg then sends an empty COPY)."""
        return self._encoder.finish() if self._encoder is not None else b""


def encoder_for(types: dict[str, str], columns: list[str]) -> BinaryEncoder | None:
    """A binary encoder for `columns` of a table with column `types`, or None if one has a type not mapped (or
    pgpq is not installed)."""
    if pgpq is None or any(types.get(column) not in POLARS_TYPES for column in columns):
        return None
    return BinaryEncoder({column: POLARS_TYPES[types[column]] for column in columns})
