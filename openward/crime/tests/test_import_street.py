"""Street-level crime CSVs: rows kept, bad rows reported by line, months replaced, counts rebuilt."""

from __future__ import annotations

import datetime as dt
import zipfile

import pytest

from openward.core.importers import ImportFailed
from openward.core.models import ImportRun
from openward.crime.importers import PoliceUkImporter
from openward.crime.importers.frames import STREET_HEADER
from openward.crime.models import Crime, CrimeCategory, MonthlyCount
from openward.crime.tests.fixtures import areas

pytestmark = pytest.mark.django_db

HEADER = ",".join(STREET_HEADER)
ID1 = "a" * 64
ID2 = "b" * 64


def row(crime_id="", month="2023-01", lng="-0.0900", lat="51.5150", lsoa="E01000001", crime_type="Burglary", **kw):
    location = kw.get("location", "On or near Moor Lane")
    outcome = kw.get("outcome", "Under investigation")
    return (
        f"{crime_id},{month},City of London Police,City of London Police,{lng},{lat},{location},"
        f"{lsoa},City of London 001A,{crime_type},{outcome},"
    )


def _sub(tmp_path):
    folder = tmp_path / "again"
    folder.mkdir(exist_ok=True)
    return folder


def write(tmp_path, name, *rows, header=HEADER, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(("\n".join([header, *rows]) + "\n").encode(encoding))
    return path


@pytest.fixture
def city():
    return areas.force("city-of-london", "City of London Police")


@pytest.fixture
def wards():
    """Two wards side by side in each of two generations (2014 pattern until April 2022, then 2022)."""
    g14 = areas.generation("2014", dt.date(2014, 5, 22), dt.date(2022, 5, 4))
    g22 = areas.generation("2022", dt.date(2022, 5, 5), None)
    west14 = areas.ward("E05000001", g14, (-0.10, 51.51, -0.09, 51.52))
    east14 = areas.ward("E05000002", g14, (-0.09, 51.51, -0.08, 51.52))
    west22 = areas.ward("E05009001", g22, (-0.10, 51.51, -0.085, 51.52))
    east22 = areas.ward("E05009002", g22, (-0.085, 51.51, -0.08, 51.52))
    return {"west14": west14, "east14": east14, "west22": west22, "east22": east22}


def test_street_csv_rows_are_stored_placed_and_counted(tmp_path, city, wards):
    path = write(
        tmp_path,
        "2023-01-city-of-london-street.csv",
        row(ID1, crime_type="Burglary", lng="-0.0950"),
        row(ID2, crime_type="Violence and sexual offences", lng="-0.0820"),
        row("", crime_type="Anti-social behaviour", lng="-0.0820"),
        row("c" * 64, lng="", lat="", lsoa="", location="No Location", crime_type="Drugs"),
    )
    run = PoliceUkImporter(path, commit=True).run()
    assert run.status == ImportRun.Status.COMMITTED and run.problems == []
    assert Crime.objects.count() == 4
    burglary = Crime.objects.get(persistent_id=ID1)
    assert burglary.category.slug == "burglary"
    assert burglary.month == dt.date(2023, 1, 1)
    assert burglary.ward == wards["west22"]  # 2023 crimes go to 2022-pattern wards
    assert burglary.borough_code == "E09000001"
    assert burglary.location_type == "Force" and burglary.street_name == "On or near Moor Lane"
    asb = Crime.objects.get(category__slug="anti-social-behaviour")
    assert asb.persistent_id == "" and asb.ward == wards["east22"]
    nowhere = Crime.objects.get(category__slug="drugs")
    assert nowhere.latitude is None and nowhere.street_id is None and nowhere.ward is None
    counts = {(c.ward_id, c.category.slug): c.count for c in MonthlyCount.objects.select_related("category")}
    assert counts == {
        (wards["west22"].id, "burglary"): 1,
        (wards["east22"].id, "violent-crime"): 1,
        (wards["east22"].id, "anti-social-behaviour"): 1,
        (None, "drugs"): 1,
    }
    violent = CrimeCategory.objects.get(slug="violent-crime")
    assert violent.name == "Violence and sexual offences"
    assert (violent.first_month, violent.last_month) == (dt.date(2023, 1, 1), dt.date(2023, 1, 1))


def test_2016_crimes_go_to_the_wards_of_their_own_generation(tmp_path, city, wards):
    path = write(tmp_path, "2016-05-city-of-london-street.csv", row(ID1, month="2016-05", lng="-0.0870"))
    PoliceUkImporter(path, commit=True).run()
    assert Crime.objects.get().ward == wards["east14"]  # in 2022 wards it would be west22


def test_without_ward_boundaries_the_lsoa_lookup_places_the_crime(tmp_path, city):
    g22 = areas.generation("2022", dt.date(2022, 5, 5), None)
    g14 = areas.generation("2014", dt.date(2014, 5, 22), dt.date(2022, 5, 4))
    old = areas.ward("E05000001", g14, None)
    new = areas.ward("E05009001", g22, None)
    areas.lsoa("E01000001", wards=[(old, 1.0), (new, 0.6)])
    path = write(tmp_path, "2023-01-city-of-london-street.csv", row(ID1), row(ID2, lsoa="E01999999"))
    PoliceUkImporter(path, commit=True).run()
    assert Crime.objects.get(persistent_id=ID1).ward == new
    assert Crime.objects.get(persistent_id=ID2).ward is None


def test_reimporting_a_month_replaces_it_and_its_counts(tmp_path, city, wards):
    first = write(tmp_path, "2023-01-city-of-london-street.csv", row(ID1), row(ID2))
    PoliceUkImporter(first, commit=True).run()
    other = write(_sub(tmp_path), "2023-02-city-of-london-street.csv", row(ID1, month="2023-02"))
    PoliceUkImporter(other, commit=True).run()
    revised = write(tmp_path, "2023-01-city-of-london-street.csv", row(ID1, crime_type="Robbery"))
    PoliceUkImporter(revised, commit=True).run()
    assert Crime.objects.filter(month=dt.date(2023, 1, 1)).count() == 1
    assert Crime.objects.get(month=dt.date(2023, 1, 1)).category.slug == "robbery"
    assert Crime.objects.filter(month=dt.date(2023, 2, 1)).count() == 1
    jan = MonthlyCount.objects.filter(month=dt.date(2023, 1, 1))
    assert [(c.category.slug, c.count) for c in jan] == [("robbery", 1)]
    assert CrimeCategory.objects.get(slug="burglary").first_month == dt.date(2023, 2, 1)


def test_dry_run_changes_nothing(tmp_path, city):
    path = write(tmp_path, "2023-01-city-of-london-street.csv", row(ID1))
    run = PoliceUkImporter(path).run()
    assert run.status == ImportRun.Status.DRY_RUN and run.counts["crime_rows"] == 1
    assert Crime.objects.count() == 0 and MonthlyCount.objects.count() == 0


def test_csv_street_ids_are_derived_from_the_snap_point_and_stable(tmp_path, city):
    path = write(
        tmp_path,
        "2023-01-city-of-london-street.csv",
        row(ID1, lat="51.515000", lng="-0.090000"),
        row(ID2, lat="51.515", lng="-0.09"),
        row("", lat="51.515001", lng="-0.090000"),
    )
    PoliceUkImporter(path, commit=True).run()
    same, same_again = (Crime.objects.get(persistent_id=i).street_id for i in (ID1, ID2))
    other = Crime.objects.get(persistent_id="").street_id
    expected = 2**50 + round((51.515 - 49) * 1e6) * 2**24 + round((-0.09 + 9) * 1e6)
    assert same == same_again == expected
    assert other == expected + 2**24
    assert expected < 2**53


def test_historic_and_current_crime_type_names_map_to_slugs(tmp_path, city):
    names = {
        "Violent crime": "violent-crime",
        "Public disorder and weapons": "public-disorder-weapons",
        "Other theft": "other-theft",
        "Criminal damage and arson": "criminal-damage-arson",
        "Anti-social behaviour": "anti-social-behaviour",
        "Theft from the person": "theft-from-the-person",
        "Possession of weapons": "possession-of-weapons",
    }
    rows = [row(f"{i:064x}", month="2012-06", crime_type=name) for i, name in enumerate(names)]
    PoliceUkImporter(write(tmp_path, "2012-06-city-of-london-street.csv", *rows), commit=True).run()
    stored = dict(Crime.objects.values_list("persistent_id", "category__slug"))
    assert [stored[f"{i:064x}"] for i in range(len(names))] == list(names.values())
    assert CrimeCategory.objects.get(slug="public-disorder-weapons").last_month == dt.date(2012, 6, 1)


# -- bad input --------------------------------------------------------------------------


def test_wrong_header_imports_nothing_and_says_what_is_missing(tmp_path, city):
    PoliceUkImporter(write(tmp_path, "2023-01-city-of-london-street.csv", row(ID1)), commit=True).run()
    bad = write(
        _sub(tmp_path), "2023-01-city-of-london-street.csv", row(ID2), header=HEADER.replace("Crime type", "Type")
    )
    with pytest.raises(ImportFailed) as exc:
        PoliceUkImporter(bad, commit=True).run()
    assert 'line 1: this is not a data.police.uk street-level crime header (missing "Crime type"' in str(exc.value)
    assert list(Crime.objects.values_list("persistent_id", flat=True)) == [ID1]
    assert exc.value.run.status == ImportRun.Status.FAILED


def test_unknown_force_is_a_clear_error(tmp_path, city):
    path = write(tmp_path, "2023-01-gotham-street.csv", row(ID1))
    with pytest.raises(
        ImportFailed,
        match='force "gotham" \\(from the file name\\) is not a police force we know. Known forces: city-of-london',
    ):
        PoliceUkImporter(path, commit=True).run()
    assert Crime.objects.count() == 0


def test_month_differing_from_the_file_name_is_reported_and_the_rest_kept(tmp_path, city):
    path = write(tmp_path, "2023-01-city-of-london-street.csv", row(ID1), row(ID2, month="2023-02"))
    run = PoliceUkImporter(path, commit=True).run()
    assert list(Crime.objects.values_list("persistent_id", flat=True)) == [ID1]
    assert run.problems == [
        {"where": f"{path}:3", "message": 'Month "2023-02" differs from the file name\'s month 2023-01'}
    ]
    assert run.counts["rows_rejected"] == 1


def test_bad_coordinates_are_reported_by_line(tmp_path, city):
    path = write(
        tmp_path,
        "2023-01-city-of-london-street.csv",
        row(ID1),
        row("1" * 64, lat="north", lng="-0.09"),
        row("2" * 64, lat="51.5", lng=""),
        row("3" * 64, lat="40.7", lng="-74.0"),
    )
    run = PoliceUkImporter(path, commit=True).run()
    assert Crime.objects.count() == 1
    assert [(p["where"].rsplit(":", 1)[1], p["message"]) for p in run.problems] == [
        ("3", 'Latitude "north" / Longitude "-0.09" is not a number'),
        ("4", 'Latitude "51.5" and Longitude "": give both or neither'),
        ("5", "Latitude 40.7, Longitude -74.0 is not in the United Kingdom"),
    ]


def test_empty_crime_ids_are_kept_and_identical_rows_with_an_id_kept_once(tmp_path, city):
    path = write(
        tmp_path,
        "2023-01-city-of-london-street.csv",
        row("", crime_type="Anti-social behaviour"),
        row("", crime_type="Anti-social behaviour"),  # two incidents at one snap point: both kept
        row(ID1),
        row(ID1),  # the same crime twice: kept once
        row(ID1, lng="-0.0950"),  # same id, different place: police.uk does this; kept
    )
    run = PoliceUkImporter(path, commit=True).run()
    assert Crime.objects.filter(persistent_id="").count() == 2
    assert Crime.objects.filter(persistent_id=ID1).count() == 2
    assert run.problems == [
        {"where": f"{path}:5", "message": "duplicate of line 4: an identical row with the same Crime ID, kept once"}
    ]


def test_unknown_crime_type_and_short_rows_are_reported(tmp_path, city):
    path = write(
        tmp_path,
        "2023-01-city-of-london-street.csv",
        row(ID1, crime_type="Littering"),
        f"{ID1},2023-01,City of London Police",
        row(ID2),
    )
    run = PoliceUkImporter(path, commit=True).run()
    assert Crime.objects.count() == 1
    messages = [p["message"] for p in run.problems]
    assert messages[0] == 'Crime type "Littering" is not a police.uk crime type'
    assert messages[1].startswith("the row has 3 fields, not 12")


def test_non_utf8_text_imports_nothing_and_names_the_line(tmp_path, city):
    path = write(
        tmp_path,
        "2023-01-city-of-london-street.csv",
        row(ID1),
        row(ID2, location="On or near Café Row"),
        encoding="cp1252",
    )
    with pytest.raises(ImportFailed, match="line 3 is not UTF-8 text"):
        PoliceUkImporter(path, commit=True).run()
    assert Crime.objects.count() == 0


def test_archive_zip_with_folders_per_month_imports_every_file(tmp_path, city):
    archive = tmp_path / "archive.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("2023-01/2023-01-city-of-london-street.csv", HEADER + "\n" + row(ID1) + "\n")
        zf.writestr("2023-02/2023-02-city-of-london-street.csv", HEADER + "\n" + row(ID2, month="2023-02") + "\n")
        zf.writestr("README.txt", "hello")
    run = PoliceUkImporter(archive, commit=True).run()
    assert run.counts["files"] == 2 and run.counts["files_skipped"] == 1
    assert sorted(Crime.objects.values_list("month", flat=True)) == [dt.date(2023, 1, 1), dt.date(2023, 2, 1)]


def test_truncated_zip_imports_nothing(tmp_path, city):
    archive = tmp_path / "archive.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("2023-01/2023-01-city-of-london-street.csv", HEADER + "\n" + "\n".join([row(ID1)] * 500) + "\n")
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) // 2])
    with pytest.raises(ImportFailed, match="is not a complete zip archive"):
        PoliceUkImporter(archive, commit=True).run()
    assert Crime.objects.count() == 0


