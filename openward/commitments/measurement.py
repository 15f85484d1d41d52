"""What measuring a commitment gives: the status, the reason in words, and the figures behind it
(kept with each review, so the history shows what the data said on the day)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from .models import Status


@dataclass(frozen=True, kw_only=True)
class PeriodChange:
    """What changed between two periods in the crime data: their counts and the change with its 95%
    interval. Measuring a crime commitment and checking a claim both give these."""

    recent: int | None = None
    earlier: int | None = None
    percent: float | None = None
    percent_low: float | None = None
    percent_high: float | None = None
    recent_period: str = ""
    earlier_period: str = ""


@dataclass(frozen=True)
class Measurement(PeriodChange):
    status: str
    reason: str
    # From front-counter hours or replies: what was counted, by name (see counters.py and replies.py).
    figures: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        return Status(self.status).label

    def as_dict(self) -> dict:
        return asdict(self)
