"""Area pages: find your ward, ward, borough, cluster, error pages."""

import re

import pytest
from django.template import engines

from openward.core import sections

from .factories import ClusterFactory, NeighbourhoodFactory, TeamMemberFactory, WardFactory, WardGenerationFactory


def test_home_page_offers_the_postcode_form(client, db):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label class="label label--m" for="id_postcode">Your postcode</label>' in html
    assert 'autocomplete="postal-code"' in html
    assert "There is a problem" not in html


def test_home_page_suggests_a_demo_postcode_when_the_demo_is_loaded(client, place):
    assert "demo area" not in client.get("/").content.decode()
    from .factories import PostcodeFactory

    PostcodeFactory(compact="ZZ11AB", ward=place.west, is_demo=True)
    html = client.get("/").content.decode()
    assert 'use the postcode <a href="?postcode=ZZ11AB">ZZ1 1AB</a>' in html
    assert client.get("/?postcode=ZZ11AB")["Location"] == f"/wards/{place.west.gss_code}/"


@pytest.mark.parametrize("typed", ["w21jq", " W2  1JQ "])
def test_a_postcode_in_any_spelling_redirects_to_its_ward(client, place, typed):
    response = client.get("/", {"postcode": typed})
    assert response.status_code == 302
    assert response["Location"] == "/wards/E05013807/"


@pytest.mark.parametrize(
    "typed, message",
    [
        ("", "Enter a postcode, like &quot;SW1A 1AA&quot;."),
        ("banana", "&quot;banana&quot; is not a UK postcode."),
        ("SW1A 1ZZ", "Postcode &quot;SW1A 1ZZ&quot; is not in our lookup (last updated 2025-04-15)."),
        (
            "W2 1JR",
            "terminated on 1 March 2019. Try a nearby postcode that is still in use, such as &quot;W2 1JQ&quot;.",
        ),
    ],
)
def test_postcode_errors_show_in_a_summary_and_beside_the_field(client, place, typed, message):
    response = client.get("/", {"postcode": typed})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: Find your ward" in html
    summary = html.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert 'href="#id_postcode"' in summary and message in summary
    assert 'id="postcode-error"' in html and 'aria-describedby="postcode-hint postcode-error"' in html
    # What the person typed is kept so they can correct it.
    assert f'value="{typed.strip()}"' in html or typed == ""


def test_ward_page_shows_team_front_counter_map_neighbours_and_clusters(client, place):
    html = client.get("/wards/E05013807/").content.decode()
    assert "<h1>Bayswater ward" in html
    assert 'href="/boroughs/E09000033/"' in html
    assert "Sergeant Ada Lovelace" in html and "PC Alan Turing" in html
    assert html.index("Ada Lovelace") < html.index("Alan Turing")
    assert 'href="mailto:bayswater@met.police.uk"' in html
    assert "Paddington Green" in html and "Far Away" not in html and "Closed Nearby" not in html
    assert '<th scope="row">Monday</th><td>08:00 to 20:00</td>' in html
    assert "About 0.2 km" in html
    # The map: the ward and both neighbours, neighbours linked, a text alternative and the GeoJSON.
    svg = html.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert svg.count("<path") == 3
    assert 'class="area"' in svg and svg.count('class="neighbour"') == 2
    assert '<a href="/wards/E05013806/">' in svg and '<a href="/wards/E05013808/">' in svg
    # Its neighbours are links, so the map is a group of links (an image may not hold links), titled and described.
    assert (
        'role="group"' in svg
        and 'role="img"' not in svg
        and '<desc id="map-desc">Bayswater ward is shaded blue.' in svg
    )
    assert "Around it, in grey: Abbey Road, Church Street." in html
    assert 'href="/api/v1/wards/E05013807/boundary"' in html
    assert 'href="/clusters/west-end/"' in html
    assert "Generated demo data" not in html


def test_ward_page_query_count_is_pinned(client, place, django_assert_num_queries):
    for _ in range(10):
        place.middle.neighbours.add(WardFactory(borough=place.borough))
    # The page's own data takes 6 queries (with 10 neighbours); the 7 sections and 2 "not loaded yet" checks
    # other apps register take 7 between them: crime's two sections and its gap share one read of the data
    # version, and engagement's meetings ask policeuk's count once for its section and its gap.
    with django_assert_num_queries(6 + 7):
        html = client.get("/wards/E05013807/").content.decode()
    assert html.split("<svg", 1)[1].split("</svg>", 1)[0].count("<path") == 13


def test_page_of_an_old_ward_points_to_the_ward_covering_it_now(client, place):
    old = WardGenerationFactory(slug="2014", name="the 2014 wards", valid_from="2014-05-22", valid_to="2022-05-04")
    WardFactory(
        gss_code="E05000640", name="Old Bayswater", borough=place.borough, generation=old, square=(-0.19, 51.5, 0.01)
    )
    html = client.get("/wards/E05000640/").content.decode()
    assert (
        "This ward is no longer in use: these are its boundaries from the 2014 wards, in use until 4 May 2022" in html
    )
    assert 'its middle is now in <a href="/wards/E05013807/">Bayswater ward</a>' in html
    assert "no longer in use" not in client.get("/wards/E05013807/").content.decode()


