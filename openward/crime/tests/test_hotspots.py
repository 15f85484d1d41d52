"""Hot spots: concentration and stability on the real City of London files, checked by an independent
computation here; Gi* flags a planted cluster; bad areas and periods get clear messages."""

from __future__ import annotations

import math
from collections import Counter

import pytest
from pyproj import Transformer

from openward.crime.analytics import hotspots
from openward.crime.analytics.scope import ScopeError, force_scope, polygon_scope
from openward.crime.importers import PoliceUkImporter
from openward.crime.tests.fixtures import areas
from openward.crime.tests.test_realdata_import import expected_bad_street_lines, read_rows

pytestmark = pytest.mark.django_db


def city_rows(folder, months):
    """The 150 m grid cell (BNG easting, northing ÷ 150) of each located, non-ASB City row in `months`."""
    to_bng = Transformer.from_crs(4326, 27700, always_xy=True)
    out = []
    for path in sorted(folder.glob("*-street.csv")):
        if path.name[:7] not in months:
            continue
        rows = read_rows(path)
        bad = expected_bad_street_lines(rows, path.name[:7])  # rows the importer rightly refuses
        for line, r in enumerate(rows, start=2):
            if line in bad or not r["Latitude"] or r["Crime type"] == "Anti-social behaviour":
                continue
            x, y = to_bng.transform(float(r["Longitude"]), float(r["Latitude"]))
            out.append((math.floor(x / 150), math.floor(y / 150)))
    return out


@pytest.mark.realdata
def test_concentration_and_stability_on_real_city_of_london_files(shared_data):
    folder = shared_data / "police/street/city-of-london"
    areas.force("city-of-london", "City of London Police")
    PoliceUkImporter(folder, commit=True, progress=False).run()
    recent = [f"2023-{m:02d}" for m in range(1, 7)]
    earlier = [f"2022-{m:02d}" for m in range(7, 13)]
    result = hotspots.hot_spots(force_scope("city-of-london"), hotspots.period_for("2023-01", "2023-06"))

    now = Counter(city_rows(folder, recent))
    before = Counter(city_rows(folder, earlier))
    # The force has no boundary here: the region is the box of cells around this period's crimes.
    xs, ys = [x for x, _ in now], [y for _, y in now]
    region = [(x, y) for x in range(min(xs), max(xs) + 1) for y in range(min(ys), max(ys) + 1)]
    assert result.total == sum(now.values())
    assert len(result.cells) == len(region)
    values = sorted((now.get(c, 0) for c in region), reverse=True)
    for fraction, places, share, _ in result.grid.rows:
        k = math.ceil(fraction * len(region))
        assert places == k
        assert share == pytest.approx(sum(values[:k]) / sum(values), abs=1e-12)
    top5 = math.ceil(0.05 * len(region))

    def top(counter):
        ranked = sorted(((n, f"E{x}N{y}") for (x, y), n in counter.items() if (x, y) in set(region) and n > 0),
                        key=lambda t: (-t[0], t[1]))  # fmt: skip
        return {key for _, key in ranked[:top5]}

    assert result.stability.previous_top == len(top(before))
    assert result.stability.still_top == len(top(before) & top(now))
    assert 0 < result.stability.still_top < result.stability.previous_top
    # Snap points: the share of the busiest 5% of points with any crime.
    assert result.snap.places == len({p.key for p in result.points})
    # Whole answers: every crime sits in exactly one cell of the region.
    assert sum(c.count for c in result.cells) == result.total


