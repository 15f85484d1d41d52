"""Plans, visits and evaluation: bad input refused in words with nothing saved; the evaluation's
figures equal an independent count and Fisher's exact test."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from scipy.stats import fisher_exact

from openward.core.models import AuditEvent
from openward.crime.analytics import hotspots
from openward.crime.analytics.scope import scope_for_ward
from openward.patrols import services
from openward.patrols.evaluation import evaluate
from openward.patrols.models import PatrolPlan, Visit

from .conftest import CELLS, key_of

pytestmark = pytest.mark.django_db


def spots(ward, first="2023-04", last="2024-03"):
    return hotspots.hot_spots(scope_for_ward(ward), hotspots.period_for(first, last))


def make_plan(ward, sergeant, **extra):
    options = {
        "hot_spots": spots(ward),
        "places": [(key_of(0, 0), "the busiest cell")],
        "ward": ward,
        "title": "Square patrols",
        "starts_on": dt.date(2024, 4, 1),
        "ends_on": dt.date(2024, 6, 30),
    }
    options.update(extra)
    return services.create_plan(sergeant, **options)


def test_a_plan_names_its_places_with_reasons_and_is_audited(ward, sergeant, priority):
    plan = make_plan(ward, sergeant, priorities=[priority])
    place = plan.places.get()
    assert place.cell_key == key_of(0, 0) and place.crimes_before == 21 and place.reason == "the busiest cell"
    assert list(priority.patrol_plans.all()) == [plan]
    event = AuditEvent.objects.get(action="patrols.plan.create")
    assert event.actor == sergeant and event.data["places"] == [key_of(0, 0)]


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"places": [("E1N1", "far away")]}, "is outside Gridley"),
        ({"places": [("nonsense", "")]}, "is not a grid cell"),
        ({"places": []}, "at least one place"),
        ({"ends_on": dt.date(2024, 3, 1)}, "must end after it starts"),
        ({"minutes_min": 15, "minutes_max": 10}, "shortest first"),
        ({"minutes_min": -5}, "shortest first"),
    ],
)
def test_bad_plans_are_refused_in_words_and_nothing_is_saved(ward, sergeant, change, words):
    with pytest.raises(services.Refused, match=words):
        make_plan(ward, sergeant, **change)
    assert not PatrolPlan.objects.exists() and not AuditEvent.objects.filter(action__startswith="patrols").exists()


@pytest.mark.parametrize(
    ("when", "minutes", "words"),
    [
        ("in two hours", 10, "in the future"),
        (None, -3, "at least one minute"),
        (None, 0, "at least one minute"),
        (None, 9000, "longer than a shift"),
        (timezone.make_aware(dt.datetime(2024, 3, 1, 12)), 10, "outside it"),
    ],
)
def test_bad_visits_are_refused_in_words_and_nothing_is_saved(ward, sergeant, officer, when, minutes, words):
    plan = make_plan(ward, sergeant)
    if when == "in two hours":  # after the pinned clock's now, on whatever date it is pinned to
        when = timezone.now() + dt.timedelta(hours=2)
    started = when or timezone.make_aware(dt.datetime(2024, 4, 12, 22, 15))
    with pytest.raises(services.Refused, match=words):
        services.record_visit(officer, plan, place=plan.places.get(), started_at=started, minutes=minutes)
    assert not Visit.objects.exists()


def test_evaluation_equals_an_independent_count_and_fishers_test(ward, sergeant):
    plan = make_plan(ward, sergeant)
    result = evaluate(plan)
    assert result.available
    assert (result.before.first, result.after.last) == (dt.date(2024, 1, 1), dt.date(2024, 6, 1))
    treated, buffer = CELLS[(0, 0)], CELLS[(1, 0)]
    # The three comparison places are the ones with 21 crimes before, as the treated cell had.
    comparison = [CELLS[c] for c in ((4, 4), (-4, 4), (4, -4))]
    assert (result.plan_places.before, result.plan_places.after) == treated
    assert (result.comparison.places, result.comparison.before, result.comparison.after) == (
        3,
        sum(b for b, _ in comparison),
        sum(a for _, a in comparison),
    )
    assert (result.buffer.before, result.buffer.after) == buffer
    table = [[treated[1], treated[0]], [sum(a for _, a in comparison), sum(b for b, _ in comparison)]]
    assert result.effect.p_value == pytest.approx(fisher_exact(table).pvalue, abs=1e-12)
    assert result.effect.sample_ratio == pytest.approx((9 / 21) / (63 / 63))
    assert result.effect.low < result.effect.estimate < result.effect.high
    c_before, c_after = 63, 63
    wdq = (buffer[1] / c_after - buffer[0] / c_before) / (treated[1] / c_after - treated[0] / c_before)
    assert result.wdq == pytest.approx(wdq)
    assert "fell" in result.statement and "95% exact interval" in result.statement
    assert any("Small numbers" in c for c in result.caveats)


def test_evaluation_is_not_available_before_the_data_covers_the_plan(ward, sergeant):
    plan = make_plan(ward, sergeant, starts_on=dt.date(2024, 8, 1), ends_on=dt.date(2024, 10, 31))
    result = evaluate(plan)
    assert not result.available and "Not available yet" in result.reason and "June 2024" in result.reason
