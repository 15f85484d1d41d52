"""Events and meetings: schedule, change, add to the agenda, cancel, and remind the people with a place.

A stop-and-search monitoring group's meetings are its chair's alone (`check_kind_allowed`). Each write is
atomic and audited; email goes after commit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from openward.accounts.models import Role
from openward.accounts.permissions import has_role
from openward.core import audit
from openward.notifications import services as notifications
from openward.notifications.models import Notice

from ..models import Action, AgendaItem, Event, Registration
from .common import ward_code, when_words
from .registrations import offer_places


def _check_event(event: Event) -> None:
    if event.ends_at and event.ends_at < event.starts_at:
        raise ValidationError("The end time is before the start time.")
    if event.mode != Event.Mode.IN_PERSON and not event.online_link:
        raise ValidationError("Give the online link for an online or hybrid event (only people registered see it).")
    if event.mode != Event.Mode.ONLINE and not event.address:
        raise ValidationError("Give the address for an event held in person.")


GROUP_MEETING_REFUSED = (
    "Only a stop-and-search monitoring group's chair schedules the group's meetings, from the group's own "
    "meetings page. Choose another kind of event."
)


def check_kind_allowed(actor, event: Event) -> None:
    """A monitoring group meeting is held in a borough by its group; only the chair for that borough (or a
    site administrator) may make one, and only they may turn an event into one."""
    if event.kind != Event.Kind.MONITORING_GROUP:
        return
    if event.borough_id is None or not has_role(actor, [Role.MONITORING_CHAIR], event.borough):
        raise ValidationError(GROUP_MEETING_REFUSED)


def check_future(starts_at) -> None:
    """Refuse a start in the past, in the words the event form and the API both show."""
    if starts_at is not None and starts_at < timezone.now():
        raise ValidationError(
            f"{when_words(starts_at)} is in the past. Give a date and time from now on "
            "(a meeting already held is written up from its page instead)."
        )


@transaction.atomic
def schedule_event(
    actor, *, agenda: Sequence[str] = (), notify: bool = True, allow_past: bool = False, **fields
) -> Event:
    """Publish an event; a panel meeting's agenda carries the place's overdue actions forward.

    Events start from now on; `allow_past` is for loading meetings already held (the demo, imports)."""
    event = Event(created_by=actor, **fields)
    check_kind_allowed(actor, event)
    if not allow_past:
        check_future(event.starts_at)
    _check_event(event)
    event.full_clean()
    event.save()
    position = 0
    for position, title in enumerate([a for a in agenda if a.strip()], start=1):
        AgendaItem.objects.create(event=event, position=position, title=title.strip())
    if event.is_panel:
        carry_overdue_actions(event, start=position + 1)
    audit.record(actor, "engagement.schedule_event", event, ward_code=ward_code(event), title=event.title)
    if notify:
        notifications.announce(
            Notice.Kind.EVENT, event.pk, f"event:{event.pk}", f"{event.get_kind_display()}: {event.title}"
        )
    return event


# What registered people are told when these change, in their words.
TOLD_WHEN_CHANGED = {
    "title": "Title",
    "starts_at": "Starts",
    "ends_at": "Ends",
    "mode": "How to attend",
    "address": "Address",
    "online_link": "Online link",
    "capacity": "Places",
    "description": "Description",
}


def _said(event: Event, name: str) -> str:
    value = getattr(event, name)
    if name in ("starts_at", "ends_at"):
        return when_words(value)
    if name == "mode":
        return event.get_mode_display()
    if name == "online_link":
        return "changed: see the event page" if value else "none"
    return str(value) if value not in (None, "") else "none"


@transaction.atomic
def change_event(actor, event: Event, **fields) -> list[str]:
    """Change a coming event; everyone registered or waiting is emailed what changed. Returns the changes."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.is_cancelled:
        raise ValidationError("This event is cancelled, so it cannot be changed.")
    if event.starts_at < timezone.now():
        raise ValidationError("This event has already started, so it cannot be changed. Write its record instead.")
    before = {name: _said(event, name) for name in TOLD_WHEN_CHANGED}
    old_start, old_capacity, old_kind = event.starts_at, event.capacity, event.kind
    for name, value in fields.items():
        if name not in TOLD_WHEN_CHANGED and name != "kind":
            raise ValueError(f"{name} cannot be changed here.")
        setattr(event, name, value)
    if event.kind != old_kind:
        check_kind_allowed(actor, event)
    if event.starts_at != old_start:
        check_future(event.starts_at)
    _check_event(event)
    confirmed = event.registrations.filter(status=Registration.Status.CONFIRMED).count()
    if event.capacity is not None and event.capacity < confirmed:
        raise ValidationError(
            f"{confirmed} people already have a place, so there must be at least {confirmed} places. "
            "Ask people to give up their place first, or cancel the event."
        )
    event.full_clean()
    event.save()
    changes = [
        f"{label}: now {after} (was {before[name]})"
        for name, label in TOLD_WHEN_CHANGED.items()
        if (after := _said(event, name)) != before[name]
    ]
    if not changes:
        return []
    audit.record(actor, "engagement.change_event", event, ward_code=ward_code(event), changed=changes)
    emails = list(event.registrations.filter(status__in=Registration.ACTIVE).values_list("user__email", flat=True))
    if emails:
        number = Notice.objects.filter(key__startswith=f"event-changed:{event.pk}:").count() + 1
        notifications.notify_people(
            Notice.Kind.EVENT,
            event.pk,
            f"event-changed:{event.pk}:{number}",
            f"Changed: {event.title}",
            emails,
            detail="\n".join(changes),
        )
    if event.capacity is not None and (old_capacity is None or event.capacity > old_capacity):
        offer_places(event)
    return changes


