"""Events: RSVP with real capacity, a waiting list, released places offered by email, calendars."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from openward.engagement import ical
from openward.engagement.models import Event, Registration
from openward.engagement.services import events as events_services
from openward.engagement.services import records, registrations
from tests.personas import sign_in

pytestmark = pytest.mark.django_db


def test_capacity_waiting_list_and_released_place_offered_by_email(
    make_event, residents, django_capture_on_commit_callbacks
):
    event = make_event(capacity=2)
    a, b, c, d = residents[:4]
    assert registrations.register_for_event(a, event).status == Registration.Status.CONFIRMED
    assert registrations.register_for_event(b, event).status == Registration.Status.CONFIRMED
    assert registrations.register_for_event(c, event).status == Registration.Status.WAITING
    assert registrations.register_for_event(d, event).status == Registration.Status.WAITING
    assert event.places_left() == 0

    with django_capture_on_commit_callbacks(execute=True):
        registrations.cancel_registration(a, Registration.objects.get(event=event, user=a))
    offered = Registration.objects.get(event=event, user=c)
    assert offered.status == Registration.Status.OFFERED
    assert Registration.objects.get(event=event, user=d).status == Registration.Status.WAITING
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [c.email]
    accept_url = reverse("engagement:offer", args=[offered.offer_token])
    assert accept_url in message.body
    assert offered.offer_expires_at <= event.starts_at
    # The offered place still counts: nobody else can take it.
    e = residents[4]
    assert registrations.register_for_event(e, event).status == Registration.Status.WAITING

    registrations.accept_offer(offered.offer_token)
    assert Registration.objects.get(pk=offered.pk).status == Registration.Status.CONFIRMED
    assert event.places_taken() == 2


def test_lapsed_offer_goes_to_the_next_person(make_event, residents, django_capture_on_commit_callbacks):
    event = make_event(capacity=1)
    a, b, c = residents[:3]
    registrations.register_for_event(a, event)
    registrations.register_for_event(b, event)
    registrations.register_for_event(c, event)
    with django_capture_on_commit_callbacks(execute=True):
        registrations.cancel_registration(a, Registration.objects.get(event=event, user=a))
        lapsed = registrations.expire_lapsed_offers(now=timezone.now() + timedelta(days=2))
    assert lapsed == 1
    assert Registration.objects.get(event=event, user=b).status == Registration.Status.EXPIRED
    assert Registration.objects.get(event=event, user=c).status == Registration.Status.OFFERED
    assert [m.to for m in mail.outbox] == [[b.email], [c.email]]
    with pytest.raises(ValidationError, match="no longer open|not a current"):
        registrations.accept_offer(Registration.objects.get(event=event, user=b).offer_token or "x")


def test_rsvp_to_past_or_cancelled_event_is_refused_and_changes_nothing(
    make_event, resident, officer, client, db_snapshot
):
    past = make_event(starts_at=timezone.now() - timedelta(hours=1))
    cancelled = make_event()
    events_services.cancel_event(officer, cancelled, "Venue flooded")
    sign_in(client, resident)
    sent_before = len(mail.outbox)
    before = db_snapshot()
    for event, words in ((past, "already started"), (cancelled, "cancelled")):
        with pytest.raises(ValidationError, match=words):
            registrations.register_for_event(resident, event)
    response = client.post(reverse("engagement:register", args=[cancelled.pk]), follow=True)
    assert response.status_code == 200
    assert "This event has been cancelled" in response.content.decode()
    assert db_snapshot() == before and len(mail.outbox) == sent_before, "no registration, ledger row or email"


def test_online_link_shown_only_to_people_registered(make_event, resident, residents, client):
    event = make_event(mode=Event.Mode.HYBRID, online_link="https://meet.example.org/panel-123", capacity=5)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "meet.example.org/panel-123" not in page
    sign_in(client, resident)
    assert "meet.example.org/panel-123" not in client.get(event.get_absolute_url()).content.decode()
    client.post(reverse("engagement:register", args=[event.pk]))
    assert "meet.example.org/panel-123" in client.get(event.get_absolute_url()).content.decode()
    ward_feed = client.get(reverse("engagement:ward-calendar", args=[event.ward.gss_code])).content.decode()
    assert "panel-123" not in ward_feed


def test_panel_meeting_agenda_carries_overdue_actions(make_event, officer):
    past = make_event(starts_at=timezone.now() - timedelta(days=30))
    record = records.write_meeting_record(officer, past, publish=True)
    overdue = records.agree_action(
        officer,
        record,
        what="Extra patrols on Fann Street",
        owner="PC Smith",
        due_date=timezone.localdate() - timedelta(days=3),
    )
    records.agree_action(
        officer, record, what="Leaflet drop", owner="PCSO Jones", due_date=timezone.localdate() + timedelta(days=30)
    )
    done = records.agree_action(
        officer, record, what="Fix lighting", owner="Council", due_date=timezone.localdate() - timedelta(days=10)
    )
    records.update_action(officer, done, status="done")
    nxt = make_event(agenda=["Welcome", "Crime figures"])
    titles = list(nxt.agenda.values_list("title", flat=True))
    assert titles[:2] == ["Welcome", "Crime figures"]
    assert len(titles) == 3 and "Extra patrols on Fann Street" in titles[2]
    assert nxt.agenda.get(position=3).carried_action == overdue


def test_icalendar_escapes_and_folds_lines(make_event, client):
    long_title = "Ward panel; crime, drugs & ASB \\ review " + "é" * 60
    event = make_event(title=long_title, description="Line one\nLine two, with comma")
    body = client.get(reverse("engagement:ward-calendar", args=[event.ward.gss_code])).content
    text = body.decode("utf-8")
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    for line in body.split(b"\r\n"):
        assert len(line) <= 75
    assert "\n" not in text.replace("\r\n", "")
    unfolded = text.replace("\r\n ", "")
    assert "SUMMARY:Ward panel\\; crime\\, drugs & ASB \\\\ review " + "é" * 60 + "\r\n" in unfolded
    assert "DESCRIPTION:Line one\\nLine two\\, with comma\r\n" in unfolded
    assert f"UID:{event.uid}@openward" in unfolded
    assert "DTSTART:" + event.starts_at.astimezone(ical.UTC).strftime("%Y%m%dT%H%M%SZ") in unfolded


def test_personal_feed_is_tokenised_and_lists_only_my_events(make_event, resident, client):
    mine = make_event(title="My meeting", mode=Event.Mode.ONLINE, address="", online_link="https://meet.example.org/x")
    make_event(title="Someone else's meeting")
    registrations.register_for_event(resident, mine)
    sign_in(client, resident)
    page = client.get(reverse("engagement:mine")).content.decode()
    token = resident.calendar_feed.token
    assert token in page
    client.logout()
    feed = client.get(reverse("engagement:personal-calendar", args=[token])).content.decode()
    assert "SUMMARY:My meeting" in feed and "Someone else" not in feed
    assert "meet.example.org/x" in feed
    assert client.get(reverse("engagement:personal-calendar", args=["not-a-token"])).status_code == 404


def test_officer_creates_event_through_the_page_and_others_cannot(ward, officer, resident, client):
    url = reverse("engagement:event-new", args=["ward", ward.gss_code])
    start = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    form = {
        "title": "Street briefing",
        "kind": "street_briefing",
        "mode": "in_person",
        "starts_at": start,
        "address": "Golden Lane",
        "capacity": "10",
        "agenda": "Hello",
    }
    sign_in(client, resident)
    assert client.get(url).status_code == 403
    assert client.post(url, form).status_code == 403
    assert not Event.objects.exists()
    sign_in(client, officer)
    response = client.post(url, form)
    event = Event.objects.get(title="Street briefing")
    assert response.status_code == 302 and response["Location"] == event.get_absolute_url()
    assert event.ward == ward and event.created_by == officer and event.capacity == 10


def test_policeuk_events_shape(make_event, neighbourhood, client):
    make_event(
        title="Drop In Beat Surgery", kind=Event.Kind.SURGERY, ends_at=timezone.now() + timedelta(days=7, hours=2)
    )
    make_event(title="Past one", starts_at=timezone.now() - timedelta(days=1))
    response = client.get("/api/city-of-london/E05009288/events")
    assert response.status_code == 200
    events = response.json()
    assert [e["title"] for e in events] == ["Drop In Beat Surgery"]
    e = events[0]
    assert set(e) == {"contact_details", "description", "title", "address", "type", "start_date", "end_date"}
    assert len(e["start_date"]) == 19 and e["start_date"][10] == "T" and "+" not in e["start_date"]
    assert e["type"] == "meeting" and e["contact_details"] == {} and e["description"] is None
    assert client.get("/api/city-of-london/E05999999/events").status_code == 404
    assert client.get("/api/nowhere/E05009288/events").status_code == 404


def test_policeuk_events_are_every_upcoming_event_not_the_first_hundred(make_event, neighbourhood, client):
    for day in range(1, 106):
        make_event(title=f"Street briefing {day}", starts_at=timezone.now() + timedelta(days=day))
    titles = [e["title"] for e in client.get("/api/city-of-london/E05009288/events").json()]
    assert titles == [f"Street briefing {day}" for day in range(1, 106)]


@pytest.mark.realdata
def test_policeuk_fixture_shape_matches(shared_data, make_event, neighbourhood, client):
    import json

    fixture = json.loads(
        (shared_data / "policeuk-api-fixtures/go-ukpolice-tests/leicestershire__NC04__events.json").read_text()
    )
    make_event(ends_at=timezone.now() + timedelta(days=7, hours=1))
    ours = client.get("/api/city-of-london/E05009288/events").json()
    assert set(ours[0]) == set(fixture[0])
    assert all(type(ours[0][k]) is type(fixture[0][k]) for k in ("title", "address", "type", "start_date", "end_date"))


def test_api_rsvp_and_cancel(make_event, residents, client):
    event = make_event(capacity=1)
    sign_in(client, residents[0])
    r = client.post(
        f"/api/v1/engagement/events/{event.pk}/registration", {"share_name": True}, content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["status"] == "confirmed"
    sign_in(client, residents[1])
    r = client.post(f"/api/v1/engagement/events/{event.pk}/registration", {}, content_type="application/json")
    assert r.json()["status"] == "waiting"
    sign_in(client, residents[0])
    r = client.delete(f"/api/v1/engagement/events/{event.pk}/registration")
    assert r.json()["status"] == "cancelled"
    assert Registration.objects.get(user=residents[1]).status == Registration.Status.OFFERED
    client.logout()
    assert (
        client.post(
            f"/api/v1/engagement/events/{event.pk}/registration", {}, content_type="application/json"
        ).status_code
        == 401
    )


@pytest.fixture
def offer_then_cancelled(make_event, residents, officer, django_capture_on_commit_callbacks):
    """b is offered a place, then the organiser cancels the event."""
    event = make_event(capacity=1)
    a, b = residents[:2]
    registrations.register_for_event(a, event)
    registrations.register_for_event(b, event)
    with django_capture_on_commit_callbacks(execute=True):
        registrations.cancel_registration(a, Registration.objects.get(event=event, user=a))
    offered = Registration.objects.get(event=event, user=b)
    assert offered.status == Registration.Status.OFFERED
    events_services.cancel_event(officer, event, "Hall flooded")
    return offered


def test_an_offer_cannot_be_accepted_after_the_event_is_cancelled(offer_then_cancelled):
    with pytest.raises(ValidationError, match="event has been cancelled"):
        registrations.accept_offer(offer_then_cancelled.offer_token)
    assert Registration.objects.get(pk=offer_then_cancelled.pk).status == Registration.Status.OFFERED


def test_the_offer_page_and_api_say_the_event_was_cancelled(offer_then_cancelled, client):
    token = offer_then_cancelled.offer_token
    page = client.post(reverse("engagement:offer", args=[token]), {"decision": "accept"}, follow=True)
    assert "This event has been cancelled, so the place can no longer be taken." in page.content.decode()
    api = client.post("/api/v1/engagement/offers", {"token": token}, content_type="application/json")
    assert api.status_code == 400 and "cancelled" in api.json()["detail"]
    registration = Registration.objects.get(pk=offer_then_cancelled.pk)
    assert registration.status == Registration.Status.OFFERED