def test_gi_star_flags_a_planted_cluster_and_nothing_in_even_background():
    import datetime as dt

    from openward.crime.analytics.scope import scope_for_ward
    from openward.crime.tests.hotspot_data import CENTRE, background, grid_ward, plant

    ward = grid_ward()
    month = dt.date(2024, 6, 1)
    spread = background(ward, month)
    hot = (CENTRE[0] + 0.0031, CENTRE[1] - 0.0045)
    cluster = [(hot[0], hot[1], 40), (hot[0] + 0.0014, hot[1], 15), (hot[0], hot[1] + 0.0021, 15)]
    plant(ward, month, cluster)
    planted = spread + cluster
    xs, ys = hotspots.cells_of([p[0] for p in planted], [p[1] for p in planted])
    expected = Counter()
    for x, y, p in zip(xs, ys, planted, strict=True):
        expected[hotspots.cell_key(int(x), int(y))] += p[2]
    result = hotspots.hot_spots(scope_for_ward(ward), hotspots.period_for("2024-01", "2024-06"))

    assert result.total == sum(c.count for c in result.cells)
    assert len(result.cells) >= hotspots.MIN_CELLS_FOR_GI
    top = result.by_count[0]
    ix, iy = hotspots.cells_of([hot[0]], [hot[1]])
    assert top.key == hotspots.cell_key(int(ix[0]), int(iy[0])) and top.count == expected[top.key] >= 40
    assert {c.key: c.count for c in result.cells if c.count} == dict(expected)
    assert top.kind == "hot" and top.q <= hotspots.FDR_LEVEL
    hot_keys = {c.key for c in result.cells if c.kind == "hot"}
    # Every hot cell touches the planted cluster (queen neighbours of the busiest cell).
    assert all(abs(c.ix - top.ix) <= 2 and abs(c.iy - top.iy) <= 2 for c in result.cells if c.key in hot_keys)
    # Harm: the shipped table has no sourced weights, so harm is "not available", said in words.
    assert result.harm.total is None and "no sourced weight" in result.harm.shown
    assert result.by_harm == []


def test_harm_ranking_uses_weights_when_every_category_has_one():
    import datetime as dt

    from openward.crime.analytics.scope import scope_for_ward
    from openward.crime.harm import CategoryWeight
    from openward.crime.tests.hotspot_data import CENTRE, grid_ward, plant

    ward = grid_ward()
    month = dt.date(2024, 6, 1)
    a = (CENTRE[0], CENTRE[1])
    b = (CENTRE[0] + 0.003, CENTRE[1] + 0.004)
    plant(ward, month, [(a[0], a[1], 12)], slug="shoplifting")
    plant(ward, month, [(b[0], b[1], 3)], slug="robbery")
    # Test weights, not published ones: only the arithmetic is under test here.
    weights = {"shoplifting": CategoryWeight("shoplifting", 2.0, "test"), "robbery": CategoryWeight("robbery", 50, "t")}
    result = hotspots.hot_spots(scope_for_ward(ward), hotspots.period_for("2024-06", "2024-06"), weights=weights)
    assert result.harm.total == 12 * 2.0 + 3 * 50
    assert result.by_count[0].count == 12
    assert result.by_harm[0].harm == 150 and result.by_harm[1].harm == 24
    assert result.points_by_harm[0].count == 3
    # Gi* runs on harm too once every category has a weight; the robbery cell stands out most.
    assert result.gi_harm_note == "" and result.by_harm[0].harm_q == min(c.harm_q for c in result.cells)
    for _, k, crime_share, harm_share in result.grid.rows:
        assert harm_share == pytest.approx(sum([150, 24][:k]) / 174)
        assert crime_share == pytest.approx(sum([12, 3][:k]) / 15)


def test_bad_areas_and_periods_are_refused_in_words():

    with pytest.raises(ScopeError, match="edges cross"):
        polygon_scope("51.50,-0.10:51.52,-0.08:51.50,-0.08:51.52,-0.10", require_simple=True)
    with pytest.raises(ScopeError, match="too large"):
        polygon_scope("51.3,-0.5:51.7,-0.5:51.7,0.2", require_simple=True)
    with pytest.raises(ScopeError, match="at most 36 months"):
        hotspots.period_for("2020-01", "2024-06")
    with pytest.raises(ScopeError, match="not a month"):
        hotspots.period_for("2024-13", None)
    with pytest.raises(ScopeError, match="after the last"):
        hotspots.period_for("2024-06", "2024-01")


@pytest.fixture
def planted_ward():
    import datetime as dt

    from openward.crime.tests.factories import import_run
    from openward.crime.tests.hotspot_data import CENTRE, background, grid_ward, plant

    ward = grid_ward()
    background(ward, dt.date(2024, 5, 1))
    plant(ward, dt.date(2024, 6, 1), [(CENTRE[0] + 0.0031, CENTRE[1] - 0.0045, 40)])
    import_run()
    return ward


