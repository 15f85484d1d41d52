"""The demo step: a closed consultation with results, three open priorities with actions, one reviewed."""

from __future__ import annotations

import io
from datetime import date

from openward.areas.models import Ward
from openward.core import demo
from openward.crime.tests.factories import add_crimes
from openward.priorities.models import Consultation, PopulationGroup, Priority, Review
from openward.priorities.results import consultation_results


def test_demo_step_is_registered_after_crime():
    names = [s.name for s in demo.steps()]
    assert "priorities" in names
    step = next(s for s in demo.steps() if s.name == "priorities")
    assert step.order == 50


def test_demo_step_builds_the_story_and_is_idempotent(tmp_path, borough, concerns):
    wards = [
        Ward.objects.create(gss_code=f"E0500000{i}", name=f"Demo {i}", slug=f"demo-{i}", borough=borough, is_demo=True)
        for i in (1, 2)
    ]
    for m in range(1, 13):
        for slug, n in (("burglary", 6), ("robbery", 4), ("drugs", 3), ("anti-social-behaviour", 9)):
            add_crimes(wards[0], slug, date(2025, m, 1), n + m % 3)
    step = next(s for s in demo.steps() if s.name == "priorities").step
    for _ in range(2):
        step(tmp_path, io.StringIO())

    consultation = Consultation.objects.get(is_demo=True)
    assert consultation.is_closed()
    results = consultation_results(consultation)
    assert results.overall is not None and results.weighted is not None and results.representativeness
    open_priorities = Priority.objects.filter(ward=wards[0], status="open")
    assert open_priorities.count() == 3
    assert all(p.actions.exists() for p in open_priorities)
    review = Review.objects.get()
    assert review.before_count is not None and review.after_count is not None and review.before_count > 0
    assert PopulationGroup.objects.filter(ward=wards[1], is_demo=True).count() == 9


def test_demo_priorities_are_agreed_at_the_demo_ward_panel_meeting(tmp_path, borough, concerns, pinned_clock):
    """The engagement step's past meeting (dated from today) is where the current priorities were agreed.

    Which meeting qualifies depends on the date, so the clock is pinned (conftest) and the path asserted."""
    from django.utils import timezone

    from openward.engagement import demo_data as engagement_demo
    from openward.engagement.models import Event

    ward = Ward.objects.create(gss_code="E05000001", name="Demo 1", slug="demo-1", borough=borough, is_demo=True)
    for m in range(1, 13):
        add_crimes(ward, "burglary", date(2025, m, 1), 6)
    engagement_demo.generate_and_load(tmp_path, io.StringIO())
    step = next(s for s in demo.steps() if s.name == "priorities").step
    step(tmp_path, io.StringIO())

    panel = Event.objects.get(ward=ward, kind=Event.Kind.WARD_PANEL, starts_at__lte=timezone.now())
    current = Priority.objects.filter(ward=ward, status="open")
    assert current.count() == 3
    assert {(p.meeting_id, p.agreed_on) for p in current} == {(panel.pk, timezone.localdate(panel.starts_at))}
    assert Review.objects.get().priority.meeting is None, "the reviewed priority predates the demo meeting"
