"""The staff home's panel for monitoring group members (chair, reviewer, force liaison): for each of their
groups, the sample under review and how many of its stops are left to review, the next group meeting, the
open actions and any published summary still awaiting the force's response, each one click away.

Registered with core.staff_home (this module is imported at start-up by core.hooks), so the staff home in
accounts and engagement's panels import nothing from here.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from openward.accounts.permissions import role_grants
from openward.core import staff_home
from openward.core.staff_home import Item, Panel
from openward.engagement.models import Action as MeetingAction

from . import meetings
from .members import ROLE_WORDS
from .models import Action, MonitoringGroup, ReviewSample
from .roles import CHAIR, MEMBER_ROLES

SHOWN = 5


def _day(value) -> str:
    return date_format(timezone.localtime(value) if hasattr(value, "hour") else value, "j F Y")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _sample_under_review(group: MonitoringGroup) -> ReviewSample | None:
    """The month the group is working on: its latest sample not yet published, else its latest sample."""
    samples = ReviewSample.objects.filter(group=group).order_by("-month")
    return samples.filter(published_at__isnull=True).first() or samples.first()


def _sample_item(group, code, sample) -> Item:
    if sample is None:
        return Item(
            "No review sample drawn yet",
            reverse("monitoring:work", args=[code]),
            "the chair draws each month's sample from the group's work page",
        )
    url = reverse("monitoring:sample", args=[code, sample.pk])
    if sample.published_at:
        return Item(
            f"Review sample for {sample.month:%B %Y}",
            url,
            f"every stop reviewed; published {_day(sample.published_at)}",
        )
    left = sample.stops.filter(review__isnull=True).count()
    note = (
        f"{left} of {sample.size} stops left to review"
        if left
        else f"all {sample.size} stops reviewed; the summary is not published yet"
    )
    return Item(f"Review sample for {sample.month:%B %Y}", url, note)


def _meeting_item(group, code, is_chair: bool, today) -> Item:
    event = meetings.upcoming(group).first()
    if event is None:
        where = reverse("monitoring:meetings" if is_chair else "monitoring:public", args=[code])
        return Item("No group meeting is scheduled", where, "")
    url = (
        reverse("monitoring:meeting", args=[code, event.pk])
        if is_chair
        else reverse("engagement:event", args=[event.pk])
    )
    when = timezone.localtime(event.starts_at)
    return Item(
        f"Next meeting: {event.title}",
        url,
        f"{date_format(when, 'j F Y, H:i')}, {staff_home.in_days(when.date(), today)}",
    )


def _open_actions(group, code, is_chair: bool) -> tuple[int, list[Item]]:
    """The group's open actions: those recorded after a review, then those agreed at its meetings."""
    reviews = Action.objects.filter(sample__group=group, done_on__isnull=True).select_related("sample")
    agreed = (
        MeetingAction.objects.open()
        .filter(record__event__kind=meetings.KIND, record__event__borough=group.borough)
        .select_related("record")
        .order_by("due_date", "pk")
    )
    if not is_chair:
        agreed = agreed.published()  # a draft record is the chair's until published
    items = [
        Item(
            a.what,
            reverse("monitoring:sample", args=[code, a.sample_id]),
            f"{a.owner}; after the {a.sample.month:%B %Y} review",
        )
        for a in reviews.order_by("sample__month", "pk")[:SHOWN]
    ]
    for a in agreed[: max(0, SHOWN - len(items))]:
        url = (
            reverse("monitoring:meeting", args=[code, a.record.event_id])
            if is_chair
            else reverse("engagement:record", args=[a.record_id]) + f"#action-{a.pk}"
        )
        due = f"due {_day(a.due_date)}" if a.due_date else "no due date"
        items.append(Item(a.what, url, f"{a.owner}; agreed at a meeting, {due}"))
    return reviews.count() + agreed.count(), items


def _responses_awaited(code, group, today) -> list[Item]:
    waiting = ReviewSample.objects.filter(group=group, published_at__isnull=False, force_response="")
    return [
        Item(
            f"Force response awaited: {s.month:%B %Y} summary",
            reverse("monitoring:sample", args=[code, s.pk]),
            f"published {_day(s.published_at)}, {staff_home.days_ago(timezone.localdate(s.published_at), today)}",
        )
        for s in waiting.order_by("published_at")[:SHOWN]
    ]


def monitoring_groups(user, today):
    """For members only: a site administrator, who holds no group's role, is not shown every group here."""
    grants = role_grants(user).filter(role__in=MEMBER_ROLES, borough__isnull=False).values_list("borough_id", "role")
    roles_by_borough: dict[int, set[str]] = {}
    for borough_id, role in grants:
        roles_by_borough.setdefault(borough_id, set()).add(role)
    if not roles_by_borough:
        return None
    groups = MonitoringGroup.objects.filter(borough_id__in=roles_by_borough).select_related("borough")
    items: list[Item] = []
    for group in groups.order_by("name"):
        code, held = group.borough.gss_code, roles_by_borough[group.borough_id]
        is_chair = CHAIR in held
        words = ", ".join(ROLE_WORDS[r].lower() for r in ROLE_WORDS if r in held)
        count, actions = _open_actions(group, code, is_chair)
        items.append(
            Item(
                group.name,
                reverse("monitoring:work", args=[code]),
                f"you are its {words}; {_plural(count, 'open action')}",
            )
        )
        items.append(_sample_item(group, code, _sample_under_review(group)))
        items.append(_meeting_item(group, code, is_chair, today))
        items += actions
        items += _responses_awaited(code, group, today)
    return Panel(
        "monitoring",
        "Stop-and-search monitoring",
        items,
        "No monitoring group has been set up for your borough yet. A site administrator sets one up.",
    )


staff_home.register(order=15, panel=monitoring_groups)
