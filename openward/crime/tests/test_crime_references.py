"""Crime rows refer to a force, a category, a ward and an import run without foreign-key constraints (on
PostgreSQL each month is a partition attached whole, see `Crime`). Nothing may leave a crime row pointing at
a row that is gone: deleting what crimes refer to is refused or carried through to the crimes, in the ORM and,
on PostgreSQL, in plain SQL (the precomputed counts' constraints refuse it), and an import whose references
are deleted while it runs stores nothing. A file cut off or refused after some of its pieces were sent to the
database leaves the stored month as it was."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from openward.areas.models import Force, Ward, WardGeneration
from openward.core.importers.base import ImportFailed
from openward.core.models import ImportRun
from openward.crime.importers import PoliceUkImporter, months
from openward.crime.models import Crime, CrimeCategory

from .factories import CrimeFactory, import_run
from .test_import_months import city, line, month_file, postgresql_only  # noqa: F401 - `city` is a fixture

pytestmark = pytest.mark.django_db


def dangling() -> list[tuple[int, str]]:
    """(crime id, what it refers to that no longer exists), read with plain SQL."""
    checks = {
        "force": "NOT EXISTS (SELECT 1 FROM areas_force f WHERE f.id = c.force_id)",
        "category": "NOT EXISTS (SELECT 1 FROM crime_crimecategory k WHERE k.id = c.category_id)",
        "ward": "c.ward_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM areas_ward w WHERE w.id = c.ward_id)",
        "import run": "c.import_run_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM core_importrun r "
        "WHERE r.id = c.import_run_id)",
    }
    out = []
    with connection.cursor() as cursor:
        for what, condition in checks.items():
            cursor.execute(f"SELECT c.id FROM crime_crime c WHERE {condition}")
            out += [(pk, what) for (pk,) in cursor.fetchall()]
    return out


@pytest.fixture
def imported(tmp_path, city):  # noqa: F811 - the fixture imported above
    PoliceUkImporter(month_file(tmp_path, [line(i) for i in range(6)]), commit=True).run()
    stored = sorted(Crime.objects.values_list("pk", "force_id", "category_id", "ward_id"))
    assert len(stored) == 6 and all(ward_id for *_, ward_id in stored)  # every row placed in the ward
    return stored


def test_deleting_a_force_with_crimes_is_refused(imported):
    force = Force.objects.get(slug="city-of-london")
    with pytest.raises(ProtectedError):
        force.delete()
    assert sorted(Crime.objects.values_list("pk", "force_id", "category_id", "ward_id")) == imported
    assert dangling() == []


def test_deleting_a_category_with_crimes_is_refused(imported):
    with pytest.raises(ProtectedError):
        CrimeCategory.objects.get(slug="burglary").delete()
    assert sorted(Crime.objects.values_list("pk", "force_id", "category_id", "ward_id")) == imported
    assert dangling() == []


def test_deleting_a_ward_generation_whose_wards_hold_crimes_is_refused(imported):
    with pytest.raises(ProtectedError):
        WardGeneration.objects.get(slug="2022").delete()
    assert Ward.objects.filter(pk=imported[0][3]).exists()
    assert dangling() == []


def test_deleting_a_ward_leaves_its_crimes_unplaced_not_pointing_at_it(imported):
    ward = Ward.objects.get(pk=imported[0][3])
    ward.delete()
    assert list(Crime.objects.values_list("ward_id", flat=True).distinct()) == [None]
    assert Crime.objects.count() == 6 and dangling() == []


def test_deleting_an_import_run_forgets_it_on_its_crimes(city):  # noqa: F811
    run = import_run()
    crime = CrimeFactory(force=city, month=dt.date(2023, 1, 1), import_run=run)
    run.delete()
    crime.refresh_from_db()
    assert crime.import_run_id is None and not ImportRun.objects.exists() and dangling() == []


@postgresql_only
@pytest.mark.parametrize(
    "table, column",
    [("areas_force", "force_id"), ("crime_crimecategory", "category_id"), ("areas_ward", "ward_id")],
)
def test_a_delete_in_plain_sql_is_refused_by_the_counts_constraints(imported, table, column):
    """Without the ORM's PROTECT: the counts rebuilt by the same import refer to the same rows with foreign-key
    constraints of their own, which refuse the delete as the crime table's did."""
    index = {"force_id": 1, "category_id": 2, "ward_id": 3}[column]
    referred = imported[0][index]
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # as at commit
        cursor.execute(f"DELETE FROM {table} WHERE id = %s", [referred])
    assert sorted(Crime.objects.values_list("pk", "force_id", "category_id", "ward_id")) == imported
    assert dangling() == []


@postgresql_only
def test_an_import_whose_force_is_deleted_while_it_runs_stores_nothing(tmp_path, city, monkeypatch):  # noqa: F811
    """The importer holds the rows it refers to (FOR KEY SHARE) when it ends a month; one deleted before
    then (by another connection, here by plain SQL in the import's own transaction) stops the import."""
    original = months.MonthLoad.finish

    def finish(self):
        self.pause()  # the month's COPY ends before another statement, as the importer's own queries do
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM areas_force WHERE id = %s", [city.pk])  # no counts refer to it yet
        original(self)

    monkeypatch.setattr(months.MonthLoad, "finish", finish)
    with pytest.raises(ImportFailed, match="was deleted while they were imported"):
        PoliceUkImporter(month_file(tmp_path, [line(i) for i in range(6)]), commit=True).run()
    assert Force.objects.filter(pk=city.pk).exists() and not Crime.objects.exists()
    assert months.month_partitions() == []


def test_a_file_cut_off_after_its_first_pieces_were_stored_leaves_the_month(tmp_path, city, monkeypatch):  # noqa: F811
    PoliceUkImporter(month_file(tmp_path / "a", [line(i) for i in range(10)]), commit=True).run()
    before = sorted(Crime.objects.values_list("pk", "persistent_id"))
    monkeypatch.setattr("openward.crime.importers.policeuk.PIECE_ROWS", 3)  # pieces 1-3 reach the database
    path = month_file(tmp_path / "b", [line(100 + i) for i in range(12)])
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 20])  # the last row cut short, no line break
    with pytest.raises(ImportFailed, match="line 13, the last, does not end with a line break"):
        PoliceUkImporter(path, commit=True).run()
    assert sorted(Crime.objects.values_list("pk", "persistent_id")) == before
    if connection.vendor == "postgresql":
        assert months.month_partitions() == ["crime_crime_p202301"]
        with connection.cursor() as cursor:
            cursor.execute("SELECT relname FROM pg_class WHERE relname LIKE 'crime_crime_p%%_new'")
            assert cursor.fetchall() == []


def test_a_bad_row_in_a_later_piece_is_reported_by_its_line(tmp_path, city, monkeypatch):  # noqa: F811
    monkeypatch.setattr("openward.crime.importers.policeuk.PIECE_ROWS", 3)
    rows = [line(i) for i in range(12)]
    rows[9] = line(9, lat="not a latitude")
    run = PoliceUkImporter(month_file(tmp_path, rows), commit=True).run()
    assert [(p["where"].rsplit(":", 1)[-1], p["message"]) for p in run.problems] == [
        ("11", 'Latitude "not a latitude" / Longitude "-0.0950" is not a number')  # the header is line 1
    ]
    assert Crime.objects.count() == 11
