"""SQLite: an import's crime rows are staged in a file of their own (ADBC, from polars' columns) and moved into the
crime table by one INSERT … SELECT; with no attachment left on the connection they are bound one by one instead.
Either way the table ends the same, and the stage leaves nothing behind."""

from __future__ import annotations

import datetime as dt
import sqlite3
import tempfile

import pytest
from django.db import connection, transaction

from openward.core.importers.base import ImportFailed
from openward.crime.importers import PoliceUkImporter, sqlitestage
from openward.crime.importers.frames import CRIME_COLUMNS
from openward.crime.models import Crime

from .fixtures import areas
from .test_import_months import line, month_file

pytestmark = pytest.mark.sqlite

TABLE = Crime._meta.db_table


def stored_rows() -> list[tuple]:
    """Every crime row, in id order, with each value's SQLite storage class beside it (a value staged as text
    where the table has a number would compare equal in Python but not here)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(f'{c}, typeof({c})' for c in CRIME_COLUMNS)} FROM {TABLE} ORDER BY id")
        return cursor.fetchall()


def attached() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA database_list")
        return [name for _, name, _ in cursor.fetchall() if name not in ("main", "temp")]


def varied_rows() -> list[str]:
    """Placed and unplaced rows, anti-social behaviour (no id), text with quotes, commas and other alphabets."""
    rows = [line(i, lat=f"51.51{i % 10}") for i in range(250)]
    rows += [
        f",2023-01,City of London Police,City of London Police,-0.0950,51.51{i},On or near Moor Lane,E01000001,"
        "City 001A,Anti-social behaviour,,"
        for i in range(3)
    ]
    rows.append(
        f"{'c' * 64},2023-01,City of London Police,City of London Police,,,No location,,,Burglary,,"
    )  # no point: stored unplaced
    rows.append(
        f'{"d" * 64},2023-01,City of London Police,City of London Police,-0.0950,51.5150,"On or near ""Quoted"", '
        'Street",E01000001,City 001A,Robbery,Under investigation,Ünïcødé ✓'
    )
    return rows


@pytest.fixture
def city():
    force = areas.force("city-of-london", "City of London Police")
    areas.ward("E05009001", areas.generation("2022", dt.date(2022, 5, 5), None), (-0.10, 51.51, -0.085, 51.52))
    return force


@pytest.fixture
def stage_dir(tmp_path, monkeypatch):
    """The folder the stages are made in, to see what they leave behind."""
    folder = tmp_path / "stages"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.mark.django_db
def test_staged_rows_are_stored_as_rows_bound_one_by_one(tmp_path, city, stage_dir):
    path = month_file(tmp_path / "a", varied_rows())

    def stages_attached() -> int:
        return sum(entry.folder.name.startswith(str(stage_dir)) for entry in sqlitestage._attached)

    PoliceUkImporter(path, commit=True).run()
    staged = stored_rows()
    assert stages_attached() == 1  # the rows went through the stage's file
    assert len(staged) == 255
    # The file's own ids, in the file's order (ids of the anti-social behaviour rows are blank).
    ids = [fields.split(",")[0] for fields in varied_rows()]
    assert [row[2 * CRIME_COLUMNS.index("persistent_id")] for row in staged] == ids

    # Every attachment the connection may hold taken: the stage keeps the rows and binds them one by one.
    limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_ATTACHED)
    fillers = [f"filler_{n}" for n in range(limit - len(attached()))]
    with connection.cursor() as cursor:
        for name in fillers:
            cursor.execute(f"ATTACH DATABASE ':memory:' AS {name}")
    try:
        PoliceUkImporter(month_file(tmp_path / "b", varied_rows()), commit=True).run()  # replaces the month
        bound = stored_rows()
        assert stages_attached() == 1  # no second stage attached: the rows were bound one by one
    finally:
        with connection.cursor() as cursor:
            for name in fillers:
                cursor.execute(f"DETACH DATABASE {name}")
    assert bound == staged
    assert {row[2 * CRIME_COLUMNS.index("latitude") + 1] for row in bound} == {"real", "null"}
    assert {row[2 * CRIME_COLUMNS.index("month") + 1] for row in bound} == {"text"}
    assert [p.name for p in stage_dir.iterdir()] != []  # the first stage: attached until the test's transaction ends


@pytest.mark.django_db(transaction=True)
def test_a_stage_is_detached_and_deleted_when_the_import_commits(tmp_path, city, stage_dir):
    PoliceUkImporter(month_file(tmp_path / "a", [line(i) for i in range(20)]), commit=True).run()
    assert attached() == [] and list(stage_dir.iterdir()) == []
    with transaction.atomic():
        for month in ("2023-02", "2023-03"):
            PoliceUkImporter(
                month_file(tmp_path / month, [line(i, month) for i in range(20)], month), commit=True
            ).run()
        # SQLite cannot detach a file read in a transaction still open: both wait for the commit.
        assert len(attached()) == 2 and len(list(stage_dir.iterdir())) == 2
    assert attached() == [] and list(stage_dir.iterdir()) == []
    assert Crime.objects.count() == 60


@pytest.mark.django_db(transaction=True)
def test_a_dry_run_leaves_no_stage_behind(tmp_path, city, stage_dir):
    run = PoliceUkImporter(month_file(tmp_path / "a", [line(i) for i in range(20)])).run()  # not committed
    assert run.counts["crime_rows"] == 20 and Crime.objects.count() == 0
    assert attached() == [] and list(stage_dir.iterdir()) == []


@pytest.mark.django_db
def test_a_refused_month_leaves_no_stage_behind(tmp_path, city, stage_dir):
    PoliceUkImporter(month_file(tmp_path / "a", [line(i) for i in range(10)]), commit=True).run()
    kept = stored_rows()
    leftover = set(stage_dir.iterdir())  # the first import's stage, attached until the test's transaction ends
    with pytest.raises(ImportFailed, match="would remove 8"):
        PoliceUkImporter(month_file(tmp_path / "b", [line(i) for i in range(2)]), commit=True).run()
    assert stored_rows() == kept
    assert set(stage_dir.iterdir()) == leftover  # the refused import's stage, never attached, is gone


@pytest.mark.django_db
def test_a_stage_that_cannot_be_written_stops_the_import_in_words(tmp_path, city, stage_dir, monkeypatch):
    """SQLite's own "database or disk is full", raised by a stage file allowed three pages: the import stops with
    a reason a person can act on, the stored month is kept, and the stage's file is gone."""
    import adbc_driver_sqlite.dbapi

    PoliceUkImporter(month_file(tmp_path / "a", [line(i) for i in range(10)]), commit=True).run()
    kept = stored_rows()
    leftover = set(stage_dir.iterdir())
    connect = adbc_driver_sqlite.dbapi.connect

    def cramped(*args, **kwargs):
        made = connect(*args, **kwargs)
        with made.cursor() as cursor:
            cursor.execute("PRAGMA max_page_count = 3")
        return made

    monkeypatch.setattr(adbc_driver_sqlite.dbapi, "connect", cramped)
    with pytest.raises(ImportFailed) as failed:
        PoliceUkImporter(month_file(tmp_path / "b", varied_rows()), commit=True).run()
    message = str(failed.value.problems[0])
    assert "temporary copy of the rows could not be written" in message and "TMPDIR" in message
    assert str(stage_dir) in message and "MB free there" in message and "Nothing was imported" in message
    assert stored_rows() == kept
    assert set(stage_dir.iterdir()) == leftover