def test_page_api_csv_and_geojson_tell_the_same_story(client, planted_ward):
    import json

    code = planted_ward.gss_code
    page = client.get(f"/crime/hotspots/wards/{code}/?from=2024-01&to=2024-06")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Where crime concentrates in Gridley" in html and "hot spot (q =" in html
    assert "Not available: not available (no sourced weight for Burglary)" in html
    api = client.get(f"/api/v1/hotspots/wards/{code}?from=2024-01&to=2024-06").json()
    top = api["cells"][0]
    direct = hotspots.hot_spots(_scope(planted_ward), _period())
    assert top["key"] == direct.by_count[0].key and top["count"] == direct.by_count[0].count >= 40
    assert top["kind"] == "hot" and api["hot_cells"] == direct.hot_cells >= 1
    assert api["crimes"] == direct.total == sum(c.count for c in direct.cells)
    assert api["harm"] is None and "no sourced weight" in api["harm_shown"]
    # Small counts are withheld in every format.
    assert all(c["count"] is None for c in api["cells"] if c["count_shown"] == "fewer than 10")
    csv_text = client.get(f"/crime/hotspots/wards/{code}/?from=2024-01&to=2024-06&format=csv").content.decode()
    assert f"grid cell,{top['key']},{top['latitude']},{top['longitude']},,{top['count']}," in csv_text
    geo = json.loads(client.get(f"/crime/hotspots/wards/{code}/?from=2024-01&to=2024-06&format=geojson").content)
    cells = [f for f in geo["features"] if f["properties"]["place"] == "grid cell"]
    assert cells[0]["properties"]["key"] == top["key"] and cells[0]["geometry"]["type"] == "Polygon"
    assert len(cells) == len(api["cells"])


def test_a_hot_spot_page_is_kept_whole_until_the_data_changes(client, planted_ward):
    """Drawing a borough's map and tables took half a second a visit (bench_national): the page and its
    downloads are kept whole for anonymous visitors, and a new import shows on the next visit."""
    import datetime as dt

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from openward.crime.tests.factories import import_run
    from openward.crime.tests.hotspot_data import CENTRE, plant

    path = f"/crime/hotspots/wards/{planted_ward.gss_code}/?from=2024-01&to=2024-06"
    page = client.get(path).content
    for url in (path, path + "&format=csv"):
        first = client.get(url)
        with CaptureQueriesContext(connection) as queries:
            again = Client().get(url)
        assert len(queries) == 0, url
        assert again.content == first.content
        assert again.get("Content-Disposition") == first.get("Content-Disposition")

    plant(planted_ward, dt.date(2024, 6, 1), [(CENTRE[0] - 0.004, CENTRE[1] + 0.004, 60)])
    import_run()
    with CaptureQueriesContext(connection) as queries:
        after = Client().get(path).content
    assert len(queries) > 0 and after != page


def _scope(ward):
    from openward.crime.analytics.scope import scope_for_ward

    return scope_for_ward(ward)


def _period():
    return hotspots.period_for("2024-01", "2024-06")


@pytest.mark.parametrize(
    ("path", "status", "words"),
    [
        ("/api/v1/hotspots/wards/E05999999", 404, "There is no ward"),
        ("/api/v1/hotspots/wards/E05000123?from=2019-01&to=2024-06", 400, "at most 36 months"),
        ("/api/v1/hotspots/wards/E05000123?force=nowhere", 400, "no police force"),
        ("/api/v1/hotspots/area?poly=51.50,-0.10:51.52,-0.08:51.50,-0.08:51.52,-0.10", 400, "edges cross"),
        ("/api/v1/hotspots/area?poly=51.3,-0.5:51.7,-0.5:51.7,0.2", 400, "too large"),
        ("/crime/hotspots/wards/E05000123/?format=pdf", 400, "format=csv"),
    ],
)
def test_bad_requests_get_reasons_not_errors(client, planted_ward, path, status, words):
    response = client.get(path)
    assert response.status_code == status
    assert words in response.content.decode()
