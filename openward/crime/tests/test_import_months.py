"""A month of crimes is stored whole or not at all, piece by piece from a large file, and on PostgreSQL as a
partition of its own: built aside, swapped in, the other forces' rows of the month kept."""

from __future__ import annotations

import csv
import datetime as dt

import polars as pl
import pytest
from django.db import connection

from openward.core.importers.base import ImportFailed
from openward.crime.importers import PoliceUkImporter, csvtable, months, pgbinary
from openward.crime.importers.frames import CRIME_COLUMNS, STOP_COLUMNS, STREET_HEADER, STREET_NAMES
from openward.crime.models import AreaCount, Crime, DroppedDuplicate, PointCount, Stop
from openward.crime.tests.fixtures import areas

from .factories import CrimeFactory, category

pytestmark = pytest.mark.django_db

HEADER = ",".join(STREET_HEADER)
# Months are partitions only on PostgreSQL: on SQLite these tests are deselected (the root conftest).
postgresql_only = pytest.mark.postgresql


def line(i: int, month: str = "2023-01", *, force="City of London Police", kind="Burglary", lat="51.5150") -> str:
    crime_id = f"{month}-{i}".encode().hex().ljust(64, "0")
    return f"{crime_id},{month},{force},{force},-0.0950,{lat},On or near Moor Lane,E01000001,City 001A,{kind},,"


def month_file(folder, rows: list[str], month: str = "2023-01", force: str = "city-of-london"):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{month}-{force}-street.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n")
    return path


@pytest.fixture
def city():
    force = areas.force("city-of-london", "City of London Police")
    g22 = areas.generation("2022", dt.date(2022, 5, 5), None)
    areas.ward("E05009001", g22, (-0.10, 51.51, -0.085, 51.52))
    return force


# -- reading in pieces -------------------------------------------------------------------------------


def lines_of(rows: list[bytes]) -> bytes:
    return b"\n".join([HEADER.encode(), *rows]) + b"\n"


def full(i: int, fields: int = 12) -> bytes:
    return ",".join([f"id{i}", *["x"] * (fields - 1)]).encode()


@pytest.mark.parametrize(
    "data",
    [
        lines_of([full(i) for i in range(1000)]),
        # a blank line and short and long rows in the middle, which make a piece be read line by line
        lines_of(
            [full(i) for i in range(300)]
            + [b""]
            + [full(i, 10) for i in range(5)]
            + [full(i) for i in range(500)]
            + [full(9, 14)]
            + [full(i) for i in range(200)]
        ),  # fmt: skip
        b"\r\n".join([HEADER.encode(), *(full(i) for i in range(700))]) + b"\r\n",
        lines_of([]),
    ],
    ids=["plain", "blank-short-long", "crlf", "header-only"],
)
@pytest.mark.parametrize("rows_per_piece", [1, 7, 50, 333])
def test_a_file_read_in_pieces_gives_the_rows_and_lines_of_the_whole_file(data, rows_per_piece):
    whole = csvtable.read_table(data, STREET_HEADER, STREET_NAMES, "street-level crime")
    pieces = list(csvtable.read_pieces(data, STREET_HEADER, STREET_NAMES, "street-level crime", rows_per_piece))
    assert pl.concat(pieces).equals(whole)
    assert len(pieces) > 1 or whole.height <= rows_per_piece
    problems = whole.filter(pl.col("field_problem").is_not_null()).select("line", "field_problem").rows()
    if b"\n\n" in data:
        # header 1, rows 2-301, the blank line 302, the short rows 303-307, the long row 808
        assert problems == [(n, "the row has 10 fields, not 12") for n in range(303, 308)] + [
            (808, "the row has 14 fields, not 12")
        ]


def test_a_copy_in_a_later_piece_is_left_out_as_in_the_whole_file(tmp_path, city, monkeypatch):
    rows = [line(i) for i in range(20)]
    rows[13] = rows[2]  # an identical row in a later piece
    rows[17] = rows[4].replace("Burglary", "Robbery")  # same Crime ID, different row: both kept
    path = month_file(tmp_path, rows)
    monkeypatch.setattr("openward.crime.importers.policeuk.PIECE_ROWS", 3)
    run = PoliceUkImporter(path, commit=True).run()
    assert run.counts["crime_rows"] == 19 and run.counts["duplicates_removed"] == 1
    assert [p["message"] for p in run.problems] == [
        "duplicate of line 4: an identical row with the same Crime ID, kept once"
    ]
    assert [p["where"] for p in run.problems] == [f"{path}:15"]
    assert DroppedDuplicate.objects.get().source == f"{path}:15"


# -- a month at a time ---------------------------------------------------------------------------------


def stored(force_slug: str) -> int:
    return Crime.objects.filter(force__slug=force_slug).count()


