"""Exact tests and intervals for counts and proportions, built on scipy.stats.

One home for the statistics every app publishes (crime trends, consultation results,
stop-and-search disproportionality, hot spots, commitments). Each function says which
textbook method it is, so a reader can check it against R or a published table:

- proportions: Clopper–Pearson interval (R `binom.test(k, n)$conf.int`), exact binomial test;
- Poisson counts: exact (Garwood) interval (R `poisson.test(k)$conf.int`);
- two Poisson rates with known exposures (crimes per month, searches per 1,000 people): the
  conditional binomial test and the exact rate-ratio interval derived from Clopper–Pearson
  (R `poisson.test(c(n1, n2), c(e1, e2))`);
- many tests at once: Benjamini–Hochberg false-discovery-rate adjustment (R `p.adjust(p, "BH")`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats as _st


def clopper_pearson(k: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Exact (Clopper–Pearson) interval for the proportion k / n; (0, 1) when n is 0."""
    _check_counts(k, n)
    if n == 0:
        return 0.0, 1.0
    alpha = 1.0 - confidence
    lower = 0.0 if k == 0 else float(_st.beta.ppf(alpha / 2, k, n - k + 1))
    upper = 1.0 if k == n else float(_st.beta.ppf(1 - alpha / 2, k + 1, n - k))
    return lower, upper


def binomial_test(k: int, n: int, p: float = 0.5) -> float:
    """Two-sided exact binomial test of "the proportion is p" (R `binom.test`); 1.0 when n is 0."""
    _check_counts(k, n)
    if n == 0:
        return 1.0
    return float(_st.binomtest(k, n, p).pvalue)


def poisson_interval(k: int, confidence: float = 0.95) -> tuple[float, float]:
    """Exact (Garwood) interval for a Poisson mean given one observed count k."""
    if k < 0:
        raise ValueError("a count cannot be negative")
    alpha = 1.0 - confidence
    lower = 0.0 if k == 0 else float(_st.chi2.ppf(alpha / 2, 2 * k) / 2)
    upper = float(_st.chi2.ppf(1 - alpha / 2, 2 * k + 2) / 2)
    return lower, upper


@dataclass(frozen=True)
class RateComparison:
    """Two Poisson counts over their exposures: the rate ratio, its exact interval and test."""

    n1: int
    n2: int
    exposure1: float
    exposure2: float
    p_value: float
    ratio_low: float
    ratio_high: float | None  # None: unbounded (nothing in the second group)

    @property
    def ratio(self) -> float | None:
        """(n1 / e1) / (n2 / e2), or None when the second rate is zero."""
        if self.n2 == 0:
            return None
        return (self.n1 / self.exposure1) / (self.n2 / self.exposure2)


def compare_rates(
    n1: int, n2: int, exposure1: float = 1.0, exposure2: float = 1.0, confidence: float = 0.95
) -> RateComparison:
    """Compare two Poisson rates n1/e1 and n2/e2 exactly, conditioning on n1 + n2.

    Given n = n1 + n2, n1 is Binomial(n, π) with π = ρ·e1 / (ρ·e1 + e2), where ρ is the rate
    ratio; "equal rates" is π0 = e1 / (e1 + e2). The interval for ρ maps the Clopper–Pearson
    interval for π back: ρ = π / (1 − π) · e2 / e1. This is R's `poisson.test(c(n1, n2), c(e1, e2))`.
    """
    if exposure1 <= 0 or exposure2 <= 0:
        raise ValueError("exposures must be positive")
    n = n1 + n2
    p_value = binomial_test(n1, n, exposure1 / (exposure1 + exposure2))
    low_p, high_p = clopper_pearson(n1, n, confidence)
    scale = exposure2 / exposure1
    low = math.inf if low_p >= 1 else low_p / (1 - low_p) * scale
    high = None if high_p >= 1 else high_p / (1 - high_p) * scale
    return RateComparison(n1, n2, exposure1, exposure2, p_value, low, high)


def fdr_adjust(p_values: Sequence[float]) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values (R `p.adjust(p, method = "BH")`)."""
    values = np.asarray(p_values, dtype=float)
    if values.size == 0:
        return values
    return _st.false_discovery_control(values, method="bh")


def _check_counts(k: int, n: int) -> None:
    if n < 0 or k < 0 or k > n:
        raise ValueError(f"need 0 <= k <= n, got k={k}, n={n}")
