"""Did it work? A plan's places against comparison places matched on earlier counts.

The months of the plan ("after", up to the latest month loaded) are compared with as many months
just before it ("before"). Comparison places are the borough's other 150 m cells, outside a
300 m buffer around the plan's places, picked (three per plan place, without replacement) for
the closest count before. The estimate is a difference in differences on the ratio scale,

    (plan places after ÷ before) ÷ (comparison places after ÷ before),

with Fisher's exact conditional interval (core.stats.ratio_of_ratios). Displacement is the same
comparison for the buffer ring, with the weighted displacement quotient (Bowers & Johnson 2003).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from openward.core import stats as core_stats
from openward.crime import stats
from openward.crime.analytics.cache import cached
from openward.crime.analytics.hotspots import Period, cell_counts, parse_cell_key
from openward.crime.analytics.scope import borough_scope
from openward.crime.analytics.summary import latest_crime_month, month_label

from .models import PatrolPlan

MATCHES_PER_PLACE = 3
BUFFER_CELLS = 2  # 300 m of 150 m cells
CAVEAT = (
    "Recorded crime depends on reporting and on police activity: more patrols can mean more recorded "
    "drug and weapon offences. Crimes are placed at anonymised map points, so a few may belong to a neighbouring cell."
)


@dataclass
class Group:
    places: int
    before: int
    after: int

    @property
    def before_shown(self) -> str:
        return stats.shown_count(self.before)

    @property
    def after_shown(self) -> str:
        return stats.shown_count(self.after)


@dataclass
class Evaluation:
    available: bool
    reason: str = ""
    before: Period | None = None
    after: Period | None = None
    plan_places: Group | None = None
    comparison: Group | None = None
    buffer: Group | None = None
    effect: core_stats.RatioOfRatios | None = None
    displacement: core_stats.RatioOfRatios | None = None
    wdq: float | None = None
    caveats: list[str] = field(default_factory=list)

    @property
    def statement(self) -> str:
        """The estimate in words, with its interval and how readily chance explains it."""
        if not self.available or self.effect is None:
            return self.reason
        e = self.effect
        high = f"{e.high:.2f}" if e.high is not None else "no upper limit"
        direction = "fell" if e.estimate < 1 else "rose"
        return (
            f"Relative to comparison places, crime at the plan's places {direction}: ratio {e.estimate:.2f} "
            f"(95% exact interval {e.low:.2f} to {high}; {stats.format_p(e.p_value)}). "
            f"{_chance(e)}"
        )

    @property
    def displacement_statement(self) -> str:
        if self.displacement is None:
            return "Displacement could not be checked: no crimes were recorded in the buffer before the plan."
        d = self.displacement
        high = f"{d.high:.2f}" if d.high is not None else "no upper limit"
        words = (
            "rose more than at comparison places, which could be displacement"
            if d.low > 1
            else "fell more than at comparison places (a diffusion of benefits)"
            if d.high is not None and d.high < 1
            else "changed no more than chance would explain: no sign of displacement"
        )
        wdq = f" Weighted displacement quotient: {self.wdq:.2f}." if self.wdq is not None else ""
        figures = f"ratio {d.estimate:.2f}, 95% interval {d.low:.2f} to {high}"
        return f"Within 300 m of the plan's places, crime {words} ({figures}).{wdq}"


def _chance(e: core_stats.RatioOfRatios) -> str:
    if e.p_value < 0.05:
        return "A difference this size is unlikely to be chance alone."
    return "A difference this size could be chance."


def _month_start(day):
    return day.replace(day=1)


def evaluate(plan: PatrolPlan) -> Evaluation:
    """The plan's evaluation, cached per data version (its places and dates are fixed once made)."""
    return cached(f"patrol-evaluation|{plan.pk}|{plan.starts_on}|{plan.ends_on}", lambda: _evaluate(plan))


def _evaluate(plan: PatrolPlan) -> Evaluation:
    latest = latest_crime_month()
    start = _month_start(plan.starts_on)
    if latest is None or latest < start:
        loaded = f"the latest month loaded is {month_label(latest)}" if latest else "no crime data is loaded"
        return Evaluation(
            False,
            f"Not available yet: the plan started in {month_label(start)} and {loaded}. "
            "It can be evaluated once police.uk publishes the months of the plan.",
        )
    after = Period(start, min(_month_start(plan.ends_on), latest))
    before = after.before()
    ward = plan.wards()[0]
    pool = borough_scope(ward.borough.gss_code)
    counts_before, counts_after = cell_counts(pool, before), cell_counts(pool, after)
    treated = [p.cell_key for p in plan.places.all()]
    treated_xy = [parse_cell_key(k) for k in treated]

    def near(key: str) -> bool:
        x, y = parse_cell_key(key)
        return any(abs(x - tx) <= BUFFER_CELLS and abs(y - ty) <= BUFFER_CELLS for tx, ty in treated_xy)

    others = (set(counts_before) | set(counts_after)) - set(treated)
    buffer = sorted(k for k in others if near(k))
    candidates = sorted(others - set(buffer))
    comparison: list[str] = []
    for key in sorted(treated, key=lambda k: (-counts_before[k], k)):
        target = counts_before[key]
        ranked = sorted(candidates, key=lambda c: (abs(counts_before[c] - target), c))[:MATCHES_PER_PLACE]
        comparison += ranked
        candidates = [c for c in candidates if c not in ranked]

    def group(keys) -> Group:
        return Group(len(keys), sum(counts_before[k] for k in keys), sum(counts_after[k] for k in keys))

    result = Evaluation(
        True,
        before=before,
        after=after,
        plan_places=group(treated),
        comparison=group(comparison),
        buffer=group(buffer),
    )
    t, c, b = result.plan_places, result.comparison, result.buffer
    if after.last < _month_start(plan.ends_on):
        result.caveats.append(
            f"The plan runs to {month_label(_month_start(plan.ends_on))}, but only months to "
            f"{month_label(after.last)} are loaded, so this is an interim result."
        )
    if not c.places or t.before == 0 or c.before == 0:
        result.available = False
        result.reason = (
            "Not available: no crimes were recorded at the plan's places (or at comparable places) before the plan, "
            "so there is nothing to compare against."
        )
        return result
    result.effect = core_stats.ratio_of_ratios(t.after, t.before, c.after, c.before)
    if b.places and b.before:
        result.displacement = core_stats.ratio_of_ratios(b.after, b.before, c.after, c.before)
        if c.after and c.before:
            denominator = t.after / c.after - t.before / c.before
            if denominator:
                result.wdq = (b.after / c.after - b.before / c.before) / denominator
    if any(stats.is_suppressed(n) for n in (t.before, t.after, c.before, c.after)):
        result.caveats.append(
            "Small numbers: fewer than 10 crimes in at least one group and period, so the interval is wide and "
            "one or two crimes would change the result. Treat it as a hint, not a finding."
        )
    result.caveats.append(CAVEAT)
    return result