def test_a_force_s_month_replaces_its_own_rows_and_keeps_the_other_forces(tmp_path, city):
    met = areas.force("metropolitan", "Metropolitan Police Service")
    PoliceUkImporter(month_file(tmp_path / "a", [line(i) for i in range(6)]), commit=True).run()
    met_rows = [line(100 + i, force="Metropolitan Police Service") for i in range(4)]
    PoliceUkImporter(month_file(tmp_path / "b", met_rows, force="metropolitan"), commit=True).run()
    PoliceUkImporter(month_file(tmp_path / "c", [line(i) for i in range(5)]), commit=True).run()
    assert stored("city-of-london") == 5 and stored("metropolitan") == 4
    forces = AreaCount.objects.filter(level="force", month=dt.date(2023, 1, 1))
    assert dict(forces.values_list("force_id", "count")) == {city.pk: 5, met.pk: 4}
    if connection.vendor == "postgresql":
        assert months.month_partitions() == ["crime_crime_p202301"]


def test_a_refused_month_leaves_the_stored_month_and_no_table_behind(tmp_path, city):
    PoliceUkImporter(month_file(tmp_path / "a", [line(i) for i in range(10)]), commit=True).run()
    before = sorted(Crime.objects.values_list("pk", flat=True))
    with pytest.raises(ImportFailed, match="importing it would remove 7"):
        PoliceUkImporter(month_file(tmp_path / "b", [line(i) for i in range(3)]), commit=True).run()
    assert sorted(Crime.objects.values_list("pk", flat=True)) == before
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT relname FROM pg_class WHERE relname LIKE 'crime_crime_p%%' AND relkind = 'r'")
            assert [r[0] for r in cursor.fetchall()] == ["crime_crime_p202301"]


@postgresql_only
def test_a_month_is_built_aside_and_swapped_in(tmp_path, city):
    PoliceUkImporter(month_file(tmp_path / "a", [line(i) for i in range(6)]), commit=True).run()
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('crime_crime_p202301')::oid")
        first = cursor.fetchone()[0]
    PoliceUkImporter(month_file(tmp_path / "b", [line(i) for i in range(8)]), commit=True).run()
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('crime_crime_p202301')::oid")
        assert cursor.fetchone()[0] != first  # a new table, not the old one updated
        cursor.execute("SELECT COUNT(*) FROM ONLY crime_crime_p202301")
        assert cursor.fetchone()[0] == 8
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'crime_crime_p202301' ORDER BY indexname")
        names = [r[0] for r in cursor.fetchall()]
    # Every index of the crime table, attached as the new partition's own (none built again on attaching).
    assert names == sorted(
        [
            "crime_crime_pkey_p202301",
            "crime_demo_p202301",
            "crime_force_month_p202301",
            "crime_persistent_id_p202301",
            "crime_point_p202301",
            "crime_street_p202301",
            "crime_unplaced_borough_month_p202301",
            "crime_ward_month_category_p202301",
        ]
    )


