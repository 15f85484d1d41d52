"""Engagement's notices: how each is described in an email and who hears of it (see notifications/subjects.py)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from openward.notifications import subjects
from openward.notifications.models import Notice, Subscription

from .models import Bulletin, Event, Registration, Reply
from .services import events as events_services
from .services import registrations as registrations_services


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def event_ward_ids(event: Event) -> list[int]:
    """The wards an event is for: its ward, its cluster's wards, or its borough's wards."""
    if event.ward_id:
        return [event.ward_id]
    if event.cluster_id:
        return list(event.cluster.wards.values_list("pk", flat=True))
    return list(event.borough.wards.values_list("pk", flat=True))


def bulletin_context(notice: Notice) -> dict:
    bulletin = Bulletin.objects.get(pk=notice.object_id)
    return {
        "bulletin": bulletin,
        "body_text": strip_tags(bulletin.body_html).strip(),
        "url": absolute(bulletin.get_absolute_url()),
    }


def bulletin_subscriptions(notice: Notice):
    bulletin = Bulletin.objects.get(pk=notice.object_id)
    subscriptions = Subscription.objects.filter(ward__in=bulletin.covered_wards())
    topic_ids = list(bulletin.topics.values_list("pk", flat=True))
    if topic_ids:
        subscriptions = subscriptions.filter(Q(topics__isnull=True) | Q(topics__in=topic_ids))
    return subscriptions


def event_context(notice: Notice) -> dict:
    event = Event.objects.select_related("ward", "cluster", "borough").get(pk=notice.object_id)
    return {"event": event, "url": absolute(reverse("engagement:event", args=[event.pk]))}


def event_subscriptions(notice: Notice):
    return Subscription.objects.filter(ward_id__in=event_ward_ids(Event.objects.get(pk=notice.object_id)))


def place_offer_context(notice: Notice) -> dict:
    registration = Registration.objects.select_related("event").get(pk=notice.object_id)
    return {
        "registration": registration,
        "event": registration.event,
        "accept_url": absolute(reverse("engagement:offer", args=[registration.offer_token])),
    }


def answer_context(notice: Notice) -> dict:
    reply = Reply.objects.select_related("bulletin", "event").get(pk=notice.object_id)
    return {"reply": reply, "item": reply.item}


def digest_items(subscriber, notice: Notice) -> dict | None:
    """The week's bulletins and new events in a subscriber's wards, or None when there are none."""
    since = notice.created_at - timedelta(days=7)
    wards = list(subscriber.subscriptions.values_list("ward_id", flat=True))
    # Two queries per subscriber, not one per bulletin and event of the week (see covered_wards, event_ward_ids).
    bulletins = list(
        Bulletin.objects.published()
        .filter(published_at__gte=since, published_at__lte=notice.created_at)
        .for_wards(wards)
    )
    events = list(
        Event.objects.scheduled()
        .filter(created_at__gte=since, starts_at__gte=timezone.now())
        .filter(
            Q(ward__in=wards)
            | Q(ward__isnull=True, cluster__wards__in=wards)
            | Q(ward__isnull=True, cluster__isnull=True, borough__wards__in=wards)
        )
        .distinct()
    )
    if not bulletins and not events:
        return None
    return {
        "bulletins": [(b, absolute(b.get_absolute_url())) for b in bulletins],
        "events": [(e, absolute(reverse("engagement:event", args=[e.pk]))) for e in events],
    }


subjects.register(
    Notice.Kind.BULLETIN, context=bulletin_context, subscriptions=bulletin_subscriptions, reply_kind="bulletin"
)
subjects.register(Notice.Kind.EVENT, context=event_context, subscriptions=event_subscriptions, reply_kind="event")
subjects.register(Notice.Kind.REMINDER, context=event_context, reply_kind="event")
subjects.register(Notice.Kind.PLACE_OFFER, context=place_offer_context)
subjects.register(Notice.Kind.ANSWER, context=answer_context)
subjects.register_digest(digest_items)
subjects.register_job("Offers lapsed", registrations_services.expire_lapsed_offers)
subjects.register_job("Events reminded", events_services.send_event_reminders)
