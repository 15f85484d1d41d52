"""Tally 100,000 ranked ballots with census weighting (raking), against a bare group-by count.

    /work/main/.venv/bin/python bench/bench_tally.py

1. In memory: the full tally (Borda points, first preferences, mentions, the verified subset,
   raking to two census margins, the weighted count) against a numpy bincount and a polars
   group-by count of first preferences of the same ballots.
2. From the database (SQLite in memory, settings openward.settings.test): the whole results
   page computation, `consultation_results` (loading ballots and demographics, all of the
   above, representativeness), against one SQL `GROUP BY` count of first preferences.
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


def from_database(rng: np.random.Generator) -> None:
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openward.settings.test")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from openward.areas.models import Borough, Ward
    from openward.priorities.models import Ballot, Concern, Consultation, Demographics, PopulationGroup
    from openward.priorities.results import consultation_results

    call_command("migrate", verbosity=0)
    borough = Borough.objects.create(gss_code="E09999999", name="Bench", slug="bench")
    ward = Ward.objects.create(gss_code="E05999999", name="Bench", slug="bench", borough=borough)
    now = timezone.now()
    concerns = list(Concern.objects.all())
    consultation = Consultation.objects.create(
        ward=ward, title="Bench", opens_at=now - timezone.timedelta(days=30), closes_at=now - timezone.timedelta(days=1)
    )
    consultation.concerns.set(concerns)
    for dim, groups in (
        ("age", ("16-29", "30-44", "45-64", "65+")),
        ("ethnicity", ("white", "mixed", "asian", "black", "other")),
    ):
        PopulationGroup.objects.bulk_create(
            PopulationGroup(ward=ward, dimension=dim, group=g, count=int(rng.integers(500, 3000)), source="bench")
            for g in groups
        )
    b = make_ballots(rng)
    ages, groups = ["16-29", "30-44", "45-64", "65+"], ["white", "mixed", "asian", "black", "other"]
    ballots = [
        Ballot(
            consultation=consultation,
            receipt_hash=f"{i:064x}",
            level=int(b.level[i]),
            first=concerns[b.first[i]],
            second=concerns[b.second[i]] if b.second[i] >= 0 else None,
            third=concerns[b.third[i]] if b.third[i] >= 0 else None,
        )
        for i in range(N)
    ]
    Ballot.objects.bulk_create(ballots, batch_size=5000)
    Demographics.objects.bulk_create(
        (
            Demographics(
                ballot=ballot,
                age_band=ages[b.age[i]] if b.age[i] >= 0 else "",
                ethnicity=groups[b.ethnicity[i]] if b.ethnicity[i] >= 0 else "",
            )
            for i, ballot in enumerate(ballots)
            if b.age[i] >= 0 or b.ethnicity[i] >= 0
        ),
        batch_size=5000,
    )

    def group_by():
        with connection.cursor() as cur:
            cur.execute(
                "SELECT first_id, COUNT(*) FROM priorities_ballot WHERE consultation_id = %s GROUP BY first_id",
                [consultation.pk],
            )
            return cur.fetchall()

    results = consultation_results(consultation)
    assert results.overall.respondents == N and results.weighted is not None
    t_results = timed(consultation_results, consultation)
    t_sql = timed(group_by)
    print(
        f"from SQLite: consultation_results (load + tally + weighting + census comparison): {t_results * 1000:.0f} ms"
    )
    print(f"SQL GROUP BY count of first preferences: {t_sql * 1000:.1f} ms  -> ratio {t_results / t_sql:.1f}x")


if __name__ == "__main__":
    main()
    from_database(np.random.default_rng(20261126))
