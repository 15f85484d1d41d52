"""Open Ward's own areas API under /api/v1/."""

import json

import pytest

from openward.api import api

from .factories import WardFactory, WardGenerationFactory


@pytest.mark.parametrize("typed", ["w21jq", "W2%201JQ", "%20W2%20%201JQ%20"])
def test_postcode_lookup(client, place, typed):
    response = client.get(f"/api/v1/postcodes/{typed}")
    assert response.status_code == 200
    assert response.json() == {
        "postcode": "W2 1JQ",
        "latitude": pytest.approx(51.505),
        "longitude": pytest.approx(-0.185),
        "ward": {"code": "E05013807", "name": "Bayswater"},
        "borough": {"code": "E09000033", "name": "Westminster"},
        "force": {"id": "metropolitan", "name": "Metropolitan Police Service"},
        "neighbourhood": {"id": "E05013807", "name": "Bayswater", "force": "metropolitan"},
        "url": "/wards/E05013807/",
        "is_demo": False,
    }


@pytest.mark.parametrize(
    "typed, status, message",
    [
        ("banana", 400, '"banana" is not a UK postcode.'),
        ("SW1A1ZZ", 404, 'Postcode "SW1A 1ZZ" is not in our lookup (last updated 2025-04-15).'),
        ("W21JR", 404, 'terminated on 1 March 2019. Try a nearby postcode that is still in use, such as "W2 1JQ".'),
        ("%00", 400, "is not a UK postcode"),
    ],
)
def test_postcode_errors_carry_the_same_messages_as_the_page(client, place, typed, status, message):
    response = client.get(f"/api/v1/postcodes/{typed}")
    assert response.status_code == status
    assert message in response.json()["detail"]


def test_postcode_lookup_costs_one_query(client, place, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        client.get("/api/v1/postcodes/W21JQ")


def test_ward(client, place):
    body = client.get("/api/v1/wards/E05013807").json()
    assert body["code"] == "E05013807" and body["name"] == "Bayswater"
    assert body["borough"] == {"code": "E09000033", "name": "Westminster"}
    assert body["generation"] == {
        "slug": "2022",
        "name": "London wards from May 2022",
        "valid_from": "2022-05-05",
        "valid_to": None,
    }
    assert [n["code"] for n in body["neighbours"]] == ["E05013806", "E05013808"]
    assert body["clusters"] == [{"slug": "west-end", "name": "West End cluster", "is_demo": False}]
    assert body["team"]["id"] == "E05013807" and body["team"]["force"] == "metropolitan"
    assert [p["name"] for p in body["team"]["people"]] == ["Ada Lovelace", "Alan Turing"]
    assert body["nearest_front_counter"]["name"] == "Paddington Green"
    assert body["nearest_front_counter"]["opening_hours"]["sun"] == []
    assert body["boundary"] == json.loads(place.middle.boundary)
    assert body["centre"] == {"latitude": pytest.approx(51.505), "longitude": pytest.approx(-0.185)}


def test_ward_by_generation(client, place):
    old = WardGenerationFactory(slug="2014", name="2014 wards", valid_to="2022-05-04", valid_from="2014-05-22")
    WardFactory(gss_code="E05013807", name="Old Bayswater", borough=place.borough, generation=old)
    assert client.get("/api/v1/wards/E05013807").json()["name"] == "Bayswater"
    body = client.get("/api/v1/wards/E05013807?generation=2014").json()
    assert body["name"] == "Old Bayswater" and body["generation"]["valid_to"] == "2022-05-04"


def test_ward_boundary_is_a_geojson_feature(client, place):
    body = client.get("/api/v1/wards/E05013807/boundary").json()
    assert body["type"] == "Feature"
    assert body["properties"] == {"code": "E05013807", "name": "Bayswater", "borough_code": "E09000033"}
    assert body["geometry"]["coordinates"][0][0] == [-0.19, 51.5]


def test_boroughs_and_clusters(client, place, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        boroughs = client.get("/api/v1/boroughs").json()
    assert [b["code"] for b in boroughs] == ["E09000033"]
    body = client.get("/api/v1/boroughs/E09000033").json()
    assert [w["name"] for w in body["wards"]] == ["Abbey Road", "Bayswater", "Church Street"]
    assert body["force"] == "metropolitan"
    geo = client.get("/api/v1/boroughs/E09000033/wards.geojson").json()
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) == 3
    assert client.get("/api/v1/clusters").json() == [{"slug": "west-end", "name": "West End cluster", "is_demo": False}]
    cluster = client.get("/api/v1/clusters/west-end").json()
    assert [w["code"] for w in cluster["wards"]] == ["E05013807", "E05013808"]
    assert cluster["borough"] == {"code": "E09000033", "name": "Westminster"}
    assert len(client.get("/api/v1/clusters/west-end/wards.geojson").json()["features"]) == 2


def test_borough_api_query_count_does_not_grow_with_wards(client, place, django_assert_max_num_queries):
    for _ in range(15):
        WardFactory(borough=place.borough)
    with django_assert_max_num_queries(5):
        assert len(client.get("/api/v1/boroughs/E09000033").json()["wards"]) == 18


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/wards/E05999999",
        "/api/v1/wards/%00",
        "/api/v1/wards/E05999999/boundary",
        "/api/v1/boroughs/nope",
        "/api/v1/boroughs/E09999999/wards.geojson",
        "/api/v1/clusters/nope",
        "/api/v1/clusters/%F0%9F%92%A9",
        "/api/v1/clusters/nope/wards.geojson",
    ],
)
def test_unknown_areas_are_json_404s(client, place, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.json()["detail"]


def test_every_areas_operation_is_typed_in_the_schema():
    schema = api.get_openapi_schema()
    ours = {p: ops for p, ops in schema["paths"].items() if p.startswith(("/api/v1/postcodes", "/api/v1/wards"))}
    assert ours
    for path, ops in ours.items():
        for op in ops.values():
            responses = {str(k): v for k, v in op["responses"].items()}
            # An area named in the path may not exist (404); a box of wards may only be malformed (400).
            assert "200" in responses and ("404" if "{" in path else "400") in responses, path
            assert responses["200"]["content"]["application/json"]["schema"], path
