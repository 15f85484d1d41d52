"""Honest numbers: exact tests and intervals for changes in counts, small-count suppression, plain words.

Two periods of equal length give two counts, n1 (recent) and n2 (earlier). If crimes
arrive as Poisson processes with rates r1 and r2, then given n = n1 + n2 the recent count
is Binomial(n, r1 / (r1 + r2)); "no change" means that proportion is 0.5. That gives an
exact test (the conditional binomial test) and an exact interval for the rate ratio, from
the Clopper-Pearson interval for the proportion. The arithmetic is openward.core.stats
(scipy.stats), the one statistics module; this module keeps crime's words and suppression.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from openward.core import stats as core_stats
from openward.core.stats import clopper_pearson

__all__ = [
    "FEWER_THAN",
    "SUPPRESS_BELOW",
    "Change",
    "binomial_cdf",
    "clopper_pearson",
    "compare_counts",
    "concentration_share",
    "conditional_binomial_p_value",
    "format_p",
    "is_suppressed",
    "published",
    "rate_per_thousand",
    "rate_ratio_interval",
    "shown_count",
]

SUPPRESS_BELOW = 10
FEWER_THAN = f"fewer than {SUPPRESS_BELOW}"


def binomial_cdf(k: int, n: int, p: float) -> float:
    """P(X <= k) for X ~ Binomial(n, p)."""
    return float(core_stats.scipy_stats().binom.cdf(k, n, p))


def conditional_binomial_p_value(n1: int, n2: int) -> float:
    """Two-sided exact p-value for "the two Poisson rates are equal", given n1 and n2 (equal exposure)."""
    return core_stats.binomial_test(n1, n1 + n2, 0.5)


def rate_ratio_interval(n1: int, n2: int, confidence: float = 0.95) -> tuple[float, float | None]:
    """Exact interval for rate1 / rate2 (equal exposure); the upper end is None (unbounded) when n2 is 0."""
    comparison = core_stats.compare_rates(n1, n2, confidence=confidence)
    return comparison.ratio_low, comparison.ratio_high


def is_suppressed(count: int | None) -> bool:
    """Counts of 1 to 9 are withheld (they could identify someone); 0 identifies no one and is shown."""
    return count is not None and 0 < count < SUPPRESS_BELOW


def shown_count(count: int | None) -> str:
    """A count as published: 1 to 9 become "fewer than 10"; 0 is 0."""
    if count is None:
        return "not known"
    return FEWER_THAN if is_suppressed(count) else f"{count:,}"


def published(count: int | None) -> int | None:
    """The count a download or API may publish: None when suppressed."""
    return None if count is None or is_suppressed(count) else count


@dataclass(frozen=True)
class Change:
    """A recent count against an earlier one over the same length of time, with its uncertainty."""

    recent: int
    earlier: int
    p_value: float
    ratio_low: float
    ratio_high: float | None

    @property
    def suppressed(self) -> bool:
        return is_suppressed(self.recent) or is_suppressed(self.earlier)

    @property
    def percent(self) -> float | None:
        """Percentage change, or None when it would mislead (a small count, or nothing earlier)."""
        if self.suppressed or self.earlier == 0:
            return None
        return 100.0 * (self.recent - self.earlier) / self.earlier

    @property
    def percent_low(self) -> float | None:
        return None if self.percent is None else 100.0 * (self.ratio_low - 1)

    @property
    def percent_high(self) -> float | None:
        if self.percent is None or self.ratio_high is None:
            return None
        return 100.0 * (self.ratio_high - 1)

    @property
    def chance(self) -> str:
        """How readily chance alone would produce a change this size, in words."""
        p = self.p_value
        if p < 0.001:
            return "a change this size is very unlikely to be chance alone"
        if p < 0.05:
            return "a change this size is unlikely to be chance alone"
        if p < 0.1:
            return "a change this size could be chance"
        return "a change this size could easily be chance"

    @property
    def reading(self) -> str:
        """Is the change real or could it be chance, in words a resident reads (no p-value)."""
        if self.p_value < 0.05 and self.recent != self.earlier:
            return "a real fall, most likely" if self.recent < self.earlier else "a real rise, most likely"
        if self.p_value < 0.1:
            return "this could be chance"
        return "this could easily be chance"

    @property
    def words(self) -> str:
        """A table cell: "down 37%: a real fall, most likely"; the counts and p-value live in `statement`."""
        if self.suppressed:
            return "too few to compare"
        if self.recent == self.earlier == 0:
            return "none in either period"
        if self.earlier == 0:
            return "none in the earlier period"
        rounded = round(self.percent)
        direction = "about the same" if rounded == 0 else f"{'up' if rounded > 0 else 'down'} {abs(rounded)}%"
        return f"{direction}: {self.reading}"

    @property
    def statement(self) -> str:
        """E.g. "up 12% (312 vs 279); a change this size could easily be chance (p = 0.18)"."""
        counts = f"({shown_count(self.recent)} vs {shown_count(self.earlier)})"
        if self.suppressed:
            return f"too few crimes to compare {counts}"
        if self.recent == self.earlier == 0:
            return f"none in either period {counts}"
        if self.earlier == 0:
            return f"none in the earlier period {counts}"
        pct = self.percent
        rounded = round(pct)
        if rounded == 0:
            direction = "about the same"
        else:
            direction = f"{'up' if pct > 0 else 'down'} {abs(rounded)}%"
        return f"{direction} {counts}; {self.chance} ({format_p(self.p_value)})"


def format_p(p: float) -> str:
    if p < 0.001:
        return "p < 0.001"
    if p < 0.01:
        return f"p = {p:.3f}"
    return f"p = {p:.2f}"


def compare_counts(recent: int, earlier: int, confidence: float = 0.95) -> Change:
    """Compare two counts over equal periods: exact p-value and rate-ratio interval."""
    comparison = core_stats.compare_rates(recent, earlier, confidence=confidence)
    return Change(recent, earlier, comparison.p_value, comparison.ratio_low, comparison.ratio_high)


def rate_per_thousand(count: int, population: int | None) -> float | None:
    if not population:
        return None
    return 1000.0 * count / population


def concentration_share(counts: list[int], top_fraction: float = 0.05) -> tuple[int, float | None]:
    """(how many places make the busiest `top_fraction`, the share of all counts they hold)."""
    total = sum(counts)
    if not counts or total == 0:
        return 0, None
    k = max(1, math.ceil(top_fraction * len(counts)))
    return k, sum(sorted(counts, reverse=True)[:k]) / total
