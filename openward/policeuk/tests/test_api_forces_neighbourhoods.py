"""police.uk-compatible forces and neighbourhoods endpoints, checked against recorded police.uk responses."""

import json
import re

import pytest

from openward.areas.tests.factories import StationFactory

from .shapes import assert_same_shape

FIXTURES = "policeuk-api-fixtures"


@pytest.fixture
def recorded(shared_data):
    def load(name):
        return json.loads((shared_data / FIXTURES / name).read_text())

    return load


def test_forces_lists_every_force_but_btp(client, place):
    response = client.get("/api/forces")
    assert response.status_code == 200
    assert response.json() == [{"id": "metropolitan", "name": "Metropolitan Police Service"}]


def test_force_detail(client, place):
    body = client.get("/api/forces/metropolitan").json()
    assert body == {
        "id": "metropolitan",
        "name": "Metropolitan Police Service",
        "description": "<p>The police force for Greater London, excluding the City of London.</p>",
        "url": "https://www.met.police.uk/",
        "telephone": "101",
        "engagement_methods": [{"url": "https://www.met.police.uk/", "description": "Our website", "title": "Website"}],
    }


def test_force_people_are_the_senior_officers_only(client, place):
    body = client.get("/api/forces/metropolitan/people").json()
    assert body == [{"name": "Mark Rowley", "rank": "Commissioner", "bio": None, "contact_details": {}}]


@pytest.mark.parametrize(
    "path",
    [
        "/api/forces/nowhere",
        "/api/forces/nowhere/people",
        "/api/forces/NOT%20A%20FORCE",
        "/api/nowhere/neighbourhoods",
        "/api/nowhere/E05013807",
        "/api/metropolitan/NOPE",
        "/api/metropolitan/NOPE/boundary",
        "/api/metropolitan/NOPE/people",
        "/api/metropolitan/%00%ff",
        "/api/" + "x" * 300 + "/y",
    ],
)
def test_unknown_force_or_neighbourhood_is_a_json_404(client, place, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]


def test_neighbourhoods_of_a_force(client, place):
    body = client.get("/api/metropolitan/neighbourhoods").json()
    assert body == [
        {"id": "E05013806", "name": "Abbey Road"},
        {"id": "E05013807", "name": "Bayswater"},
        {"id": "E05013808", "name": "Church Street"},
    ]


def test_neighbourhood_detail(client, place):
    body = client.get("/api/metropolitan/E05013807").json()
    assert body["id"] == "E05013807" and body["name"] == "Bayswater"
    assert body["population"] == "12000"
    assert body["centre"] == {"latitude": "51.505", "longitude": "-0.185"}
    assert body["contact_details"] == {"email": "bayswater@met.police.uk"}
    # No station is linked to the team, so the nearest front counter stands in.
    assert [loc["name"] for loc in body["locations"]] == ["Paddington Green"]
    assert body["locations"][0] == {
        "name": "Paddington Green",
        "type": "station",
        "address": "2 Harrow Road\nLondon",
        "postcode": "W2 1XJ",
        "latitude": "51.505",
        "longitude": "-0.182",
        "description": None,
    }


def test_neighbourhood_lists_its_own_front_counters(client, place):
    own = StationFactory(force=place.force, name="Bayswater Counter", latitude=51.6, longitude=-0.3)
    own.neighbourhoods.add(place.neighbourhood)
    StationFactory(force=place.force, name="Linked, no counter", has_front_counter=False).neighbourhoods.add(
        place.neighbourhood
    )
    assert [loc["name"] for loc in client.get("/api/metropolitan/E05013807").json()["locations"]] == [
        "Bayswater Counter"
    ]


def test_boundary_is_the_outer_ring_as_strings(client, place):
    body = client.get("/api/metropolitan/E05013807/boundary").json()
    assert body == [
        {"latitude": "51.5", "longitude": "-0.19"},
        {"latitude": "51.5", "longitude": "-0.18"},
        {"latitude": "51.51", "longitude": "-0.18"},
        {"latitude": "51.51", "longitude": "-0.19"},
        {"latitude": "51.5", "longitude": "-0.19"},
    ]


