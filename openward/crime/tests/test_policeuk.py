"""The police.uk-compatible crime and stop endpoints: shapes against real recorded responses, limits, errors."""

import datetime as dt
import json
from pathlib import Path

import pytest
from django.core.cache import cache

from openward.crime.analytics import scope
from openward.crime.models import Crime

from .factories import CrimeFactory, ForceFactory, OutcomeFactory, StopFactory, category

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    """Cached figures are keyed by primary-key maxima, which repeat between rolled-back tests."""
    cache.clear()
    scope._twins.clear()


# 0.01 degrees of latitude is about 1.11 km; a mile is 1.609 km.
CENTRE = (51.5, -0.1)


def shape(value):
    """A JSON value's shape: dict keys with their shapes, list element shape, scalar type names."""
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    return type(value).__name__


def fixture(shared_data: Path, *parts):
    return json.loads((shared_data / "policeuk-api-fixtures").joinpath(*parts).read_text())


@pytest.fixture
def crimes():
    met = ForceFactory()
    out = [
        CrimeFactory(
            force=met,
            latitude=CENTRE[0],
            longitude=CENTRE[1],
            street_id=883498,
            street_name="On or near Kate Street",
            outcome_category="Unable to prosecute suspect",
            outcome_month=dt.date(2025, 1, 1),
            location_subtype="ROAD",
        ),
        CrimeFactory(
            force=met, latitude=CENTRE[0] + 0.012, longitude=CENTRE[1], category=category("anti-social-behaviour")
        ),
        CrimeFactory(force=met, latitude=CENTRE[0] + 0.02, longitude=CENTRE[1]),  # 2.2 km: outside a mile
        CrimeFactory(force=met, latitude=CENTRE[0], longitude=CENTRE[1], month=dt.date(2024, 11, 1)),
        CrimeFactory(force=met, latitude=None, longitude=None, street_id=None, street_name="", location_type=""),
    ]
    return out


@pytest.mark.realdata
def test_crimes_street_within_one_mile_with_police_uk_shape(client, crimes, shared_data):
    response = client.get("/api/crimes-street/all-crime", {"lat": CENTRE[0], "lng": CENTRE[1], "date": "2024-12"})
    assert response.status_code == 200
    body = response.json()
    assert [c["id"] for c in body] == sorted([crimes[0].api_id, crimes[1].api_id])
    real = fixture(shared_data, "mozfest-2014", "crimes-street_all-crime_2014-08_lat51.5017355_lng0.0055388.json")
    with_outcome = next(c for c in real if c["outcome_status"])
    assert shape(body[0]) == shape(with_outcome)
    assert set(body[1]) == set(real[0])
    assert body[0]["location"] == {
        "latitude": "51.500000",
        "street": {"id": 883498, "name": "On or near Kate Street"},
        "longitude": "-0.100000",
    }
    assert body[0]["outcome_status"] == {"category": "Unable to prosecute suspect", "date": "2025-01"}
    assert body[1]["persistent_id"] == "" and body[1]["category"] == "anti-social-behaviour"


def test_crimes_street_by_category_and_latest_month_when_date_is_undefined(client, crimes):
    response = client.get("/api/crimes-street/burglary", {"lat": CENTRE[0], "lng": CENTRE[1], "date": "undefined"})
    assert [c["id"] for c in response.json()] == [crimes[0].api_id]
    assert (
        client.get("/api/crimes-street/burglary", {"lat": CENTRE[0], "lng": CENTRE[1], "date": "2024-11"}).json()[0][
            "month"
        ]
        == "2024-11"
    )
    assert client.get("/api/crimes-street/no-such-thing", {"lat": CENTRE[0], "lng": CENTRE[1]}).status_code == 404


def test_post_with_poly_matches_get(client, crimes):
    poly = (
        f"{CENTRE[0] - 0.005},{CENTRE[1] - 0.005}:{CENTRE[0] + 0.015},{CENTRE[1] - 0.005}:"
        f"{CENTRE[0] + 0.015},{CENTRE[1] + 0.005}:{CENTRE[0] - 0.005},{CENTRE[1] + 0.005}"
    )
    posted = client.post("/api/crimes-street/all-crime", {"poly": poly, "date": "2024-12"})
    got = client.get("/api/crimes-street/all-crime", {"poly": poly, "date": "2024-12"})
    assert posted.status_code == got.status_code == 200
    assert posted.json() == got.json()
    assert {c["id"] for c in posted.json()} == {crimes[0].api_id, crimes[1].api_id}


def test_more_than_ten_thousand_crimes_is_503(client):
    met = ForceFactory()
    burglary = category("burglary")
    Crime.objects.bulk_create(
        [
            Crime(
                force=met,
                month=dt.date(2024, 12, 1),
                category=burglary,
                latitude=CENTRE[0],
                longitude=CENTRE[1],
                street_id=1,
                street_name="On or near Busy Street",
            )
            for _ in range(10_001)
        ]
    )
    poly = f"{CENTRE[0] - 0.01},{CENTRE[1] - 0.01}:{CENTRE[0] + 0.01},{CENTRE[1]}:{CENTRE[0] - 0.01},{CENTRE[1] + 0.01}"
    response = client.post("/api/crimes-street/all-crime", {"poly": poly})
    assert response.status_code == 503
    assert "10,001" in response.json()["detail"]
    Crime.objects.filter(pk=Crime.objects.order_by("pk").first().pk).delete()
    assert len(client.post("/api/crimes-street/all-crime", {"poly": poly}).json()) == 10_000


