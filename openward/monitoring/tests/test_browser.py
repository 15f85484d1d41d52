"""In a real browser, at 1280 and 390 px: the group's chair adds a reviewer by email, draws the month's sample
and schedules a meeting; the force liaison downloads the sampled stops and uploads them back with grounds;
the reviewer reviews; the chair publishes; anyone then sees figures, never the words. No page scrolls
sideways, and nobody types a database id."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from openward.accounts.models import Role, User
from openward.crime.tests.factories import small_ward
from openward.engagement.models import Event
from openward.monitoring.models import GroundsText, MonitoringGroup, ReviewSample, StopReview
from tests.personas import browser_page_for, horizontal_overflow, make_staff, serious_axe_violations

NOTE = "BROWSER-SECRET-NOTE the officer's reasons were thin"
GROUNDS = "BROWSER-SECRET-GROUNDS smell of cannabis"


def no_sideways_scroll(page):
    """The page fits the window and axe-core finds nothing serious on it."""
    assert horizontal_overflow(page) == 0, page.url
    assert serious_axe_violations(page) == [], page.url


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_group_runs_a_month_of_review_each_in_their_role(browser, live_server, viewport, tmp_path):
    ward = small_ward()
    group = MonitoringGroup.objects.create(borough=ward.borough, name="Testshire Monitoring Group")
    chair = make_staff(Role.MONITORING_CHAIR, ward.borough, email="chair@example.org")
    liaison = make_staff(Role.MONITORING_LIAISON, ward.borough, email="liaison@example.org")
    User.objects.create_user(email="new.reviewer@example.org", email_confirmed_at=timezone.now())

    # The chair: from the borough's page to the group's members, then the sample and a meeting.
    page = browser_page_for(browser, live_server, chair, viewport=viewport)
    page.goto("/boroughs/")
    page.get_by_role("link", name=ward.borough.name).first.click()
    page.get_by_role("link", name=f"Published reviews of stop and search in {ward.borough.name}").click()
    page.get_by_role("link", name="The group's work (members only)").click()
    page.get_by_role("link", name="Members").click()
    page.get_by_label("Email address").fill("nobody@example.org")
    page.get_by_role("button", name="Add to the group").click()
    expect(page.get_by_role("alert")).to_contain_text("Ask them to sign up first")
    page.get_by_label("Email address").fill("new.reviewer@example.org")
    page.get_by_label("Role in the group").select_option(label="Reviewer")
    page.get_by_role("button", name="Add to the group").click()
    expect(page.get_by_role("status")).to_contain_text("new.reviewer@example.org is now the group's reviewer")
    no_sideways_scroll(page)
    page.get_by_role("link", name="Review samples").click()
    page.get_by_label("Month (YYYY-MM)").fill("2024-12")
    page.get_by_label("How many stops").fill("500")
    page.get_by_role("button", name="Draw the sample").click()
    expect(page.get_by_role("alert")).to_contain_text("fewer than the 500 asked for")
    assert not ReviewSample.objects.exists()
    page.get_by_label("How many stops").fill("2")
    page.get_by_role("button", name="Draw the sample").click()
    page.wait_for_url(re.compile(r"/samples/\d+/$"))
    sample_url = page.url
    no_sideways_scroll(page)
    page.get_by_role("link", name="Meetings").click()
    no_sideways_scroll(page)
    page.get_by_label("Title").fill("December review meeting")
    page.get_by_label("Starts at").fill((timezone.localtime() + dt.timedelta(days=10)).strftime("%Y-%m-%dT19:00"))
    page.get_by_label("Address (optional)").fill("Borough Hall")
    page.get_by_role("button", name="Publish the meeting").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("December review meeting")
    assert Event.objects.get().kind == Event.Kind.MONITORING_GROUP
    no_sideways_scroll(page)
    page.context.close()

    # The force liaison: the sampled stops file out, the same file back with grounds in it.
    page = browser_page_for(browser, live_server, liaison, viewport=viewport)
    page.goto(sample_url)
    with page.expect_download() as downloading:
        page.get_by_role("link", name="The sampled stops as CSV").click()
    rows = list(csv.reader(io.StringIO(downloading.value.path().read_text())))
    rows[1][-1] = GROUNDS
    filled = tmp_path / "grounds.csv"
    with filled.open("w", newline="") as fh:
        csv.writer(fh).writerows(rows)
    page.get_by_label("Grounds file (CSV)").set_input_files(filled)
    page.get_by_role("button", name="Upload the grounds").click()
    expect(page.get_by_role("status")).to_contain_text("Grounds added for 1 stop; 1 row had no grounds yet.")
    expect(page.locator("#stop-1")).to_contain_text(GROUNDS)
    expect(page.get_by_role("button", name="Save review of stop 1")).to_have_count(0)
    assert GroundsText.objects.get().uploaded_by == liaison
    no_sideways_scroll(page)
    page.context.close()

    # The reviewer the chair added reviews both stops.
    reviewer = User.objects.get(email="new.reviewer@example.org")
    # Group roles are staff roles: the reviewer sets up an authenticator before the pages open.
    TOTPDevice.objects.create(user=reviewer, name="phone", confirmed=True)
    page = browser_page_for(browser, live_server, reviewer, viewport=viewport)
    page.goto(sample_url)
    for number, concerns in ((1, NOTE), (2, "")):
        page.get_by_label(f"Grounds recorded clearly? (stop {number})").select_option("no")
        page.get_by_label(f"Body-worn video seen? (stop {number})").select_option("yes")
        page.get_by_label(f"Outcome proportionate? (stop {number})").select_option("unclear")
        page.get_by_label(f"Concerns (stop {number})").fill(concerns)
        page.get_by_role("button", name=f"Save review of stop {number}").click()
        expect(page.get_by_label(f"Concerns (stop {number})")).to_have_value(concerns)
    expect(page.get_by_role("button", name="Publish the summary")).to_have_count(0)
    assert StopReview.objects.filter(concerns=NOTE).count() == 1
    no_sideways_scroll(page)
    page.context.close()

    # The chair publishes; anyone sees the figures and the meeting, never the notes or the grounds.
    page = browser_page_for(browser, live_server, chair, viewport=viewport)
    page.goto(sample_url)
    page.get_by_role("button", name="Publish the summary").click()
    expect(page.get_by_text("Published", exact=False).first).to_be_visible()
    page.context.close()
    page = browser_page_for(browser, live_server, viewport=viewport)
    page.goto(f"/monitoring/boroughs/{group.borough.gss_code}/")
    expect(page.get_by_role("heading", name="December 2024: 2 stops reviewed")).to_be_visible()
    expect(page.get_by_role("link", name="December review meeting")).to_be_visible()
    text = page.content()
    assert "Grounds recorded clearly: 0 of fewer than 10 (too few to give a share)" in text
    assert NOTE not in text and GROUNDS not in text
    no_sideways_scroll(page)
    page.context.close()
