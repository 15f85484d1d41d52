"""Crime pages, downloads and the area-page section show the figures recomputed from raw records."""

import csv
import datetime as dt
import io

import pytest
from dateutil.relativedelta import relativedelta
from django.test import RequestFactory

from openward.core import sections
from openward.crime import stats
from openward.crime.models import Crime, Stop

from .factories import CrimeFactory, ForceFactory, WardFactory, category, populate_ward, rebuild_counts

pytestmark = pytest.mark.django_db


def raw_rolling_change(ward):
    """Latest 12 months against the 12 before, from Crime rows: ASB left out, a persistent_id counted once.

    The windows come from dateutil's month arithmetic on the ward's own newest month, not from the code
    under test, and hold for any latest month and any history before the windows.
    """
    latest = Crime.objects.filter(ward=ward).order_by("-month").first().month

    def window(first, last):
        rows = Crime.objects.filter(ward=ward, month__gte=first, month__lte=last).exclude(
            category__slug="anti-social-behaviour"
        )
        return len({r.persistent_id or f"pk{r.pk}" for r in rows})

    recent_first = latest - relativedelta(months=11)
    earlier_first, earlier_last = latest - relativedelta(months=23), latest - relativedelta(months=12)
    return window(recent_first, latest), window(earlier_first, earlier_last)


