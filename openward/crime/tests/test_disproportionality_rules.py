"""Disproportionality rules on a small ward: the 2021 census by LSOA as denominator, small counts
suppressed with the reason, "not available" in words, bad areas refused with a clear message."""

from __future__ import annotations

import csv
import io

import pytest
from scipy import stats as sps

from openward.core.stats import compare_rates
from openward.crime.analytics.disproportionality import disproportionality, rate_ratio
from openward.crime.analytics.scope import force_scope, scope_for_ward

from .factories import ForceFactory, StopFactory, small_ward

pytestmark = pytest.mark.django_db

# The census fixture's three LSOAs (factories.TS021), by group (its rows, added up by hand).
WHITE, BLACK = 1080 + 1100 + 720, 35 + 40 + 95


def test_a_ward_uses_its_2021_lsoas_and_gives_the_exact_ratio():
    ward = small_ward()
    result = disproportionality(scope_for_ward(ward))
    assert result.denominator.census_year == 2021 and result.denominator.of("black") == BLACK
    rows = {r.group: r for r in result.groups}
    assert rows["black"].rate == pytest.approx(1000 * 30 / BLACK)
    ci = sps.binomtest(30, 70).proportion_ci(method="exact")
    expected = (
        (30 / BLACK) / (40 / WHITE),
        ci.low / (1 - ci.low) * WHITE / BLACK,
        ci.high / (1 - ci.high) * WHITE / BLACK,
    )
    assert (rows["black"].ratio, rows["black"].ratio_low, rows["black"].ratio_high) == pytest.approx(expected)
    shared = compare_rates(30, 40, BLACK, WHITE)
    assert rate_ratio(30, 40, BLACK, WHITE) == (shared.ratio, shared.ratio_low, shared.ratio_high)
    assert rows["black"].arrest_rate.k == 8 and rows["black"].find_rate.k == 15 and rows["black"].find_rate.n == 30
    # Five searches: shown as "fewer than 10", with no rate, ratio or arrest rate worked out from them.
    assert rows["asian"].searches_shown == "fewer than 10"
    assert rows["asian"].rate is None and rows["asian"].ratio_shown == "not available: fewer than 10 searches"
    assert rows["asian"].arrest_rate.value is None and "fewer than 10" in rows["asian"].arrest_rate.shown
    assert rows["not-stated"].tally.searches == 3 and rows["not-stated"].rate is None
    assert result.months_loaded == 1 and "removed" in rows["white"].removal_share.shown


def test_ward_page_csv_api_and_area_section_agree(client):
    ward = small_ward()
    black = next(r for r in disproportionality(scope_for_ward(ward)).groups if r.group == "black")
    page = client.get(f"/crime/stop-search/wards/{ward.gss_code}/").content.decode()
    assert black.ratio_shown in page and "Census 2021 (TS021), sum of the 3 LSOAs in this ward" in page
    assert "not available: fewer than 10 searches" in page
    csv_text = client.get(f"/crime/stop-search/wards/{ward.gss_code}/?format=csv").content.decode()
    assert f"ethnicity,Smallbridge,Black,30,{BLACK}," in csv_text
    # The five Asian searches are not published as a number anywhere.
    asian_row = next(r for r in csv.DictReader(io.StringIO(csv_text)) if r["group"] == "Asian")
    assert asian_row["searches"] == "" and asian_row["rate_per_1000"] == "" and asian_row["population"] == "630"
    api = client.get(f"/api/v1/stop-search/wards/{ward.gss_code}").json()
    asian = next(g for g in api["groups"] if g["group"] == "asian")
    assert asian["searches"] is None and asian["rate_per_1000"] is None
    area = client.get(f"/wards/{ward.gss_code}/").content.decode()
    assert "Stop and search by ethnicity" in area and black.ratio_words in area


def test_without_census_or_for_unknown_areas_it_says_why():
    met = ForceFactory(slug="metropolitan")
    StopFactory.create_batch(12, force=met)
    result = disproportionality(force_scope("metropolitan"))
    assert result.denominator is None and "no census population by ethnic group is loaded" in result.why_no_denominator
    assert all(r.rate is None for r in result.groups)


def test_unknown_area_pages_and_api_refuse_with_a_clear_message(client):
    page = client.get("/crime/stop-search/boroughs/E09999999/")
    assert page.status_code == 404 and "There is no borough with the code" in page.content.decode()
    api = client.get("/api/v1/stop-search/forces/nowhere")
    assert api.status_code == 404 and "There is no police force" in api.json()["detail"]
    assert client.get("/crime/stop-search/forces/nowhere/?format=xls").status_code == 400