def test_boundary_of_a_multipolygon_walks_every_outer_ring(client, place):
    ward = place.west
    squares = [
        [
            [[0.0, 51.0], [0.1, 51.0], [0.1, 51.1], [0.0, 51.0]],
            [[0.01, 51.01], [0.02, 51.01], [0.02, 51.02], [0.01, 51.01]],
        ],
        [[[1.0, 52.0], [1.1, 52.0], [1.1, 52.1], [1.0, 52.0]]],
    ]
    ward.boundary = json.dumps({"type": "MultiPolygon", "coordinates": squares})
    ward.save()
    body = client.get(f"/api/metropolitan/{ward.gss_code}/boundary").json()
    assert len(body) == 8  # two outer rings of four points; the hole is not a boundary vertex
    assert body[4] == {"latitude": "52", "longitude": "1"}


def test_neighbourhood_people(client, place):
    assert client.get("/api/metropolitan/E05013807/people").json() == [
        {"name": "Ada Lovelace", "rank": "Sergeant", "bio": None, "contact_details": {}},
        {"name": "Alan Turing", "rank": "PC", "bio": None, "contact_details": {}},
    ]


def test_locate_neighbourhood(client, place):
    response = client.get("/api/locate-neighbourhood", {"q": "51.505,-0.185"})
    assert response.status_code == 200
    assert response.json() == {"force": "metropolitan", "neighbourhood": "E05013807"}
    assert client.get("/api/locate-neighbourhood", {"q": "51.505,-0.175"}).json()["neighbourhood"] == "E05013808"


@pytest.mark.parametrize(
    "q, status",
    [("40.0,-3.7", 404), ("", 400), ("51.5", 400), ("a,b", 400), ("91,0", 400), ("nan,0", 400), ("1,2,3", 400)],
)
def test_locate_neighbourhood_outside_or_malformed(client, place, q, status):
    response = client.get("/api/locate-neighbourhood", {"q": q})
    assert response.status_code == status
    assert response.json()["detail"]


def test_locate_neighbourhood_costs_one_query(client, place, django_assert_max_num_queries):
    client.get("/api/locate-neighbourhood", {"q": "51.505,-0.185"})  # builds the per-process index
    with django_assert_max_num_queries(1):
        client.get("/api/locate-neighbourhood", {"q": "51.505,-0.185"})


def test_routes_have_no_trailing_slash(client, place):
    assert client.get("/api/forces").status_code == 200
    assert client.get("/api/metropolitan/E05013807/boundary").status_code == 200


@pytest.fixture
def complete(place):
    """The test London with every field police.uk can fill filled, so a shape test has something to compare."""
    from openward.areas.models import TeamMember

    TeamMember.objects.filter(name="Mark Rowley").update(
        bio="<p>The Commissioner.</p>", contact_details={"twitter": "https://twitter.com/metpoliceuk"}
    )
    place.neighbourhood.links = [{"url": "https://www.westminster.gov.uk/", "description": None, "title": "Council"}]
    place.neighbourhood.save()
    for member in (place.sergeant, place.constable):
        member.bio = f"<p>{member.name} has worked in Bayswater for years.</p>"
        member.contact_details = {"email": "bayswater@met.police.uk"}
        member.save()
    return place


@pytest.mark.realdata
@pytest.mark.parametrize(
    "path, fixture",
    [
        ("/api/forces", "go-ukpolice-tests/forces.json"),
        ("/api/forces/metropolitan", "go-ukpolice-tests/forces__leicestershire.json"),
        ("/api/forces/metropolitan", "police-data-kit-records/police-force.json"),
        ("/api/forces/metropolitan/people", "go-ukpolice-tests/forces__leicestershire__people.json"),
        ("/api/metropolitan/neighbourhoods", "go-ukpolice-tests/leicestershire__neighbourhoods.json"),
        ("/api/metropolitan/E05013807", "go-ukpolice-tests/leicestershire__NC04.json"),
        ("/api/metropolitan/E05013807", "police-data-kit-records/neighbourhood.json"),
        ("/api/metropolitan/E05013807/boundary", "go-ukpolice-tests/leicestershire__NC04__boundary.json"),
        ("/api/metropolitan/E05013807/people", "go-ukpolice-tests/leicestershire__NC04__people.json"),
        ("/api/locate-neighbourhood?q=51.505,-0.185", "go-ukpolice-tests/locate-neighbourhood.json"),
    ],
)
def test_responses_have_the_recorded_police_uk_shape(client, complete, recorded, path, fixture):
    response = client.get(path)
    assert response.status_code == 200
    assert_same_shape(response.json(), recorded(fixture))


