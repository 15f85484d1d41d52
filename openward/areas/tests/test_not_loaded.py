"""A real ward's page says what it has no data for yet, and never borrows the demo's."""

from __future__ import annotations

from openward.areas.models import Station, TeamMember

from .factories import StationFactory, WardFactory


def test_a_real_ward_is_never_sent_to_a_generated_front_counter(client, place):
    Station.objects.all().delete()
    StationFactory(force=place.force, name="Demo Central (generated)", latitude=51.505, longitude=-0.185, is_demo=True)
    html = client.get("/wards/E05013807/").content.decode()
    assert "Demo Central" not in html
    assert "Police front counters: none are loaded near this ward yet" in html
    demo_ward = WardFactory(borough=place.borough, is_demo=True, square=(-0.19, 51.51, 0.01))
    assert "Demo Central" in client.get(f"/wards/{demo_ward.gss_code}/").content.decode()


def test_a_ward_without_its_team_says_it_is_not_loaded_and_how(client, place):
    TeamMember.objects.all().delete()
    place.neighbourhood.contact_details, place.neighbourhood.url_force = {}, ""
    place.neighbourhood.save()
    html = client.get("/wards/E05013807/").content.decode()
    assert "Neighbourhood team: not loaded yet" in html and "import_neighbourhood_teams" in html
    assert "The team's details are not loaded yet" in html
    assert "The force has not published the names of this team" not in html
