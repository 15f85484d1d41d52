"""A monitoring group's meetings are minuted under the group's own topics (what its reviews look at), a ward
panel's under the panels' topics, never the other's: on the record forms, through both APIs and in the
service itself. The chair reaches the record form from the meeting's public page, and the published record
shows there and on the group's public page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from openward.accounts.models import Role
from openward.engagement.models import Action, Event, MeetingRecord, MinuteEntry, Topic
from openward.engagement.services import records
from tests.personas import make_staff, sign_in

pytestmark = pytest.mark.django_db

# Written out here, not read from the code under test.
GROUP_TOPICS = [
    "Stop and search records reviewed",
    "Grounds recorded",
    "Body-worn video",
    "Use of force",
    "Disproportionality figures",
    "The force's response",
    "Community concerns",
    "Other",
]
PANEL_TOPICS = [
    "Theft",
    "Personal safety",
    "Night-time economy",
    "Drugs",
    "Counter terrorism",
    "Fraud",
    "Cycle safety",
    "Anti-social behaviour",
    "Other",
]


def signed_in(person) -> Client:
    client = Client()
    sign_in(client, person)
    return client


def held_meeting(**place) -> Event:
    """A meeting that took place yesterday evening."""
    kind = Event.Kind.MONITORING_GROUP if "borough" in place else Event.Kind.WARD_PANEL
    return Event.objects.create(
        title="Monitoring group, January review" if "borough" in place else "Ward panel",
        kind=kind,
        address="Borough Hall",
        starts_at=timezone.now() - dt.timedelta(days=1),
        **place,
    )


def topic_labels(html: str) -> list[str]:
    """The labels of the record form's topic boxes, in page order."""
    labels = re.findall(r'<label class="label" for="id_topic_\d+">([^<]+?)(?: \(optional\))?</label>', html)
    return [label.replace("&#x27;", "'") for label in labels]


def test_the_chair_writes_minutes_under_the_groups_topics_and_the_record_is_public(group, chair, client):
    code = group.borough.gss_code
    event = held_meeting(borough=group.borough)
    as_chair = signed_in(chair)
    # From the meeting's public page the chair reaches the group's record form; nobody else is offered it.
    public = f"/engagement/events/{event.pk}/"
    chairs_page = f"/monitoring/boroughs/{code}/meetings/{event.pk}/"
    assert f'<a href="{chairs_page}">Write the meeting record</a>' in as_chair.get(public).content.decode()
    assert chairs_page not in client.get(public).content.decode()
    form = as_chair.get(chairs_page).content.decode()
    assert topic_labels(form) == GROUP_TOPICS

    force = Topic.objects.get(name="Use of force")
    video = Topic.objects.get(name="Body-worn video")
    written = as_chair.post(
        chairs_page,
        {
            "do": "record",
            "summary": "Twelve stops reviewed.",
            f"topic_{force.pk}": "Handcuffs were used in 3 of the 12 stops; the group asked why.",
            f"topic_{video.pk}": "Footage was seen for 9 of the 12.",
            "count_resident": "5",
            "publish": "on",
        },
    )
    assert written.status_code == 302
    added = as_chair.post(chairs_page, {"do": "action", "what": "Ask for the handcuffing policy", "owner": "Chair"})
    assert added.status_code == 302
    record = MeetingRecord.objects.get(event=event)
    minutes = MinuteEntry.objects.filter(record=record).order_by("topic__position")
    assert [(m.topic.slug, m.summary) for m in minutes] == [
        ("body-worn-video", "Footage was seen for 9 of the 12."),
        ("use-of-force", "Handcuffs were used in 3 of the 12 stops; the group asked why."),
    ]
    assert list(Action.objects.values_list("what", "borough")) == [("Ask for the handcuffing policy", group.borough.pk)]

    # Anyone: the meeting's public page and the group's public page lead to the published record.
    record_url = f"/engagement/records/{record.pk}/"
    assert f'<a href="{record_url}">Read the meeting record</a>' in client.get(public).content.decode()
    assert record_url in client.get(f"/monitoring/boroughs/{code}/").content.decode()
    shown = client.get(record_url).content.decode()
    assert "<h3>Use of force</h3><p>Handcuffs were used in 3 of the 12 stops; the group asked why.</p>" in shown
    assert "<h3>Body-worn video</h3>" in shown and "Ask for the handcuffing policy" in shown
    assert "Correct the record" not in shown
    assert f'<a href="{chairs_page}">Correct the record' in as_chair.get(record_url).content.decode()


