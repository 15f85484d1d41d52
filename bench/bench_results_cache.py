"""A closed consultation's results: computed (tally, weighting, crime comparison) against a cached read.

    .venv/bin/python bench/bench_results_cache.py [--ballots 20000] [--runs 5]

Builds a throwaway SQLite database with one ward, the concern vocabulary, two years of crime and a
closed consultation of `--ballots` ballots made as the demo makes them, then times, in one process,
`consultation_results` (the full computation) and `published_results` (what every page, CSV and API
call uses: computed once, then read from the cache). Prints both medians and their ratio.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ballots", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    os.environ["OPENWARD_VAR_DIR"] = tempfile.mkdtemp(prefix="bench-results-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "openward.settings.dev"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import numpy as np
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from openward.areas.models import Borough, Force, Ward
    from openward.crime.tests.factories import add_crimes
    from openward.priorities import demo_data, results, services
    from openward.priorities.models import Concern
    from openward.priorities.vocabulary import load_concerns

    force = Force.objects.get_or_create(slug="metropolitan", defaults={"name": "Metropolitan Police Service"})[0]
    borough = Borough.objects.create(gss_code="E09000099", name="Benchborough", slug="benchborough", force=force)
    ward = Ward.objects.create(gss_code="E05009999", name="Bench Ward", slug="bench-ward", borough=borough)
    for m in range(24):
        month = date(2024 + m // 12, m % 12 + 1, 1)
        for slug in ("burglary", "robbery", "drugs", "anti-social-behaviour", "bicycle-theft"):
            add_crimes(ward, slug, month, 5 + m % 7)
    load_concerns(Concern)
    concerns = list(Concern.objects.active())
    demo_data._profile(ward, np.random.default_rng(1))
    opened = timezone.make_aware(datetime(2025, 10, 1, 9))
    consultation = services.create_consultation(
        None, ward=ward, title="Bench", opens_at=opened, closes_at=opened + timedelta(days=28), concerns=concerns
    )
    demo_data.DEMO_BALLOTS = args.ballots
    demo_data._ballots(consultation, concerns, np.random.default_rng(2))

    def median(fn) -> float:
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            fn()
            times.append(time.perf_counter() - started)
        return statistics.median(times)

    computed = median(lambda: results.consultation_results(consultation))
    results.published_results(consultation)  # the first call computes and stores
    cached = median(lambda: results.published_results(consultation))
    out = io.StringIO()
    out.write(f"{args.ballots:,} ballots, median of {args.runs} runs\n")
    out.write(f"computed every time (consultation_results): {computed * 1000:.1f} ms\n")
    out.write(f"cached once closed (published_results):     {cached * 1000:.1f} ms\n")
    out.write(f"ratio computed / cached: {computed / cached:.0f}x\n")
    print(out.getvalue(), end="")


if __name__ == "__main__":
    main()
