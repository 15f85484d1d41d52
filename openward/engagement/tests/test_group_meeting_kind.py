"""A stop-and-search monitoring group's meetings are its chair's: engagement's event form does not offer the
kind, and the service (behind the form, the API and the monitoring pages) refuses it to anyone else."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from openward.accounts.models import Role
from openward.engagement.forms import EventForm
from openward.engagement.models import Event
from openward.engagement.services import events as events_services
from tests.personas import make_staff, sign_in

pytestmark = pytest.mark.django_db


def _fields(**kw):
    return {
        "title": "Monitoring group meeting",
        "kind": Event.Kind.MONITORING_GROUP,
        "address": "Borough Hall",
        "starts_at": timezone.now() + timedelta(days=5),
    } | kw


def test_the_event_form_offers_every_kind_but_the_group_meeting(ward, officer, client):
    offered = [value for value, _ in EventForm().fields["kind"].choices if value]
    assert offered == [k for k in Event.Kind.values if k != "monitoring_group"]
    sign_in(client, officer)
    page = client.get(reverse("engagement:event-new", args=["ward", ward.gss_code])).content.decode()
    assert 'value="street_briefing"' in page and 'value="monitoring_group"' not in page
    # A borough lead posting the kind anyway gets the form back, saying so, and nothing is published.
    lead = make_staff(Role.BOROUGH_LEAD, ward.borough, email="lead@met.example")
    sign_in(client, lead)
    start = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    posted = {"title": "Group meeting", "kind": "monitoring_group", "mode": "in_person", "starts_at": start}
    response = client.post(
        reverse("engagement:event-new", args=["borough", ward.borough.slug]), posted | {"address": "Hall"}
    )
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not Event.objects.exists()


def test_the_service_refuses_the_group_meeting_without_the_chair_role(borough, ward):
    lead = make_staff(Role.BOROUGH_LEAD, borough, email="lead@met.example")
    reviewer = make_staff(Role.MONITORING_REVIEWER, borough, email="reviewer@example.org")
    for person in (lead, reviewer):
        with pytest.raises(ValidationError, match="Only a stop-and-search monitoring group's chair"):
            events_services.schedule_event(person, notify=False, borough=borough, **_fields())
    assert not Event.objects.exists()


def test_a_chair_elsewhere_is_refused_and_the_chair_of_the_borough_is_not(borough):
    from openward.areas.models import Borough

    elsewhere = Borough.objects.create(gss_code="E09000002", name="Barking and Dagenham", slug="barking")
    other_chair = make_staff(Role.MONITORING_CHAIR, elsewhere, email="other.chair@example.org")
    with pytest.raises(ValidationError):
        events_services.schedule_event(other_chair, notify=False, borough=borough, **_fields())
    chair = make_staff(Role.MONITORING_CHAIR, borough, email="chair@example.org")
    event = events_services.schedule_event(chair, notify=False, borough=borough, **_fields())
    assert Event.objects.get().pk == event.pk and event.kind == "monitoring_group"


def test_an_event_cannot_be_turned_into_a_group_meeting_by_a_change(borough, ward):
    lead = make_staff(Role.BOROUGH_LEAD, borough, email="lead@met.example")
    event = events_services.schedule_event(lead, notify=False, borough=borough, **_fields(kind=Event.Kind.SURGERY))
    with pytest.raises(ValidationError, match="monitoring group's chair"):
        events_services.change_event(lead, event, kind=Event.Kind.MONITORING_GROUP)
    event.refresh_from_db()
    assert event.kind == Event.Kind.SURGERY


def test_the_api_refuses_the_group_meeting_to_an_officer(borough, client):
    lead = make_staff(Role.BOROUGH_LEAD, borough, email="lead@met.example")
    sign_in(client, lead)
    payload = {
        "title": "Group meeting",
        "type": "monitoring_group",
        "address": "Borough Hall",
        "start": (timezone.now() + timedelta(days=4)).isoformat(),
    }
    response = client.post(
        f"/api/v1/engagement/places/borough/{borough.slug}/events", payload, content_type="application/json"
    )
    assert response.status_code == 400
    assert "monitoring group's chair" in response.json()["detail"]
    assert not Event.objects.exists()
