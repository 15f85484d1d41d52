"""Disproportionality on the real Met stop-and-search files with the 2011 census denominators,
checked against an independent computation (plain csv for the force, polars for boroughs, scipy
for the intervals), and the same figures on the page, in the CSV and in the API."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
from collections import Counter
from pathlib import Path

import polars as pl
import pytest
from scipy import stats as sps

from openward.areas.importers import LondonWards2014Esri, LondonWards2018Esri
from openward.census.importers import Qs201LocalAuthority, Qs201PoliceForceArea
from openward.crime.analytics.disproportionality import disproportionality
from openward.crime.analytics.scope import borough_scope, force_scope
from openward.crime.importers import PoliceUkImporter
from openward.crime.models import Stop
from openward.crime.tests.fixtures import areas

pytestmark = [pytest.mark.realdata, pytest.mark.django_db]

LA_FILE = "census2011_qs201ew_ethnic-group_local-authority_EW.csv"
PFA_FILE = "census2011_qs201ew_ethnic-group_by-police-force-area_resistancelab.csv"
GROUPS = ("white", "black", "asian", "mixed", "other")
# The test's own reading of police.uk's self-defined ethnicity (first part, before " - ").
HEADS = {
    "White": "white",
    "Black/African/Caribbean/Black British": "black",
    "Asian/Asian British": "asian",
    "Mixed/Multiple ethnic groups": "mixed",
    "Other ethnic group": "other",
}
QS201 = {
    "all": "Ethnic Group: All categories: Ethnic group; measures: Value",
    "white": "Ethnic Group: White; measures: Value",
    "black": "Ethnic Group: Black; measures: Value",
    "asian": "Ethnic Group: Asian; measures: Value",
    "mixed": "Ethnic Group: Mixed; measures: Value",
    "other": "Ethnic Group: Other; measures: Value",
}


def group_of(value: str) -> str | None:
    if not value or value.endswith("- Not stated"):
        return None
    return HEADS[value.split(" - ")[0]]


def kept_rows(path: Path) -> list[dict]:
    """The rows the importer keeps: the rules of test_realdata_import, written again here."""
    month = path.name[:7]
    start = dt.datetime.fromisoformat(f"{month}-01T00:00:00+00:00")
    rows = list(csv.DictReader(io.StringIO(gzip.decompress(path.read_bytes()).decode("utf-8-sig"), newline="")))
    out = []
    for r in rows:
        when = dt.datetime.fromisoformat(r["Date"])
        lat, lng = r["Latitude"], r["Longitude"]
        point = (not lat and not lng) or (lat and lng and 49 <= float(lat) < 61 and -9 <= float(lng) < 3)
        if point and start - dt.timedelta(days=1) <= when < start + dt.timedelta(days=33):
            out.append(r)
    return out


def exact_ratio(n1: int, n2: int, e1: int, e2: int) -> tuple[float, float, float]:
    """Rate ratio and its exact interval from scipy's binomial test (the conditional method)."""
    ci = sps.binomtest(n1, n1 + n2).proportion_ci(confidence_level=0.95, method="exact")
    return (n1 / e1) / (n2 / e2), ci.low / (1 - ci.low) * e2 / e1, ci.high / (1 - ci.high) * e2 / e1


def census(shared_data: Path, name: str, key: str) -> dict[str, dict[str, int]]:
    text = (shared_data / "census" / name).read_text(encoding="utf-8-sig")
    return {r[key]: {g: int(r[c]) for g, c in QS201.items()} for r in csv.DictReader(io.StringIO(text))}


def check(result, searches: Counter, population: dict[str, int]) -> int:
    """Every group's searches, rate and ratio equal the independent figures; returns the groups compared."""
    compared = 0
    rows = {r.group: r for r in result.groups}
    for group in GROUPS:
        row = rows[group]
        assert row.tally.searches == searches[group]
        assert row.population == population[group]
        if searches[group] < 10 or searches["white"] < 10:
            assert row.ratio is None
            continue
        assert row.rate == pytest.approx(1000 * searches[group] / population[group], rel=1e-12)
        if group != "white":
            ratio, low, high = exact_ratio(searches[group], searches["white"], population[group], population["white"])
            assert (row.ratio, row.ratio_low, row.ratio_high) == pytest.approx((ratio, low, high), rel=1e-9)
            compared += 1
    return compared