@postgresql_only
def test_rows_written_outside_an_import_move_into_their_month(tmp_path, city):
    burglary = category("burglary")
    CrimeFactory(force=city, month=dt.date(2023, 1, 1), category=burglary, is_demo=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM crime_crime_default")
        assert cursor.fetchone()[0] == 1
    PoliceUkImporter(month_file(tmp_path, [line(i) for i in range(3)]), commit=True).run()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM crime_crime_default")
        assert cursor.fetchone()[0] == 0
        cursor.execute("SELECT is_demo, COUNT(*) FROM ONLY crime_crime_p202301 GROUP BY is_demo ORDER BY is_demo")
        assert cursor.fetchall() == [(False, 3), (True, 1)]  # the demo row is not the import's kind: kept


@postgresql_only
def test_a_small_force_joins_a_large_month_in_place(tmp_path, city, monkeypatch):
    areas.force("metropolitan", "Metropolitan Police Service")
    met_rows = [line(100 + i, force="Metropolitan Police Service") for i in range(40)]
    PoliceUkImporter(month_file(tmp_path / "a", met_rows, force="metropolitan"), commit=True).run()
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('crime_crime_p202301')::oid")
        first = cursor.fetchone()[0]
    load = months.MonthLoad
    decided = []

    class Watched(load):
        def _start(self):
            super()._start()
            decided.append(self.swap)

    monkeypatch.setattr(months, "MonthLoad", Watched)
    PoliceUkImporter(month_file(tmp_path / "b", [line(i) for i in range(3)]), commit=True).run()
    assert decided == [False]  # 40 rows kept against 0 replaced: in place
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('crime_crime_p202301')::oid")
        assert cursor.fetchone()[0] == first
    assert stored("city-of-london") == 3 and stored("metropolitan") == 40


def test_the_indexes_made_before_a_months_rows_are_partial_ones_a_csv_row_never_enters():
    by_name = {index.name: index for index in Crime._meta.indexes}
    for name in months.KEPT_WHILE_LOADING:
        assert by_name[name].condition is not None, f"{name} is not partial: every row would be written into it"


@postgresql_only
def test_crime_ids_come_from_the_sequence_a_thousand_at_a_time_and_stay_unique(tmp_path, city):
    """An import's COPY takes an id a row; the sequence hands each session a thousand at once (asking it once a
    row was a fifth of the database's work for the rows). Ids stay unique across imports of the month."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT seqcache FROM pg_sequence WHERE seqrelid = 'crime_crime_id_seq'::regclass")
        assert cursor.fetchone()[0] == 1000
    PoliceUkImporter(month_file(tmp_path / "a", [line(i) for i in range(6)]), commit=True).run()
    PoliceUkImporter(month_file(tmp_path / "b", [line(i) for i in range(8)]), commit=True).run()
    ids = list(Crime.objects.values_list("pk", flat=True))
    assert len(ids) == len(set(ids)) == 8


TRICKY_TEXT = ['On or near "Quoted" Street', "On or near Mile End, Bow", "\\N", "Ünïcødé Straße ✓", "back\\slash\\"]


@pytest.mark.parametrize("pgpq_installed", [True, False])
def test_text_and_numbers_are_stored_as_the_file_has_them(tmp_path, city, monkeypatch, pgpq_installed):
    """Whatever the database is sent (PostgreSQL: a binary COPY for crimes, or CSV where pgpq is not installed;
    CSV for the precomputed counts), a field's text comes back as the file had it: quotes, commas, backslashes,
    non-ASCII letters and the two characters \\N, which a CSV COPY with NULL '\\N' takes for a missing value
    unless quoted."""
    if not pgpq_installed:
        monkeypatch.setattr(pgbinary, "pgpq", None)
    rows = []
    for i, text in enumerate(TRICKY_TEXT):
        longitude = f"{-0.0912345678901 - i / 1000:.13f}"
        rows.append(
            [f"{i:064x}", "2023-01", "City of London Police", "City of London Police", longitude, "51.5150000000001",
             text, "E01000001", text, "Burglary", "Under investigation", text]
        )  # fmt: skip
    path = tmp_path / "2023-01-city-of-london-street.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows([list(STREET_HEADER), *rows])
    PoliceUkImporter(path, commit=True).run()
    stored = {c.persistent_id: c for c in Crime.objects.all()}
    for crime_id, _, _, _, longitude, latitude, text, _, lsoa_name, _, outcome, context in rows:
        crime = stored[crime_id]
        assert (crime.street_name, crime.lsoa_name, crime.context) == (text, lsoa_name, context)
        assert (crime.longitude, crime.latitude) == (float(longitude), float(latitude))
        assert crime.outcome_category == outcome
    points = PointCount.objects.filter(month=dt.date(2023, 1, 1))
    assert sorted(points.values_list("street_name", flat=True)) == sorted(TRICKY_TEXT)


@postgresql_only
def test_a_month_of_crimes_goes_in_as_a_binary_copy_and_stops_as_csv():
    """Every crime column has a type the binary encoder knows (a new one of another type would quietly send
    months as CSV again, at twice the database's work); a stop's time (timestamptz) does not, so stops stay CSV."""
    with connection.cursor() as cursor:
        crimes = pgbinary.column_types(cursor, Crime._meta.db_table)
        stops = pgbinary.column_types(cursor, Stop._meta.db_table)
    assert pgbinary.encoder_for(crimes, list(CRIME_COLUMNS)) is not None
    assert pgbinary.encoder_for(stops, list(STOP_COLUMNS)) is None


@pytest.mark.parametrize(
    ("values", "dtype", "constant"),
    [
        (["Moor Lane"] * 3, pl.String, True),
        (["Moor Lane", "Moor Lane", "Moor Lane "], pl.String, False),
        ([None, None], pl.String, True),
        (["", None], pl.String, False),
        ([None, ""], pl.String, False),
        ([51.5, 51.5], pl.Float64, True),
        ([51.5, float("nan")], pl.Float64, False),
        ([float("nan"), float("nan")], pl.Float64, True),
        ([7], pl.Int64, True),
        ([], pl.Int64, False),
    ],
)
def test_a_column_is_written_once_as_a_constant_only_when_every_value_is_the_same(values, dtype, constant):
    """Both writers leave a constant column out of the rows (a literal in SQLite's INSERT, a default in the
    COPY): wrongly taken for one, a column would store its first value in every row. The answers are the
    count of distinct values (nulls and NaN each one value), as polars counts them."""
    from openward.crime.importers import store

    column = pl.Series(values, dtype=dtype)
    assert store.is_constant(column) is constant
    assert constant == (column.n_unique() == 1)