def test_long_get_url_is_400_and_bad_input_is_400(client, crimes):
    points = ":".join(f"{CENTRE[0] + i * 1e-5:.6f},{CENTRE[1]:.6f}" for i in range(250))
    response = client.get("/api/crimes-street/all-crime", {"poly": points})
    assert response.status_code == 400
    assert "POST" in response.json()["detail"]
    assert client.get("/api/crimes-street/all-crime", {"lat": "north", "lng": "1"}).status_code == 400
    assert client.get("/api/crimes-street/all-crime").status_code == 400
    assert client.get("/api/crimes-street/all-crime", {"lat": 51.5, "lng": -0.1, "date": "2024-13"}).status_code == 400


def test_crime_categories_dates_and_last_updated(client, crimes):
    StopFactory(force=ForceFactory(slug="btp"), month=dt.date(2024, 12, 1))
    cats = client.get("/api/crime-categories", {"date": "2024-12"}).json()
    assert cats[0] == {"url": "all-crime", "name": "All crime"}
    assert {c["url"] for c in cats[1:]} == {"burglary", "anti-social-behaviour"}
    dates = client.get("/api/crimes-street-dates").json()
    assert dates == [{"date": "2024-12", "stop-and-search": ["btp"]}, {"date": "2024-11", "stop-and-search": []}]
    assert client.get("/api/crime-last-updated").json() == {"date": "2024-12-01"}


def test_crimes_at_location_by_id_and_by_nearest_point(client, crimes):
    by_id = client.get("/api/crimes-at-location", {"location_id": 883498, "date": "2024-12"}).json()
    assert [c["id"] for c in by_id] == [crimes[0].api_id]
    near = client.get("/api/crimes-at-location", {"lat": CENTRE[0] + 0.0005, "lng": CENTRE[1], "date": "2024-12"})
    assert [c["location"]["street"]["id"] for c in near.json()] == [883498]


@pytest.mark.realdata
def test_crimes_no_location(client, crimes, shared_data):
    body = client.get("/api/crimes-no-location", {"category": "all-crime", "force": "metropolitan"}).json()
    assert len(body) == 1
    assert body[0]["location"] is None and body[0]["location_type"] is None and body[0]["location_subtype"] == ""
    assert client.get("/api/crimes-no-location", {"category": "all-crime", "force": "nowhere"}).status_code == 404


@pytest.mark.realdata
def test_outcomes_for_crime_and_at_location(client, crimes, shared_data):
    crime = crimes[0]
    OutcomeFactory(
        persistent_id=crime.persistent_id,
        month=dt.date(2025, 1, 1),
        code="unable-to-prosecute",
        name="Unable to prosecute suspect",
        latitude=CENTRE[0],
        longitude=CENTRE[1],
    )
    OutcomeFactory(
        persistent_id=crime.persistent_id, month=dt.date(2024, 12, 1), latitude=CENTRE[0], longitude=CENTRE[1]
    )
    body = client.get(f"/api/outcomes-for-crime/{crime.persistent_id}").json()
    assert [o["date"] for o in body["outcomes"]] == ["2024-12", "2025-01"]
    real = fixture(shared_data, "police-data-kit-records", "case-history.json")
    assert set(body) == set(real)
    assert set(body["crime"]) == set(real["crime"])
    assert shape(body["outcomes"][0]) == shape(real["outcomes"][0])
    assert client.get("/api/outcomes-for-crime/" + "0" * 64).status_code == 404

    at = client.get("/api/outcomes-at-location", {"lat": CENTRE[0], "lng": CENTRE[1], "date": "2025-01"}).json()
    assert len(at) == 1
    assert shape(at[0]) == shape(fixture(shared_data, "go-ukpolice-tests", "outcomes-at-location.json")[0])
    by_street = client.get("/api/outcomes-at-location", {"location_id": 883498, "date": "2024-12"}).json()
    assert [o["category"]["code"] for o in by_street] == ["under-investigation"]


@pytest.mark.realdata
def test_stops_shapes_and_filters(client, shared_data):
    met = ForceFactory()
    near = StopFactory(
        force=met, latitude=CENTRE[0], longitude=CENTRE[1], street_id=883415, outcome_linked_to_object_of_search=True
    )
    StopFactory(force=met, latitude=None, longitude=None, street_id=None, street_name="")
    real = fixture(shared_data, "police-data-kit-records", "stop-and-search.json")
    body = client.get("/api/stops-force", {"force": "metropolitan", "date": "2024-12"}).json()
    assert len(body) == 2
    assert set(body[0]) == set(real)
    assert body[0]["datetime"] == "2024-12-06T22:45:00+00:00"
    assert body[0]["outcome_object"] == {"id": "bu-no-further-action", "name": "A no further action disposal"}
    street = client.get("/api/stops-street", {"lat": CENTRE[0], "lng": CENTRE[1]}).json()
    assert len(street) == 1 and street[0]["location"]["street"]["id"] == near.street_id
    assert shape(street[0]["location"]) == shape(real["location"])
    assert len(client.get("/api/stops-at-location", {"location_id": 883415}).json()) == 1
    assert len(client.get("/api/stops-no-location", {"force": "metropolitan"}).json()) == 1
    assert client.get("/api/stops-force", {"force": "atlantis"}).status_code == 404
    poly = f"{CENTRE[0] - 0.01},{CENTRE[1] - 0.01}:{CENTRE[0] + 0.01},{CENTRE[1]}:{CENTRE[0] - 0.01},{CENTRE[1] + 0.01}"
    assert len(client.post("/api/stops-street", {"poly": poly}).json()) == 1