def test_a_damaged_file_in_a_folder_stops_the_whole_import(tmp_path, city):
    folder = tmp_path / "download"
    folder.mkdir()
    write(folder, "2023-01-city-of-london-street.csv", row(ID1))
    write(folder, "2023-02-city-of-london-street.csv", row(ID2, month="2023-02"), header="Crime ID,Month")
    with pytest.raises(ImportFailed, match="2023-02-city-of-london-street.csv: line 1"):
        PoliceUkImporter(folder, commit=True).run()
    assert Crime.objects.count() == 0


def test_large_first_load_rebuilds_every_index(tmp_path, city, monkeypatch):
    from django.db import connection

    from openward.crime.importers import store

    def index_names():
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT indexname FROM pg_indexes WHERE tablename = 'crime_crime' UNION ALL "
                    "SELECT conname FROM pg_constraint WHERE conrelid = 'crime_crime'::regclass"
                )
            else:
                cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'crime_crime'")
            return sorted(r[0] for r in cursor.fetchall())

    before = index_names()
    monkeypatch.setattr(store, "BULK_LOAD_ROWS", 2)
    path = write(tmp_path, "2023-01-city-of-london-street.csv", row(ID1), row(ID2), row(""))
    PoliceUkImporter(path, commit=True).run()
    # The partial index on persistent_id comes back with its condition (the plan pins check it is used).
    assert index_names() == before and {i.name for i in Crime._meta.indexes} <= set(before)
    assert Crime.objects.filter(persistent_id=ID1).count() == 1
    more = write(_sub(tmp_path), "2023-02-city-of-london-street.csv", row(ID1, month="2023-02"))
    PoliceUkImporter(more, commit=True).run()  # smaller than the table: indexes updated in place
    assert index_names() == before and Crime.objects.count() == 4


