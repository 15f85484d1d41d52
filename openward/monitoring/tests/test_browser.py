"""In a real browser: a monitoring group member draws the month's sample from the borough page,
reviews a stop with the force's grounds, and publishes; anyone then sees figures, never the words."""

from __future__ import annotations

import re

import pytest

from openward.accounts.models import Role
from openward.crime.tests.test_disproportionality_rules import small_ward
from openward.monitoring.models import MonitoringGroup, ReviewSample, StopReview
from tests.personas import VIEWPORTS, make_staff, signed_in_context

PHONE, DESK = VIEWPORTS["phone"], VIEWPORTS["desktop"]
NOTE = "BROWSER-SECRET-NOTE the officer's reasons were thin"
GROUNDS = "BROWSER-SECRET-GROUNDS smell of cannabis"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", [DESK, PHONE], ids=["1280px", "390px"])
def test_member_draws_reviews_and_publishes_then_anyone_sees_figures_only(browser, live_server, viewport):
    ward = small_ward()
    group = MonitoringGroup.objects.create(borough=ward.borough, name="Testshire Monitoring Group")
    member = make_staff(Role.MONITORING_GROUP, ward.borough, email="member@example.org")
    context = signed_in_context(browser, live_server, member, viewport=viewport)
    page = context.new_page()
    page.goto("/boroughs/")
    page.get_by_role("link", name=ward.borough.name).first.click()
    page.get_by_role("link", name=f"Published reviews of stop and search in {ward.borough.name}").click()
    page.get_by_role("link", name="The group's work (members only)").click()
    page.get_by_label("Month (YYYY-MM)").fill("2024-12")
    page.get_by_label("How many stops").fill("500")
    page.get_by_role("button", name="Draw the sample").click()
    assert "fewer than the 500 asked for" in page.get_by_role("alert").inner_text()
    assert not ReviewSample.objects.exists()
    page.get_by_label("How many stops").fill("1")
    page.get_by_role("button", name="Draw the sample").click()
    page.wait_for_url(re.compile(r"/samples/\d+/$"))
    page.get_by_label("Grounds text from the force (stop 1)").fill(GROUNDS)
    page.get_by_role("button", name="Add grounds for stop 1").click()
    page.get_by_label("Grounds recorded clearly? (stop 1)").select_option("no")
    page.get_by_label("Body-worn video seen? (stop 1)").select_option("yes")
    page.get_by_label("Outcome proportionate? (stop 1)").select_option("unclear")
    page.get_by_label("Concerns (stop 1)").fill(NOTE)
    page.get_by_role("button", name="Save review of stop 1").click()
    assert GROUNDS in page.content() and StopReview.objects.get().concerns == NOTE
    page.get_by_role("button", name="Publish the summary").click()
    page.get_by_role("link", name="The published page").click()
    assert "Grounds recorded clearly: 0 of fewer than 10 (too few to give a share)" in page.content()
    context.close()

    anyone = browser.new_context(base_url=live_server.url, viewport=viewport)
    page = anyone.new_page()
    page.goto(f"/monitoring/boroughs/{group.borough.gss_code}/")
    text = page.content()
    assert "December 2024: 1 stop reviewed" in text and NOTE not in text and GROUNDS not in text
    anyone.close()
