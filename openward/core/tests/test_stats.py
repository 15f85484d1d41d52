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


def test_gi_star_equals_esda_on_a_grid_with_fdr():
    """Gi* z-scores equal PySAL esda's G_Local (binary weights, star) to 1e-6, and the BH q-values
    pick exactly the places below esda's own FDR threshold."""
    import numpy as np
    from esda import fdr as esda_fdr
    from esda.getisord import G_Local
    from libpysal.weights import lat2W

    rng = np.random.default_rng(7)
    rows, cols = 12, 15
    y = rng.poisson(2.0, rows * cols).astype(float)
    y[40:44] += 25  # a cluster
    y[150] += 30
    w = lat2W(rows, cols, rook=False)  # queen contiguity, as the hot-spot grid uses
    reference = G_Local(y, w, transform="B", star=True, permutations=0)
    ours = stats.getis_ord_gi_star(y, _with_self(w))
    assert np.allclose(ours.z, reference.Zs, atol=1e-6, rtol=0)
    assert np.allclose(ours.p, 2 * reference.p_norm, atol=1e-9, rtol=0)
    threshold = esda_fdr(2 * reference.p_norm, 0.05)
    assert set(np.flatnonzero(ours.q <= 0.05)) == set(np.flatnonzero(2 * reference.p_norm <= threshold))
    assert (ours.q <= 0.05).sum() > 0


def _with_self(w):
    import scipy.sparse as sp

    matrix = w.sparse.tocsr().astype(float)
    return matrix + sp.identity(matrix.shape[0], format="csr")


def test_gi_star_refuses_values_without_variation():
    import numpy as np
    import scipy.sparse as sp

    with pytest.raises(ValueError):
        stats.getis_ord_gi_star(np.ones(5), sp.identity(5))


def test_ratio_of_ratios_interval_ends_leave_alpha_over_two_in_each_tail():
    # Fisher's conditional interval: at the lower end the chance of a or more is 2.5%; at the upper,
    # the chance of a or fewer is 2.5% (Fisher's noncentral hypergeometric, fixed margins).
    from scipy.stats import nchypergeom_fisher

    a, b, c, d = 14, 31, 52, 49
    result = stats.ratio_of_ratios(a, b, c, d)
    total, good, drawn = a + b + c + d, a + c, a + b
    assert nchypergeom_fisher.sf(a - 1, total, good, drawn, result.low) == pytest.approx(0.025, abs=1e-6)
    assert nchypergeom_fisher.cdf(a, total, good, drawn, result.high) == pytest.approx(0.025, abs=1e-6)
    assert result.low < result.sample_ratio < result.high
    # The tea-tasting table in R's ?fisher.test: p = 0.4857, conditional MLE 6.408309.
    tea = stats.ratio_of_ratios(3, 1, 1, 3)
    assert tea.p_value == pytest.approx(0.4857, abs=1e-4)
    assert tea.estimate == pytest.approx(6.408309, abs=1e-4)


def test_ratio_of_ratios_with_nothing_before_is_unbounded_above():
    result = stats.ratio_of_ratios(5, 0, 10, 10)
    assert result.high is None and result.sample_ratio is None
