"""How the authorisation matrix test (tests/test_authorisation_matrix.py) points a URL at a place.

A role rule names an area function, `access.role(..., area=f)`, that finds the place a request is about.
To try each role in the right place and in the wrong one, the matrix needs, for each area function, the kind
of place it returns and URL kwargs reaching something in a given place, creating the rows that takes (an event,
a patrol plan, a consultation...). Those factories are test code, so they live here, one per area function,
and production modules carry none (tests/test_conventions.py checks).

Area functions that read a place's code or slug straight from the URL (`access.ward_from`, `borough_from`,
`cluster_from`, or any like them) need no entry: the matrix finds which URL kwarg they read by trying each
with a ward code, a borough code and a cluster slug. An area function it can neither find here nor work out
fails the matrix, saying so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.utils import timezone

from openward.engagement import places as engagement_places
from openward.engagement.models import Action, Bulletin, Event, MeetingRecord, Reply, VolunteerTask
from openward.patrols import places as patrols_places
from openward.patrols.models import PatrolPlan, PlanPlace
from openward.priorities import places as priorities_places
from openward.priorities.models import MAX_OPEN_PRIORITIES, Consultation, Priority


@dataclass(frozen=True)
class Sample:
    kind: str  # the kind of place the area function returns: "ward", "borough" or "cluster"
    kwargs: Callable[[Any], dict]  # URL kwargs reaching something in the given place (rows created as needed)


# --- engagement: things inside a place ----------------------------------------------------------


def _place_fields(place) -> dict:
    return {type(place).__name__.lower(): place}


def _event(place) -> Event:
    return Event.objects.create(
        title="Sample meeting",
        kind=Event.Kind.WARD_PANEL,
        address="Sample hall",
        starts_at=timezone.now() - timedelta(days=1),
        **_place_fields(place),
    )


def _record(place) -> MeetingRecord:
    return MeetingRecord.objects.create(event=_event(place))


def _action(place) -> dict:
    return {"pk": Action.objects.create(record=_record(place), what="x", owner="y", **_place_fields(place)).pk}


def _reply(place) -> dict:
    reply = Reply.objects.create(
        event=_event(place), sender_email="someone@example.org", body="x", **_place_fields(place)
    )
    return {"pk": reply.pk}


def _volunteer_task(ward) -> dict:
    task = VolunteerTask.objects.create(
        ward=ward,
        title="Sample",
        kind=VolunteerTask.Kind.LEAFLETING,
        place="x",
        starts_at=timezone.now() - timedelta(days=1),
        places=1,
    )
    return {"pk": task.pk}


def _bulletin(place) -> dict:
    bulletin = Bulletin.objects.create(title="Sample", body_html="<p>x</p>", status=Bulletin.Status.PUBLISHED)
    getattr(bulletin, type(place).__name__.lower() + "s").set([place])
    return {"pk": bulletin.pk}


# --- patrols and priorities ----------------------------------------------------------------------


def _plan(ward) -> dict:
    plan = PatrolPlan.objects.create(
        ward=ward, title="Sample", starts_on=dt.date(2024, 1, 1), ends_on=dt.date(2024, 3, 31)
    )
    PlanPlace.objects.create(plan=plan, cell_key="E3548N1210", latitude=51.5, longitude=-0.1, reason="Sample")
    return {"plan_id": plan.pk}


def _consultation(ward) -> dict:
    now = timezone.now()
    consultation = Consultation.objects.create(
        ward=ward, title="Sample", opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=1)
    )
    return {"consultation_id": consultation.pk}


def _priority(ward) -> dict:
    taken = set(Priority.objects.for_ward(ward).open().values_list("slot", flat=True))
    slot = next((s for s in range(1, MAX_OPEN_PRIORITIES + 1) if s not in taken), None)
    today = timezone.localdate()
    priority = Priority.objects.create(
        ward=ward,
        statement="Sample",
        agreed_on=today - timedelta(days=30),
        review_on=today + timedelta(days=30),
        slot=slot,
        status=Priority.Status.OPEN if slot else Priority.Status.ACHIEVED,
        evidence="Sample",
    )
    return {"priority_id": priority.pk}


SAMPLES: dict[Callable, Sample] = {
    engagement_places.from_kwargs: Sample("ward", lambda ward: {"kind": "ward", "key": ward.gss_code}),
    engagement_places.of_event: Sample("ward", lambda ward: {"pk": _event(ward).pk}),
    engagement_places.of_record: Sample("ward", lambda ward: {"pk": _record(ward).pk}),
    engagement_places.of_action: Sample("ward", _action),
    engagement_places.of_reply: Sample("ward", _reply),
    engagement_places.of_volunteer_task: Sample("ward", _volunteer_task),
    engagement_places.of_bulletin: Sample("ward", _bulletin),
    patrols_places.ward_area: Sample("ward", lambda ward: {"gss_code": ward.gss_code}),
    patrols_places.cluster_area: Sample("cluster", lambda cluster: {"cluster_slug": cluster.slug}),
    patrols_places.plan_area: Sample("ward", _plan),
    priorities_places.ward_area: Sample("ward", lambda ward: {"gss_code": ward.gss_code}),
    priorities_places.cluster_area: Sample("cluster", lambda cluster: {"cluster_slug": cluster.slug}),
    priorities_places.consultation_area: Sample("ward", _consultation),
    priorities_places.priority_area: Sample("ward", _priority),
}
