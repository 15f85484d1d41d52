"""The group's meetings go through engagement: the chair schedules one in the group's borough, writes up
its record (minutes by topic, attendance, publishing) and agrees actions; anyone finds the meeting and the
published record on engagement's own pages, the borough's calendar and the group's public page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from openward.engagement.models import Action, Event, MeetingRecord, Topic
from tests.personas import sign_in

pytestmark = pytest.mark.django_db


def chair_client(chair) -> Client:
    client = Client()
    sign_in(client, chair)
    return client


def test_the_chair_schedules_writes_up_and_publishes_a_meeting(group, chair, client, db_snapshot):
    code = group.borough.gss_code
    as_chair = chair_client(chair)
    meetings = f"/monitoring/boroughs/{code}/meetings/"
    start = timezone.localtime() + dt.timedelta(days=14)
    form = {
        "title": "Monitoring group, December review",
        "mode": "in_person",
        "starts_at": f"{start:%Y-%m-%dT19:00}",
        "address": "Borough Hall, Room 2",
        "description": "The group goes through December's sample.",
        "agenda": "December's sample\nThe force's response to November",
    }
    before = db_snapshot()
    refused = as_chair.post(meetings, form | {"address": ""})
    assert refused.status_code == 400 and "Give the address for an event held in person" in refused.content.decode()
    assert db_snapshot() == before
    made = as_chair.post(meetings, form)
    event = Event.objects.get()
    assert made.status_code == 302 and made.url == f"{meetings}{event.pk}/"
    assert (event.kind, event.borough, event.ward, event.created_by) == ("monitoring_group", group.borough, None, chair)
    assert [a.title for a in event.agenda.all()] == ["December's sample", "The force's response to November"]
    # Anyone finds it: engagement's event page and list, the group's public page, the API.
    assert "Stop and search monitoring group meeting" in client.get(f"/engagement/events/{event.pk}/").content.decode()
    public = client.get(f"/monitoring/boroughs/{code}/").content.decode()
    assert "Monitoring group, December review" in public
    listed = client.get(f"/api/v1/monitoring/boroughs/{code}/meetings").json()
    assert [(m["id"], m["record_url"]) for m in listed] == [(event.pk, None)]
    page = f"/monitoring/boroughs/{code}/meetings/{event.pk}/"
    assert "The record is written once the meeting has started." in as_chair.get(page).content.decode()
    # After the meeting the chair writes it up and publishes it, then agrees an action and moves it on.
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - dt.timedelta(hours=2))
    other = Topic.objects.get(slug="other")
    written = as_chair.post(
        page,
        {
            "do": "record",
            "summary": "Twelve stops reviewed; grounds thin in three.",
            f"topic_{other.pk}": "The group asked for body-worn video for every sampled stop.",
            "count_resident": "6",
            "count_officer": "2",
            "named": "panel: Jo Chair",
            "publish": "on",
        },
    )
    assert written.status_code == 302
    record = MeetingRecord.objects.get(event=event)
    assert record.is_published and record.attendance.count() == 9
    assert as_chair.post(page, {"do": "action", "what": "Ask for video", "owner": "Force liaison"}).status_code == 302
    action = Action.objects.get()
    assert (action.borough, action.record) == (group.borough, record)
    assert (
        as_chair.post(page, {"do": "status", "action": action.pk, "status": "done", "note": "Agreed"}).status_code
        == 302
    )
    action.refresh_from_db()
    assert (action.status, action.status_note) == ("done", "Agreed")
    shown = client.get(f"/engagement/records/{record.pk}/").content.decode()
    assert "body-worn video for every sampled stop" in shown and "Ask for video" in shown and "9 people" in shown
    assert f"/engagement/records/{record.pk}/" in client.get(f"/monitoring/boroughs/{code}/").content.decode()
    # A button about an action that is not this meeting's is a message, not an error page.
    wrong = as_chair.post(page, {"do": "status", "action": "999999", "status": "done"})
    assert wrong.status_code == 400 and "Choose one of this meeting" in wrong.content.decode()


def test_scheduling_through_the_api_and_only_the_chair_may(group, chair, reviewer):
    url = f"/api/v1/monitoring/boroughs/{group.borough.gss_code}/meetings"
    payload = {
        "title": "Open meeting",
        "mode": "online",
        "online_link": "https://meet.example.org/cmg",
        "start": (timezone.now() + dt.timedelta(days=3)).isoformat(),
    }
    as_reviewer = Client()
    sign_in(as_reviewer, reviewer)
    assert as_reviewer.post(url, payload, content_type="application/json").status_code == 403
    as_chair = chair_client(chair)
    past = as_chair.post(url, payload | {"start": "2020-01-01T10:00:00Z"}, content_type="application/json")
    assert past.status_code == 400 and "is in the past" in past.json()["detail"]
    bad_mode = as_chair.post(url, payload | {"mode": "telepathy"}, content_type="application/json")
    assert bad_mode.status_code == 422 and not Event.objects.exists()
    made = as_chair.post(url, payload, content_type="application/json")
    assert made.status_code == 201 and Event.objects.get().kind == Event.Kind.MONITORING_GROUP


def test_a_meeting_of_another_place_is_not_the_groups(group, chair):
    ward_panel = Event.objects.create(
        title="Ward panel",
        kind=Event.Kind.WARD_PANEL,
        borough=group.borough,
        address="Hall",
        starts_at=timezone.now() - dt.timedelta(days=1),
    )
    page = chair_client(chair).get(f"/monitoring/boroughs/{group.borough.gss_code}/meetings/{ward_panel.pk}/")
    assert page.status_code == 404


def test_the_chair_changes_a_coming_meeting_and_adds_to_its_agenda(
    group, chair, reviewer, django_capture_on_commit_callbacks
):
    from django.core import mail

    from openward.core.models import AuditEvent
    from openward.engagement.services import events as engagement_events
    from openward.engagement.services import registrations

    start = timezone.now() + dt.timedelta(days=10)
    event = engagement_events.schedule_event(
        chair,
        notify=False,
        agenda=["December's sample"],
        kind=Event.Kind.MONITORING_GROUP,
        borough=group.borough,
        title="December review",
        address="Borough Hall",
        starts_at=start,
    )
    registrations.register_for_event(reviewer, event)
    page = f"/monitoring/boroughs/{group.borough.gss_code}/meetings/{event.pk}/"
    as_chair = chair_client(chair)
    shown = as_chair.get(page).content.decode()
    assert "Add to the agenda" in shown and "Change the meeting" in shown and "December&#x27;s sample" in shown

    assert as_chair.post(page, {"do": "agenda", "item": "  The force's response to November "}).status_code == 302
    refused = as_chair.post(page, {"do": "agenda", "item": "   "})
    assert refused.status_code == 400 and "Write the agenda item to add." in refused.content.decode()
    assert [(a.position, a.title) for a in event.agenda.all()] == [
        (1, "December's sample"),
        (2, "The force's response to November"),
    ]

    later = timezone.localtime(start) + dt.timedelta(days=1)
    change = {
        "do": "change",
        "change-title": "December review (moved)",
        "change-mode": "in_person",
        "change-starts_at": f"{later:%Y-%m-%dT%H:%M}",
        "change-address": "Borough Hall, Room 3",
    }
    with django_capture_on_commit_callbacks(execute=True):
        changed = as_chair.post(page, change)
    assert changed.status_code == 302
    event.refresh_from_db()
    assert (event.title, event.address, event.kind) == (
        "December review (moved)",
        "Borough Hall, Room 3",
        "monitoring_group",
    )
    told = [m for m in mail.outbox if m.to == [reviewer.email]]
    assert len(told) == 1 and "Borough Hall, Room 3" in told[0].body
    bad = as_chair.post(page, change | {"change-address": "", "change-title": "Another"})
    assert bad.status_code == 400 and "Give the address for an event held in person" in bad.content.decode()
    event.refresh_from_db()
    assert event.title == "December review (moved)"

    actions = list(AuditEvent.objects.filter(actor=chair).values_list("action", flat=True))
    assert actions.count("engagement.add_agenda_item") == 1 and actions.count("engagement.change_event") == 1

    # A reviewer cannot reach the chair's meeting page; a meeting held can no longer change.
    as_reviewer = Client()
    sign_in(as_reviewer, reviewer)
    assert as_reviewer.post(page, {"do": "agenda", "item": "Mine"}).status_code == 403
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - dt.timedelta(hours=1))
    late = as_chair.post(page, {"do": "agenda", "item": "Too late"})
    assert late.status_code == 400 and "already started" in late.content.decode()
    assert event.agenda.count() == 2
