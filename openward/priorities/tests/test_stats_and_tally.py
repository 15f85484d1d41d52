"""The exact comparison and the tally against values computed independently."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from openward.priorities import tally
from openward.priorities.stats import compare_counts


def test_comparison_of_two_counts_matches_r():
    # R: binom.test(10, 30) -> p-value = 0.09874, 95% CI 0.1729 0.5281; over equal periods the rate-ratio
    # interval is p / (1 - p): 0.1729 / 0.8271 = 0.2090 and 0.5281 / 0.4719 = 1.1191 (poisson.test's own).
    c = compare_counts(20, 10, 6, 6)
    assert c.rate_ratio == pytest.approx(0.5)
    assert c.p_value == pytest.approx(0.09874, abs=5e-5)
    assert (c.ratio_low, c.ratio_high) == (pytest.approx(0.2090, abs=5e-4), pytest.approx(1.1191, abs=5e-4))
    assert not c.small_numbers
    assert compare_counts(3, 1, 6, 6).small_numbers


def test_comparisons_are_told_in_words_with_the_numbers_apart():
    # R: poisson.test(c(40, 80), c(12, 12))$p.value = 0.000327 -> a real fall
    fall = compare_counts(80, 40, 12, 12)
    assert fall.short() == "down 50%: a real fall, most likely"
    assert fall.in_words() == "The monthly rate after is 50% lower than before: a real fall, most likely."
    assert "p < 0.001" in fall.numbers() and "p" not in fall.short()
    rise = compare_counts(40, 80, 12, 12)
    assert rise.verdict == "a real rise, most likely"
    chance = compare_counts(20, 10, 6, 6)  # p = 0.099
    assert chance.short() == "down 50%: this could easily be chance"
    same = compare_counts(30, 30, 6, 6)
    assert same.in_words() == "The monthly rate after is about the same as before: this could easily be chance."
    assert compare_counts(3, 1, 6, 6).verdict.startswith("too few crimes to tell")
    assert compare_counts(0, 5, 6, 6).short() == "none before, 5 after"
    assert compare_counts(0, 5, 6, 6).rate_ratio is None


def test_borda_and_first_preferences_by_hand():
    # Three concerns; ballots (first, second, third)
    ballots = [(0, 1, -1), (1, 0, 2), (1, -1, -1), (2, 0, 1)]
    b = tally.Ballots.from_rows([(f, s, t, 0, -1, -1) for f, s, t in ballots])
    counts = tally.count(b, 3)
    assert counts.points.tolist() == [3 + 2 + 2, 2 + 3 + 3 + 1, 1 + 3]
    assert counts.first.tolist() == [1, 2, 1]
    assert counts.mentions.tolist() == [3, 4, 2]
    assert tally.rank(counts.points, counts.first).tolist() == [2, 1, 3]


def test_raking_matches_both_census_margins():
    rng = np.random.default_rng(1)
    n = 5000
    age = rng.choice(4, n, p=[0.1, 0.2, 0.3, 0.4])
    eth = rng.choice(5, n, p=[0.7, 0.05, 0.1, 0.1, 0.05])
    age_census = np.array([30.0, 30, 25, 15])
    eth_census = np.array([40.0, 10, 20, 20, 10])
    w = tally.rake(age, eth, age_census, eth_census)
    for codes, census in ((age, age_census), (eth, eth_census)):
        shares = np.bincount(codes, weights=w, minlength=len(census)) / w.sum()
        assert shares == pytest.approx(census / census.sum(), abs=1e-4)
    assert w.mean() == pytest.approx(1.0)


def test_raking_leaves_unanswered_at_their_share():
    age = np.array([0, 0, 1, -1, -1, 1, 0, 1])
    eth = np.array([-1] * 8)
    w = tally.rake(age, eth, np.array([1.0, 3, 0, 0]), np.array([1.0, 1, 1, 1, 1]))
    unanswered = w[age == -1].sum() / w.sum()
    assert unanswered == pytest.approx(2 / 8)
    assert w[age == 1].sum() / w[age >= 0].sum() == pytest.approx(0.75, abs=1e-4)


def test_weighted_count_equals_a_loop():
    rng = np.random.default_rng(2)
    rows = []
    for _ in range(200):
        k = rng.integers(1, 4)
        picks = list(rng.choice(6, k, replace=False)) + [-1] * (3 - k)
        rows.append((*picks, 0, rng.integers(-1, 4), rng.integers(-1, 5)))
    b = tally.Ballots.from_rows(rows)
    w = rng.uniform(0.5, 2, len(rows))
    counts = tally.count(b, 6, w)
    expected = np.zeros(6)
    for (f, s, t, *_), wi in zip(rows, w, strict=True):
        for code, pts in zip((f, s, t), (3, 2, 1), strict=True):
            if code >= 0:
                expected[code] += pts * wi
    assert counts.points == pytest.approx(expected)
    assert list(itertools.islice(counts.first, 6)) == pytest.approx(
        [sum(wi for (f, *_), wi in zip(rows, w, strict=True) if f == c) for c in range(6)]
    )
