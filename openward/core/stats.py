"""Exact tests and intervals for counts and proportions, built on scipy.stats.

One home for the statistics every app publishes (crime trends, consultation results,
stop-and-search disproportionality, hot spots, commitments). Each function says which
textbook method it is, so a reader can check it against R or a published table:

- proportions: Clopper–Pearson interval (R `binom.test(k, n)$conf.int`), exact binomial test;
- Poisson counts: exact (Garwood) interval (R `poisson.test(k)$conf.int`);
- two Poisson rates with known exposures (crimes per month, searches per 1,000 people): the
  conditional binomial test and the exact rate-ratio interval derived from Clopper–Pearson
  (R `poisson.test(c(n1, n2), c(e1, e2))`);
- many tests at once: Benjamini–Hochberg false-discovery-rate adjustment (R `p.adjust(p, "BH")`);
- hot spots: the Getis–Ord Gi* statistic with binary weights and its normal z-score (PySAL
  `esda.G_Local(y, w, transform="B", star=True).Zs`);
- weighted counts (harm): a parametric bootstrap interval for the ratio of two weighted Poisson
  totals, each category's count redrawn from a Poisson with its observed mean;
- before and after against comparison places: the ratio of two count ratios with Fisher's exact
  conditional interval (R `fisher.test(matrix(c(a, b, c, d), 2))$conf.int`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

# scipy is imported where a figure is computed, not with this module: importing it takes longer than the rest
# of Django's start-up (bench/bench_startup.py), and most processes (a worker serving a page, a command)
# never compute one. Python keeps it once imported, so only the first figure pays.


def scipy_stats():
    from scipy import stats

    return stats


def _sparse():
    from scipy import sparse

    return sparse


def clopper_pearson(k: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Exact (Clopper–Pearson) interval for the proportion k / n; (0, 1) when n is 0."""
    _check_counts(k, n)
    if n == 0:
        return 0.0, 1.0
    alpha = 1.0 - confidence
    lower = 0.0 if k == 0 else float(scipy_stats().beta.ppf(alpha / 2, k, n - k + 1))
    upper = 1.0 if k == n else float(scipy_stats().beta.ppf(1 - alpha / 2, k + 1, n - k))
    return lower, upper


def binomial_test(k: int, n: int, p: float = 0.5) -> float:
    """Two-sided exact binomial test of "the proportion is p" (R `binom.test`); 1.0 when n is 0."""
    _check_counts(k, n)
    if n == 0:
        return 1.0
    return float(scipy_stats().binomtest(k, n, p).pvalue)


def poisson_interval(k: int, confidence: float = 0.95) -> tuple[float, float]:
    """Exact (Garwood) interval for a Poisson mean given one observed count k."""
    if k < 0:
        raise ValueError("a count cannot be negative")
    alpha = 1.0 - confidence
    lower = 0.0 if k == 0 else float(scipy_stats().chi2.ppf(alpha / 2, 2 * k) / 2)
    upper = float(scipy_stats().chi2.ppf(1 - alpha / 2, 2 * k + 2) / 2)
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
    return scipy_stats().false_discovery_control(values, method="bh")


@dataclass(frozen=True)
class GiStar:
    """Getis–Ord Gi* for every place: z-scores, two-sided normal p-values and BH-adjusted q-values."""

    z: np.ndarray
    p: np.ndarray
    q: np.ndarray


