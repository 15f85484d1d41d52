"""The statistics against values computed independently: exact integer sums and closed forms."""

from fractions import Fraction
from math import comb

import pytest

from openward.crime import stats


def exact_cdf(k, n, p: Fraction) -> float:
    return float(sum(comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(k + 1)))


@pytest.mark.parametrize(
    ("k", "n", "p"),
    [
        (2, 10, Fraction(1, 2)),
        (0, 5, Fraction(1, 3)),
        (7, 20, Fraction(3, 10)),
        (150, 300, Fraction(1, 2)),
        (279, 591, Fraction(1, 2)),
        (40, 60, Fraction(9, 10)),
    ],
)
def test_binomial_cdf_matches_exact_integer_sum(k, n, p):
    assert stats.binomial_cdf(k, n, float(p)) == pytest.approx(exact_cdf(k, n, p), rel=1e-9, abs=1e-300)


def test_known_binomial_tail_values():
    # P(X <= 2 | n = 10, p = 1/2) = (1 + 10 + 45) / 1024.
    assert stats.binomial_cdf(2, 10, 0.5) == pytest.approx(56 / 1024, rel=1e-12)
    # Two-sided exact test of 2 vs 8: twice that tail.
    assert stats.conditional_binomial_p_value(2, 8) == pytest.approx(112 / 1024, rel=1e-12)
    assert stats.conditional_binomial_p_value(5, 5) == 1.0
    assert stats.conditional_binomial_p_value(0, 0) == 1.0
    # 0 vs 10: only the two extreme outcomes are as extreme, 2 / 1024.
    assert stats.conditional_binomial_p_value(0, 10) == pytest.approx(2 / 1024, rel=1e-12)


def test_p_value_for_the_example_in_the_brief_is_computed_exactly():
    n1, n2 = 312, 279
    n = n1 + n2
    expected = min(1.0, 2 * float(Fraction(sum(comb(n, i) for i in range(min(n1, n2) + 1)), 2**n)))
    assert stats.conditional_binomial_p_value(n1, n2) == pytest.approx(expected, rel=1e-9)
    assert 0.18 < expected < 0.20  # the brief's example said "about 0.18"


def test_large_counts_are_accurate():
    n1, n2 = 10_400, 10_000
    n = n1 + n2
    term, total = 1, 1
    for i in range(n2):  # C(n, i + 1) from C(n, i), exactly
        term = term * (n - i) // (i + 1)
        total += term
    expected = 2 * float(Fraction(total, 2**n))
    assert stats.conditional_binomial_p_value(n1, n2) == pytest.approx(expected, rel=1e-7)


def test_clopper_pearson_closed_forms_at_the_edges():
    n = 20
    low, high = stats.clopper_pearson(0, n)
    assert low == 0.0
    assert high == pytest.approx(1 - 0.025 ** (1 / n), abs=1e-10)
    low, high = stats.clopper_pearson(n, n)
    assert low == pytest.approx(0.025 ** (1 / n), abs=1e-10)
    assert high == 1.0


def test_clopper_pearson_bounds_solve_the_defining_tail_equations():
    k, n = 7, 25
    low, high = stats.clopper_pearson(k, n)
    # Lower bound: P(X >= k | low) = 0.025; upper bound: P(X <= k | high) = 0.025.
    assert float(sum(comb(n, i) * Fraction(low) ** i * (1 - Fraction(low)) ** (n - i) for i in range(k, n + 1))) == (
        pytest.approx(0.025, abs=1e-9)
    )
    assert exact_cdf(k, n, Fraction(high)) == pytest.approx(0.025, abs=1e-9)


def test_rate_ratio_interval_brackets_the_estimate_and_is_symmetric_on_swap():
    low, high = stats.rate_ratio_interval(312, 279)
    assert low < 312 / 279 < high
    low2, high2 = stats.rate_ratio_interval(279, 312)
    assert low2 == pytest.approx(1 / high, rel=1e-9)
    assert high2 == pytest.approx(1 / low, rel=1e-9)
    assert stats.rate_ratio_interval(5, 0)[1] is None


def test_statement_in_plain_words():
    change = stats.compare_counts(312, 279)
    assert change.statement == "up 12% (312 vs 279); a change this size could easily be chance (p = 0.19)"
    assert stats.compare_counts(200, 300).statement.startswith("down 33% (200 vs 300); a change this size is very")


def test_small_counts_are_suppressed_without_a_percentage():
    change = stats.compare_counts(9, 40)
    assert change.suppressed
    assert change.percent is None
    assert change.statement == "too few crimes to compare (fewer than 10 vs 40)"
    assert stats.shown_count(9) == "fewer than 10"
    assert stats.shown_count(10) == "10"
    assert stats.published(3) is None
    assert stats.published(12) == 12


@pytest.mark.parametrize(
    "count, shown, published",
    [(0, "0", 0), (1, "fewer than 10", None), (9, "fewer than 10", None), (10, "10", 10), (None, "not known", None)],
)
def test_zero_is_zero_and_only_one_to_nine_are_withheld(count, shown, published):
    assert stats.shown_count(count) == shown
    assert stats.published(count) == published


def test_zero_against_zero_or_against_a_count_is_said_plainly():
    assert stats.compare_counts(0, 0).statement == "none in either period (0 vs 0)"
    nothing_now = stats.compare_counts(0, 40)
    assert not nothing_now.suppressed and nothing_now.percent == -100.0
    assert nothing_now.statement.startswith("down 100% (0 vs 40); a change this size is very unlikely")
    assert stats.compare_counts(0, 5).statement == "too few crimes to compare (0 vs fewer than 10)"


def test_concentration_share_of_the_busiest_places():
    counts = [50] + [1] * 39  # 40 places: the busiest 5% is 2 places.
    k, share = stats.concentration_share(counts)
    assert k == 2
    assert share == pytest.approx(51 / 89)
    assert stats.concentration_share([]) == (0, None)


def test_rate_ratio_interval_at_zero_recent_is_the_clopper_pearson_closed_form():
    # 0 vs n: the proportion's upper bound is 1 - 0.025^(1/n), so the ratio's is p / (1 - p).
    n = 12
    upper_p = 1 - 0.025 ** (1 / n)
    low, high = stats.rate_ratio_interval(0, n)
    assert low == 0.0
    assert high == pytest.approx(upper_p / (1 - upper_p), rel=1e-9)
    change = stats.compare_counts(0, n)
    assert (change.ratio_low, change.ratio_high) == (low, high)
    assert change.p_value == pytest.approx(2 / 2**n, rel=1e-12)


def test_changes_in_words_carry_no_p_value():
    # 51 against 81 over equal periods: two-sided exact p = 2 * P(X <= 51), X ~ Binomial(132, 1/2) = 0.0113
    fall = stats.compare_counts(51, 81)
    assert fall.p_value == pytest.approx(float(2 * Fraction(sum(comb(132, k) for k in range(52)), 2**132)))
    assert fall.p_value < 0.05
    assert fall.words == "down 37%: a real fall, most likely"
    assert stats.compare_counts(119, 87).words == "up 37%: a real rise, most likely"
    assert stats.compare_counts(72, 75).words == "down 4%: this could easily be chance"
    assert stats.compare_counts(5, 40).words == "too few to compare"
    assert stats.compare_counts(0, 0).words == "none in either period"
    for change in (fall, stats.compare_counts(72, 75)):
        assert "p =" not in change.words and "p =" in change.statement
