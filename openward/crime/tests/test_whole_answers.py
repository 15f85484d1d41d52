"""Whole, honest figures (issue 9): each force's windows end at its own latest month, stop-only data shows
stop figures, a rate that cannot be computed says "not available", 0 is 0, and a month with nothing
loaded says so. Expected values are recomputed here from the raw rows with dateutil's month arithmetic.
"""

import csv
import datetime as dt
import io
import re

import pytest
from dateutil.relativedelta import relativedelta
from django.test import RequestFactory

from openward.core import sections
from openward.crime import stats
from openward.crime.analytics.scope import scope_for_ward
from openward.crime.analytics.summary import stop_summary
from openward.crime.models import Crime, Stop

from .factories import CrimeFactory, ForceFactory, StopFactory, WardFactory, category, populate_ward, rebuild_counts

pytestmark = pytest.mark.django_db


def month_range(last: dt.date, n: int) -> tuple[dt.date, dt.date]:
    return last - relativedelta(months=n - 1), last


def raw_crimes(ward, first, last, force=None) -> int:
    rows = Crime.objects.filter(ward=ward, month__gte=first, month__lte=last).exclude(
        category__slug="anti-social-behaviour"
    )
    if force:
        rows = rows.filter(force__slug=force)
    return len({r.persistent_id or f"pk{r.pk}" for r in rows})


def far_away(force, months, model=Crime):
    """Records of `force` far from every test ward, one per month: the force has those months loaded."""
    for month in months:
        if model is Crime:
            CrimeFactory(force=force, month=month, latitude=54.0, longitude=-1.5, category=category("other-theft"))
        else:
            StopFactory(force=force, month=month, latitude=54.0, longitude=-1.5)


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    out = []
    while first <= last:
        out.append(first)
        first += relativedelta(months=1)
    return out


def test_another_forces_newer_months_do_not_empty_the_mets_figures(client):
    """Kent's data running to June 2025 used to move every window there, and the Met's stops vanished."""
    ward = populate_ward()
    kent = ForceFactory(slug="kent")
    far_away(kent, months_between(dt.date(2024, 1, 1), dt.date(2025, 6, 1)))
    far_away(kent, months_between(dt.date(2024, 1, 1), dt.date(2025, 6, 1)), model=Stop)
    rebuild_counts()
    first, last = month_range(dt.date(2024, 12, 1), 12)
    recent = raw_crimes(ward, first, last)
    html = client.get(f"/crime/wards/{ward.gss_code}/").content.decode()
    assert f"{recent} crimes (January 2024 to December 2024)" in html
    panel = html.split('id="stop-and-search"')[1]
    assert f"{Stop.objects.filter(ward=ward).count()} searches, January 2024 to December 2024." in panel
    api = client.get(f"/api/v1/crime/wards/{ward.gss_code}").json()
    assert api["latest_month"] == "2024-12" and api["total"]["recent"] == recent
    assert api["stops"]["total"] == 30 and api["coverage_note"] == ""
    assert client.get("/api/v1/crime/forces/kent").json()["latest_month"] == "2025-06"


def test_all_forces_end_where_every_force_here_has_data_and_say_so(client):
    """BTP loaded only to November: the ward's combined figures end in November, with a note; the Met's own
    figures (force=metropolitan) end at the Met's own latest month, December."""
    ward = populate_ward()
    Crime.objects.filter(force__slug="btp", month=dt.date(2024, 12, 1)).delete()
    rebuild_counts()
    together = client.get(f"/api/v1/crime/wards/{ward.gss_code}").json()
    first, last = month_range(dt.date(2024, 11, 1), 12)
    before = (first - relativedelta(months=12), first - relativedelta(months=1))
    assert together["latest_month"] == "2024-11"
    assert (together["total"]["recent"], together["total"]["earlier"]) == (
        raw_crimes(ward, first, last),
        raw_crimes(ward, *before),
    )
    assert together["coverage_note"] == (
        "Figures end in November 2024, the latest month loaded for every force here (British Transport "
        "Police); newer months are loaded for Metropolitan Police Service to December 2024."
    )
    met = client.get(f"/api/v1/crime/wards/{ward.gss_code}", {"force": "metropolitan"}).json()
    first, last = month_range(dt.date(2024, 12, 1), 12)
    assert met["latest_month"] == "2024-12" and met["coverage_note"] == ""
    assert met["total"]["recent"] == raw_crimes(ward, first, last, force="metropolitan")
    html = client.get(f"/crime/wards/{ward.gss_code}/").content.decode()
    assert "the latest month loaded for every force here (British Transport Police)" in html


def test_stop_and_search_alone_shows_stop_figures(client):
    met = ForceFactory()
    ward = WardFactory(gss_code="E05000777", name="Stopford")
    for i in range(24):
        StopFactory(force=met, ward=ward, month=dt.date(2024, 1 + i % 12, 1), outcome_linked_to_object_of_search=i < 12)
    assert not Crime.objects.exists()
    html = client.get(f"/crime/wards/{ward.gss_code}/").content.decode()
    assert "No crime data has been loaded yet; stop and search figures are below." in html
    panel = html.split('id="stop-and-search"')[1]
    assert "24 searches, January 2024 to December 2024." in panel
    assert "In 50% of the searches where it was recorded" in panel
    api = client.get(f"/api/v1/crime/wards/{ward.gss_code}").json()
    assert (
        api["total"] is None
        and api["stops"]["total"] == 24
        and api["source"]["period"] == ("January 2024 to December 2024")
    )
    section = next(
        s
        for s in sections.render_context("ward", ward, RequestFactory().get("/"))
        if s["template"] == "crime/section.html"
    )
    assert section["context"]["summary"].stops.total == 24


