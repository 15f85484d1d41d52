"""A commitment's status now, from the data its measure names: crime (here), front-counter hours
(`counters.py`) or replies answered within 7 days (`replies.py`). One measured from evidence has no
status of its own; its reviews give one.

From crime data: the same rolling 12 months against the 12 before that the crime pages show
(`crime_summary`), with the same exact interval, read against the promise.

On track: the whole 95% interval of the change is on the promised side of the target (any fall,
when no target was given). Not on track: the whole interval is on the other side. Otherwise:
can't tell yet, and why (too few crimes, no data loaded, or an interval that spans the target).
"""

from __future__ import annotations

import datetime as dt

from openward.crime import stats
from openward.crime.analytics.scope import ScopeError, borough_scope, scope_for_ward
from openward.crime.analytics.summary import crime_summary

from . import counters, replies
from .measurement import Measurement
from .models import Commitment, Status


def scope_of(commitment: Commitment):
    return scope_for_ward(commitment.ward) if commitment.ward_id else borough_scope(commitment.borough.gss_code)


def category_change(scope, slugs: list[str]):
    """(recent, earlier, Change, summary) for the categories in an area, as the crime page counts them."""
    summary = crime_summary(scope, with_detail=False)
    if not summary.has_data:
        return None, None, None, summary
    figures = {f.key: f for f in summary.categories}
    recent = sum(figures[s].recent for s in slugs if s in figures)
    earlier = sum(figures[s].earlier for s in slugs if s in figures)
    return recent, earlier, stats.compare_counts(recent, earlier), summary


def measure(commitment: Commitment, on: dt.date | None = None) -> Measurement:
    """The status of a commitment now, with the reason in words. `on`: the date a review is for; front-counter
    hours are read as they were that day (crime and replies are measured from the data loaded now)."""
    if commitment.measure == Commitment.Measure.FRONT_COUNTER:
        return counters.measure(commitment, on)
    if commitment.measure == Commitment.Measure.REPLIES:
        return replies.measure(commitment)
    if commitment.measure != Commitment.Measure.CRIME:
        return Measurement(Status.CANT_TELL, "This commitment is measured from evidence given at its reviews.")
    return measure_crime(commitment)


def measure_crime(commitment: Commitment) -> Measurement:
    """The status of a crime-data commitment now."""
    try:
        recent, earlier, change, summary = category_change(scope_of(commitment), commitment.categories)
    except ScopeError as exc:
        return Measurement(Status.CANT_TELL, str(exc))
    if change is None:
        return Measurement(Status.CANT_TELL, f"No crime data is loaded for {commitment.area_name} yet.")
    base = {
        "recent": recent,
        "earlier": earlier,
        "recent_period": summary.recent_period,
        "earlier_period": summary.earlier_period,
    }
    if summary.comparable_note:
        return Measurement(Status.CANT_TELL, summary.comparable_note, **base)
    if change.suppressed or earlier == 0:
        return Measurement(Status.CANT_TELL, "There are too few crimes to compare the two periods.", **base)
    low = 100 * (change.ratio_low - 1)
    high = None if change.ratio_high is None else 100 * (change.ratio_high - 1)
    base |= {"percent": change.percent, "percent_low": low, "percent_high": high}
    said = f"{change.statement}; 95% interval {low:+.0f}% to " + (f"{high:+.0f}%" if high is not None else "no limit")
    target = commitment.target_percent or 0.0
    if commitment.direction == Commitment.Direction.DOWN:
        aim = -abs(target)
        if high is not None and high < aim:
            return Measurement(Status.ON_TRACK, f"Down by more than promised, beyond chance: {said}.", **base)
        if low > aim:
            return Measurement(Status.NOT_ON_TRACK, f"Not down as promised, beyond chance: {said}.", **base)
    else:
        aim = abs(target)
        if low > aim:
            return Measurement(Status.ON_TRACK, f"Up by more than promised, beyond chance: {said}.", **base)
        if high is not None and high < aim:
            return Measurement(Status.NOT_ON_TRACK, f"Not up as promised, beyond chance: {said}.", **base)
    return Measurement(
        Status.CANT_TELL, f"The change could still be on either side of the promise ({aim:+.0f}%): {said}.", **base
    )
