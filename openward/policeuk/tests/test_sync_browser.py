"""A resident's ward page before and after the operator's sync from police.uk (a loopback stand-in).

Before: the team and crime are "not loaded yet". The operator runs `sync_policeuk`; the resident
types their postcode (no ids) and sees the synced team, the month's crime, and the events and
priorities police.uk lists, labelled as coming from there, at desktop and phone widths, and the
police.uk API of this server answers the synced team.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from openward.areas.models import TeamMember
from tests.personas import AXE, horizontal_overflow

from .standin import Answer, StandIn

MONTH = "2026-09"
EVENT = {
    "title": "Meet your team at the library",
    "description": "<p>Bring your bike for <b>free</b> marking.</p>",
    "address": "Church Street Library",
    "type": "meeting",
    "start_date": "2026-12-05T11:00:00",
    "end_date": "2026-12-05T13:00:00",
    "contact_details": {},
}
PRIORITY = {"issue": "<p>Catalytic converter theft</p>", "issue-date": "2026-10-12T00:00:00",
            "action": "<p>Marking kits given out.</p>", "action-date": "2026-11-02T00:00:00"}  # fmt: skip


def standin_answers(place) -> dict[str, Answer]:
    ward = place.neighbourhood.ward
    lat, lng = ward.centre_lat, ward.centre_lng
    crimes = [
        {
            "category": "burglary" if n % 2 else "anti-social-behaviour",
            "location_type": "Force",
            "location": {
                "latitude": f"{lat + (n % 5) * 0.0002:.6f}",
                "longitude": f"{lng + (n % 7) * 0.0002:.6f}",
                "street": {"id": 100 + n % 5, "name": "On or near Test Street"},
            },
            "context": "",
            "outcome_status": None,
            "persistent_id": f"{n:064x}" if n % 2 else "",
            "id": 5000 + n,
            "location_subtype": "",
            "month": MONTH,
        }
        for n in range(40)
    ]
    square = [
        {"latitude": str(ward.min_lat), "longitude": str(ward.min_lng)},
        {"latitude": str(ward.min_lat), "longitude": str(ward.max_lng)},
        {"latitude": str(ward.max_lat), "longitude": str(ward.max_lng)},
        {"latitude": str(ward.max_lat), "longitude": str(ward.min_lng)},
    ]
    code = ward.gss_code
    return {
        "forces": Answer(body=[{"id": "metropolitan", "name": "Metropolitan Police Service"}]),
        "forces/metropolitan": Answer(body={"id": "metropolitan", "name": "Metropolitan Police Service"}),
        "forces/metropolitan/people": Answer(body=[]),
        "metropolitan/neighbourhoods": Answer(body=[{"id": code, "name": ward.name}]),
        f"metropolitan/{code}": Answer(body={"id": code, "name": ward.name, "contact_details": {"telephone": "101"}}),
        f"metropolitan/{code}/people": Answer(body=[{"name": "Grace Hopper", "rank": "Sergeant"}]),
        f"metropolitan/{code}/boundary": Answer(body=square),
        f"metropolitan/{code}/events": Answer(body=[EVENT]),
        f"metropolitan/{code}/priorities": Answer(body=[PRIORITY]),
        "crimes-street/all-crime": Answer(body=crimes),
        "crimes-no-location": Answer(body=[]),
        "stops-force": Answer(body=[]),
    }


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 390])
def test_after_the_sync_a_resident_finds_their_wards_team_and_crime(browser, live_server, place, width):
    TeamMember.objects.all().delete()
    place.neighbourhood.contact_details, place.neighbourhood.url_force = {}, ""
    place.neighbourhood.save()
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900})
    page = context.new_page()

    def find_my_ward():
        page.goto("/")
        page.get_by_label("Your postcode").fill("W2 1JQ")
        page.get_by_role("button", name="Find my ward").click()
        page.wait_for_url("**/wards/*/")

    find_my_ward()
    before = page.locator("main").inner_text()
    assert "Neighbourhood team: not loaded yet" in before and "Crime figures: none are loaded" in before
    assert "manage.py sync_policeuk" in before

    # The operator's step: the sync, from the stand-in.
    with StandIn(standin_answers(place)) as standin:
        out = io.StringIO()
        call_command(
            "sync_policeuk", "--base-url", standin.api, "--force", "metropolitan", "--month", MONTH, stdout=out
        )
    assert "1 force-months imported" in out.getvalue()

    find_my_ward()
    assert "Sergeant Grace Hopper" in page.locator("ul.team").inner_text()
    headline = page.locator("p.crime-headline").inner_text()
    # 20 of the 40 synced records are burglaries; the rest anti-social behaviour, which the headline leaves out.
    assert headline == "All crime (excluding anti-social behaviour): 20 in the 12 months to September 2026"
    # The source line says when: the sync's run, at the pinned clock's date.
    assert "Last updated 18 November 2026." in page.locator("p.crime-source").inner_text()
    # The events and priorities police.uk lists, each labelled as coming from there, with where and when.
    events, priorities = page.locator("#policeuk-events"), page.locator("#policeuk-priorities")
    expect(events.get_by_role("heading", name="Events listed on police.uk")).to_be_visible()
    expect(events.locator("li")).to_have_count(1)
    expect(events.locator("li")).to_contain_text("Meet your team at the library From police.uk")
    expect(events.locator("li")).to_contain_text("Saturday 5 December 2026, 11:00 to Saturday 5 December 2026, 13:00")
    expect(events.locator("li")).to_contain_text("Bring your bike for free marking.")
    expect(events.locator("p.hint")).to_contain_text(f"Copied from police.uk for the {place.middle.name} neighbourhood")
    expect(events.locator("p.hint a")).to_have_text(f"{standin.api}metropolitan/{place.middle.gss_code}/events")
    expect(priorities.get_by_role("heading", name="Priorities listed on police.uk")).to_be_visible()
    expect(priorities.locator("li")).to_have_text(
        "Catalytic converter theft From police.uk Agreed 12 October 2026. Latest action (2 November 2026): "
        "Marking kits given out."
    )
    assert horizontal_overflow(page) == 0
    page.evaluate(AXE)
    found = page.evaluate(
        "axe.run({include: ['#policeuk-events', '#policeuk-priorities']}, {resultTypes: ['violations']})"
        ".then(r => r.violations.map(v => v.id + ' (' + v.impact + ')'))"
    )
    assert found == []
    code = page.url.rstrip("/").rsplit("/", 1)[-1]
    people = page.request.get(f"/api/metropolitan/{code}/people").json()
    assert [p["name"] for p in people] == ["Grace Hopper"]
    synced = page.request.get("/api/v1/police-uk/synced-months?force=metropolitan").json()
    assert [(m["force"], m["month"], m["source"]) for m in synced] == [("metropolitan", MONTH, standin.api)]
    context.close()
