"""Real data.police.uk files: every row imported except the bad rows reported, checked independently.

Each test re-reads the source with the standard library (csv, json) and its own small rules,
then compares with what the importer stored and reported.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import json
import lzma
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection

from openward.crime.importers import PoliceUkImporter
from openward.crime.models import Crime, Stop
from openward.crime.tests.fixtures import areas

pytestmark = [pytest.mark.realdata, pytest.mark.django_db]

CRIME_TYPES = {
    "Anti-social behaviour": "anti-social-behaviour", "Bicycle theft": "bicycle-theft", "Burglary": "burglary",
    "Criminal damage and arson": "criminal-damage-arson", "Drugs": "drugs", "Other theft": "other-theft",
    "Possession of weapons": "possession-of-weapons", "Public order": "public-order", "Robbery": "robbery",
    "Shoplifting": "shoplifting", "Theft from the person": "theft-from-the-person", "Vehicle crime": "vehicle-crime",
    "Violence and sexual offences": "violent-crime", "Other crime": "other-crime",
}  # fmt: skip


def read_rows(path: Path) -> list[dict]:
    raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def point_ok(lat: str, lng: str) -> bool:
    if not lat and not lng:
        return True
    try:
        return 49 <= float(lat) < 61 and -9 <= float(lng) < 3
    except ValueError:
        return False


def expected_bad_street_lines(rows: list[dict], month: str) -> set[int]:
    bad, seen = set(), set()
    for line, r in enumerate(rows, start=2):
        key = tuple(r.values())
        if (
            r["Month"] != month
            or r["Crime type"] not in CRIME_TYPES
            or not point_ok(r["Latitude"], r["Longitude"])
            or (r["Crime ID"] and key in seen)
        ):
            bad.add(line)
        if r["Crime ID"]:
            seen.add(key)
    return bad


def reported_lines(importer: PoliceUkImporter, path: Path) -> set[int]:
    prefix = f"{path}:"
    return {int(p.where[len(prefix) :]) for p in importer.problems if p.where.startswith(prefix)}


def check_street_files(paths: list[Path], force_slug: str) -> int:
    importer = PoliceUkImporter(paths[0].parent, commit=True, progress=False)
    importer.run()
    checked = 0
    for path in paths:
        month = path.name[:7]
        rows = read_rows(path)
        expected_bad = expected_bad_street_lines(rows, month)
        assert reported_lines(importer, path) == expected_bad
        stored = Crime.objects.filter(force__slug=force_slug, month=f"{month}-01")
        assert stored.count() == len(rows) - len(expected_bad)
        by_type = Counter(CRIME_TYPES[r["Crime type"]] for i, r in enumerate(rows, 2) if i not in expected_bad)
        assert Counter(dict(Counter(stored.values_list("category__slug", flat=True)))) == by_type
        checked += len(rows)
    return checked


def test_city_of_london_street_csvs_2022_07_to_2023_06(shared_data):
    areas.force("city-of-london", "City of London Police")
    paths = sorted((shared_data / "police/street/city-of-london").glob("*-street.csv"))
    assert len(paths) == 12
    assert check_street_files(paths, "city-of-london") == 9019


def test_west_yorkshire_street_csvs(shared_data):
    areas.force("west-yorkshire", "West Yorkshire Police")
    paths = sorted((shared_data / "police/west-yorkshire").glob("*-street.csv.gz"))
    assert check_street_files(paths, "west-yorkshire") == 27176 + 28537 + 31635
    # Crimes without a location are kept (police.uk publishes them) and left unplaced.
    assert Crime.objects.filter(latitude__isnull=True, month="2018-07-01").count() == 883


def test_met_stop_and_search_csvs_2018_04_to_2018_09(shared_data):
    areas.force("metropolitan", "Metropolitan Police Service")
    folder = shared_data / "police/stop-and-search/metropolitan"
    importer = PoliceUkImporter(folder, commit=True, progress=False)
    importer.run()
    total = 0
    for path in sorted(folder.glob("*.csv.gz")):
        month = path.name[:7]
        rows = read_rows(path)
        start = dt.datetime.fromisoformat(f"{month}-01T00:00:00+00:00")
        bad = set()
        for line, r in enumerate(rows, start=2):
            when = dt.datetime.fromisoformat(r["Date"])
            if (
                r["Type"] not in {"Person search", "Vehicle search", "Person and Vehicle search"}
                or not point_ok(r["Latitude"], r["Longitude"])
                or not (start - dt.timedelta(days=1) <= when < start + dt.timedelta(days=33))
            ):
                bad.add(line)
        assert reported_lines(importer, path) == bad
        assert Stop.objects.filter(month=f"{month}-01").count() == len(rows) - len(bad)
        # The first hour of a BST month is dated the previous day, yet counted in the file's month.
        early = sum(1 for r in rows if r["Date"] < f"{month}-01")
        assert Stop.objects.filter(month=f"{month}-01", datetime__lt=start).count() == early
        total += len(rows)
    assert total == 12860 + 12353 + 10581 + 9588 + 15127 + 11630


def api_records(path: Path) -> list[dict]:
    records = []
    for line in lzma.decompress(path.read_bytes()).decode().splitlines():
        records += json.loads(line)["response"] or []
    return records


@pytest.mark.parametrize("month", ["2016-03", "2018-03"])
def test_met_and_btp_street_api_dumps_are_deduplicated_on_id(shared_data, month):
    areas.force("metropolitan", "Metropolitan Police Service")
    areas.force("btp", "British Transport Police")
    path = (
        shared_data / f"police/api/crimes-street-by-ward/london-2014-wards/crimes-street_london-wards_{month}.jsonl.xz"
    )
    importer = PoliceUkImporter(path, commit=True, progress=False, force="metropolitan")
    run = importer.run()
    unique = {r["id"]: r for r in api_records(path)}
    assert run.counts["duplicates_removed"] == run.counts["api-street_records_read"] - len(unique)
    assert len(importer.problems) == 0
    by_force = Counter("btp" if r["location_type"] == "BTP" else "metropolitan" for r in unique.values())
    assert Counter(dict(Counter(Crime.objects.values_list("force__slug", flat=True)))) == by_force
    stored = dict(Crime.objects.values_list("api_id", "street_id"))
    assert all(stored[i] == r["location"]["street"]["id"] for i, r in unique.items())
    # Each copy left out is kept on record, under its crime's force, so the pages can count it.
    copies = Counter()
    for i, n in Counter(r["id"] for r in api_records(path)).items():
        copies["btp" if unique[i]["location_type"] == "BTP" else "metropolitan"] += n - 1
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT f.slug, d.reason, COUNT(*) FROM crime_droppedduplicate d JOIN areas_force f ON f.id = d.force_id"
            " GROUP BY f.slug, d.reason"
        )
        recorded = {(slug, reason): n for slug, reason, n in cursor.fetchall()}
    assert recorded == {(f, "repeated-api-id"): n for f, n in copies.items() if n}
    assert sum(copies.values()) > 0


def test_met_stops_force_api_dumps_2024_09_to_2025_04(shared_data):
    areas.force("metropolitan", "Metropolitan Police Service")
    folder = shared_data / "police/api/stops-force/metropolitan"
    paths = [p for p in sorted(folder.glob("stops-force_metropolitan_20*.json.gz")) if "enriched" not in p.name]
    assert len(paths) == 8
    for path in paths:
        importer = PoliceUkImporter(path, commit=True, progress=False)
        importer.run()
        records = json.loads(gzip.decompress(path.read_bytes()))
        month = path.name.split("_")[2][:7]
        assert Stop.objects.filter(month=f"{month}-01").count() == len(records) - len(importer.problems)
        located = sum(1 for r in records if r.get("location"))
        assert Stop.objects.filter(month=f"{month}-01", latitude__isnull=False).count() == located - len(
            importer.problems
        )


def mps_borough_totals(shared_data: Path, month: str) -> dict[str, int]:
    """The Met's published recorded crime per borough name for a month (all categories; no ASB)."""
    path = shared_data / "aggregates/mps-recorded-crime-geographic-breakdown"
    path = path / "MPS_Borough_Level_Crime_Historical_2010-04_to_2023-11.csv.gz"
    totals: Counter[str] = Counter()
    for r in csv.DictReader(io.StringIO(gzip.decompress(path.read_bytes()).decode("utf-8-sig"))):
        totals[r["BoroughName"]] += int(r[month.replace("-", "")] or 0)
    return totals


