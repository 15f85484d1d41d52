"""core.stats against values R prints for the same calls (from R's own documentation examples)."""

import math

import pytest

from openward.core import stats


def test_clopper_pearson_and_binomial_test_match_rs_mendel_example():
    # R: binom.test(c(682, 243), p = 3/4) -> p-value = 0.3825, 95% CI 0.7076683 0.7654066
    low, high = stats.clopper_pearson(682, 925)
    assert low == pytest.approx(0.7076683, abs=1e-7)
    assert high == pytest.approx(0.7654066, abs=1e-7)
    assert stats.binomial_test(682, 925, 0.75) == pytest.approx(0.3825, abs=1e-4)


def test_clopper_pearson_edges_are_exact():
    # k = 0: the upper end solves (1 - p)^n = alpha/2; k = n mirrors it.
    low, high = stats.clopper_pearson(0, 20)
    assert low == 0.0 and high == pytest.approx(1 - 0.025 ** (1 / 20), abs=1e-12)
    low, high = stats.clopper_pearson(20, 20)
    assert high == 1.0 and low == pytest.approx(0.025 ** (1 / 20), abs=1e-12)
    assert stats.clopper_pearson(0, 0) == (0.0, 1.0)


def test_poisson_interval_matches_rs_poisson_test():
    # R: poisson.test(137, 24.19893) -> 95% CI for the rate 4.753125 6.692709
    low, high = stats.poisson_interval(137)
    assert low / 24.19893 == pytest.approx(4.753125, abs=1e-6)
    assert high / 24.19893 == pytest.approx(6.692709, abs=1e-6)
    # Nothing observed: the upper end is -log(0.025) = 3.688879.
    assert stats.poisson_interval(0) == (0.0, pytest.approx(-math.log(0.025), abs=1e-9))


def test_compare_rates_matches_rs_two_sample_poisson_test():
    # R: poisson.test(c(11, 6 + 8 + 7), c(800, 1083 + 1050 + 878))
    #    -> p-value = 0.07967, 95% CI 0.8584264 4.2772659, rate ratio 1.971488
    result = stats.compare_rates(11, 21, 800, 3011)
    assert result.ratio == pytest.approx(1.971488, abs=1e-6)
    assert result.p_value == pytest.approx(0.07967, abs=1e-5)
    assert result.ratio_low == pytest.approx(0.8584264, abs=1e-6)
    assert result.ratio_high == pytest.approx(4.2772659, abs=1e-6)


def test_compare_rates_with_nothing_in_the_second_group_is_unbounded():
    result = stats.compare_rates(5, 0)
    assert result.ratio is None and result.ratio_high is None and result.ratio_low > 0


def test_fdr_adjust_is_benjamini_hochberg():
    p = [0.01, 0.04, 0.03, 0.005, 0.2]
    # Independent BH: sort ascending, p_(i) * m / i, then a running minimum from the top.
    m = len(p)
    order = sorted(range(m), key=lambda i: p[i])
    adjusted = [0.0] * m
    running = 1.0
    for rank in range(m, 0, -1):
        i = order[rank - 1]
        running = min(running, p[i] * m / rank)
        adjusted[i] = running
    assert list(stats.fdr_adjust(p)) == pytest.approx(adjusted)


def test_counts_out_of_range_are_refused():
    with pytest.raises(ValueError):
        stats.clopper_pearson(5, 4)
    with pytest.raises(ValueError):
        stats.compare_rates(1, 1, 0, 1)