@pytest.mark.parametrize(
    "linked, says",
    [
        ([None] * 12, "(the find rate) is not available: no search here recorded it."),
        ([True] * 4 + [None] * 8, "(the find rate) is not available: fewer than 10 searches here recorded it."),
        ([True] * 3 + [False] * 9, "In 25% of the searches where it was recorded"),
    ],
)
def test_a_find_rate_that_cannot_be_computed_says_not_available(client, linked, says):
    met = ForceFactory()
    ward = WardFactory()
    for value in linked:
        StopFactory(force=met, ward=ward, outcome_linked_to_object_of_search=value)
    html = client.get(f"/crime/wards/{ward.gss_code}/").content.decode()
    assert says in html.split('id="stop-and-search"')[1]
    api = client.get(f"/api/v1/crime/wards/{ward.gss_code}").json()["stops"]
    assert says in api["find_rate_shown"]
    csv_rows = list(csv.reader(io.StringIO(client.get(f"/crime/wards/{ward.gss_code}/", {"format": "csv"}).text)))
    assert says in next(r for r in csv_rows if r[:2] == ["stop and search", "find rate"])[4]


def test_no_searches_at_all_say_the_arrest_rate_is_not_available():
    met = ForceFactory()
    ward, elsewhere = WardFactory(), WardFactory(centre_lat=52.0)
    StopFactory(force=met, ward=elsewhere)
    stops = stop_summary(scope_for_ward(ward))
    assert stops.total == 0 and stops.total_shown == "0"
    assert stops.arrest_rate_shown == "The share that led to an arrest is not available: there were no searches."


def test_rates_without_a_population_say_not_available_and_zero_is_zero(client):
    met = ForceFactory()
    ward = WardFactory(population=None)
    for month in months_between(dt.date(2023, 1, 1), dt.date(2024, 12, 1)):
        n = 12 if month.year == 2023 else 0
        for _ in range(n):
            CrimeFactory(force=met, ward=ward, month=month, category=category("robbery"))
        far_away(met, [month])
    rebuild_counts()
    html = client.get(f"/crime/wards/{ward.gss_code}/").content.decode()
    assert "0 crimes (January 2024 to December 2024)" in html
    assert "down 100% (0 vs 144)" in html
    assert "Crimes per 1,000 residents: not available. The census population of this ward is not loaded" in html
    table = html.split('id="categories"')[1].split("</tbody>")[0].split("<tbody>")[1]
    rates = [re.findall(r'<td class="num">(.*?)</td>', row)[2] for row in table.split("</tr>")[:-1]]
    assert rates == ["not available", "not available"]  # robbery, and all crime
    months = html.split("Show the numbers as a table")[1].split("</table>")[0]
    assert '<td class="num">0</td>' in months and "fewer than 10" not in months
    api = client.get(f"/api/v1/crime/wards/{ward.gss_code}").json()
    assert api["total"]["recent"] == 0 and api["total"]["recent_shown"] == "0"
    assert api["total"]["rate_per_1000"] is None and api["total"]["rate_shown"] == "not available"
    assert [m["crimes"] for m in api["months"] if m["month"] >= "2024-01"] == [0] * 12


def test_a_month_with_nothing_loaded_says_so(client):
    """The Met's June 2024 file was never imported: that month says "no data loaded", not 0 or "fewer than 10"."""
    ward = populate_ward()
    Crime.objects.filter(month=dt.date(2024, 6, 1)).delete()
    rebuild_counts()
    api = client.get(f"/api/v1/crime/wards/{ward.gss_code}").json()
    june = next(m for m in api["months"] if m["month"] == "2024-06")
    assert (june["crimes"], june["crimes_shown"], june["asb_shown"]) == (None, "no data loaded", "no data loaded")
    may = next(m for m in api["months"] if m["month"] == "2024-05")
    assert may["crimes_shown"] == stats.shown_count(raw_crimes(ward, dt.date(2024, 5, 1), dt.date(2024, 5, 1)))
    assert "(Jun 2024)" in api["comparable_note"] and "not comparable" in api["comparable_note"]
    html = client.get(f"/crime/wards/{ward.gss_code}/").content.decode()
    assert '<th scope="row">June 2024</th><td class="num">no data loaded</td>' in html
    assert "Jun 2024: no data loaded" in html  # the chart's bar title


def test_a_month_one_force_lacks_shows_the_count_and_names_the_force(client):
    ward = populate_ward()
    Crime.objects.filter(force__slug="btp", month=dt.date(2024, 3, 1)).delete()
    rebuild_counts()
    march = next(
        m for m in client.get(f"/api/v1/crime/wards/{ward.gss_code}").json()["months"] if m["month"] == "2024-03"
    )
    assert march["crimes_shown"].endswith("(no data loaded for British Transport Police)")


def test_stop_months_with_nothing_loaded_say_so(client):
    met = ForceFactory()
    ward = WardFactory()
    for month in months_between(dt.date(2024, 1, 1), dt.date(2024, 12, 1)):
        if month != dt.date(2024, 4, 1):
            StopFactory(force=met, ward=ward, month=month)
    stops = client.get(f"/api/v1/crime/wards/{ward.gss_code}").json()["stops"]
    shown = {b["label"]: b["count_shown"] for b in stops["by_month"]}
    assert shown["2024-04"] == "no data loaded" and shown["2024-05"] == "fewer than 10"
