"""Stop-and-search and outcomes CSVs."""

import datetime as dt
import gzip

import pytest

from openward.crime.importers import PoliceUkImporter
from openward.crime.importers.frames import OUTCOMES_HEADER, STOPS_HEADER
from openward.crime.models import Outcome, Stop
from openward.crime.tests.fixtures import areas
from openward.crime.tests.test_import_street import ID1, ID2, write

pytestmark = pytest.mark.django_db

STOP_HEADER = ",".join(STOPS_HEADER)


def stop(date="2018-04-10T12:00:00+00:00", lat="51.515", lng="-0.095", kind="Person search", operation="False"):
    return (
        f"{kind},{date},{operation},,{lat},{lng},Male,18-24,White - English,White,"
        "Misuse of Drugs Act 1971 (section 23),Controlled drugs,Arrest,True,False"
    )


def test_stops_are_placed_by_their_point_and_bst_dates_stay_in_the_file_month(tmp_path):
    areas.force("metropolitan")
    g = areas.generation("2014", dt.date(2014, 5, 22), dt.date(2022, 5, 4))
    west = areas.ward("E05000001", g, (-0.10, 51.51, -0.09, 51.52))
    areas.lsoa("E01000001", (-0.10, 51.51, -0.09, 51.52))
    path = write(
        tmp_path,
        "2018-04-metropolitan-stop-and-search.csv",
        stop(),
        stop(date="2018-03-31T23:30:00+00:00", lat="", lng=""),  # 00:30 BST on 1 April
        stop(kind="Vehicle search", operation="True"),
        stop(date="2018-06-01T10:00:00+00:00"),
        stop(kind="Frisk"),
        stop(operation="maybe"),
        header=STOP_HEADER,
    )
    run = PoliceUkImporter(path, commit=True).run()
    assert Stop.objects.count() == 3
    first = Stop.objects.get(latitude__isnull=False, type="Person search")
    assert first.ward == west and first.lsoa_code == "E01000001" and first.borough_code == "E09000001"
    assert first.outcome_code == "bu-arrest" and first.outcome_linked_to_object_of_search is True
    assert first.datetime == dt.datetime(2018, 4, 10, 12, tzinfo=dt.UTC)
    early = Stop.objects.get(latitude__isnull=True)
    assert early.month == dt.date(2018, 4, 1) and early.ward is None
    vehicle = Stop.objects.get(type="Vehicle search")
    assert vehicle.involved_person is False and vehicle.operation is True
    assert [(p["where"].rsplit(":", 1)[1], p["message"]) for p in run.problems] == [
        ("5", "Date 2018-06-01T10:00:00+00:00 is not in the file name's month 2018-04"),
        ("6", 'Type "Frisk" is not one of Person search, Vehicle search, Person and Vehicle search'),
        ("7", 'Part of a policing operation "maybe" is not True or False'),
    ]


def test_a_stop_s_text_that_reads_backslash_n_is_stored_as_text(tmp_path):
    """On PostgreSQL stops go in by a CSV COPY, where an unquoted \\N is a missing value: text must be quoted."""
    areas.force("metropolitan")
    row = stop().split(",")
    row[3] = "\\N"  # the policing operation's name
    path = write(tmp_path, "2018-04-metropolitan-stop-and-search.csv", ",".join(row), header=STOP_HEADER)
    PoliceUkImporter(path, commit=True).run()
    assert Stop.objects.get().operation_name == "\\N"


def test_gzipped_stop_file_is_read(tmp_path):
    areas.force("metropolitan")
    path = tmp_path / "2018-04-metropolitan-stop-and-search.csv.gz"
    path.write_bytes(gzip.compress(f"{STOP_HEADER}\n{stop()}\n".encode()))
    PoliceUkImporter(path, commit=True).run()
    assert Stop.objects.count() == 1


def test_outcomes_are_stored_with_codes_and_need_a_crime_id(tmp_path):
    areas.force("city-of-london")
    base = "City of London Police,City of London Police,-0.09,51.515,On or near Moor Lane,E01000001,City of London 001A"
    path = write(
        tmp_path,
        "2023-01-city-of-london-outcomes.csv",
        f"{ID1},2023-01,{base},Offender given a caution",
        f"{ID2},2023-01,{base},Investigation complete; no suspect identified",
        f",2023-01,{base},Offender fined",
        header=",".join(OUTCOMES_HEADER),
    )
    run = PoliceUkImporter(path, commit=True).run()
    assert dict(Outcome.objects.values_list("persistent_id", "code")) == {ID1: "cautioned", ID2: "no-further-action"}
    assert run.problems[0]["message"] == "Crime ID is empty: an outcome must say which crime it is for"
    PoliceUkImporter(path, commit=True).run()
    assert Outcome.objects.count() == 2  # replaced, not doubled
