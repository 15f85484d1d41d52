"""Choosing an area on /crime/area/ without a street map: the area within a distance of a postcode (a form that
needs no map or script), and the ward outlines the drawing map shows in place of streets
(GET /api/v1/wards.geojson?bbox=…). The browser journeys are in test_street_maps.py."""

from __future__ import annotations

import datetime as dt
import math

import pytest
import shapely

from openward.areas.models import Postcode
from openward.areas.selectors import distance_km
from openward.crime.analytics.scope import AROUND_RADII_M, ScopeError, around_scope, circle_poly, parse_poly

from .factories import CrimeFactory, ForceFactory, WardFactory, category, import_run, rebuild_counts

CENTRE = (51.515, -0.09)
METRES_PER_DEGREE = 111_320


def offset(north_m: float, east_m: float) -> tuple[float, float]:
    """The point `north_m` metres north and `east_m` metres east of CENTRE."""
    lat, lng = CENTRE
    return lat + north_m / METRES_PER_DEGREE, lng + east_m / (METRES_PER_DEGREE * math.cos(math.radians(lat)))


# (metres north, metres east) -> burglaries there in December 2024: 12 within 250 m, 15 more by 500 m.
PLANTED = {(150, 60): 12, (0, 400): 15}


def area_with_crime():
    """A ward around CENTRE with a postcode at its centre and the burglaries of PLANTED."""
    met = ForceFactory(slug="metropolitan")
    ward = WardFactory(gss_code="E05009999", name="Testbridge", centre_lat=CENTRE[0], centre_lng=CENTRE[1])
    Postcode.objects.create(
        compact="EC1A9ZZ",
        latitude=CENTRE[0],
        longitude=CENTRE[1],
        ward_code=ward.gss_code,
        borough_code=ward.borough.gss_code,
    )
    for (north, east), n in PLANTED.items():
        lat, lng = offset(north, east)
        for _ in range(n):
            CrimeFactory(
                force=met,
                ward=ward,
                month=dt.date(2024, 12, 1),
                category=category("burglary"),
                latitude=lat,
                longitude=lng,
                street_id=int(north * 1000 + east),
            )
    rebuild_counts()
    import_run()
    return ward


def planted_within(metres: float) -> int:
    """Burglaries planted within `metres` of CENTRE, by great-circle distance (not the app's polygon)."""
    return sum(n for (north, east), n in PLANTED.items() if distance_km(*CENTRE, *offset(north, east)) * 1000 <= metres)


def test_the_circle_holds_everything_within_the_radius_and_little_more():
    for radius in AROUND_RADII_M:
        polygon = parse_poly(circle_poly(*CENTRE, radius))
        corners = [distance_km(*CENTRE, lat, lng) * 1000 for lng, lat in polygon.exterior.coords]
        # The edges touch the circle from outside: corners sit just beyond the radius, at r / cos(pi / 32).
        assert all(radius < c < radius * 1.006 for c in corners), (radius, min(corners), max(corners))
        for bearing in range(0, 360, 5):
            inside = offset(
                0.999 * radius * math.cos(math.radians(bearing)), 0.999 * radius * math.sin(math.radians(bearing))
            )
            assert polygon.contains(shapely.Point(inside[1], inside[0])), (radius, bearing)
    with pytest.raises(ScopeError, match="Choose a distance of 250 m, 500 m, 1 km, 2 km, 3 km"):
        around_scope(*CENTRE, 7, "EC1A 9ZZ")


@pytest.mark.django_db
def test_crime_around_a_postcode_counts_what_lies_within_the_distance(client):
    area_with_crime()
    assert (planted_within(250), planted_within(500)) == (12, 27)
    near = client.get("/crime/area/", {"postcode": "ec1a9zz", "radius": "250"})
    text = near.content.decode()
    assert near.status_code == 200
    assert "<h1>Crime in the area within 250 m of EC1A 9ZZ</h1>" in text
    assert f'<p class="crime-headline">{planted_within(250)} crimes' in text
    further = client.get("/crime/area/", {"postcode": "EC1A 9ZZ", "radius": "500"}).content.decode()
    assert f'<p class="crime-headline">{planted_within(500)} crimes' in further
    # The downloads and the "which forces" form ask for the same postcode and distance again.
    assert 'href="?postcode=EC1A+9ZZ&amp;radius=500&amp;format=csv"' in further
    assert (
        '<input type="hidden" name="postcode" value="EC1A 9ZZ"><input type="hidden" name="radius" value="500">'
        in further
    )
    csv = client.get("/crime/area/", {"postcode": "EC1A 9ZZ", "radius": "500", "format": "csv"})
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, field, message",
    [
        ({"postcode": ""}, "id_postcode", "Enter a postcode, like &quot;SW1A 1AA&quot;."),
        ({"postcode": "not one"}, "id_postcode", "is not a UK postcode"),
        ({"postcode": "ZZ9 9ZZ", "radius": "500"}, "id_postcode", "is not in our lookup"),
        ({"postcode": "EC1A 8ZZ", "radius": "500"}, "id_postcode", "We have no location for EC1A 8ZZ"),
        ({"postcode": "EC1A 9ZZ", "radius": "7"}, "id_radius", "Choose one of the distances in the list."),
        ({"postcode": "EC1A 9ZZ"}, "id_radius", "Choose how far around the postcode to look."),
    ],
)
def test_a_postcode_or_distance_that_will_not_do_is_named_on_the_form(client, query, field, message):
    ward = area_with_crime()
    Postcode.objects.create(compact="EC1A8ZZ", ward_code=ward.gss_code, borough_code=ward.borough.gss_code)
    page = client.get("/crime/area/", query)
    text = page.content.decode()
    assert page.status_code == 400
    summary = text.split("data-error-summary>", 1)[1].split("</div>", 1)[0]
    assert f'<a href="#{field}">' in summary and message in summary, summary
    assert f'id="{field}"' in text  # the summary's link lands on the field


@pytest.mark.django_db
def test_ward_outlines_for_a_map_box(client):
    ward = area_with_crime()
    far = WardFactory(gss_code="E05009998", name="Farbridge", centre_lat=51.6, centre_lng=-0.3)
    lat, lng = CENTRE
    found = client.get("/api/v1/wards.geojson", {"bbox": f"{lng - 0.01},{lat - 0.01},{lng + 0.01},{lat + 0.01}"})
    assert found.status_code == 200
    features = found.json()["features"]
    assert [f["properties"]["code"] for f in features] == [ward.gss_code]
    assert features[0]["geometry"]["type"] == "Polygon"
    wide = client.get("/api/v1/wards.geojson", {"bbox": "-0.31,51.50,-0.08,51.61"}).json()["features"]
    assert {f["properties"]["name"] for f in wide} == {ward.name, far.name}
    for bbox, says in (
        ("1,2,3", "Give the box as bbox=west,south,east,north"),
        ("a,b,c,d", "Give the box as bbox=west,south,east,north"),
        ("nan,51,0,52", "must be numbers of degrees"),
        ("0,52,-1,51", "must run west to east and south to north"),
        ("-0.5,51.3,0.2,51.7", "That box is too large"),
    ):
        refused = client.get("/api/v1/wards.geojson", {"bbox": bbox})
        assert refused.status_code == 400 and says in refused.json()["detail"], bbox
