"""Saved police.uk API responses: crimes-street by polygon (de-duplicated on id) and stops-force."""

import datetime as dt
import gzip
import json
import lzma

import pytest

from openward.core.importers import ImportFailed
from openward.crime.importers import PoliceUkImporter
from openward.crime.models import Crime, MonthlyCount, Stop
from openward.crime.tests.fixtures import areas

pytestmark = pytest.mark.django_db


def crime(api_id, category="burglary", location_type="Force", month="2017-06", street_id=1234, lat="51.515"):
    return {
        "category": category,
        "location_type": location_type,
        "location": {"latitude": lat, "longitude": "-0.095", "street": {"id": street_id, "name": "On or near X"}},
        "context": "",
        "outcome_status": {"category": "Under investigation", "date": "2017-07"},
        "persistent_id": f"{api_id:064x}",
        "id": api_id,
        "location_subtype": "STATION" if location_type == "BTP" else "",
        "month": month,
    }


def dump(tmp_path, name, responses):
    lines = [json.dumps({"source_file": f"f{i}.json", "ward_code": "E05000001", "part": 0, "response": r})
             for i, r in enumerate(responses)]  # fmt: skip
    path = tmp_path / name
    path.write_bytes(lzma.compress("\n".join(lines).encode()))
    return path


def test_api_crimes_are_deduplicated_on_id_and_btp_goes_to_btp(tmp_path):
    met, btp = areas.force("metropolitan"), areas.force("btp")
    g = areas.generation("2014", dt.date(2014, 5, 22), dt.date(2022, 5, 4))
    ward = areas.ward("E05000001", g, (-0.10, 51.51, -0.09, 51.52))
    path = dump(
        tmp_path,
        "crimes-street_london-wards_2017-06.jsonl.xz",
        [[crime(1), crime(2, "violent-crime")], [crime(2, "violent-crime"), crime(3, location_type="BTP")], None],
    )
    run = PoliceUkImporter(path, commit=True, force="metropolitan").run()
    assert run.counts["duplicates_removed"] == 1 and run.problems == []
    assert sorted(Crime.objects.values_list("api_id", "force__slug")) == [
        (1, "metropolitan"), (2, "metropolitan"), (3, "btp")
    ]  # fmt: skip
    first = Crime.objects.get(api_id=1)
    assert first.street_id == 1234 and first.ward == ward and first.outcome_month == dt.date(2017, 7, 1)
    assert first.persistent_id == f"{1:064x}"
    assert MonthlyCount.objects.filter(force=btp).get().count == 1
    assert sum(MonthlyCount.objects.filter(force=met).values_list("count", flat=True)) == 2


def test_api_crime_dump_needs_a_force_and_reports_bad_records(tmp_path):
    areas.force("metropolitan")
    path = dump(
        tmp_path,
        "crimes-street_x_2017-06.jsonl.xz",
        [
            [
                crime(1),
                crime(2, "jaywalking"),
                crime(3, month="2017-05"),
                crime(4, location_type="BTP"),
                crime(5, lat="x"),
            ]
        ],
    )
    with pytest.raises(ImportFailed, match="give the force, e.g. --force metropolitan"):
        PoliceUkImporter(path, commit=True).run()
    run = PoliceUkImporter(path, commit=True, force="metropolitan").run()
    assert Crime.objects.count() == 1
    assert [p["message"] for p in run.problems] == [
        'category "jaywalking" is not a police.uk crime category',
        'month "2017-05" differs from the file name\'s month 2017-06',
        "a British Transport Police record, but the force btp is not loaded",
        "location 'x', '-0.095' is not a point",
    ]
    assert run.problems[0]["where"].endswith("crimes-street_x_2017-06.jsonl.xz:1#1")


def test_truncated_xz_dump_imports_nothing(tmp_path):
    areas.force("metropolitan")
    path = dump(tmp_path, "crimes-street_x_2017-06.jsonl.xz", [[crime(i) for i in range(200)]])
    path.write_bytes(path.read_bytes()[:-40])
    with pytest.raises(ImportFailed, match="damaged or cut short"):
        PoliceUkImporter(path, commit=True, force="metropolitan").run()
    assert Crime.objects.count() == 0


def test_stops_force_dump(tmp_path):
    areas.force("metropolitan")
    stops = [
        {
            "age_range": "over 34", "outcome": "A no further action disposal", "involved_person": True,
            "self_defined_ethnicity": "White - English", "gender": "Male", "legislation": "PACE (section 1)",
            "outcome_linked_to_object_of_search": False, "datetime": "2024-09-27T09:45:00+00:00",
            "removal_of_more_than_outer_clothing": False,
            "outcome_object": {"id": "bu-no-further-action", "name": "A no further action disposal"},
            "location": {"latitude": "51.452468", "street": {"id": 1708284, "name": "On or near Waterside"},
                         "longitude": "0.178992"},
            "operation": False, "officer_defined_ethnicity": "White", "type": "Person and Vehicle search",
            "operation_name": None, "object_of_search": "Stolen goods",
        },
        {"type": "Person search", "datetime": "2024-09-03T10:00:00+00:00", "location": None, "outcome": False},
        {"type": "Person search", "datetime": "yesterday"},
    ]  # fmt: skip
    path = tmp_path / "stops-force_metropolitan_2024-09.json.gz"
    path.write_bytes(gzip.compress(json.dumps(stops).encode()))
    run = PoliceUkImporter(path, commit=True).run()
    assert Stop.objects.count() == 2
    located = Stop.objects.get(street_id=1708284)
    assert located.outcome_code == "bu-no-further-action" and located.street_name == "On or near Waterside"
    assert Stop.objects.get(latitude__isnull=True).outcome == ""
    assert run.problems[0]["message"] == 'datetime "yesterday" is not a date and time'