# The 25 boroughs the API extract covers completely (PROVENANCE.md).
COVERED = [
    "Barking and Dagenham", "Barnet", "Brent", "Bromley", "Camden", "Ealing", "Enfield", "Greenwich",
    "Hammersmith and Fulham", "Haringey", "Harrow", "Havering", "Hillingdon", "Hounslow", "Islington",
    "Kingston upon Thames", "Lambeth", "Lewisham", "Merton", "Newham", "Richmond upon Thames", "Sutton",
    "Waltham Forest", "Wandsworth", "Westminster",
]  # fmt: skip


def test_borough_totals_from_api_dumps_match_the_mets_published_figures(shared_data, capsys):
    """police.uk records placed in 2014 wards, summed per borough, against MPS recorded crime.

    PROVENANCE.md made this cross-check (de-duplicated, non-ASB, BTP rows included) and found
    the two "within about ±8%": they are different systems (police.uk vs the Met's CRIS), and
    police.uk leaves out records it cannot place. We compare the same way, placing every record
    ourselves, and also show the Met's records alone (BTP's are not in the MPS figures), which
    run a few per cent under the published totals in every borough.
    """
    from django.db.models import Sum

    from openward.areas.models import Borough
    from openward.crime.models import MonthlyCount

    areas.force("metropolitan", "Metropolitan Police Service")
    areas.force("btp", "British Transport Police")
    areas.load_london_wards_2014(shared_data)
    names = dict(Borough.objects.values_list("gss_code", "name"))
    folder = shared_data / "police/api/crimes-street-by-ward/london-2014-wards"
    rows = []
    for month in ["2017-06", "2018-01"]:
        PoliceUkImporter(
            folder / f"crimes-street_london-wards_{month}.jsonl.xz", commit=True, progress=False, force="metropolitan"
        ).run()
        counts = MonthlyCount.objects.filter(month=f"{month}-01").exclude(category__slug="anti-social-behaviour")
        both, met = Counter(), Counter()
        for r in counts.values("borough_code", "force__slug").annotate(n=Sum("count")):
            both[names.get(r["borough_code"])] += r["n"]
            if r["force__slug"] == "metropolitan":
                met[names.get(r["borough_code"])] += r["n"]
        published = mps_borough_totals(shared_data, month)
        rows += [(month, b, both[b], met[b], published[b]) for b in COVERED]
    gap = {(m, b): (o - p) / p for m, b, o, _, p in rows}
    met_gap = {(m, b): (o - p) / p for m, b, _, o, p in rows}
    report = "\n".join(
        f"{m} {b:<24} Met+BTP {o:>6} ({gap[m, b]:+.1%})  Met {om:>6} ({met_gap[m, b]:+.1%})  MPS {p:>6}"
        for m, b, o, om, p in rows
    )
    spread = sorted(abs(g) for g in gap.values())
    summary = (
        f"|difference| Met+BTP: median {spread[len(spread) // 2]:.1%}, max {spread[-1]:.1%}; "
        f"Met alone: median {sorted(met_gap.values())[len(met_gap) // 2]:+.1%}"
    )
    with capsys.disabled():
        print(f"\nBorough totals, police.uk API (no ASB) vs MPS published\n{report}\n{summary}")
    assert spread[len(spread) // 2] <= 0.05, report
    assert spread[-1] <= 0.10, report  # "within about ±8%"
    assert all(-0.12 <= g <= 0 for g in met_gap.values()), report
