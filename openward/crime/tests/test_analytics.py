"""Analytics against figures recomputed in the test from the raw Crime and Stop rows."""

import datetime as dt

import pytest

from openward.crime import stats
from openward.crime.analytics.scope import ScopeError, borough_scope, polygon_scope, ward_scope
from openward.crime.analytics.summary import crime_summary
from openward.crime.models import Crime, Stop

from .factories import CrimeFactory, ForceFactory, WardFactory, category, populate_ward, rebuild_counts

pytestmark = pytest.mark.django_db


RECENT = (dt.date(2024, 1, 1), dt.date(2024, 12, 1))
EARLIER = (dt.date(2023, 1, 1), dt.date(2023, 12, 1))


def distinct_crimes(ward, first, last, slug=None):
    """Crimes (not ASB) in the ward, counting a persistent_id reported by two forces once."""
    rows = Crime.objects.filter(ward=ward, month__gte=first, month__lte=last).exclude(
        category__slug="anti-social-behaviour"
    )
    if slug:
        rows = rows.filter(category__slug=slug)
    with_id = {r.persistent_id for r in rows if r.persistent_id}
    return len(with_id) + sum(1 for r in rows if not r.persistent_id)


def test_rolling_twelve_months_match_the_raw_records():
    ward = populate_ward()
    summary = crime_summary(ward_scope(ward.gss_code))
    recent, earlier = distinct_crimes(ward, *RECENT), distinct_crimes(ward, *EARLIER)
    assert summary.latest == dt.date(2024, 12, 1)
    assert (summary.total.recent, summary.total.earlier) == (recent, earlier)
    assert summary.total.change.p_value == pytest.approx(stats.conditional_binomial_p_value(recent, earlier))
    assert summary.duplicates_removed == 2
    assert summary.total.rate == pytest.approx(1000 * recent / 12_500)
    burglary = next(f for f in summary.categories if f.key == "burglary")
    assert burglary.recent == distinct_crimes(ward, *RECENT, slug="burglary")


def test_forces_apart_and_together():
    ward = populate_ward()
    summary = crime_summary(ward_scope(ward.gss_code))
    by_force = {f.key: f.recent for f in summary.by_force}
    raw = Crime.objects.filter(ward=ward, month__gte=RECENT[0]).exclude(category__slug="anti-social-behaviour")
    assert by_force == {
        "metropolitan": raw.filter(force__slug="metropolitan").count(),
        "btp": raw.filter(force__slug="btp").count(),
    }
    assert summary.total.recent == by_force["metropolitan"] + by_force["btp"] - 2
    btp_only = crime_summary(ward_scope(ward.gss_code), force_slug="btp")
    assert btp_only.total.recent == 3


def test_polygon_around_the_ward_gives_the_same_counts_from_crimes():
    ward = populate_ward()
    poly = "51.509,-0.096:51.521,-0.096:51.521,-0.084:51.509,-0.084"
    by_ward = crime_summary(ward_scope(ward.gss_code))
    by_polygon = crime_summary(polygon_scope(poly))
    assert (by_polygon.total.recent, by_polygon.total.earlier) == (by_ward.total.recent, by_ward.total.earlier)
    assert by_polygon.duplicates_removed == 2
    # Half the ward (the points east of -0.0905) is a strict subset.
    half = crime_summary(polygon_scope("51.509,-0.0905:51.521,-0.0905:51.521,-0.084:51.509,-0.084"))
    east = Crime.objects.filter(ward=ward, longitude__gt=-0.0905, month__gte=RECENT[0]).exclude(
        category__slug="anti-social-behaviour"
    )
    pids = [r.persistent_id for r in east]
    assert half.total.recent == len(set(pids)) < len(pids)


def test_concentration_and_snap_points():
    ward = populate_ward()
    summary = crime_summary(ward_scope(ward.gss_code))
    raw = Crime.objects.filter(ward=ward, month__gte=RECENT[0]).exclude(category__slug="anti-social-behaviour")
    counts = {}
    for lat, lng in raw.values_list("latitude", "longitude"):
        counts[(lat, lng)] = counts.get((lat, lng), 0) + 1
    assert sum(p.count for p in summary.points) == raw.count()
    top = max(counts.values())
    assert summary.points[0].count == top
    assert summary.concentration_top == 1  # 12 points or fewer: the busiest 5% is one point
    assert summary.concentration_share == pytest.approx(top / raw.count())


def test_stop_and_search_rates_from_the_raw_rows():
    ward = populate_ward()
    stops = crime_summary(ward_scope(ward.gss_code)).stops
    raw = Stop.objects.filter(ward=ward)
    assert stops.total == raw.count() == 30
    assert stops.arrests == raw.filter(outcome="Arrest").count()
    assert stops.arrest_rate == pytest.approx(stops.arrests / 30)
    recorded = raw.exclude(outcome_linked_to_object_of_search=None)
    assert stops.linked_recorded == recorded.count()
    assert stops.find_rate == pytest.approx(
        recorded.filter(outcome_linked_to_object_of_search=True).count() / recorded.count()
    )
    ethnicity = {b.label: b.count for b in stops.breakdowns["Ethnicity (as the officer recorded it)"]}
    assert ethnicity == {"White": 10, "Black": 10, "Asian": 10}
    assert "no census population by ethnicity" in stops.ethnicity_rate_note


def test_small_counts_are_suppressed_in_figures():
    met = ForceFactory()
    ward = WardFactory(population=None)
    for month in (dt.date(2024, 12, 1), dt.date(2023, 12, 1)):
        for _ in range(4):
            CrimeFactory(force=met, ward=ward, month=month, category=category("robbery"))
    rebuild_counts()
    summary = crime_summary(ward_scope(ward.gss_code))
    assert summary.total.recent == 4
    assert summary.total.recent_shown == "fewer than 10"
    assert summary.total.change.percent is None
    assert summary.total.change.statement.startswith("too few crimes to compare")
    assert summary.total.rate is None
    assert "not loaded" in summary.scope.population_note


def test_borough_scope_and_unknown_areas():
    ward = populate_ward()
    summary = crime_summary(borough_scope(ward.borough.gss_code))
    assert summary.total.recent == crime_summary(ward_scope(ward.gss_code)).total.recent
    with pytest.raises(ScopeError, match="no ward"):
        ward_scope("E05000000")
    with pytest.raises(ScopeError, match="at least three"):
        polygon_scope("51.5,-0.1:51.6,-0.1")
    with pytest.raises(ScopeError, match="not a point"):
        polygon_scope("51.5,-0.1:nonsense:51.6,-0.2")
    with pytest.raises(ScopeError, match="too large"):
        polygon_scope("51.0,-1.0:52.0,-1.0:52.0,0.5")