def test_ward_page_shows_the_rolling_change_computed_from_raw_records(client):
    ward = populate_ward()
    recent, earlier = raw_rolling_change(ward)
    expected = stats.compare_counts(recent, earlier).statement
    response = client.get(f"/crime/wards/{ward.gss_code}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert expected in html
    assert f"{recent} crimes (January 2024 to December 2024)" in html
    # The period is the months loaded (populate_ward loads 24 from January 2023), not a fixed three years.
    assert "Period: January 2023 to December 2024." in html
    assert "data.police.uk" in html and "Open Government Licence v3.0" in html
    assert "Last updated 31 January 2025" in html
    assert "anonymised point covering at least 8 addresses" in html
    assert "<svg" in html and "Show the numbers as a table" in html
    assert "British Transport Police" in html and "2 duplicate records removed" in html

    api = client.get(f"/api/v1/crime/wards/{ward.gss_code}").json()
    assert (api["total"]["recent"], api["total"]["earlier"]) == (recent, earlier)
    assert api["total"]["statement"] == expected
    assert api["total"]["p_value"] == pytest.approx(stats.conditional_binomial_p_value(recent, earlier), abs=1e-4)


def test_the_rolling_change_holds_for_a_latest_month_other_than_december_with_older_data(client):
    """40 months from August 2021 to November 2024: the windows are December 2023 to November 2024 against
    December 2022 to November 2023, and data before them (2021, most of 2022) is left out."""
    ward = populate_ward(first=dt.date(2021, 8, 1), months=40)
    assert Crime.objects.filter(ward=ward, month__lt=dt.date(2022, 12, 1)).count() > 100
    recent, earlier = raw_rolling_change(ward)
    html = client.get(f"/crime/wards/{ward.gss_code}/").content.decode()
    assert f"{recent} crimes (December 2023 to November 2024)" in html
    change = stats.compare_counts(recent, earlier)
    assert f"Against December 2022 to November 2023: {change.words}." in html
    assert change.statement in html.split("The numbers behind this")[1], "the p-value sits behind the details"
    api = client.get(f"/api/v1/crime/wards/{ward.gss_code}").json()
    assert (api["total"]["recent"], api["total"]["earlier"]) == (recent, earlier)


def test_downloads_carry_the_same_numbers(client):
    ward = populate_ward()
    recent, earlier = raw_rolling_change(ward)
    response = client.get(f"/crime/wards/{ward.gss_code}/", {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("# Source: data.police.uk, Open Government Licence v3.0")
    rows = list(csv.DictReader(io.StringIO("\n".join(lines[1:]))))
    total = [r for r in rows if r["table"] == "total"]
    assert total[0]["value"] == str(recent) and total[1]["value"] == str(earlier)
    geo = client.get(f"/crime/wards/{ward.gss_code}/", {"format": "geojson"}).json()
    raw = Crime.objects.filter(ward=ward, month__gte=dt.date(2024, 1, 1)).exclude(
        category__slug="anti-social-behaviour"
    )
    per_point = {}
    for point in raw.values_list("latitude", "longitude", "street_name"):
        per_point[point] = per_point.get(point, 0) + 1
    assert len(geo["features"]) == len(per_point)
    for feature in geo["features"]:
        lng, lat = feature["geometry"]["coordinates"]
        count, raw_count = feature["properties"]["count"], per_point[(lat, lng, feature["properties"]["street"])]
        assert count == raw_count if count is not None else raw_count < 10
    assert geo["properties"]["caveat"].startswith("Locations are approximate")


def test_one_force_at_a_time(client):
    ward = populate_ward()
    html = client.get(f"/crime/wards/{ward.gss_code}/", {"force": "btp"}).content.decode()
    assert "(British Transport Police only)" in html
    assert "fewer than 10 crimes" in html
    assert client.get(f"/crime/wards/{ward.gss_code}/", {"force": "nowhere"}).status_code == 400


def test_small_counts_show_fewer_than_ten_and_no_percentage(client):
    met = ForceFactory()
    ward = WardFactory(population=None)
    for month in (dt.date(2024, 12, 1), dt.date(2023, 12, 1)):
        for _ in range(3):
            CrimeFactory(force=met, ward=ward, month=month, category=category("robbery"))
    rebuild_counts()
    html = client.get(f"/crime/wards/{ward.gss_code}/").content.decode()
    assert "fewer than 10 crimes" in html
    assert "too few crimes to compare (fewer than 10 vs fewer than 10)" in html
    assert "%" not in html.split('id="categories"')[1].split("</table>")[0]
    api = client.get(f"/api/v1/crime/wards/{ward.gss_code}").json()
    assert api["total"]["recent"] is None and api["total"]["suppressed"] and api["total"]["percent_change"] is None


def test_polygon_page_by_get_and_post_and_bad_polygons(client):
    ward = populate_ward()
    poly = "51.509,-0.096:51.521,-0.096:51.521,-0.084:51.509,-0.084"
    recent, earlier = raw_rolling_change(ward)
    expected = stats.compare_counts(recent, earlier).statement
    assert expected in client.get("/crime/area/", {"poly": poly}).content.decode()
    assert expected in client.post("/crime/area/", {"poly": poly}).content.decode()
    bad = client.get("/crime/area/", {"poly": "51.5,-0.1:nonsense"})
    assert bad.status_code == 400 and "not a point" in bad.content.decode()
    assert client.get("/crime/area/").status_code == 200  # the form
    assert client.get("/api/v1/crime/area", {"poly": poly}).json()["total"]["statement"] == expected
    assert client.get("/api/v1/crime/area", {"poly": "1,2"}).status_code == 400


def test_borough_cluster_force_pages_and_unknown_areas(client):
    ward = populate_ward()
    from openward.areas.models import Cluster

    cluster = Cluster.objects.create(slug="test-cluster", name="Test cluster")
    cluster.wards.add(ward)
    recent, earlier = raw_rolling_change(ward)
    expected = stats.compare_counts(recent, earlier).statement
    for url in (f"/crime/boroughs/{ward.borough.gss_code}/", "/crime/clusters/test-cluster/"):
        assert expected in client.get(url).content.decode()
    assert client.get("/crime/forces/metropolitan/").status_code == 200
    assert client.get("/crime/wards/E05000000/").status_code == 404
    assert client.get("/api/v1/crime/wards/E05000000").status_code == 404
    assert client.get("/api/v1/crime/clusters/test-cluster").json()["total"]["recent"] == recent


def test_sections_on_ward_borough_and_cluster_pages():
    ward = populate_ward()
    request = RequestFactory().get("/")
    rendered = sections.render_context("ward", ward, request)
    crime = next(s for s in rendered if s["template"] == "crime/section.html")
    recent, _ = raw_rolling_change(ward)
    assert crime["context"]["summary"].total.recent == recent
    assert crime["context"]["url"] == f"/crime/wards/{ward.gss_code}/"
    from django.template.loader import render_to_string

    html = render_to_string("crime/section.html", crime["context"])
    assert "Crime in Testbridge" in html and "data.police.uk" in html
    assert any(s["template"] == "crime/section.html" for s in sections.render_context("borough", ward.borough, request))


def test_demo_data_is_labelled(client):
    met = ForceFactory()
    ward = WardFactory()
    for _ in range(12):
        CrimeFactory(force=met, ward=ward, is_demo=True)
    rebuild_counts()
    html = client.get(f"/crime/wards/{ward.gss_code}/").content.decode()
    assert "Generated demo data" in html
    assert client.get(f"/api/v1/crime/wards/{ward.gss_code}").json()["source"]["is_demo"] is True


def test_cached_figures_change_when_new_data_lands(client):
    ward = populate_ward()
    before = client.get(f"/api/v1/crime/wards/{ward.gss_code}").json()["total"]["recent"]
    client.get(f"/crime/wards/{ward.gss_code}/")
    for _ in range(5):
        CrimeFactory(force=ForceFactory(), ward=ward, month=dt.date(2024, 12, 1), category=category("robbery"))
    rebuild_counts()
    assert client.get(f"/api/v1/crime/wards/{ward.gss_code}").json()["total"]["recent"] == before + 5
    assert f"{before + 5} crimes (January 2024" in client.get(f"/crime/wards/{ward.gss_code}/").content.decode()


def test_crime_section_appears_on_the_ward_page(client):
    ward = populate_ward()
    recent, earlier = raw_rolling_change(ward)
    response = client.get(f"/wards/{ward.gss_code}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert stats.compare_counts(recent, earlier).statement in html
    assert f'href="/crime/wards/{ward.gss_code}/"' in html


def test_section_is_left_out_until_crime_data_is_loaded():
    ward = WardFactory()
    request = RequestFactory().get("/")
    assert not any(s["template"] == "crime/section.html" for s in sections.render_context("ward", ward, request))


def test_stop_and_search_panel(client):
    ward = populate_ward()
    html = client.get(f"/crime/wards/{ward.gss_code}/").content.decode()
    panel = html.split('id="stop-and-search"')[1]
    assert "30 searches, January 2024 to December 2024." in panel
    arrests = Stop.objects.filter(ward=ward, outcome="Arrest").count()
    assert f"{round(100 * arrests / 30)}% led to an arrest." in panel
    assert "Searches each month" in panel and "fewer than 10" in panel
    assert f"/crime/stop-search/wards/{ward.gss_code}/" in panel and "Stop and search by ethnicity in" in panel


def test_the_trend_chart_labels_every_quarter_and_has_a_key_and_a_table(client):
    """24 months from January 2023: quarters labelled, the two years named, a key and the table of numbers."""
    import re

    ward = populate_ward()
    html = client.get(f"/crime/wards/{ward.gss_code}/").content.decode()
    chart = html[html.index('<svg class="chart"') : html.index("</svg>", html.index('<svg class="chart"'))]
    labels = re.findall(r'class="chart__axis">([A-Z][a-z]{2})</text>', chart)
    assert labels == ["Jan", "Apr", "Jul", "Oct"] * 2
    assert re.findall(r"chart__axis--year\">(\d{4})</text>", chart) == ["2023", "2024"]
    assert "<a " not in chart, "no links inside an image"
    legend = html[html.index('<ul class="chart-legend"') : html.index("</ul>", html.index('<ul class="chart-legend"'))]
    assert "Latest 12 months (January 2024 to December 2024)" in legend and "Earlier months" in legend
    table = html[html.index("Crimes and anti-social behaviour each month") :]
    assert table.count('<th scope="row">') >= 24 and "January 2023" in table
