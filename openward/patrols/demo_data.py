"""The demo area's patrol plan: the demo ward's three busiest cells, patrolled for the last months of demo
crime by the demo sergeant's team, with visits, cited by the ward's first open priority.

Runs after the crime, people and priorities steps. Everything is marked `is_demo`; running it again
replaces the plan it made before.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TextIO

import numpy as np
from django.db import transaction
from django.utils import timezone

from openward.accounts.demo_data import email
from openward.accounts.models import User
from openward.areas.geo import generation_for
from openward.areas.models import Ward
from openward.core import demo
from openward.crime.analytics.hotspots import Period, hot_spots
from openward.crime.analytics.scope import scope_for_ward
from openward.crime.analytics.summary import add_months, latest_crime_month
from openward.priorities.models import Priority

from . import services
from .models import PatrolPlan
from .views import suggestions

PLAN_MONTHS = 4


def _email(local: str) -> str:
    return email(local)


@transaction.atomic
def load_demo_plan(workdir: Path, stdout: TextIO) -> None:
    wards = Ward.objects.filter(is_demo=True)
    current = wards.filter(generation=generation_for())
    ward = (current if current.exists() else wards).order_by("gss_code").first()
    latest = latest_crime_month()
    if ward is None or latest is None:
        raise demo.NothingToLoad("the patrol plan needs the demo wards and crime: run the areas and crime steps first")
    PatrolPlan.objects.filter(is_demo=True).delete()
    start = add_months(latest, -(PLAN_MONTHS - 1))
    spots = hot_spots(scope_for_ward(ward), Period(add_months(start, -12), add_months(start, -1)))
    chosen = suggestions(spots)[:3]
    if not chosen:
        raise demo.NothingToLoad(f"{ward.name} has no crimes before the plan's start: run the crime step first")
    sergeant = User.objects.filter(email=_email("sergeant")).first()
    officer = User.objects.filter(email=_email("officer")).first() or sergeant
    today = timezone.localdate()
    month_end = add_months(latest, 1) - dt.timedelta(days=1)
    priority = Priority.objects.for_ward(ward).open().order_by("slot").first()
    plan = services.create_plan(
        sergeant,
        hot_spots=spots,
        places=[(key, reason) for key, _, reason in chosen],
        ward=ward,
        title="Evening patrols of the three busiest places",
        starts_on=start,
        ends_on=min(month_end, today - dt.timedelta(days=1)),
        hours_note="Generated demo plan: evenings 6pm to 11pm and Saturday afternoons.",
        priorities=[priority] if priority else [],
        is_demo=True,
    )
    rng = np.random.default_rng(demo.DEMO_SEED)
    visits = 0
    day = plan.starts_on
    places = list(plan.places.all())
    while day <= plan.ends_on:
        for place in places:
            if rng.random() < 3 / 7:
                hour = int(rng.choice([13, 15, 18, 19, 20, 21, 22]))
                started = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, int(rng.integers(0, 60)))))
                services.record_visit(
                    officer, plan, place=place, started_at=started, minutes=int(rng.integers(10, 16)), note=""
                )
                visits += 1
        day += dt.timedelta(days=1)
    stdout.write(f"  {ward.name}: a patrol plan of {len(places)} hot spots with {visits} visits")


demo.register("patrols", order=60, step=load_demo_plan)