def test_quoted_fields_with_commas_and_line_breaks_keep_true_line_numbers(tmp_path, city):
    multi_line = row(ID1).rstrip(",") + ',"Seen near the market,\nthen on Moor Lane"'
    path = write(
        tmp_path,
        "2023-01-city-of-london-street.csv",
        multi_line,
        row(ID2, location='"On or near Moor Lane, East"'),
        row("", month="2023-02"),
    )
    run = PoliceUkImporter(path, commit=True).run()
    assert Crime.objects.get(persistent_id=ID1).context == "Seen near the market,\nthen on Moor Lane"
    assert Crime.objects.get(persistent_id=ID2).street_name == "On or near Moor Lane, East"
    assert [p["where"].rsplit(":", 1)[1] for p in run.problems] == ["5"]


def test_quoted_commas_on_the_fast_path_are_not_mistaken_for_extra_fields(tmp_path, city):
    path = write(
        tmp_path,
        "2023-01-city-of-london-street.csv",
        row(ID1, location='"On or near Moor Lane, East"'),
        row(ID2) + ",extra",
    )
    run = PoliceUkImporter(path, commit=True).run()
    assert list(Crime.objects.values_list("street_name", flat=True)) == ["On or near Moor Lane, East"]
    assert run.problems == [{"where": f"{path}:3", "message": "the row has 13 fields, not 12"}]


def test_demo_and_real_rows_of_one_month_replace_only_their_own_kind_and_count_together(tmp_path, city):
    from django.db.models import Sum

    PoliceUkImporter(write(tmp_path, "2023-01-city-of-london-street.csv", row(ID1), row(ID2)), commit=True).run()
    demo_file = write(_sub(tmp_path), "2023-01-city-of-london-street.csv", row(""))
    PoliceUkImporter(demo_file, commit=True, is_demo=True).run()
    PoliceUkImporter(demo_file, commit=True, is_demo=True).run()
    assert Crime.objects.filter(is_demo=False).count() == 2 and Crime.objects.filter(is_demo=True).count() == 1
    assert MonthlyCount.objects.aggregate(n=Sum("count"))["n"] == 3
