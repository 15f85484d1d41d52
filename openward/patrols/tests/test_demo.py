"""The demo step: a plan of the demo ward's busiest cells with visits, made again without duplicates."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from openward.core import demo
from openward.crime.tests.factories import import_run
from openward.crime.tests.hotspot_data import background, grid_ward
from openward.patrols.models import PatrolPlan, Visit

pytestmark = pytest.mark.django_db


def test_demo_plan_is_registered_after_priorities_and_idempotent(tmp_path):
    orders = {s.name: s.order for s in demo.steps()}
    assert orders["patrols"] > orders["priorities"] > orders["crime"]
    ward = grid_ward(is_demo=True)
    for month in range(1, 13):
        background(ward, dt.date(2024, month, 1), seed=month)
    import_run()
    step = next(s for s in demo.steps() if s.name == "patrols").step
    for _ in range(2):
        step(tmp_path, io.StringIO())
    plan = PatrolPlan.objects.get()
    assert plan.is_demo and plan.ward == ward and plan.places.count() == 3
    assert plan.starts_on == dt.date(2024, 9, 1) and plan.ends_on == dt.date(2024, 12, 31)
    visits = Visit.objects.filter(plan=plan)
    assert visits.exists() and all(plan.starts_on <= v.started_at.date() <= plan.ends_on for v in visits)
    assert all(10 <= v.minutes <= 15 and v.is_demo for v in visits)
