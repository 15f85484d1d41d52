"""Events start from now on, can be changed (people registered are told what changed) and cancelled;
bulletins are written in Markdown, go to the author's places when none are chosen, and can be corrected."""

from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from openward.accounts.models import Role
from openward.engagement.models import Bulletin, Event, Registration
from openward.engagement.services import bulletins as bulletins_services
from openward.engagement.services import events as events_services
from openward.engagement.services import registrations
from openward.notifications import services as notifications
from openward.notifications.models import Notice
from tests.personas import make_staff, sign_in

pytestmark = pytest.mark.django_db

PAST = "2020-01-01T19:00"


def test_an_event_dated_in_the_past_is_refused_on_the_page_and_through_the_api(
    ward, officer, client, db_snapshot, resident
):
    notifications.subscribe(resident, ward)
    sign_in(client, officer)
    before = db_snapshot()
    page = client.post(
        reverse("engagement:event-new", kwargs={"kind": "ward", "key": ward.gss_code}),
        {"title": "Old panel", "kind": "ward_panel", "mode": "in_person", "starts_at": PAST, "address": "Hall"},
    )
    # The page and the API say the same words: the form asks the service's own check.
    said = "Wednesday 1 January 2020, 19:00 is in the past. Give a date and time from now on"
    assert page.status_code == 200 and said in page.content.decode()
    api = client.post(
        f"/api/v1/engagement/places/ward/{ward.gss_code}/events",
        {"title": "Old panel", "type": "ward_panel", "address": "Hall", "start": "2020-01-01T19:00:00Z"},
        content_type="application/json",
    )
    assert api.status_code == 400 and said in api.json()["detail"]
    assert db_snapshot() == before and not mail.outbox


def test_changing_an_event_emails_everyone_registered_what_changed(
    make_event, officer, residents, django_capture_on_commit_callbacks
):
    start = timezone.make_aware(datetime(2026, 12, 1, 19, 0))
    event = make_event(starts_at=start, capacity=1, address="Barbican Library")
    a, b, outsider = residents[:3]
    registrations.register_for_event(a, event)
    registrations.register_for_event(b, event)  # waiting list
    with django_capture_on_commit_callbacks(execute=True):
        changes = events_services.change_event(
            officer, event, starts_at=start + timedelta(days=1, hours=-0.5), address="Guildhall Library"
        )
    assert changes == [
        "Starts: now Wednesday 2 December 2026, 18:30 (was Tuesday 1 December 2026, 19:00)",
        "Address: now Guildhall Library (was Barbican Library)",
    ]
    assert sorted(m.to[0] for m in mail.outbox) == sorted([a.email, b.email])
    body = mail.outbox[0].body
    assert mail.outbox[0].subject == "Changed: Aldersgate ward panel"
    assert body.startswith("Starts: now Wednesday 2 December 2026, 18:30 (was Tuesday 1 December 2026, 19:00)\n")
    assert "Where: Guildhall Library" in body


def test_raising_the_capacity_offers_the_place_to_the_waiting_list(
    make_event, officer, residents, django_capture_on_commit_callbacks
):
    event = make_event(capacity=1)
    registrations.register_for_event(residents[0], event)
    registrations.register_for_event(residents[1], event)
    with django_capture_on_commit_callbacks(execute=True):
        events_services.change_event(officer, event, capacity=2)
    assert Registration.objects.get(user=residents[1]).status == Registration.Status.OFFERED


def test_a_change_that_changes_nothing_tells_nobody_and_bad_changes_are_refused(make_event, officer, residents):
    event = make_event(capacity=2)
    registrations.register_for_event(residents[0], event)
    registrations.register_for_event(residents[1], event)
    assert events_services.change_event(officer, event, title=event.title) == []
    assert not Notice.objects.filter(key__startswith="event-changed").exists()
    with pytest.raises(Exception, match="2 people already have a place"):
        events_services.change_event(officer, event, capacity=1)
    with pytest.raises(Exception, match="is in the past"):
        events_services.change_event(officer, event, starts_at=timezone.now() - timedelta(days=1))
    past = make_event(starts_at=timezone.now() - timedelta(days=1))
    with pytest.raises(Exception, match="already started"):
        events_services.change_event(officer, past, title="Renamed")
    event.refresh_from_db()
    assert event.capacity == 2 and event.starts_at > timezone.now()


