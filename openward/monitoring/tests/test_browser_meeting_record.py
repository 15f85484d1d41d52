"""In a real browser, at 1280 and 390 px: the group's chair opens a meeting held yesterday from its public
page, writes its record under the group's own topics (no ward-panel topic is offered), publishes it and
agrees an action; the meeting's public page then leads anyone to the published record with both. No page
scrolls sideways, and axe-core finds nothing serious."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from openward.accounts.models import Role
from openward.crime.tests.test_disproportionality_rules import small_ward
from openward.engagement.models import Event, MeetingRecord
from openward.monitoring.models import MonitoringGroup
from tests.personas import browser_page_for, make_staff

from .test_browser import no_sideways_scroll


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_chair_minutes_a_meeting_under_the_groups_topics(browser, live_server, viewport):
    ward = small_ward()
    group = MonitoringGroup.objects.create(borough=ward.borough, name="Testshire Monitoring Group")
    chair = make_staff(Role.MONITORING_CHAIR, ward.borough, email="chair@example.org")
    event = Event.objects.create(
        title="January review meeting",
        kind=Event.Kind.MONITORING_GROUP,
        borough=group.borough,
        address="Borough Hall",
        starts_at=timezone.now() - dt.timedelta(days=1),
    )

    page = browser_page_for(browser, live_server, chair, viewport=viewport)
    page.goto(f"/engagement/events/{event.pk}/")
    page.get_by_role("link", name="Write the meeting record").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("January review meeting")
    topics = page.get_by_role("group", name="What was discussed, by topic")
    expect(topics.get_by_role("textbox")).to_have_count(8)
    expect(topics.get_by_label("Use of force")).to_be_visible()
    expect(topics.get_by_label("Disproportionality figures")).to_be_visible()
    expect(topics.get_by_label("Anti-social behaviour")).to_have_count(0)
    no_sideways_scroll(page)

    topics.get_by_label("Use of force").fill("Handcuffs were used in 3 of the 12 stops reviewed.")
    topics.get_by_label("The force's response").fill("The force will reply on handcuffing by March.")
    page.get_by_label("Residents").fill("7")
    page.get_by_label("Publish the record now").check()
    page.get_by_role("button", name="Save the record").click()
    expect(page.get_by_role("status")).to_contain_text("Saved.")
    page.get_by_label("What will be done").fill("Ask the force for its handcuffing policy")
    page.get_by_label("Who does it").fill("Force liaison")
    page.get_by_role("button", name="Add the action").click()
    expect(page.get_by_role("cell", name="Ask the force for its handcuffing policy", exact=True)).to_be_visible()
    no_sideways_scroll(page)

    page.get_by_role("link", name="The meeting's public page").click()
    page.get_by_role("link", name="Read the meeting record").click()
    expect(page.get_by_role("heading", name="Use of force", level=3)).to_be_visible()
    expect(page.get_by_text("Handcuffs were used in 3 of the 12 stops reviewed.")).to_be_visible()
    expect(page.get_by_role("heading", name="The force's response", level=3)).to_be_visible()
    expect(page.get_by_role("cell", name="Ask the force for its handcuffing policy", exact=True)).to_be_visible()
    expect(page.get_by_text("7 people.")).to_be_visible()
    no_sideways_scroll(page)
    page.context.close()

    record = MeetingRecord.objects.get(event=event)
    assert record.is_published
    assert sorted(record.minutes.values_list("topic__slug", flat=True)) == ["force-response", "use-of-force"]
    assert [(a.what, a.owner) for a in record.actions.all()] == [
        ("Ask the force for its handcuffing policy", "Force liaison")
    ]
