"""A commitment to answer replies within 7 days, measured from engagement's replies and their answer times.

The counts are engagement's own (`engagement.selectors.reply_counts`, as the places' reply figures):
replies to the team in the commitment's ward or borough (a borough counts its wards' and clusters' too)
in the 12 months to today; those due an answer (received at least 7 days ago); and those of them answered
within 7 days of arriving (one never answered is late). The promise is a share, `target_percent` (every
reply when it is not given).

- Fewer than 10 replies due an answer: can't tell yet (too few to tell, and counts of 1 to 9 are not
  published).
- Every reply promised: on track when each reply due was answered within 7 days, not on track otherwise.
- A share below every reply: the exact (Clopper–Pearson) 95% interval of the share answered in time;
  on track when all of it is at or above the promise, not on track when all of it is below, can't tell
  yet when it spans the promise.
"""

from __future__ import annotations

from django.utils import timezone

from openward.core.stats import clopper_pearson
from openward.crime import stats
from openward.engagement.selectors import reply_counts

from .measurement import Measurement
from .models import Commitment, Status


def measure(commitment: Commitment, *, now=None) -> Measurement:
    """The share of replies answered within 7 days against the promise, with the reason in words."""
    now = now or timezone.now()
    area = commitment.ward if commitment.ward_id else commitment.borough
    counts = reply_counts(area, now=now)
    promised = 100.0 if commitment.target_percent is None else commitment.target_percent
    today = timezone.localtime(now)
    period = f"the 12 months to {today.day} {today:%B %Y}"
    due, on_time = counts["settled"], counts["on_time"]
    figures = {"period": period, "promised_percent": promised, "received": stats.published(counts["received"])}
    if due == 0 or stats.is_suppressed(due):
        figures |= {"due_an_answer": stats.published(due), "answered_within_7_days": None}
        reason = (
            f"No reply to the team in {commitment.area_name} was due an answer in {period}, so there is nothing to "
            "measure yet."
            if due == 0
            else f"Fewer than 10 replies to the team in {commitment.area_name} were due an answer in {period}: "
            "too few to tell."
        )
        return Measurement(Status.CANT_TELL, reason, figures=figures)
    low, high = clopper_pearson(on_time, due)
    share = 100 * on_time / due
    figures |= {
        "due_an_answer": due,
        "answered_within_7_days": on_time,
        "share": round(share, 1),
        "share_low": round(100 * low, 1),
        "share_high": round(100 * high, 1),
    }
    said = (
        f"{on_time:,} of the {due:,} replies due an answer in {commitment.area_name} in {period} were answered "
        f"within 7 days ({share:.0f}%"
    )
    if promised >= 100:
        if on_time == due:
            return Measurement(Status.ON_TRACK, f"Every reply answered in time: {said}).", figures=figures)
        return Measurement(Status.NOT_ON_TRACK, f"Not every reply answered in time: {said}).", figures=figures)
    said += f"; 95% interval {100 * low:.0f}% to {100 * high:.0f}%)"
    if 100 * low >= promised:
        return Measurement(
            Status.ON_TRACK, f"At least the {promised:g}% promised, beyond chance: {said}.", figures=figures
        )
    if 100 * high < promised:
        return Measurement(
            Status.NOT_ON_TRACK, f"Below the {promised:g}% promised, beyond chance: {said}.", figures=figures
        )
    return Measurement(
        Status.CANT_TELL,
        f"The share could still be on either side of the {promised:g}% promised: {said}.",
        figures=figures,
    )
