"""Point → ward over stored boundaries, checked against hand-drawn squares."""

import datetime as dt
import json

import pytest

from openward.areas import geo
from openward.areas.models import Borough, Ward, WardGeneration


def square(lng0, lat0, size=0.01):
    ring = [[lng0, lat0], [lng0 + size, lat0], [lng0 + size, lat0 + size], [lng0, lat0 + size], [lng0, lat0]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


@pytest.fixture
def two_generations(db):
    borough = Borough.objects.create(gss_code="E09999001", name="Test", slug="test")
    old = WardGeneration.objects.create(
        slug="2014", name="2014", valid_from=dt.date(2014, 5, 1), valid_to=dt.date(2022, 5, 4)
    )
    new = WardGeneration.objects.create(slug="2022", name="2022", valid_from=dt.date(2022, 5, 5))
    west = Ward.objects.create(
        gss_code="E05999001", name="West", slug="west", borough=borough, generation=new, boundary=square(-0.02, 51.5)
    )
    east = Ward.objects.create(
        gss_code="E05999002", name="East", slug="east", borough=borough, generation=new, boundary=square(-0.01, 51.5)
    )
    whole = Ward.objects.create(
        gss_code="E05999000",
        name="Whole",
        slug="whole",
        borough=borough,
        generation=old,
        boundary=square(-0.02, 51.5, 0.02),
    )
    return west, east, whole


def test_point_goes_to_the_ward_of_the_generation_in_force(two_generations):
    west, east, whole = two_generations
    assert Ward.objects.covering(51.505, -0.015, on=dt.date(2024, 1, 1)).first() == west
    assert Ward.objects.covering(51.505, -0.005, on=dt.date(2024, 1, 1)).first() == east
    assert Ward.objects.covering(51.505, -0.005, on=dt.date(2016, 1, 1)).first() == whole
    assert Ward.objects.covering(52.0, -0.005, on=dt.date(2024, 1, 1)).first() is None


def test_vectorised_lookup_matches_single_lookups(two_generations):
    west, east, _ = two_generations
    ids = geo.locate_ward_ids([51.505, 51.505, 40.0], [-0.015, -0.005, 0.0], on=dt.date(2024, 1, 1))
    assert list(ids) == [west.pk, east.pk, 0]


def test_vectorised_lookup_of_many_points_in_and_around_the_wards_matches_each_wards_own_test(two_generations):
    """Points outside the wards' joint bounds are never made geometries; every answer is still what testing
    each ward's boundary in turn gives (a point on the shared edge or the outer edge included: lowest id)."""
    import numpy as np
    import shapely

    west, east, _ = two_generations
    rng = np.random.default_rng(14)
    lats = np.concatenate([rng.uniform(51.49, 51.52, 400), [51.505, 51.5, 51.51, np.nan]])
    lngs = np.concatenate([rng.uniform(-0.03, 0.01, 400), [-0.01, -0.02, 0.0, -0.01]])
    ids = geo.locate_ward_ids(lats, lngs, on=dt.date(2024, 1, 1))
    shapes = [(w.pk, shapely.from_geojson(w.boundary)) for w in sorted([west, east], key=lambda w: w.pk)]
    expected = [
        next((pk for pk, shape in shapes if shape.intersects(shapely.Point(lng, lat))), 0)
        for lat, lng in zip(lats, lngs, strict=True)
    ]
    assert list(ids) == expected
    assert 0 < sum(expected.count(w.pk) for w in (west, east)) < len(expected)


@pytest.mark.django_db(transaction=True)
def test_index_is_rebuilt_after_boundaries_change(two_generations):
    west, east, _ = two_generations
    assert Ward.objects.covering(51.515, -0.005).first() is None
    east.boundary = square(-0.01, 51.5, 0.02)
    east.save()
    geo.boundaries_changed()
    assert Ward.objects.covering(51.515, -0.005).first() == east


def test_a_policeuk_boundary_becomes_geojson_and_back_with_its_parts_where_they_close():
    a = [(51.50, -0.10), (51.50, -0.09), (51.51, -0.09), (51.50, -0.10)]  # closed: a part ends here
    b = [(51.60, -0.20), (51.60, -0.19), (51.61, -0.19)]  # left open by the source
    geometry = geo.geometry_from_vertices(a + b)
    assert geometry == {
        "type": "MultiPolygon",
        "coordinates": [[[[lng, lat] for lat, lng in a]], [[[lng, lat] for lat, lng in b + b[:1]]]],
    }
    assert geo.outer_vertices(json.dumps(geometry)) == a + b + b[:1]
    assert geo.geometry_from_vertices(a) == {"type": "Polygon", "coordinates": [[[lng, lat] for lat, lng in a]]}
    assert geo.geometry_from_vertices([]) is None and geo.outer_vertices("") == []
    with pytest.raises(ValueError, match="its last part has 2 vertices"):
        geo.geometry_from_vertices(a + b[:2])
