"""In headless Chromium at laptop and phone widths, as a ward panel chair: from the staff home, a future
meeting's record says it cannot be written yet; the record of last month's meeting is written by topic and
published; an action is agreed with the ward's priority chosen by its title."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from openward.engagement.models import Action, Event, MeetingRecord
from openward.priorities.models import Priority
from tests.personas import browser_page_for, horizontal_overflow


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_chair_writes_minutes_by_topic_and_agrees_an_action_for_a_priority(
    browser, live_server, ward, panel_chair, viewport
):
    now = timezone.now()
    Event.objects.create(
        ward=ward, title="Aldersgate panel, December", kind="ward_panel", starts_at=now + timedelta(days=9)
    )
    held = Event.objects.create(
        ward=ward, title="Aldersgate panel, October", kind="ward_panel", starts_at=now - timedelta(days=30)
    )
    priority = Priority.objects.create(
        ward=ward,
        statement="Reduce phone snatching near the station",
        agreed_on=date(2026, 6, 1),
        review_on=date(2027, 1, 10),
        slot=1,
        evidence="Thefts from the person doubled.",
    )
    cp = browser_page_for(browser, live_server, panel_chair, viewport=viewport)
    cp.goto("/accounts/staff/")
    cp.locator("#meetings").get_by_role("link", name="Aldersgate panel, December").click()
    cp.get_by_role("link", name="Write the meeting record").click()
    # The meeting's own page has a first heading too: wait for the new page's before reading it.
    cp.wait_for_url(re.compile(r"/record/$"))
    assert cp.get_by_role("heading", level=1).inner_text() == "This meeting has not happened yet"
    assert cp.locator("textarea").count() == 0

    cp.goto("/accounts/staff/")
    cp.locator("#records").get_by_role("link", name="Record of Aldersgate panel, October").click()
    cp.wait_for_url(f"**/engagement/events/{held.pk}/record/")
    assert horizontal_overflow(cp) == 0
    cp.get_by_role("group", name="Summary").get_by_label("Overall summary").fill("A busy panel.")
    minutes = cp.get_by_role("group", name="What was discussed, by topic")
    minutes.get_by_label("Theft (optional)", exact=True).fill("Phone snatches near the station by moped riders.")
    came = cp.get_by_role("group", name="Who came")
    came.get_by_label("Residents").fill("14")
    came.get_by_label("Police officers").fill("2")
    cp.get_by_label("Publish the record now").check()
    cp.get_by_role("button", name="Save the record").click()
    cp.wait_for_url("**/engagement/records/*/")
    assert "Phone snatches near the station" in cp.locator("main").inner_text()
    record = MeetingRecord.objects.get(event=held)
    assert record.is_published and record.attendance.count() == 16

    cp.get_by_label("What will be done").fill("Extra patrols at the station entrance, 16:00 to 19:00")
    cp.get_by_label("Who does it").fill("Sergeant, ward team")
    cp.get_by_label("Due by").fill("2026-12-20")
    cp.get_by_label("Ward priority it serves").select_option(label=f"{priority.statement} (Aldersgate)")
    cp.get_by_role("button", name="Add action").click()
    cp.get_by_text("Action added to the register.").wait_for()
    action = Action.objects.get()
    assert (action.priority_id, action.owner, action.due_date) == (
        priority.pk,
        "Sergeant, ward team",
        date(2026, 12, 20),
    )
    assert f"Serves the priority: {priority.statement}" in cp.locator(f"#action-{action.pk}").inner_text()