def test_the_api_changes_an_event_and_says_what_changed(make_event, officer, resident, client):
    event = make_event()
    sign_in(client, resident)
    assert (
        client.patch(
            f"/api/v1/engagement/events/{event.pk}", {"title": "x"}, content_type="application/json"
        ).status_code
        == 403
    )
    sign_in(client, officer)
    r = client.patch(
        f"/api/v1/engagement/events/{event.pk}", {"title": "Spring panel"}, content_type="application/json"
    )
    assert r.status_code == 200
    assert r.json()["changes"] == ["Title: now Spring panel (was Aldersgate ward panel)"]
    assert Event.objects.get(pk=event.pk).title == "Spring panel"


def test_a_bulletin_with_no_place_chosen_goes_to_the_authors_places(ward, other_ward, officer, client):
    sign_in(client, officer)
    page = client.get(reverse("engagement:bulletin-new")).content.decode()
    assert 'type="checkbox" name="wards"' in page and "<select" not in page.split('name="kind"')[1]
    assert "Choose none to send it to all your places: Aldersgate." in page
    response = client.post(
        reverse("engagement:bulletin-new"), {"title": "Hello", "kind": "news", "body_markdown": "Hi there."}
    )
    assert response.status_code == 302
    assert list(Bulletin.objects.get().wards.all()) == [ward]


def test_preview_shows_the_text_and_publishes_nothing(ward, officer, client):
    sign_in(client, officer)
    response = client.post(
        reverse("engagement:bulletin-new"),
        {"title": "Hello", "kind": "news", "body_markdown": "One\n\nTwo www.example.org", "preview": "1"},
    )
    page = response.content.decode()
    assert response.status_code == 200 and not Bulletin.objects.exists()
    assert '<div class="bulletin-body" id="preview"><p>One</p>\n<p>Two <a href="http://www.example.org"' in page


def test_a_published_bulletin_is_corrected_on_the_page_and_through_the_api_without_new_email(
    ward, officer, resident, client, django_capture_on_commit_callbacks
):
    notifications.subscribe(resident, ward)
    with django_capture_on_commit_callbacks(execute=True):
        bulletin = bulletins_services.publish_bulletin(
            officer, bulletins_services.BulletinFields(title="Bike marking", body_markdown="On Saturday.", wards=[ward])
        )
    assert len(mail.outbox) == 1
    sign_in(client, officer)
    form = client.get(reverse("engagement:bulletin-edit", args=[bulletin.pk])).content.decode()
    assert "On Saturday.</textarea>" in form
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("engagement:bulletin-edit", args=[bulletin.pk]),
            {"title": "Bike marking", "kind": "news", "body_markdown": "On Sunday.", "wards": [ward.pk]},
        )
        r = client.put(
            f"/api/v1/engagement/bulletins/{bulletin.pk}",
            {"title": "Bike marking moved", "kind": "news", "body_markdown": "On **Sunday**, 10:00."},
            content_type="application/json",
        )
    assert r.status_code == 200 and r.json()["body_html"] == "<p>On <strong>Sunday</strong>, 10:00.</p>\n"
    page = client.get(bulletin.get_absolute_url()).content.decode()
    assert "Bike marking moved" in page and "Updated " in page
    assert len(mail.outbox) == 1


def test_only_the_team_of_a_bulletins_place_may_correct_it(ward, other_ward, officer, panel_chair, client):
    bulletin = bulletins_services.publish_bulletin(
        officer, bulletins_services.BulletinFields(title="x", body_markdown="x", wards=[ward]), notify=False
    )
    elsewhere = make_staff(Role.OFFICER, other_ward, email="pc.aldgate@met.example")
    for person in (panel_chair, elsewhere):
        sign_in(client, person)
        assert client.get(reverse("engagement:bulletin-edit", args=[bulletin.pk])).status_code == 403
    # Its own team may correct it, but not move it to a place where they hold no team role.
    sign_in(client, officer)
    moved = client.put(
        f"/api/v1/engagement/bulletins/{bulletin.pk}",
        {"title": "x", "kind": "news", "body_markdown": "x", "wards": [other_ward.gss_code]},
        content_type="application/json",
    )
    assert moved.status_code == 403 and "Aldgate" in moved.json()["detail"]
    assert list(bulletin.wards.all()) == [ward]


def test_the_edit_page_reads_the_event_once_after_the_access_check(make_event, officer, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    event = make_event()
    sign_in(client, officer)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("engagement:event-edit", args=[event.pk]))
    assert response.status_code == 200 and event.title in response.content.decode()
    reads = [q["sql"] for q in queries if q["sql"].startswith("SELECT") and 'FROM "engagement_event"' in q["sql"]]
    # One read decides who may edit it (places.of_event), one is the event the page shows and changes.
    assert len(reads) == 2, reads
