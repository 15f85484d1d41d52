"""Writes for patrol plans: each is one atomic service that names its actor and writes an audit row."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from openward.core.audit import record
from openward.crime.analytics.hotspots import HotSpots, parse_cell_key

from .models import MAX_PLACES, PatrolPlan, PlanPlace, Visit

MAX_VISIT_MINUTES = 8 * 60
# A phone's clock can run a little ahead of the server's.
CLOCK_SLACK = dt.timedelta(minutes=5)


class Refused(ValueError):
    """The request cannot be carried out; the message says why and what to do."""


def _ward_code(plan: PatrolPlan) -> str:
    return plan.ward.gss_code if plan.ward is not None else ""


@transaction.atomic
def create_plan(
    actor,
    *,
    hot_spots: HotSpots,
    places: list[tuple[str, str]],
    title: str,
    starts_on: dt.date,
    ends_on: dt.date,
    ward=None,
    cluster=None,
    minutes_min: int = 10,
    minutes_max: int = 15,
    visits_per_week: int = 3,
    hours_note: str = "",
    priorities=(),
    is_demo: bool = False,
) -> PatrolPlan:
    """Make a plan for a ward or cluster from places in its hot-spot analysis: (cell key, reason) pairs."""
    if (ward is None) == (cluster is None):
        raise Refused("Choose either a ward or a cluster for the plan.")
    area = ward or cluster
    if not places:
        raise Refused("Choose at least one place to patrol.")
    if len(places) > MAX_PLACES:
        raise Refused(f"A plan can name at most {MAX_PLACES} places; you chose {len(places)}.")
    if ends_on <= starts_on:
        raise Refused("The plan must end after it starts.")
    if not 1 <= minutes_min <= minutes_max <= MAX_VISIT_MINUTES:
        raise Refused("Visit length: give the shortest and longest visit in minutes, shortest first (e.g. 10 to 15).")
    if not 1 <= visits_per_week <= 50:
        raise Refused("Visits per week to each place must be between 1 and 50.")
    cells = {c.key: c for c in hot_spots.cells}
    chosen: list[tuple] = []
    for key, reason in places:
        try:
            parse_cell_key(key)
        except ValueError as exc:
            raise Refused(str(exc)) from None
        cell = cells.get(key)
        if cell is None:
            raise Refused(f"Place {key[:30]} is outside {area.name}. Choose places from the list for this area.")
        if key in {c.key for c, _ in chosen}:
            raise Refused(f"Place {key} is chosen twice. Choose each place once.")
        chosen.append((cell, (reason or "").strip()[:300] or "chosen by the team"))
    wanted = list(priorities)
    ward_ids = {ward.pk} if ward else set(cluster.wards.values_list("pk", flat=True))
    if any(p.ward_id not in ward_ids for p in wanted):
        raise Refused("A plan can only serve priorities of its own ward or cluster.")
    plan = PatrolPlan.objects.create(
        ward=ward,
        cluster=cluster,
        title=title.strip()[:200] or "Hot-spot patrols",
        starts_on=starts_on,
        ends_on=ends_on,
        minutes_min=minutes_min,
        minutes_max=minutes_max,
        visits_per_week=visits_per_week,
        hours_note=hours_note.strip(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        is_demo=is_demo,
    )
    PlanPlace.objects.bulk_create(
        PlanPlace(
            plan=plan,
            cell_key=cell.key,
            latitude=cell.latitude,
            longitude=cell.longitude,
            reason=reason,
            crimes_before=cell.count,
            position=i,
        )
        for i, (cell, reason) in enumerate(chosen)
    )
    plan.priorities.set(wanted)
    record(
        actor,
        "patrols.plan.create",
        plan,
        ward_code=_ward_code(plan),
        places=[c.key for c, _ in chosen],
        priorities=[p.pk for p in wanted],
    )
    return plan


@transaction.atomic
def record_visit(
    actor, plan: PatrolPlan, *, place: PlanPlace, started_at: dt.datetime, minutes: int, officer=None, note: str = ""
) -> Visit:
    """Record one visit to a place of the plan; refuses visits in the future, outside the plan or of no length."""
    if place.plan_id != plan.pk:
        raise Refused("That place is not in this plan. Choose one of the plan's places.")
    if minutes is None or minutes < 1:
        raise Refused("A visit lasts at least one minute. Give its length in whole minutes.")
    if minutes > MAX_VISIT_MINUTES:
        raise Refused(f"A visit of {minutes} minutes is longer than a shift. Give its length in minutes.")
    now = timezone.now()
    if started_at > now + CLOCK_SLACK:
        raise Refused("That visit is in the future. Record visits after they happen.")
    day = timezone.localtime(started_at).date()
    if day < plan.starts_on or day > plan.ends_on:
        raise Refused(
            f"The plan runs from {plan.starts_on:%-d %B %Y} to {plan.ends_on:%-d %B %Y}; that visit is outside it."
        )
    visit = Visit.objects.create(
        plan=plan,
        place=place,
        officer=officer or actor,
        started_at=started_at,
        minutes=minutes,
        note=(note or "").strip()[:500],
        recorded_by=actor,
        is_demo=plan.is_demo,
    )
    record(actor, "patrols.visit.record", visit, ward_code=_ward_code(plan), plan=plan.pk, minutes=minutes)
    return visit


@transaction.atomic
def cite_plan(actor, priority, plan: PatrolPlan) -> None:
    """A ward priority cites a patrol plan of its ward (or of a cluster holding it) as one of its actions."""
    if priority.ward_id not in {w.pk for w in plan.wards()}:
        raise Refused("This plan is for another area. A priority can cite plans for its own ward.")
    plan.priorities.add(priority)
    record(actor, "patrols.plan.cite", plan, ward_code=priority.ward.gss_code, priority=priority.pk)
