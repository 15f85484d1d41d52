"""The one ward resolver (Ward.objects.by_code / covering) and its rules, used by every app."""

import datetime as dt
import json

import pytest
import shapely
from django.core.cache import cache
from django.http import Http404

from openward.areas import geo, selectors
from openward.areas.importers.teams import NeighbourhoodTeamImporter
from openward.areas.models import Neighbourhood, Ward
from openward.core import access
from openward.crime.analytics.scope import ScopeError, ward_scope
from openward.engagement import places as engagement_places
from openward.priorities import places as priorities_places

from .factories import WardFactory, WardGenerationFactory, bounded_fields, square_geometry

pytestmark = pytest.mark.django_db


@pytest.fixture
def generations():
    old = WardGenerationFactory(slug="2014", name="Wards 2014 to 2022", valid_from=dt.date(2014, 5, 22))
    old.valid_to = dt.date(2022, 5, 4)
    old.save()
    new = WardGenerationFactory(slug="2022", name="Wards from 2022", valid_from=dt.date(2022, 5, 5))
    return old, new


def _ward(code, generation, lng, name):
    return WardFactory(gss_code=code, generation=generation, name=name, **bounded_fields(square_geometry(lng, 51.5)))


@pytest.fixture
def wards(generations):
    old, new = generations
    # The same code in both generations (kept through the boundary review), created newest first so
    # "highest id" and "current generation" disagree; and a code that was abolished in 2022.
    kept_new = _ward("E05000001", new, -0.02, "Kept (2022)")
    kept_old = _ward("E05000001", old, -0.02, "Kept (2014)")
    abolished = _ward("E05000002", old, -0.01, "Abolished")
    cache.set(geo.VERSION_KEY, cache.get(geo.VERSION_KEY, 0) + 1, timeout=None)
    return kept_new, kept_old, abolished


def test_current_generation_first_even_when_the_old_ward_is_newer(wards, generations):
    kept_new, kept_old, _ = wards
    assert kept_old.pk > kept_new.pk
    assert Ward.objects.by_code("E05000001") == kept_new
    # A named generation wins, by slug or by the generation itself.
    assert Ward.objects.by_code("E05000001", "2014") == kept_old
    assert Ward.objects.by_code("E05000001", generations[0]) == kept_old
    # Codes are read as people type them.
    assert Ward.objects.by_code(" e05000001 ") == kept_new


def test_an_abolished_ward_is_still_found_by_its_code(wards):
    _, _, abolished = wards
    assert Ward.objects.by_code("E05000002") == abolished
    assert Ward.objects.by_code("E05000002", "2022") is None


@pytest.mark.parametrize("code", ["E05999999", "", None, "E0500000", "not a code", "E05000001; drop"])
def test_unknown_or_malformed_codes_find_nothing(wards, code):
    assert Ward.objects.by_code(code) is None


def test_when_no_generation_is_in_force_the_newest_generation_wins(wards, generations):
    old, new = generations
    new.valid_to = dt.date(2023, 1, 1)
    new.save()
    kept_new, kept_old, _ = wards
    assert Ward.objects.by_code("E05000001") == kept_new
    # On a date inside the old generation, the old ward is the one in force.
    assert Ward.objects.filter(gss_code="E05000001").in_force_first(on=dt.date(2020, 1, 1)).first() == kept_old


def test_covering_finds_the_ward_of_the_generation_at_a_point(wards, generations):
    kept_new, kept_old, abolished = wards
    assert list(Ward.objects.covering(51.505, -0.015)) == [kept_new]
    assert list(Ward.objects.covering(51.505, -0.015, generation=generations[0])) == [kept_old]
    # The abolished ward's place is in no ward of today's generation.
    assert list(Ward.objects.covering(51.505, -0.005)) == []
    assert list(Ward.objects.covering(51.505, -0.005, on=dt.date(2020, 1, 1))) == [abolished]


def test_every_app_resolves_codes_the_same_way(wards, rf):
    kept_new, _, abolished = wards
    for code, expected in (("E05000001", kept_new), ("E05000002", abolished)):
        assert selectors.ward_by_code(code) == expected
        assert ward_scope(code).extra["generation"] == expected.generation
        assert selectors.ward_or_404(code) == expected
        assert engagement_places.area_by("ward", code) == expected
        assert priorities_places.ward_area(rf.get("/"), code) == expected
    # One refusal, in the same words, whichever app asks.
    for ask in (selectors.ward_or_404, lambda c: engagement_places.area_by("ward", c)):
        with pytest.raises(Http404, match='There is no ward with the code "E05999999". Ward codes look like'):
            ask("E05999999")
        assert access.ward_from()(rf.get("/"), gss_code=code) == expected
    assert selectors.ward_by_code("E05000001", "2014").generation.slug == "2014"
    with pytest.raises(ScopeError, match="no ward with the code"):
        ward_scope("E05999999")


def test_a_team_file_attaches_each_neighbourhood_to_the_ward_in_force(wards, tmp_path):
    kept_new, _, abolished = wards
    path = tmp_path / "teams.json"
    path.write_text(
        json.dumps(
            {
                "force": "metropolitan",
                "neighbourhoods": [
                    {"id": "E05000001", "name": "Kept", "people": []},
                    {"id": "AB1", "name": "Named", "ward": "e05000002", "people": []},
                ],
            }
        )
    )
    NeighbourhoodTeamImporter(path, commit=True).run()
    assert Neighbourhood.objects.get(code="E05000001").ward == kept_new
    assert Neighbourhood.objects.get(code="AB1").ward == abolished


def test_shares_of_a_shape_decide_the_successor_and_a_synced_neighbourhood_s_ward(wards, generations):
    from openward.policeuk.sync.fetch import ward_by_overlap

    kept_new, _, abolished = wards
    old, new = generations
    # The abolished ward's place is in no ward of 2022 until one covers 95% of it.
    assert geo.successor(abolished, new).ward is None
    wider = _ward("E05000003", new, -0.0095, "Wider")
    found = geo.successor(abolished, new)
    assert found.ward == wider and [w for w, _ in found.overlaps] == [wider]
    assert found.overlaps[0][1] == pytest.approx(0.95)
    # A kept code is followed by its own ward.
    assert geo.successor(wards[1], new).ward == kept_new
    # A police.uk boundary mostly over the kept ward (and a little over the wider one) belongs to it.
    points = [(51.5, -0.018), (51.5, -0.008), (51.51, -0.008), (51.51, -0.018)]
    assert ward_by_overlap(points) == "E05000001"
    shares = geo.shares_of(shapely.Polygon([(lng, lat) for lat, lng in points]), new)
    assert [(w, round(share, 2)) for w, share in shares] == [(kept_new, 0.8), (wider, 0.15)]
    assert ward_by_overlap([(51.5, 0.5), (51.5, 0.6), (51.6, 0.6)]) is None