def test_a_ward_panels_record_form_offers_the_panels_topics_only(group, db_snapshot):
    ward = group.borough.wards.first()
    officer = make_staff(Role.OFFICER, ward, email="officer@example.org")
    event = held_meeting(ward=ward)
    form = signed_in(officer).get(f"/engagement/events/{event.pk}/record/").content.decode()
    assert topic_labels(form) == PANEL_TOPICS
    # Nor does the service take a group topic for a ward panel's minutes, whoever calls it.
    before = db_snapshot()
    with pytest.raises(ValidationError, match="“Use of force” is not a topic of a ward panel meeting's record"):
        records.write_meeting_record(officer, event, minutes={Topic.objects.get(slug="use-of-force"): "x"})
    assert db_snapshot() == before


def test_each_meetings_topics_through_the_api(group, chair, reviewer, db_snapshot):
    ward = group.borough.wards.first()
    officer = make_staff(Role.OFFICER, ward, email="officer@example.org")
    panel = held_meeting(ward=ward)
    cmg = held_meeting(borough=group.borough)
    anyone = Client()
    assert [t["name"] for t in anyone.get(f"/api/v1/engagement/events/{cmg.pk}/topics").json()] == GROUP_TOPICS
    assert [t["name"] for t in anyone.get(f"/api/v1/engagement/events/{panel.pk}/topics").json()] == PANEL_TOPICS
    listed = {t["slug"]: t["meetings"] for t in anyone.get("/api/v1/engagement/topics").json()}
    assert (listed["use-of-force"], listed["theft"], listed["other"]) == ("monitoring", "panels", "all")

    as_officer, as_chair, as_reviewer = signed_in(officer), signed_in(chair), signed_in(reviewer)
    before = db_snapshot()
    refused = as_officer.put(
        f"/api/v1/engagement/events/{panel.pk}/record",
        {"minutes": {"use-of-force": "x"}},
        content_type="application/json",
    )
    assert refused.status_code == 400 and "is not a topic of a ward panel meeting's record" in refused.json()["detail"]

    url = f"/api/v1/monitoring/boroughs/{group.borough.gss_code}/meetings/{cmg.pk}"
    wrong = as_chair.put(f"{url}/record", {"minutes": {"theft": "x"}}, content_type="application/json")
    assert wrong.status_code == 400 and wrong.json()["detail"].startswith(
        "Not a topic of this meeting's record: theft."
    )
    early = as_chair.post(f"{url}/actions", {"what": "Ask", "owner": "Chair"}, content_type="application/json")
    assert early.status_code == 400 and "Write the meeting's record first" in early.json()["detail"]
    assert as_reviewer.put(f"{url}/record", {}, content_type="application/json").status_code == 403
    assert db_snapshot() == before

    payload = {"summary": "Reviewed.", "minutes": {"grounds-recorded": "Thin in 3 of 12."}, "publish": True}
    written = as_chair.put(f"{url}/record", payload, content_type="application/json")
    assert written.status_code == 200
    assert written.json()["minutes"] == [{"topic": "Grounds recorded", "summary": "Thin in 3 of 12."}]
    action = as_chair.post(
        f"{url}/actions",
        {"what": "Ask for grounds training", "owner": "Force liaison"},
        content_type="application/json",
    )
    assert action.status_code == 201 and action.json()["what"] == "Ask for grounds training"
    record = MeetingRecord.objects.get(event=cmg)
    assert record.is_published and [a.owner for a in record.actions.all()] == ["Force liaison"]
    other_group = f"/api/v1/monitoring/boroughs/{group.borough.gss_code}/meetings/{panel.pk}/record"
    assert as_chair.put(other_group, payload, content_type="application/json").status_code == 404


def test_a_panel_adding_a_topic_a_monitoring_group_has_gets_its_own(group):
    ward = group.borough.wards.first()
    chair = make_staff(Role.PANEL_CHAIR, ward, email="panel-chair@example.org")
    event = held_meeting(ward=ward)
    as_chair = signed_in(chair)
    as_chair.post(f"/engagement/events/{event.pk}/topics/", {"name": "use of force"})
    added = Topic.objects.get(added_for_ward=ward)
    assert (added.name, added.is_standard) == ("use of force", False)
    assert added.slug != "use-of-force" and Topic.objects.filter(slug="use-of-force", is_standard=True).exists()
    assert topic_labels(as_chair.get(f"/engagement/events/{event.pk}/record/").content.decode())[-1] == "use of force"
