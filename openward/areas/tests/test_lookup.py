"""Look-ups: postcode → ward/borough/force/neighbourhood, point → neighbourhood, nearest front counter."""

import datetime as dt

import pytest

from openward.areas import selectors

from .factories import NeighbourhoodFactory, PostcodeFactory, WardFactory, WardGenerationFactory


@pytest.mark.parametrize("text", ["W21JQ", "w2 1jq", " W2  1JQ ", "w21jq\t"])
def test_postcode_in_any_spelling_finds_the_ward_team_and_force(place, text):
    found = selectors.postcode_lookup(text)
    assert found.postcode.display == "W2 1JQ"
    assert (found.ward_code, found.ward_name) == ("E05013807", "Bayswater")
    assert (found.borough_code, found.borough_name) == ("E09000033", "Westminster")
    assert (found.force_id, found.force_name) == ("metropolitan", "Metropolitan Police Service")
    assert (found.neighbourhood_id, found.neighbourhood_name) == ("E05013807", "Bayswater")


def test_postcode_lookup_costs_one_query(place, django_assert_num_queries):
    with django_assert_num_queries(1):
        selectors.postcode_lookup("W2 1JQ")


def test_point_lookup_costs_one_query_once_the_index_is_built(place, django_assert_num_queries):
    selectors.locate_neighbourhood(51.505, -0.185)
    with django_assert_num_queries(1):
        assert selectors.locate_neighbourhood(51.505, -0.175) == ("metropolitan", "E05013808")


def test_postcode_prefers_the_current_generation_and_current_team(place):
    old = WardGenerationFactory(slug="2014", valid_from=dt.date(2014, 5, 22), valid_to=dt.date(2022, 5, 4))
    old_ward = WardFactory(gss_code="E05013807", name="Old Bayswater", borough=place.borough, generation=old)
    NeighbourhoodFactory(ward=old_ward, code="OLD", force=place.force)
    NeighbourhoodFactory(ward=place.middle, code="ENDED", force=place.force, valid_to=dt.date(2023, 1, 1))
    found = selectors.postcode_lookup("W2 1JQ")
    assert (found.ward_name, found.neighbourhood_id) == ("Bayswater", "E05013807")


def test_invalid_postcode_says_what_a_postcode_looks_like(place):
    with pytest.raises(selectors.PostcodeInvalid) as err:
        selectors.postcode_lookup("hello")
    assert err.value.status == 400
    assert '"hello" is not a UK postcode' in str(err.value)
    assert "SW1A 1AA" in str(err.value)


def test_unknown_postcode_says_when_the_lookup_was_updated(place):
    with pytest.raises(selectors.PostcodeUnknown) as err:
        selectors.postcode_lookup("sw1a1zz")
    assert str(err.value) == (
        'Postcode "SW1A 1ZZ" is not in our lookup (last updated 2025-04-15). Check it, or try a nearby postcode.'
    )
    assert err.value.status == 404


def test_unknown_postcode_before_any_import_says_so(db):
    with pytest.raises(selectors.PostcodeUnknown, match="no postcode data has been loaded yet"):
        selectors.postcode_lookup("SW1A 1ZZ")


def test_terminated_postcode_says_when_and_suggests_the_nearest_live_one_in_its_sector(place):
    with pytest.raises(selectors.PostcodeTerminated) as err:
        selectors.postcode_lookup("W2 1JR")
    assert err.value.terminated == dt.date(2019, 3, 1)
    # W2 1JQ sits at the terminated postcode's point; W2 1JS and W2 1JT are further away.
    assert str(err.value.suggestion) == "W2 1JQ"
    assert "terminated on 1 March 2019" in str(err.value)
    assert '"W2 1JQ"' in str(err.value)


def test_terminated_postcode_with_no_live_neighbour_in_its_sector(place):
    PostcodeFactory(compact="E17AA", ward=place.west, terminated=dt.date(2020, 1, 31))
    # E1 7AB would share the sector; E17 7AA (a longer outcode) must not count as the same sector.
    PostcodeFactory(compact="E177AA", ward=place.west)
    with pytest.raises(selectors.PostcodeTerminated) as err:
        selectors.postcode_lookup("E1 7AA")
    assert err.value.suggestion is None
    assert "terminated on 31 January 2020" in str(err.value)


def test_postcode_with_a_ward_code_we_do_not_hold_is_placed_by_its_point(place):
    PostcodeFactory(
        compact="W21AB", ward=None, ward_code="E05999999", latitude=51.505, longitude=-0.175, borough_code=""
    )
    assert selectors.postcode_lookup("W2 1AB").ward_code == place.east.gss_code


def test_postcode_outside_every_ward(place):
    PostcodeFactory(compact="TR11AA", ward=None, latitude=50.26, longitude=-5.05)
    with pytest.raises(selectors.PostcodeUnknown, match="outside the wards we cover"):
        selectors.postcode_lookup("TR1 1AA")


def test_point_finds_the_neighbourhood_covering_it(place):
    assert selectors.locate_neighbourhood(51.505, -0.185) == ("metropolitan", "E05013807")
    assert selectors.locate_neighbourhood(51.505, -0.195) == ("metropolitan", "E05013806")
    assert selectors.locate_neighbourhood(40.0, -0.185) is None


def test_point_in_a_ward_without_a_team(place):
    lone = WardFactory(borough=place.borough, square=(-0.30, 51.40, 0.01))
    assert selectors.locate_neighbourhood(51.405, -0.295) is None
    assert lone.neighbourhoods.count() == 0


def test_nearest_front_counter_is_the_closest_station_that_has_one(place):
    found = selectors.nearest_front_counter(place.middle)
    assert found.station == place.near_station
    # Ward centre (51.505, -0.185) to (51.505, -0.182): 0.003° of longitude at 51.5°N.
    expected = selectors.distance_km(51.505, -0.185, 51.505, -0.182)
    assert found.distance_km == pytest.approx(expected)
    assert 0.20 < found.distance_km < 0.21


def test_opening_hours_read_as_days(place):
    hours = selectors.opening_hours(place.near_station)
    assert hours[0] == ("Monday", "08:00 to 20:00")
    assert hours[-1] == ("Sunday", "Closed")


def test_neighbouring_wards_are_symmetrical(place):
    assert [w.name for w in selectors.neighbouring_wards(place.middle)] == ["Abbey Road", "Church Street"]
    assert [w.name for w in selectors.neighbouring_wards(place.west)] == ["Bayswater"]


def test_ward_by_code_rejects_malformed_codes_without_a_query(place, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert selectors.ward_by_code("E05\x00") is None
        assert selectors.ward_by_code("x" * 500) is None
    assert selectors.ward_by_code("E05013807") == place.middle
