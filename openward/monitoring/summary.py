"""The published summary of a review sample: how many stops, and the shares answering yes, from the
group's reviews. Counts of 1 to 9 are shown as "fewer than 10", and no share is given from them.
Nothing here identifies a person or quotes a reviewer or the force's grounds."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from openward.crime import stats

from .models import Answer, ReviewSample

QUESTIONS = (
    ("grounds_clear", "Grounds recorded clearly"),
    ("video_seen", "Body-worn video seen"),
    ("outcome_proportionate", "Outcome proportionate"),
)


@dataclass(frozen=True)
class Line:
    question: str
    yes: int
    reviewed: int

    @property
    def shown(self) -> str:
        if stats.is_suppressed(self.reviewed) or stats.is_suppressed(self.yes):
            return f"{stats.shown_count(self.yes)} of {stats.shown_count(self.reviewed)} (too few to give a share)"
        if not self.reviewed:
            return "not available: no stop reviewed"
        return f"{self.yes} of {self.reviewed} ({round(100 * self.yes / self.reviewed)}%)"


def summary_lines(sample: ReviewSample) -> list[Line]:
    answers = list(sample.stops.filter(review__isnull=False).values_list(*(f"review__{q}" for q, _ in QUESTIONS)))
    lines = []
    for i, (_, label) in enumerate(QUESTIONS):
        counts = Counter(a[i] for a in answers)
        lines.append(Line(label, counts[Answer.YES], len(answers)))
    return lines


def summary_dict(sample: ReviewSample) -> dict:
    return {
        "borough": sample.group.borough.gss_code,
        "month": sample.month.isoformat(),
        "size": sample.size,
        "seed": sample.seed,
        "published_at": sample.published_at,
        "figures": [{"question": line.question, "shown": line.shown} for line in summary_lines(sample)],
        "force_response": sample.force_response,
        "actions": [{"what": a.what, "owner": a.owner, "done_on": a.done_on} for a in sample.actions.order_by("pk")],
    }