@transaction.atomic
def add_agenda_item(actor, event: Event, title: str) -> AgendaItem:
    """Add an item to the end of a coming meeting's agenda."""
    title = (title or "").strip()
    if not title:
        raise ValidationError("Write the agenda item to add.")
    if len(title) > 300:
        raise ValidationError("Keep an agenda item under 300 characters; put the detail in the description.")
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.is_cancelled:
        raise ValidationError("This meeting is cancelled, so its agenda cannot change.")
    if event.is_past:
        raise ValidationError("This meeting has already started, so its agenda cannot change. Write its record.")
    last = event.agenda.aggregate(last=Max("position"))["last"] or 0
    item = AgendaItem.objects.create(event=event, position=last + 1, title=title)
    audit.record(actor, "engagement.add_agenda_item", event, ward_code=ward_code(event), item=title)
    return item


def carry_overdue_actions(event: Event, start: int = 1) -> int:
    """Add each overdue open action of the event's place to its agenda (once)."""
    actions = Action.objects.overdue().filter(
        ward_id=event.ward_id, cluster_id=event.cluster_id, borough_id=event.borough_id
    )
    already = set(event.agenda.exclude(carried_action=None).values_list("carried_action_id", flat=True))
    added = 0
    for offset, action in enumerate(a for a in actions if a.pk not in already):
        due = action.due_date.strftime("%-d %B %Y")
        AgendaItem.objects.create(
            event=event,
            position=start + offset,
            title=f"Overdue action (due {due}, {action.owner}): {action.what}",
            carried_action=action,
        )
        added += 1
    return added


@transaction.atomic
def cancel_event(actor, event: Event, reason: str) -> Event:
    """Cancel an event and tell everyone registered."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.is_cancelled:
        return event
    event.status = Event.Status.CANCELLED
    event.cancelled_reason = reason[:300]
    event.save(update_fields=["status", "cancelled_reason", "updated_at"])
    emails = list(event.registrations.filter(status__in=Registration.ACTIVE).values_list("user__email", flat=True))
    if emails:
        notifications.notify_people(
            Notice.Kind.EVENT,
            event.pk,
            f"event-cancelled:{event.pk}",
            f"Cancelled: {event.title}",
            emails,
            detail=f"This event is cancelled: {reason[:300]}",
        )
    audit.record(actor, "engagement.cancel_event", event, ward_code=ward_code(event), reason=reason)
    return event


@transaction.atomic
def send_event_reminders(now=None, hours: int = 24) -> int:
    """Remind people with a place about events starting within `hours` (once per event)."""
    now = now or timezone.now()
    events = Event.objects.scheduled().filter(
        starts_at__gt=now, starts_at__lte=now + timedelta(hours=hours), reminder_sent_at__isnull=True
    )
    sent = 0
    for event in events.select_for_update():
        emails = list(
            event.registrations.filter(status=Registration.Status.CONFIRMED).values_list("user__email", flat=True)
        )
        if emails:
            notifications.notify_people(
                Notice.Kind.REMINDER, event.pk, f"reminder:{event.pk}", f"Reminder: {event.title}", emails
            )
        event.reminder_sent_at = now
        event.save(update_fields=["reminder_sent_at"])
        audit.record(None, "engagement.reminders_sent", event, ward_code=ward_code(event), people=len(emails))
        sent += 1
    return sent