def test_rates_and_ratios_equal_an_independent_computation_on_real_met_files(shared_data, client):
    areas.force("metropolitan", "Metropolitan Police Service")
    wards = shared_data / "boundaries/wards"
    LondonWards2014Esri(wards / "london-wards-2014/London_Ward.shp", commit=True, progress=False).run()
    LondonWards2018Esri(wards / "london-wards-2018/London_Ward.shp", commit=True, progress=False).run()
    Qs201LocalAuthority(shared_data / "census" / LA_FILE, commit=True).run()
    Qs201PoliceForceArea(shared_data / "census" / PFA_FILE, commit=True).run()
    folder = shared_data / "police/stop-and-search/metropolitan"
    PoliceUkImporter(folder, commit=True, progress=False).run()

    # The force: every kept row of the six files, counted with the csv module.
    rows = [r for path in sorted(folder.glob("*.csv.gz")) for r in kept_rows(path)]
    searches = Counter(group_of(r["Self-defined ethnicity"]) for r in rows)
    force = disproportionality(force_scope("metropolitan"))
    assert force.total.searches == len(rows) == Stop.objects.count()
    assert force.not_stated.tally.searches == searches[None]
    met = census(shared_data, PFA_FILE, "PFA16NM")
    assert force.denominator.census_year == 2011 and force.denominator.total == met["Metropolitan"]["all"]
    assert check(force, searches, met["Metropolitan"]) == 4
    black = next(r for r in force.groups if r.group == "black")
    assert black.ratio > 3 and "times as likely to be searched as White people" in black.ratio_words
    # Outcome parity: arrests by group, counted from the rows.
    arrests = Counter(group_of(r["Self-defined ethnicity"]) for r in rows if r["Outcome"] == "Arrest")
    assert black.arrest_rate.k == arrests["black"] and black.arrest_rate.n == searches["black"]
    low, high = sps.binomtest(arrests["black"], searches["black"]).proportion_ci(method="exact")
    assert black.arrest_rate.interval == pytest.approx((low, high), rel=1e-9)
    # These files record neither the find nor the removal of clothing: "not available", said why.
    assert black.find_rate.value is None and "no search here recorded" in black.find_rate.shown
    s60 = next(b for b in force.legislation if b.key.endswith("(section 60)"))
    assert s60.total.searches == sum(1 for r in rows if r["Legislation"].endswith("(section 60)"))

    # Every borough: its stops as stored (placed in the 2014/2018 wards), counted with polars.
    placed = pl.DataFrame(
        list(Stop.objects.values_list("borough_code", "self_defined_ethnicity")),
        schema=["borough", "ethnicity"],
        orient="row",
    ).with_columns(pl.col("ethnicity").map_elements(group_of, return_dtype=pl.Utf8).alias("group"))
    per_borough = placed.group_by("borough", "group").len()
    la = census(shared_data, LA_FILE, "geography code")
    boroughs = sorted(c for c in placed["borough"].unique() if c)
    assert len(boroughs) == 33
    compared = 0
    for code in boroughs:
        counts = Counter({g: n for b, g, n in per_borough.iter_rows() if b == code and g is not None})
        compared += check(disproportionality(borough_scope(code)), counts, la[code])
    assert compared > 100

    # The page, the CSV and the API give the same figure for Westminster.
    westminster = disproportionality(borough_scope("E09000033"))
    row = next(r for r in westminster.groups if r.group == "black")
    page = client.get("/crime/stop-search/boroughs/E09000033/").content.decode()
    assert f"{row.rate:.1f}" in page and row.ratio_shown in page and "Census 2011 (QS201EW)" in page
    download = client.get("/crime/stop-search/boroughs/E09000033/?format=csv").content.decode()
    line = next(r for r in csv.DictReader(io.StringIO(download)) if r["table"] == "ethnicity" and r["group"] == "Black")
    assert float(line["rate_per_1000"]) == pytest.approx(row.rate, abs=0.01)
    api = client.get("/api/v1/stop-search/boroughs/E09000033").json()
    black_api = next(g for g in api["groups"] if g["group"] == "black")
    assert black_api["ratio"] == pytest.approx(row.ratio) and black_api["searches"] == row.tally.searches
