"""In a real browser, at 1280 and 390 px: the group's chair opens a meeting already scheduled from the group's
pages, adds an item to its agenda and moves it to another evening and room; the meeting's public page then
shows both, and the person registered is emailed what changed. No page scrolls sideways."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from openward.accounts.models import Role
from openward.core.models import AuditEvent
from openward.crime.tests.test_disproportionality_rules import small_ward
from openward.engagement.models import Event
from openward.engagement.services import events, registrations
from openward.monitoring.models import MonitoringGroup
from tests.personas import browser_page_for, make_person, make_staff

from .test_browser import no_sideways_scroll


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_chair_changes_a_scheduled_meeting_and_its_agenda(browser, live_server, viewport):
    ward = small_ward()
    group = MonitoringGroup.objects.create(borough=ward.borough, name="Testshire Monitoring Group")
    chair = make_staff(Role.MONITORING_CHAIR, ward.borough, email="chair@example.org")
    resident = make_person("resident@example.org")
    start = (timezone.localtime() + dt.timedelta(days=12)).replace(hour=19, minute=0, second=0, microsecond=0)
    event = events.schedule_event(
        chair,
        notify=False,
        agenda=["December's sample"],
        kind=Event.Kind.MONITORING_GROUP,
        borough=group.borough,
        title="December review meeting",
        address="Borough Hall",
        starts_at=start,
    )
    registrations.register_for_event(resident, event)

    page = browser_page_for(browser, live_server, chair, viewport=viewport)
    page.goto(f"/monitoring/boroughs/{group.borough.gss_code}/work/")
    page.get_by_role("navigation", name="The group's work").get_by_role("link", name="Meetings").click()
    page.get_by_role("link", name="December review meeting").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("December review meeting")
    no_sideways_scroll(page)

    page.get_by_role("button", name="Add the item").click()
    expect(page.get_by_role("alert")).to_contain_text("Write the agenda item to add.")
    page.get_by_label("Add to the agenda").fill("The force's response to November")
    page.get_by_role("button", name="Add the item").click()
    expect(page.get_by_role("status")).to_contain_text("Added to the agenda.")
    expect(page.get_by_role("listitem").filter(has_text="The force's response to November")).to_be_visible()

    moved = start + dt.timedelta(days=1)
    page.get_by_label("Starts at").fill(f"{moved:%Y-%m-%dT%H:%M}")
    page.get_by_label("Address").fill("Borough Hall, Room 3")
    page.get_by_role("button", name="Save and tell people").click()
    expect(page.get_by_role("status")).to_contain_text("Everyone registered is being emailed what changed")
    no_sideways_scroll(page)

    page.get_by_role("link", name="The meeting's public page").click()
    expect(page.get_by_text("Borough Hall, Room 3")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="The force's response to November")).to_be_visible()
    no_sideways_scroll(page)
    page.context.close()

    event.refresh_from_db()
    assert (timezone.localtime(event.starts_at), event.address) == (moved, "Borough Hall, Room 3")
    assert [a.title for a in event.agenda.all()] == ["December's sample", "The force's response to November"]
    told = [m for m in mail.outbox if m.to == [resident.email]]
    assert len(told) == 1 and "Borough Hall, Room 3" in told[0].body
    done = set(AuditEvent.objects.filter(actor=chair).values_list("action", flat=True))
    assert {"engagement.add_agenda_item", "engagement.change_event"} <= done
