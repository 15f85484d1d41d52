"""Tally 100,000 ranked ballots with census weighting (raking), against a bare group-by count.

    /work/main/.venv/bin/python bench/bench_tally.py

Prints the time of the full tally (Borda points, first preferences, mentions, raking to two
census margins, the weighted count) and its ratio to a baseline measured in the same run: a
numpy bincount of first preferences and a polars group-by count of the same ballots.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from openward.priorities import tally  # noqa: E402

N = 100_000
CONCERNS = 14
REPEATS = 7


def make_ballots(rng: np.random.Generator) -> tally.Ballots:
    popularity = rng.dirichlet(np.linspace(3, 0.5, CONCERNS))
    ranked = np.array([rng.choice(CONCERNS, 3, replace=False, p=popularity) for _ in range(N)])
    depth = rng.integers(1, 4, N)
    second = np.where(depth >= 2, ranked[:, 1], -1)
    third = np.where(depth >= 3, ranked[:, 2], -1)
    level = rng.choice(3, N, p=[0.35, 0.45, 0.2])
    age = rng.choice(5, N, p=[0.1, 0.1, 0.2, 0.35, 0.25]) - 1
    ethnicity = rng.choice(6, N, p=[0.1, 0.6, 0.05, 0.12, 0.08, 0.05]) - 1
    return tally.Ballots(ranked[:, 0].copy(), second, third, level, age, ethnicity)


def full_tally(b: tally.Ballots, age_census, eth_census):
    raw = tally.count(b, CONCERNS)
    verified = tally.count(b.subset(b.level >= 1), CONCERNS)
    weights = tally.rake(b.age, b.ethnicity, age_census, eth_census)
    weighted = tally.count(b, CONCERNS, weights)
    return raw, verified, weighted, tally.rank(weighted.points, weighted.first)


def timed(fn, *args) -> float:
    runs = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        fn(*args)
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> None:
    rng = np.random.default_rng(20261125)
    ballots = make_ballots(rng)
    age_census = np.array([2700.0, 3100, 2700, 1500])
    eth_census = np.array([5500.0, 600, 1900, 1400, 600])
    frame = pl.DataFrame({"first": ballots.first})

    t_full = timed(full_tally, ballots, age_census, eth_census)
    t_numpy = timed(lambda: np.bincount(ballots.first, minlength=CONCERNS))
    t_polars = timed(lambda: frame.group_by("first").len())

    raw, _, weighted, _ = full_tally(ballots, age_census, eth_census)
    assert raw.first.sum() == N and abs(weighted.respondents - N) < 1e-6 * N
    print(f"ballots: {N:,}, concerns: {CONCERNS}, median of {REPEATS} runs")
    print(f"full tally (raw + verified + raked weights + weighted count): {t_full * 1000:.1f} ms")
    print(f"baseline numpy bincount of first preferences: {t_numpy * 1000:.2f} ms  -> ratio {t_full / t_numpy:.0f}x")
    print(f"polars group-by count of first preferences: {t_polars * 1000:.2f} ms  -> ratio {t_full / t_polars:.0f}x")


if __name__ == "__main__":
    main()
