"""In headless Chromium: an officer creates a meeting, residents register until it is full, one gives up
their place, and the first person on the waiting list is offered it by email and accepts."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from openward.engagement.models import Event, Registration
from tests.personas import browser_page_for


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_officer_creates_meeting_residents_fill_it_and_a_released_place_is_offered(
    browser, live_server, page, ward, officer, residents, smtp_server
):
    officer_page = browser_page_for(browser, live_server, officer)
    officer_page.goto(f"/engagement/places/ward/{ward.gss_code}/events/new/")
    officer_page.get_by_label("Title").fill("Aldersgate ward panel, spring")
    officer_page.get_by_label("Kind").select_option("ward_panel")
    officer_page.get_by_label("Mode").select_option("in_person")
    start = timezone.localtime() + timedelta(days=10)
    officer_page.get_by_label("Starts at").fill(start.strftime("%Y-%m-%dT%H:%M"))
    officer_page.get_by_label("Address").fill("Barbican Library, Silk Street, EC2Y 8DS")
    officer_page.get_by_label("Capacity").fill("2")
    officer_page.get_by_label("Agenda").fill("Welcome\nCrime figures\nPriorities")
    officer_page.get_by_role("button", name="Publish the event").click()
    officer_page.wait_for_url(re.compile(r"/engagement/events/\d+/$"))
    assert officer_page.get_by_role("heading", level=1).inner_text() == "Aldersgate ward panel, spring"
    event = Event.objects.get(title="Aldersgate ward panel, spring")
    assert event.capacity == 2 and event.ward == ward

    a, b, c, d = residents[:4]
    pages = {}
    for person, expected in (
        (a, "Your place is confirmed."),
        (b, "Your place is confirmed."),
        (c, "on the waiting list"),
        (d, "on the waiting list"),
    ):
        p = browser_page_for(browser, live_server, person)
        p.goto(f"/engagement/events/{event.pk}/")
        button = "Register" if expected.startswith("Your place") else "Join the waiting list"
        p.get_by_role("button", name=button, exact=True).click()
        expect(p.locator("#registration-status")).to_contain_text(expected)
        pages[person.pk] = p
    assert "0 of 2 left; 2 on the waiting list" in pages[d.pk].locator("#places").inner_text()

    pages[a.pk].get_by_role("button", name="Give up my place").click()
    messages = smtp_server.wait_for(1)
    assert len(messages) == 1 and messages[0]["to"] == [c.email]
    body = messages[0]["message"].get_content()
    accept = re.search(r"https?://\S+/engagement/offers/\S+/", body).group(0)
    offered = Registration.objects.get(event=event, user=c)
    assert offered.status == Registration.Status.OFFERED and offered.offer_token in accept
    assert Registration.objects.get(event=event, user=d).status == Registration.Status.WAITING

    page.goto(accept.split("/engagement/", 1)[1].join(["/engagement/", ""]))
    assert "held for you until" in page.content()
    page.get_by_role("button", name="Accept the place").click()
    expect(page.get_by_text("The place is yours. See you there.")).to_be_visible()
    assert Registration.objects.get(event=event, user=c).status == Registration.Status.CONFIRMED
    pages[c.pk].reload()
    assert "Your place is confirmed." in pages[c.pk].locator("#registration-status").inner_text()
