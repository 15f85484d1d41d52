"""Exact comparison of two crime counts (before and after) as Poisson rates over known periods.

Conditional on the total n = before + after, the after count is binomial with
p = t_after / (t_before + t_after) when the rate has not changed. The p-value is the exact
two-sided binomial test; the interval for the rate ratio comes from the Clopper–Pearson
interval for p.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# Below this many crimes in both periods together, a change is easily chance: say so.
SMALL_NUMBERS = 20


def _log_pmf(k: int, n: int, p: float) -> float:
    if p <= 0.0:
        return 0.0 if k == 0 else -math.inf
    if p >= 1.0:
        return 0.0 if k == n else -math.inf
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1) + k * math.log(p) + (n - k) * math.log1p(-p)


def binom_cdf(k: int, n: int, p: float) -> float:
    """P(X <= k) for X ~ Binomial(n, p)."""
    if k < 0:
        return 0.0
    if k >= n:
        return 1.0
    return min(1.0, sum(math.exp(_log_pmf(i, n, p)) for i in range(k + 1)))


def binom_test(k: int, n: int, p: float) -> float:
    """Exact two-sided binomial test: the chance of an outcome no more likely than k."""
    if n == 0:
        return 1.0
    observed = _log_pmf(k, n, p)
    total = sum(math.exp(lp) for i in range(n + 1) if (lp := _log_pmf(i, n, p)) <= observed + 1e-7)
    return min(1.0, total)


def _solve(f, lo: float = 0.0, hi: float = 1.0) -> float:
    """Root of a monotone function on [lo, hi] by bisection (60 halvings is beyond float precision)."""
    flo = f(lo)
    for _ in range(60):
        mid = (lo + hi) / 2
        if (f(mid) > 0) == (flo > 0):
            lo, flo = mid, f(mid)
        else:
            hi = mid
    return (lo + hi) / 2


def clopper_pearson(k: int, n: int, alpha: float = 0.05) -> tuple[float, float]:
    """Exact confidence interval for a binomial proportion k/n."""
    if n == 0:
        return 0.0, 1.0
    low = 0.0 if k == 0 else _solve(lambda p: (1 - binom_cdf(k - 1, n, p)) - alpha / 2)
    high = 1.0 if k == n else _solve(lambda p: binom_cdf(k, n, p) - alpha / 2)
    return low, high


@dataclass(frozen=True)
class Comparison:
    before: int
    after: int
    before_months: int
    after_months: int
    rate_ratio: float | None
    ratio_low: float | None
    ratio_high: float | None
    p_value: float
    small_numbers: bool

    @property
    def change_percent(self) -> float | None:
        return None if self.rate_ratio is None else (self.rate_ratio - 1) * 100

    def short(self) -> str:
        """A table cell: the change and whether it could be chance."""
        if self.before + self.after == 0:
            return "none in either period"
        if self.rate_ratio is None:
            return f"none before, {self.after} after"
        pct = self.change_percent or 0
        change = "no change" if round(pct) == 0 else f"{'up' if pct > 0 else 'down'} {abs(pct):.0f}%"
        sure = "unlikely to be chance" if self.p_value < 0.05 else "could be chance"
        small = ", small numbers" if self.small_numbers else ""
        return f"{change} ({sure}, p = {self.p_value:.2f}{small})"

    def in_words(self) -> str:
        if self.before + self.after == 0:
            return "No recorded crimes in either period: nothing to compare."
        if self.rate_ratio is None:
            return f"None before and {self.after} after: the rate cannot be compared as a ratio."
        direction = "lower" if self.rate_ratio < 1 else "higher" if self.rate_ratio > 1 else "the same"
        sure = (
            "a change this size is unlikely to be chance alone"
            if self.p_value < 0.05
            else "a change this size could easily be chance"
        )
        pct = abs(self.change_percent or 0)
        text = f"The monthly rate after is {pct:.0f}% {direction} than before (p = {self.p_value:.2f}): {sure}."
        if self.small_numbers:
            text += f" Small numbers: fewer than {SMALL_NUMBERS} crimes in both periods together."
        return text


def compare_counts(before: int, after: int, before_months: int, after_months: int, alpha: float = 0.05) -> Comparison:
    """Compare two counts over periods of given lengths: exact test and interval for the rate ratio."""
    n = before + after
    share_after = after_months / (before_months + after_months)
    p_value = binom_test(after, n, share_after)
    ratio = low = high = None
    if before > 0:
        scale = before_months / after_months
        ratio = (after / after_months) / (before / before_months)
        p_lo, p_hi = clopper_pearson(after, n, alpha)
        low = p_lo / (1 - p_lo) * scale
        high = p_hi / (1 - p_hi) * scale if p_hi < 1 else math.inf
    return Comparison(before, after, before_months, after_months, ratio, low, high, p_value, n < SMALL_NUMBERS)
