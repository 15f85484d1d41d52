"""locate-neighbourhood by the boundaries the sync stores for forces that draw their own neighbourhoods.

The test place has three Met wards side by side (Abbey Road, Bayswater, Church Street: squares 0.01°
wide from -0.20 to -0.17, latitude 51.50 to 51.51), each its own neighbourhood through its GSS code.
"""

import json

import pytest

from openward.areas import geo, selectors
from openward.areas.importers.teams import NeighbourhoodTeamImporter
from openward.areas.models import Neighbourhood

from .factories import ForceFactory, NeighbourhoodFactory


def square(west: float, south: float, size: float) -> str:
    ring = [[west, south], [west + size, south], [west + size, south + size], [west, south + size], [west, south]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


def police_uk_boundary(west: float, south: float, size: float) -> list[dict]:
    """A square as police.uk lists a boundary: latitude/longitude strings, the ring closed."""
    corners = [(south, west), (south, west + size), (south + size, west + size), (south + size, west), (south, west)]
    return [{"latitude": str(lat), "longitude": str(lng)} for lat, lng in corners]


@pytest.fixture
def surrey(place):
    """A force whose neighbourhood SY01 is drawn across the Bayswater / Church Street edge: the sync tied it
    to Bayswater (where most of it lies), but its eastern part is in Church Street."""
    force = ForceFactory(slug="surrey", name="Surrey Police")
    return NeighbourhoodFactory(
        force=force, ward=place.middle, code="SY01", name="Sy One", boundary=square(-0.186, 51.502, 0.008)
    )


def test_a_point_in_a_neighbourhood_boundary_but_another_ward_finds_that_neighbourhood(client, surrey):
    # 51.505,-0.1795 is in Church Street (from -0.18) and inside SY01 (to -0.178).
    assert selectors.locate_neighbourhood(51.505, -0.1795) == ("surrey", "SY01")
    response = client.get("/api/locate-neighbourhood", {"q": "51.505,-0.1795"})
    assert response.status_code == 200
    assert response.json() == {"force": "surrey", "neighbourhood": "SY01"}


def test_outside_the_boundary_the_ward_team_answers(surrey):
    # Church Street east of SY01; Bayswater west of it and south of it: their own Met neighbourhoods.
    assert selectors.locate_neighbourhood(51.505, -0.175) == ("metropolitan", "E05013808")
    assert selectors.locate_neighbourhood(51.505, -0.188) == ("metropolitan", "E05013807")
    assert selectors.locate_neighbourhood(51.5005, -0.185) == ("metropolitan", "E05013807")


def test_a_neighbourhood_tied_to_no_ward_is_found_by_its_boundary(place):
    force = ForceFactory(slug="dyfed-powys", name="Dyfed-Powys Police")
    NeighbourhoodFactory(force=force, ward=None, code="CC1", name="Coast", boundary=square(-4.1, 52.4, 0.1))
    assert selectors.locate_neighbourhood(52.45, -4.05) == ("dyfed-powys", "CC1")
    assert selectors.locate_neighbourhood(52.55, -4.05) is None  # north of it: no ward, no neighbourhood


def test_overlapping_boundaries_give_the_smaller_neighbourhood(place):
    force = ForceFactory(slug="dyfed-powys", name="Dyfed-Powys Police")
    NeighbourhoodFactory(force=force, ward=None, code="BIG", boundary=square(-4.2, 52.3, 0.3))
    NeighbourhoodFactory(force=force, ward=None, code="TOWN", boundary=square(-4.1, 52.4, 0.02))
    assert selectors.locate_neighbourhood(52.41, -4.09) == ("dyfed-powys", "TOWN")
    assert selectors.locate_neighbourhood(52.35, -4.15) == ("dyfed-powys", "BIG")


def test_an_ended_neighbourhood_is_not_found_by_its_boundary(place, surrey):
    Neighbourhood.objects.filter(pk=surrey.pk).update(valid_to="2020-01-01")
    assert selectors.locate_neighbourhood(51.505, -0.1795) == ("metropolitan", "E05013808")


def test_a_ward_prefers_its_team_without_a_boundary_of_its_own(place):
    """A point in Bayswater outside SY02's boundary: Bayswater's Met team, although SY02 (tied to Bayswater
    too) comes first in the ward's list."""
    Neighbourhood.objects.filter(code="E05013807").delete()
    force = ForceFactory(slug="surrey", name="Surrey Police")
    NeighbourhoodFactory(force=force, ward=place.middle, code="SY02", boundary=square(-0.19, 51.505, 0.005))
    NeighbourhoodFactory(force=place.force, ward=place.middle, code="E05013807")
    assert selectors.locate_neighbourhood(51.502, -0.185) == ("metropolitan", "E05013807")
    assert selectors.locate_neighbourhood(51.507, -0.185) == ("surrey", "SY02")


def test_a_ward_whose_only_team_has_its_own_boundary_still_has_a_team_at_its_edge(place):
    """Boundaries drawn a little off the ward's leave slivers: a point in such a sliver goes to the team the
    sync tied to the ward, not to nobody."""
    Neighbourhood.objects.filter(code="E05013806").delete()
    force = ForceFactory(slug="surrey", name="Surrey Police")
    NeighbourhoodFactory(force=force, ward=place.west, code="SY03", boundary=square(-0.1995, 51.5, 0.0095))
    assert selectors.locate_neighbourhood(51.505, -0.1998) == ("surrey", "SY03")


def test_found_by_boundary_without_a_query_once_the_index_is_built(surrey, django_assert_num_queries):
    selectors.locate_neighbourhood(51.505, -0.175)  # builds both indexes
    with django_assert_num_queries(0):
        assert selectors.locate_neighbourhood(51.505, -0.1795) == ("surrey", "SY01")


def test_an_import_that_moves_a_boundary_is_seen_by_the_next_look_up(
    tmp_path, surrey, django_capture_on_commit_callbacks
):
    """The index is kept per process: the teams importer tells every process to rebuild it."""
    assert selectors.locate_neighbourhood(51.505, -0.1795) == ("surrey", "SY01")
    moved = {
        "force": "surrey",
        "neighbourhoods": [
            {"id": "SY01", "name": "Sy One", "ward": "E05013806", "boundary": police_uk_boundary(-0.2, 51.5, 0.005)}
        ],
    }
    path = tmp_path / "surrey-teams.json"
    path.write_text(json.dumps(moved))
    with django_capture_on_commit_callbacks(execute=True):
        NeighbourhoodTeamImporter(path, commit=True).run()
    assert selectors.locate_neighbourhood(51.505, -0.1795) == ("metropolitan", "E05013808")
    assert selectors.locate_neighbourhood(51.502, -0.198) == ("surrey", "SY01")


def test_many_neighbourhoods_are_indexed_once(place, django_assert_num_queries):
    """A force of 400 neighbourhoods: one query builds the index; each look-up after it asks nothing."""
    force = ForceFactory(slug="dyfed-powys", name="Dyfed-Powys Police")
    Neighbourhood.objects.bulk_create(
        Neighbourhood(
            force=force, code=f"N{i}", name=f"N{i}", boundary=square(-4 + (i % 20) * 0.01, 52 + (i // 20) * 0.01, 0.01)
        )
        for i in range(400)
    )
    with django_assert_num_queries(1):
        geo.neighbourhood_index()
    with django_assert_num_queries(0):
        for i in range(0, 400, 37):
            lng, lat = -4 + (i % 20) * 0.01 + 0.005, 52 + (i // 20) * 0.01 + 0.005
            assert selectors.locate_neighbourhood(lat, lng) == ("dyfed-powys", f"N{i}")
