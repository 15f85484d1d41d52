"""Digests, reminders, lapsed offers and the ledger's own rules (claims, retries, no second send)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from openward.core.models import AuditEvent
from openward.engagement.services import bulletins, registrations
from openward.notifications import delivery, services
from openward.notifications.models import Delivery, Notice, Subscriber

pytestmark = pytest.mark.django_db


def test_weekly_subscribers_get_a_digest_not_each_bulletin(
    ward, officer, residents, django_capture_on_commit_callbacks
):
    weekly, immediate = residents[:2]
    services.subscribe(weekly, ward, frequency="weekly")
    services.subscribe(immediate, ward)
    with django_capture_on_commit_callbacks(execute=True):
        bulletins.publish_bulletin(
            officer, bulletins.BulletinFields(title="Bike theft advice", body_html="<p>Lock it</p>", wards=[ward])
        )
    assert [m.to for m in mail.outbox] == [[immediate.email]]
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_notification_jobs", "--weekly-digest")
    digest = mail.outbox[1]
    assert digest.to == [weekly.email] and "Bike theft advice" in digest.body
    assert "List-Unsubscribe" in digest.extra_headers
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_notification_jobs", "--weekly-digest")
    assert len(mail.outbox) == 2, "one digest per week"


def test_reminders_and_lapsed_offers_by_the_jobs_command(make_event, residents, django_capture_on_commit_callbacks):
    soon = make_event(starts_at=timezone.now() + timedelta(hours=5), capacity=1)
    a, b = residents[:2]
    registrations.register_for_event(a, soon)
    registrations.register_for_event(b, soon)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_notification_jobs")
    assert [m.to for m in mail.outbox] == [[a.email]] and "Reminder" in mail.outbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_notification_jobs")
    assert len(mail.outbox) == 1, "one reminder per event"
    sent = AuditEvent.objects.filter(action="engagement.reminders_sent")
    assert [(e.target_id, e.data.get("people")) for e in sent] == [(str(soon.pk), 1)]


def test_claims_are_exclusive_and_sent_rows_are_never_sent_again(ward, residents, settings):
    subscribers = [services.subscriber_for(r.email) for r in residents]
    notice = Notice.objects.create(kind=Notice.Kind.DIGEST, key="t", subject="t")
    rows = Delivery.objects.bulk_create([Delivery(notice=notice, subscriber=s) for s in subscribers])
    ids = [r.pk for r in rows]
    first, claimed = delivery.claim(ids)
    assert len(claimed) == len(ids)
    assert delivery.claim(ids)[1] == [], "a live claim is not taken twice"
    Delivery.objects.filter(pk=ids[0]).update(status="sent", claim="")
    Delivery.objects.update(claimed_at=timezone.now() - timedelta(seconds=settings.NOTIFICATIONS["LEASE_SECONDS"] + 1))
    _, reclaimed = delivery.claim(ids)
    assert sorted(r.pk for r in reclaimed) == ids[1:], "a lost claim is taken again; a sent row never"
    assert all(r.attempts == 2 for r in reclaimed)


def test_smtp_down_means_retry_later_and_nothing_lost(
    ward, officer, smtp_server, settings, django_capture_on_commit_callbacks
):
    subscribers = Subscriber.objects.bulk_create([Subscriber(email=f"s{i}@example.org") for i in range(30)])
    from openward.notifications.models import Subscription

    Subscription.objects.bulk_create([Subscription(subscriber=s, ward=ward) for s in subscribers])
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead_port = s.getsockname()[1]
    # The server is unreachable (nothing listens on this port); the worker test stops a real one.
    settings.EMAIL_PORT = dead_port
    with django_capture_on_commit_callbacks(execute=True):
        bulletin = bulletins.publish_bulletin(
            officer, bulletins.BulletinFields(title="Appeal", body_html="<p>x</p>", wards=[ward])
        )
    rows = Delivery.objects.filter(notice__key=f"bulletin:{bulletin.pk}")
    assert rows.count() == 30 and set(rows.values_list("status", flat=True)) == {"retry"}
    assert all("SMTP unavailable" in e for e in rows.values_list("last_error", flat=True))
    assert rows.first().next_attempt_at > timezone.now()
    settings.EMAIL_PORT = smtp_server.port
    # Not yet due: the sweep leaves them alone.
    call_command("run_notification_jobs")
    assert smtp_server.messages == []
    rows.update(next_attempt_at=timezone.now())
    call_command("run_notification_jobs")
    received = sorted(m["to"][0] for m in smtp_server.wait_for(30))
    assert received == sorted(s.email for s in subscribers)
    assert set(rows.values_list("status", flat=True)) == {"sent"}
    call_command("run_notification_jobs")
    assert len(smtp_server.messages) == 30


def test_only_broadcast_kinds_have_an_audience(db):
    # A place offer or an answer goes to named people (notify_people), never to subscribers of a ward.
    for kind in (Notice.Kind.PLACE_OFFER, Notice.Kind.ANSWER, Notice.Kind.REMINDER):
        notice = Notice.objects.create(kind=kind, object_id=1, key=f"t:{kind}", subject="t")
        with pytest.raises(ValueError, match="not a broadcast"):
            services.audience(notice)