@pytest.mark.realdata
def test_a_recorded_location_has_our_location_shape(client, complete, recorded):
    body = client.get("/api/metropolitan/E05013807").json()
    assert_same_shape(body["locations"][0], recorded("police-data-kit-records/neighbourhood-location.json"))
    assert_same_shape(body["centre"], recorded("police-data-kit-records/coordinate.json"))


def print_as_ukpol_cli_does(area: dict, force: dict) -> str:
    """What ukpol-cli's `area` and `force` commands do with the answers: pad and strip every printed field."""
    lines = [f"{key.ljust(10)}: {value.ljust(20)}" for key, value in area["contact_details"].items()]
    lines.append(re.sub("<[^<]+?>", "", area["description"]) or "No Description")
    lines += [f"{key.ljust(10)}: {area[key].ljust(10)}" for key in ("id", "name", "url_force", "population")]
    lines += [f"{link['title'].ljust(10)}: {link['url'].ljust(20)}" for link in area["links"]]
    lines += [f"{m['title'].ljust(10)}: {m['url'].ljust(20)}" for m in force["engagement_methods"]]
    return "\n".join(lines)


@pytest.fixture
def blank_team(place):
    """A team police.uk knows little about: no page on the force's site, no description, a link without a url."""
    place.neighbourhood.url_force = ""
    place.neighbourhood.description = ""
    place.neighbourhood.links = [{"title": "Ward panel", "url": None, "description": None}]
    place.neighbourhood.save()
    place.force.engagement_methods = [{"title": "Telephone", "url": None, "description": "101"}]
    place.force.save()
    return place


def test_neighbourhood_detail_never_sends_null_where_police_uk_sends_a_string(client, blank_team):
    """ukpol-cli's `area <postcode>` crashed on "url_force": null (issue 15)."""
    area = client.get("/api/metropolitan/E05013807").json()
    force = client.get("/api/forces/metropolitan").json()
    assert (area["url_force"], area["description"], area["links"][0]["url"]) == ("", "", "")
    assert force["engagement_methods"][0]["url"] == ""
    printed = print_as_ukpol_cli_does(area, force)
    assert "No Description" in printed and "bayswater@met.police.uk" in printed


def test_neighbourhood_detail_sends_the_teams_page_when_known(client, place):
    assert client.get("/api/metropolitan/E05013807").json()["url_force"] == place.neighbourhood.url_force != ""


@pytest.mark.realdata
def test_blank_fields_keep_police_uks_recorded_types(client, blank_team, recorded):
    """Every field the recorded police.uk answers send as a string is a string here, even when unknown."""
    area = client.get("/api/metropolitan/E05013807").json()
    force = client.get("/api/forces/metropolitan").json()
    for ours, theirs in (
        (area, recorded("go-ukpolice-tests/leicestershire__NC04.json")),
        (area, recorded("police-data-kit-records/neighbourhood.json")),
        (area["links"][0], recorded("go-ukpolice-tests/leicestershire__NC04.json")["links"][0]),
        (force["engagement_methods"][0], recorded("police-data-kit-records/engagement-method.json")),
        (
            force["engagement_methods"][0],
            recorded("police-data-kit-records/police-force.json")["engagement_methods"][4],
        ),
    ):
        strings = {key for key, value in theirs.items() if isinstance(value, str)}
        assert strings and all(isinstance(ours[key], str) for key in strings), strings
