"""Places at events: register (a place or the waiting list), give a place up, offers of a freed place
and their deadlines, and each person's private calendar link. Each write is atomic and audited."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from openward.core import audit
from openward.notifications import services as notifications
from openward.notifications.models import Notice

from ..models import CalendarFeed, Event, Registration, new_token
from .common import ward_code


@transaction.atomic
def register_for_event(user, event: Event, *, share_name: bool = False) -> Registration:
    """RSVP: a confirmed place while there is room, otherwise a place on the waiting list."""
    # Locking the event row makes capacity real when many people register at once.
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.is_cancelled:
        raise ValidationError("This event has been cancelled, so you cannot register for it.")
    if event.is_past:
        raise ValidationError("This event has already started or taken place, so registration is closed.")
    registration = Registration.objects.filter(event=event, user=user).first()
    if registration and registration.status in Registration.ACTIVE:
        return registration
    has_room = event.capacity is None or event.places_taken() < event.capacity
    status = Registration.Status.CONFIRMED if has_room else Registration.Status.WAITING
    now = timezone.now()
    if registration is None:
        registration = Registration(event=event, user=user)
    registration.status = status
    registration.share_name = share_name
    registration.waiting_since = now if status == Registration.Status.WAITING else None
    registration.offer_token = ""
    registration.offer_expires_at = None
    registration.save()
    audit.record(user, "engagement.register", registration, ward_code=ward_code(event), status=status)
    return registration


@transaction.atomic
def cancel_registration(user, registration: Registration) -> Registration:
    """Give up a place (or leave the waiting list); a freed place is offered to the next person waiting."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status not in Registration.ACTIVE:
        return registration
    freed = registration.status in Registration.HOLDING
    registration.status = Registration.Status.CANCELLED
    registration.offer_token = ""
    registration.save(update_fields=["status", "offer_token", "updated_at"])
    audit.record(user, "engagement.cancel_registration", registration, ward_code=ward_code(registration.event))
    if freed and not registration.event.is_past:
        offer_places(registration.event)
    return registration


def offer_places(event: Event) -> list[Registration]:
    """Offer each free place to the first person waiting, by email, with an accept link and a deadline."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    offered: list[Registration] = []
    if event.is_cancelled or event.is_past or event.capacity is None:
        return offered
    free = event.capacity - event.places_taken()
    waiting = event.registrations.filter(status=Registration.Status.WAITING).order_by("waiting_since", "pk")
    for registration in waiting[: max(0, free)]:
        deadline = min(timezone.now() + timedelta(hours=settings.NOTIFICATIONS["PLACE_OFFER_HOURS"]), event.starts_at)
        registration.status = Registration.Status.OFFERED
        registration.offer_token = new_token()
        registration.offer_expires_at = deadline
        registration.save(update_fields=["status", "offer_token", "offer_expires_at", "updated_at"])
        notifications.notify_people(
            Notice.Kind.PLACE_OFFER,
            registration.pk,
            f"offer:{registration.pk}:{registration.offer_token[:8]}",
            f"A place has come up: {event.title}",
            [registration.user.email],
        )
        audit.record(None, "engagement.offer_place", registration, ward_code=ward_code(event))
        offered.append(registration)
    return offered


class OfferProblem(ValidationError):
    pass


@transaction.atomic
def accept_offer(token: str) -> Registration:
    """Take an offered place before its deadline."""
    registration = Registration.objects.select_for_update().filter(offer_token=token).first() if token else None
    if registration is None:
        raise OfferProblem("This link is not a current place offer. It may have been used already or changed.")
    if registration.status == Registration.Status.CONFIRMED:
        return registration
    if registration.status != Registration.Status.OFFERED:
        raise OfferProblem("This offer is no longer open.")
    if registration.event.is_cancelled:
        raise OfferProblem("This event has been cancelled, so the place can no longer be taken.")
    if registration.offer_expires_at and registration.offer_expires_at < timezone.now():
        expire_offer(registration)
        raise OfferProblem("Sorry, this offer lapsed and the place has gone to the next person waiting.")
    registration.status = Registration.Status.CONFIRMED
    registration.save(update_fields=["status", "updated_at"])
    audit.record(registration.user, "engagement.accept_offer", registration, ward_code=ward_code(registration.event))
    return registration


@transaction.atomic
def decline_offer(token: str) -> Registration:
    """Turn down an offered place; it goes to the next person waiting."""
    registration = Registration.objects.select_for_update().filter(offer_token=token).first() if token else None
    if registration is None or registration.status != Registration.Status.OFFERED:
        raise OfferProblem("This link is not a current place offer. It may have been used already or changed.")
    return cancel_registration(registration.user, registration)


def expire_offer(registration: Registration) -> None:
    registration.status = Registration.Status.EXPIRED
    registration.save(update_fields=["status", "updated_at"])
    audit.record(None, "engagement.offer_lapsed", registration, ward_code=ward_code(registration.event))
    offer_places(registration.event)


@transaction.atomic
def expire_lapsed_offers(now=None) -> int:
    """Offers past their deadline lapse; each place goes to the next person waiting."""
    now = now or timezone.now()
    lapsed = list(
        Registration.objects.select_for_update().filter(status=Registration.Status.OFFERED, offer_expires_at__lt=now)
    )
    for registration in lapsed:
        expire_offer(registration)
    return len(lapsed)


@transaction.atomic
def calendar_feed(user) -> CalendarFeed:
    """The person's private calendar link (the events they have a place at), made the first time it is asked for."""
    feed, created = CalendarFeed.objects.get_or_create(user=user)
    if created:
        audit.record(user, "engagement.calendar_feed_made", feed)
    return feed


@transaction.atomic
def reset_calendar_feed(user) -> CalendarFeed:
    """Give the person a new private calendar link; the old one stops working."""
    CalendarFeed.objects.filter(user=user).delete()
    feed = CalendarFeed.objects.create(user=user)
    audit.record(user, "engagement.calendar_feed_reset", feed)
    return feed
