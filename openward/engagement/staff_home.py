"""The staff home's engagement panels: replies waiting, meetings coming, records to write, overdue
actions, bulletins and volunteering sign-ups, each only for the roles that do that work."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from openward.accounts.permissions import has_role
from openward.core import staff_home
from openward.core.staff_home import Item, Panel

from . import places, selectors
from .models import Action, Bulletin, Event, MeetingRecord, VolunteerSignup, VolunteerTask

SHOWN = 10


def _day(value) -> str:
    return date_format(timezone.localtime(value) if hasattr(value, "hour") else value, "j F Y")


def _ago(moment, today) -> str:
    return staff_home.days_ago(timezone.localdate(moment), today)


def _more(count: int, text: str, url: str) -> Item | None:
    return Item(f"{text} ({count})", url) if count > SHOWN else None


def replies_waiting(user, today):
    if not has_role(user, places.TEAM_ROLES):
        return None
    waiting = selectors.inbox_for(user).unanswered().order_by("received_at")
    count = waiting.count()
    items = [
        Item(
            f"Reply to “{reply.item.title}”",
            reverse("engagement:inbox-reply", args=[reply.pk]),
            f"received {_day(reply.received_at)}, {_ago(reply.received_at, today)}",
        )
        for reply in waiting[:SHOWN]
    ]
    return Panel(
        "replies",
        "Replies waiting for an answer",
        items,
        "No replies are waiting. Answered replies are in the inbox.",
        more=_more(count, "All replies waiting", reverse("engagement:inbox")),
        links=[Item("Open the inbox", reverse("engagement:inbox"))],
    )


def meetings_coming(user, today):
    if not has_role(user, places.EVENT_ROLES):
        return None
    q = places.grants_q(user, places.EVENT_ROLES)
    events = Event.objects.scheduled().upcoming()
    events = (events if q is None else events.filter(q)).distinct().select_related("ward", "cluster", "borough")
    count = events.count()
    items = [
        Item(
            event.title,
            reverse("engagement:event", args=[event.pk]),
            f"{_day(event.starts_at)}, {staff_home.in_days(timezone.localdate(event.starts_at), today)}",
        )
        for event in events[:SHOWN]
    ]
    links = [
        Item(f"New event in {place.name}", reverse("engagement:event-new", kwargs=places.area_kwargs(place)))
        for group in places.own_places(user, places.EVENT_ROLES)
        for place in group
    ]
    return Panel(
        "meetings",
        "Meetings coming",
        items,
        "No meetings are planned in your places.",
        more=_more(count, "All events", reverse("engagement:events")),
        links=links,
    )


def records_to_write(user, today):
    if not has_role(user, places.RECORD_ROLES):
        return None
    q = places.grants_q(user, places.RECORD_ROLES)
    held = Event.objects.scheduled().past().exclude(record__status=MeetingRecord.Status.PUBLISHED)
    held = (held if q is None else held.filter(q)).distinct().order_by("starts_at")
    count = held.count()
    items = [
        Item(
            f"Record of {event.title}",
            reverse("engagement:record-edit", args=[event.pk]),
            f"held {_day(event.starts_at)}, {staff_home.days_ago(timezone.localdate(event.starts_at), today)}",
        )
        for event in held[:SHOWN]
    ]
    return Panel(
        "records",
        "Meeting records to write",
        items,
        "Every meeting held in your places has its record published.",
        more=_more(count, "All records", reverse("engagement:events")),
    )


def overdue_actions(user, today):
    if not has_role(user, places.RECORD_ROLES):
        return None
    q = places.grants_q(user, places.RECORD_ROLES)
    actions = Action.objects.published().overdue(today)
    actions = (actions if q is None else actions.filter(q)).distinct().select_related("record").order_by("due_date")
    count = actions.count()
    items = [
        Item(
            action.what,
            reverse("engagement:record", args=[action.record_id]) + f"#action-{action.pk}",
            f"{action.owner}; due {_day(action.due_date)}, {staff_home.days_ago(action.due_date, today)}",
        )
        for action in actions[:SHOWN]
    ]
    return Panel(
        "actions",
        "Overdue actions",
        items,
        "No agreed action is overdue.",
        more=_more(count, "All overdue actions", reverse("engagement:events")),
    )


def bulletins(user, today):
    if not has_role(user, places.TEAM_ROLES):
        return None
    wards = places.wards_for(user, places.TEAM_ROLES)
    recent = Bulletin.objects.published().for_wards(wards)
    items = [
        Item(b.title, reverse("engagement:bulletin", args=[b.pk]), f"published {_day(b.published_at)}")
        for b in recent[:5]
    ]
    return Panel(
        "bulletins",
        "Bulletins",
        items,
        "No bulletins have been published for your places yet.",
        links=[Item("Write a bulletin", reverse("engagement:bulletin-new"))],
    )


def volunteering(user, today):
    if not has_role(user, places.EVENT_ROLES):
        return None
    wards = places.wards_for(user, places.EVENT_ROLES)
    signed_up = Count("signups", filter=Q(signups__status=VolunteerSignup.Status.SIGNED_UP))
    tasks = (
        VolunteerTask.objects.filter(ward__in=wards, status=VolunteerTask.Status.OPEN, starts_at__gte=timezone.now())
        .annotate(signed_up=signed_up)
        .order_by("starts_at")
    )
    items = [
        Item(
            task.title,
            reverse("engagement:volunteer-task", args=[task.pk]),
            f"{task.signed_up} of {task.places} places taken; {_day(task.starts_at)}",
        )
        for task in tasks[:SHOWN]
    ]
    links = [
        Item(
            f"New volunteering task in {place.name}",
            reverse("engagement:volunteer-task-new", kwargs=places.area_kwargs(place)),
        )
        for place in places.own_places(user, places.EVENT_ROLES)[0]  # volunteering tasks are a ward's
    ]
    return Panel(
        "volunteering",
        "Volunteering sign-ups",
        items,
        "No volunteering tasks are coming up in your places.",
        links=links,
    )


staff_home.register(order=20, panel=replies_waiting)
staff_home.register(order=30, panel=meetings_coming)
staff_home.register(order=40, panel=records_to_write)
staff_home.register(order=50, panel=overdue_actions)
staff_home.register(order=80, panel=bulletins)
staff_home.register(order=90, panel=volunteering)
