"""Reads for engagement pages and the API, in domain words."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from django.apps import apps
from django.db.models import Count, F, Q
from django.utils import timezone

from openward.areas.models import Ward

from . import places
from .models import Action, Attendance, Event, MeetingRecord, Reply, Topic, within_q


def reply_counts(area, *, now=None) -> dict[str, int]:
    """Replies to a place's team in the 12 months to `now`: received; settled (received 7 days ago or more,
    so due an answer); on_time (settled and answered within 7 days of arriving). A reply never answered
    counts as late once settled."""
    now = now or timezone.now()
    week_ago = now - timedelta(days=7)
    replies = Reply.objects.filter(
        pk__in=Reply.objects.within(area)
        .filter(received_at__gte=now - timedelta(days=365), received_at__lte=now)
        .values("pk")
    )
    return replies.aggregate(
        received=Count("pk"),
        settled=Count("pk", filter=Q(received_at__lte=week_ago)),
        on_time=Count("pk", filter=Q(received_at__lte=week_ago, answered_at__lte=F("received_at") + timedelta(days=7))),
    )


def calendar_window_start():
    return timezone.now() - timedelta(days=90)


def topics_for(event: Event):
    """The topics a meeting's record is written under: the standard topics for its kind of meeting (a
    monitoring group's own, or the panels'), those this event's panel added, and any its record already uses."""
    own = Topic.Meetings.MONITORING if event.kind == Event.Kind.MONITORING_GROUP else Topic.Meetings.PANELS
    q = Topic.standard_for(own)
    if event.ward_id:
        q |= Q(added_for_ward=event.ward_id)
    if event.cluster_id:
        q |= Q(added_for_cluster=event.cluster_id)
    used = MeetingRecord.objects.filter(event=event).values("minutes__topic")
    return Topic.objects.filter(q | Q(pk__in=used)).distinct()


def attendance_summary(record: MeetingRecord) -> dict:
    """Counts by role, and the names of only those who agreed to be named."""
    rows = list(record.attendance.all())
    counts = Counter(row.role for row in rows)
    labels = dict(Attendance.Role.choices)
    return {
        "total": len(rows),
        "by_role": [(labels[role], counts[role]) for role in Attendance.Role.values if counts[role]],
        "named": [(labels[row.role], row.name) for row in rows if row.agreed_to_be_named and row.name],
    }


def published_records(area):
    return (
        MeetingRecord.objects.filter(status=MeetingRecord.Status.PUBLISHED)
        .filter(within_q(area, "event__"))
        .select_related("event")
        .order_by("-event__starts_at")
        .distinct()
    )


def open_actions(area):
    return Action.objects.published().open().within(area).select_related("record__event", "ward", "cluster", "borough")


def open_actions_by_place(area) -> list[dict]:
    """Open and overdue actions rolled up per ward (and per cluster or borough-wide) inside `area`."""
    today = timezone.localdate()
    rows: dict[tuple[str, int], dict] = {}
    for action in open_actions(area):
        place = action.area
        key = (type(place).__name__, place.pk)
        row = rows.setdefault(key, {"place": place, "open": 0, "overdue": 0})
        row["open"] += 1
        if action.due_date and action.due_date < today:
            row["overdue"] += 1
    return sorted(rows.values(), key=lambda r: (-r["overdue"], -r["open"], str(r["place"])))


def inbox_for(user):
    q = places.grants_q(user, places.TEAM_ROLES)
    replies = Reply.objects.select_related("bulletin", "event", "ward", "cluster", "borough")
    return replies if q is None else replies.filter(q).distinct()


def upcoming_for_area(area, limit: int = 5):
    events = Event.objects.scheduled().upcoming()
    events = events.for_ward(area) if isinstance(area, Ward) else events.within(area)
    return events[:limit]


def priorities_for_actions(event: Event):
    """The open ward priorities an action agreed at `event` may serve: its ward's, or those of the wards
    inside its cluster or borough (by label: priorities builds on engagement)."""
    priority = apps.get_model("priorities", "Priority")
    if event.ward_id:
        in_place = Q(ward=event.ward_id)
    elif event.cluster_id:
        in_place = Q(ward__clusters=event.cluster_id)
    else:
        in_place = Q(ward__borough=event.borough_id, ward__borough__isnull=False)
    return priority.objects.filter(in_place, status="open").select_related("ward").order_by("ward__name", "slot", "pk")


def priority_titles(actions) -> dict[int, str]:
    """{priority id: its statement} for the priorities these actions serve."""
    ids = {a.priority_id for a in actions if a.priority_id}
    priority = apps.get_model("priorities", "Priority")
    return dict(priority.objects.filter(pk__in=ids).values_list("pk", "statement")) if ids else {}