def test_map_projects_squares_with_longitude_scaled_by_cos_latitude(client, place):
    html = client.get("/wards/E05013807/").content.decode()
    width, height = map(int, re.search(r'viewBox="0 0 (\d+) (\d+)"', html).groups())
    # Three 0.01° squares in a row at 51.5°N: 0.03·cos(51.505°) wide, 0.01 high, plus 8px padding each side.
    import math

    ratio = (0.03 * math.cos(math.radians(51.505))) / 0.01
    assert (width - 16) / (height - 16) == pytest.approx(ratio, rel=0.01)


def test_demo_data_is_tagged(client, place):
    ward = WardFactory(borough=place.borough, is_demo=True, name="Demoville")
    nb = NeighbourhoodFactory(ward=ward)
    TeamMemberFactory(neighbourhood=nb, is_demo=True)
    html = client.get(f"/wards/{ward.gss_code}/").content.decode()
    assert html.count("Generated demo data") == 2


def test_ward_page_without_team_or_boundary_still_helps(client, place):
    ward = WardFactory(borough=place.borough, boundary="", centre_lat=None, centre_lng=None)
    html = client.get(f"/wards/{ward.gss_code}/").content.decode()
    assert "We do not know the neighbourhood team for this ward yet" in html
    assert "We do not have a boundary to draw" in html
    assert "We do not have front counter details yet." in html


def test_unknown_and_malformed_ward_codes_get_the_404_page(client, place):
    for path in ["/wards/E05999999/", "/wards/%00/", "/wards/" + "x" * 300 + "/"]:
        response = client.get(path)
        assert response.status_code == 404
        assert "Page not found" in response.content.decode()
    assert "There is no ward with the code &quot;E05999999&quot;." in client.get("/wards/E05999999/").content.decode()


def test_borough_page_lists_its_wards_on_a_map(client, place, django_assert_max_num_queries):
    # One query per section at most (areas, crime, commitments, monitoring, engagement, priorities).
    with django_assert_max_num_queries(10):
        response = client.get("/boroughs/E09000033/")
    html = response.content.decode()
    assert "<h1>Westminster" in html
    for ward in (place.west, place.middle, place.east):
        assert f'<a href="/wards/{ward.gss_code}/">{ward.name}</a>' in html
    svg = html.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert svg.count("<path") == 3
    assert "The 3 wards of Westminster: Abbey Road, Bayswater, Church Street." in html
    assert 'href="/clusters/west-end/"' in html


def test_borough_page_query_count_does_not_grow_with_wards(client, place):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        cache.clear()  # a cold page each time
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/boroughs/E09000033/").status_code == 200
        return len(captured)

    with_three = queries()
    for _ in range(20):
        WardFactory(borough=place.borough)
    assert queries() == with_three


def test_borough_list(client, place, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        html = client.get("/boroughs/").content.decode()
    assert '<a href="/boroughs/E09000033/">Westminster</a>' in html


def test_cluster_page_lists_its_wards(client, place, django_assert_max_num_queries):
    for _ in range(10):
        place.cluster.wards.add(WardFactory(borough=place.borough))
    with django_assert_max_num_queries(8):
        html = client.get("/clusters/west-end/").content.decode()
    assert "<h1>West End cluster" in html
    assert '<a href="/wards/E05013807/">Bayswater</a>' in html
    assert '<a href="/wards/E05013806/">' not in html.split("<svg", 1)[0]
    assert html.split("<svg", 1)[1].split("</svg>", 1)[0].count("<path") == 12


def test_demo_cluster_is_tagged_and_unknown_cluster_is_404(client, place):
    ClusterFactory(slug="demo", is_demo=True)
    assert "Generated demo data" in client.get("/clusters/demo/").content.decode()
    assert client.get("/clusters/nope/").status_code == 404
    assert client.get("/boroughs/E09999999/").status_code == 404


@pytest.fixture
def registered_section(settings, tmp_path):
    (tmp_path / "test_section.html").write_text(
        '<section id="s"><h2>Extra for {{ area.name }}: {{ note }}</h2></section>'
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]
    engines._engines = {}
    engines.__dict__.pop("templates", None)
    added = []
    for kind in ("ward", "borough", "cluster"):
        sections.register(kind, order=99, template="test_section.html", context=lambda area, request: {"note": "hi"})
        added.append(kind)
    yield
    sections._registry[:] = [s for s in sections._registry if s.template != "test_section.html"]
    engines._engines = {}
    engines.__dict__.pop("templates", None)


def test_area_pages_render_sections_other_apps_register(client, place, registered_section):
    assert "<h2>Extra for Bayswater: hi</h2>" in client.get("/wards/E05013807/").content.decode()
    assert "<h2>Extra for Westminster: hi</h2>" in client.get("/boroughs/E09000033/").content.decode()
    assert "<h2>Extra for West End cluster: hi</h2>" in client.get("/clusters/west-end/").content.decode()


def test_error_pages_render(client, db):
    from django.template.loader import render_to_string

    assert "Sorry, there is a problem with the service" in render_to_string("500.html")
    assert "You cannot see this page" in render_to_string("403.html", {"exception": ""})
