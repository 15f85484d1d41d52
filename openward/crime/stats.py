"""Honest numbers: exact tests and intervals for changes in counts, small-count suppression, plain words.

Two periods of equal length give two counts, n1 (recent) and n2 (earlier). If crimes
arrive as Poisson processes with rates r1 and r2, then given n = n1 + n2 the recent count
is Binomial(n, r1 / (r1 + r2)); "no change" means that proportion is 0.5. That gives an
exact test (the conditional binomial test) and an exact interval for the rate ratio, from
the Clopper-Pearson interval for the proportion. scipy is not a dependency, so the
regularised incomplete beta function is implemented here (continued fraction, as in
Numerical Recipes §6.4) and tested against exact integer sums.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

SUPPRESS_BELOW = 10
FEWER_THAN = f"fewer than {SUPPRESS_BELOW}"


def _beta_continued_fraction(a: float, b: float, x: float) -> float:
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    # Converges in O(sqrt(max(a, b))) steps; the cap covers counts in the millions.
    for m in range(1, 100_000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-15:
            break
    return h


def regularized_beta(a: float, b: float, x: float) -> float:
    """I_x(a, b), the regularised incomplete beta function, for a, b > 0 and 0 <= x <= 1."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _beta_continued_fraction(a, b, x) / a
    return 1.0 - math.exp(log_front) * _beta_continued_fraction(b, a, 1.0 - x) / b


def binomial_cdf(k: int, n: int, p: float) -> float:
    """P(X <= k) for X ~ Binomial(n, p)."""
    if k < 0:
        return 0.0
    if k >= n:
        return 1.0
    return 1.0 - regularized_beta(k + 1, n - k, p)


def binomial_sf(k: int, n: int, p: float) -> float:
    """P(X >= k) for X ~ Binomial(n, p)."""
    if k <= 0:
        return 1.0
    if k > n:
        return 0.0
    return regularized_beta(k, n - k + 1, p)


def conditional_binomial_p_value(n1: int, n2: int) -> float:
    """Two-sided exact p-value for "the two Poisson rates are equal", given n1 and n2 (equal exposure)."""
    n = n1 + n2
    if n == 0:
        return 1.0
    # Under the null the distribution is symmetric, so doubling the smaller tail is the exact two-sided test.
    tail = binomial_cdf(min(n1, n2), n, 0.5)
    return min(1.0, 2.0 * tail)


def _beta_quantile(q: float, a: float, b: float) -> float:
    lo, hi = 0.0, 1.0
    for _ in range(200):
        mid = (lo + hi) / 2
        if regularized_beta(a, b, mid) < q:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-14:
            break
    return (lo + hi) / 2


def clopper_pearson(k: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Exact (Clopper-Pearson) interval for a binomial proportion k / n."""
    if n <= 0:
        return 0.0, 1.0
    alpha = 1.0 - confidence
    lower = 0.0 if k == 0 else _beta_quantile(alpha / 2, k, n - k + 1)
    upper = 1.0 if k == n else _beta_quantile(1 - alpha / 2, k + 1, n - k)
    return lower, upper


def rate_ratio_interval(n1: int, n2: int, confidence: float = 0.95) -> tuple[float, float | None]:
    """Exact interval for rate1 / rate2 (equal exposure); the upper end is None (unbounded) when n2 is 0."""
    lower_p, upper_p = clopper_pearson(n1, n1 + n2, confidence)
    lower = lower_p / (1 - lower_p) if lower_p < 1 else math.inf
    upper = None if upper_p >= 1 else upper_p / (1 - upper_p)
    return lower, upper


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
    low, high = rate_ratio_interval(recent, earlier, confidence)
    return Change(recent, earlier, conditional_binomial_p_value(recent, earlier), low, high)


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