def getis_ord_gi_star(values: Sequence[float], weights) -> GiStar:
    """Gi* (Getis & Ord 1992; Ord & Getis 1995) with binary weights that include each place itself.

    `weights` is an n×n sparse 0/1 matrix whose diagonal is 1 (a place is its own neighbour).
    With N places, mean x̄ and s² = mean(x²) − x̄², each place's statistic G*ᵢ = Σⱼ wᵢⱼxⱼ / Σx has
    E = Wᵢ/N and Var = Wᵢ(N − Wᵢ) / (N − 1) / N² · s²/x̄², where Wᵢ = Σⱼ wᵢⱼ; z = (G*ᵢ − E)/√Var.
    This is esda's `G_Local(..., transform="B", star=True)` analytical z. The p-value is two-sided
    (hot or cold), and q applies the Benjamini–Hochberg correction across all places.
    """
    y = np.asarray(values, dtype=float)
    n = y.size
    w = _sparse().csr_matrix(weights, dtype=float)
    if w.shape != (n, n):
        raise ValueError(f"weights must be {n}×{n}, got {w.shape}")
    if n < 3:
        raise ValueError("Gi* needs at least three places")
    total = y.sum()
    mean = total / n
    variance = (y**2).sum() / n - mean**2
    if total <= 0 or variance <= 0:
        raise ValueError("Gi* needs values that are positive somewhere and not all equal")
    statistic = (w @ y) / total
    cardinality = np.asarray(w.sum(axis=1)).ravel()
    expected = cardinality / n
    spread = cardinality * (n - cardinality) / (n - 1) / n**2 * variance / mean**2
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(spread > 0, (statistic - expected) / np.sqrt(spread), 0.0)
    p = np.minimum(1.0, 2.0 * scipy_stats().norm.sf(np.abs(z)))
    return GiStar(z=z, p=p, q=fdr_adjust(p))


@dataclass(frozen=True)
class RatioOfRatios:
    """(a / b) ÷ (c / d) for four counts, with Fisher's exact conditional interval and test.

    Used as a difference-in-differences on the log scale: a, b = treated after, before;
    c, d = comparison after, before. The conditional maximum-likelihood odds ratio of the 2×2
    table is the estimate R's `fisher.test` prints; the sample ratio is kept beside it.
    """

    a: int
    b: int
    c: int
    d: int
    estimate: float | None
    low: float
    high: float | None  # None: unbounded
    p_value: float

    @property
    def sample_ratio(self) -> float | None:
        if self.b == 0 or self.c == 0:
            return None
        return (self.a / self.b) / (self.c / self.d) if self.d else None


def ratio_of_ratios(a: int, b: int, c: int, d: int, confidence: float = 0.95) -> RatioOfRatios:
    """Exact conditional comparison of a/b against c/d (R `fisher.test(matrix(c(a, c, b, d), 2))`)."""
    for value in (a, b, c, d):
        if value < 0:
            raise ValueError("a count cannot be negative")
    table = [[a, b], [c, d]]
    result = scipy_stats().contingency.odds_ratio(table, kind="conditional")
    interval = result.confidence_interval(confidence_level=confidence)
    estimate = float(result.statistic)
    high = float(interval.high)
    return RatioOfRatios(
        a=a,
        b=b,
        c=c,
        d=d,
        estimate=None if math.isnan(estimate) else estimate,
        low=float(interval.low),
        high=None if math.isinf(high) else high,
        p_value=float(scipy_stats().fisher_exact(table).pvalue),
    )


def weighted_ratio_interval(
    weights: Sequence[float],
    recent: Sequence[int],
    earlier: Sequence[int],
    confidence: float = 0.95,
    draws: int = 4000,
    seed: int = 20261201,
) -> tuple[float, float | None]:
    """Percentile bootstrap interval for Σwᵢrᵢ / Σwᵢeᵢ, redrawing each count from Poisson(observed).

    Fixed seed, so a page shows the same interval every time; None as the upper end when some
    draws leave nothing in the earlier period (the ratio is unbounded).
    """
    w = np.asarray(weights, dtype=float)
    r, e = np.asarray(recent, dtype=float), np.asarray(earlier, dtype=float)
    rng = np.random.default_rng(seed)
    top = rng.poisson(r, size=(draws, r.size)) @ w
    bottom = rng.poisson(e, size=(draws, e.size)) @ w
    alpha = 1.0 - confidence
    if (bottom == 0).any():
        finite = top[bottom > 0] / bottom[bottom > 0]
        return float(np.quantile(finite, alpha / 2)) if finite.size else 0.0, None
    ratios = top / bottom
    return float(np.quantile(ratios, alpha / 2)), float(np.quantile(ratios, 1 - alpha / 2))


def _check_counts(k: int, n: int) -> None:
    if n < 0 or k < 0 or k > n:
        raise ValueError(f"need 0 <= k <= n, got k={k}, n={n}")
