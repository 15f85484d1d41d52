"""In a real browser: a sergeant plans patrols from the suggested hot spots, an officer records a visit on a
390 px phone screen, and the priority's page shows whether it worked."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from openward.patrols.models import PatrolPlan, Visit
from tests.personas import VIEWPORTS, horizontal_overflow, signed_in_context

from .conftest import key_of

PHONE = VIEWPORTS["phone"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_plan_from_hot_spots_then_visits_on_a_phone_then_the_evaluation(
    browser, live_server, ward, sergeant, officer, priority
):
    desk = signed_in_context(browser, live_server, sergeant)
    page = desk.new_page()
    page.goto(f"/wards/{ward.gss_code}/")
    page.get_by_role("link", name="Plan patrols of hot spots").click()
    hot = key_of(0, 0)
    page.get_by_label(re.compile(rf"{hot}: ")).check()
    page.get_by_label("Starts on").fill("2024-04-01")
    page.get_by_label("Ends on").fill("2024-03-01")
    page.get_by_label("When to visit").fill("Evenings, 6pm to midnight, when the pubs empty.")
    page.get_by_label(priority.statement).check()
    page.get_by_role("button", name="Make the plan").click()
    expect(page.get_by_role("alert")).to_contain_text("must end after it starts")
    assert not PatrolPlan.objects.exists()
    page.get_by_label("Ends on").fill("2024-06-30")
    page.get_by_role("button", name="Make the plan").click()
    page.wait_for_url(re.compile(r"/patrols/\d+/$"))
    plan = PatrolPlan.objects.get()
    assert [p.cell_key for p in plan.places.all()] == [hot]
    assert "Evenings, 6pm" in page.content()
    desk.close()

    phone = signed_in_context(browser, live_server, officer, viewport=PHONE, is_mobile=True, has_touch=True)
    page = phone.new_page()
    page.goto(f"/patrols/{plan.pk}/")
    page.get_by_role("link", name="Record a visit").click()
    page.get_by_label("Day").fill("2024-04-12")
    page.get_by_label("Time you arrived").fill("22:15")
    page.get_by_label("How long (minutes)").fill("-5")
    page.get_by_role("button", name="Record visit").click()
    expect(page.get_by_role("alert")).to_contain_text("at least one minute")
    page.get_by_label("How long (minutes)").fill("12")
    page.get_by_role("button", name="Record visit").click()
    expect(page.locator(".notices")).to_contain_text("Visit recorded")
    assert horizontal_overflow(page) == 0  # nothing wider than the phone's screen
    visit = Visit.objects.get()
    assert (visit.officer, visit.minutes, visit.place.cell_key) == (officer, 12, hot)
    phone.close()

    public = browser.new_context(base_url=live_server.url, viewport=PHONE)
    page = public.new_page()
    page.goto(f"/priorities/{priority.pk}/")
    section = page.get_by_role("heading", name="Patrol plans for this priority")
    assert section.is_visible()
    text = page.locator("main").inner_text()
    assert "Did it work?" in text and "Relative to comparison places, crime at the plan's places fell" in text
    assert "Within 300 m of the plan's places" in text
    assert horizontal_overflow(page) == 0
    public.close()
