"""The polygons that once took the server down, timed at every endpoint that takes `poly`, against
the health endpoint in the same run.

    .venv/bin/python bench/bench_polygons.py [--runs 3]

Builds a throwaway SQLite database with the data `openward/crime/tests/test_bounded_work.py` uses
(`openward/crime/tests/polygons.py`: 6,000 crimes, 1,500 stops, 2,000 outcomes over two years in a
4 km box), then, in one process with Django's test client, times each reported polygon (a 10,000-point
tangle took 11 minutes and 14 GB on main; 400 points took 81 s) and 30 random tangles of up to 10,000
points at each endpoint.
Prints the slowest request, its ratio to the health endpoint's median, and the issue's bound (2 s on
this machine). The tests bound the geometry work instead; this is where the seconds are measured.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="timings of each request (the median is kept)")
    parser.add_argument("--random", type=int, default=30, help="random tangles per endpoint")
    args = parser.parse_args()

    var_dir = Path(tempfile.mkdtemp(prefix="bench-polygons-"))
    os.environ["OPENWARD_VAR_DIR"] = str(var_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "openward.settings.dev"
    os.environ["DEBUG"] = "0"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import logging

    from django.core.management import call_command
    from django.test import Client

    logging.getLogger("django.request").setLevel(logging.ERROR)  # every refusal is a logged 400
    call_command("migrate", verbosity=0)
    from openward.crime.tests import polygons as t

    t.make_busy_area()
    client = Client()

    def timed(method: str, path: str, params: dict | None = None) -> tuple[float, int]:
        times, status = [], 0
        for _ in range(args.runs):
            started = time.perf_counter()
            status = getattr(client, method)(path, params or {}).status_code
            times.append(time.perf_counter() - started)
        return statistics.median(times), status

    for method, path in t.ENDPOINTS:  # the first request imports every view module
        t.ask(client, method, path, t.star(8, 0))
    health, _ = timed("get", "/api/v1/health")
    import numpy as np

    rng = np.random.default_rng(20261202)
    polygons = [poly for poly, _ in t.REPORTED] + [
        t.tangle(int(n), int(seed), float(span))
        for n, seed, span in zip(
            rng.integers(3, 10_001, args.random),
            rng.integers(0, 2**31, args.random),
            rng.choice([0.002, 0.03, 0.3, 2.0], args.random),
            strict=True,
        )
    ]
    slowest = (0.0, "", 0, 0)
    for poly in polygons:
        for method, path in t.ENDPOINTS:
            params = {"poly": poly}
            if path.startswith("/api/") and "/v1/" not in path:
                params["date"] = "2024-12"
            seconds, status = timed(method, path, params)
            if seconds > slowest[0]:
                slowest = (seconds, f"{method.upper()} {path}", poly.count(":") + 1, status)
    seconds, where, points, status = slowest
    print(f"requests timed: {len(polygons) * len(t.ENDPOINTS)} (median of {args.runs} each)")
    print(f"health endpoint median: {health * 1000:.2f} ms")
    print(f"slowest polygon request: {seconds * 1000:.0f} ms ({where}, {points:,} points, answered {status})")
    verdict = "met" if seconds < 2 else "NOT met"
    print(f"ratio slowest / health: {seconds / health:.0f}x; the issue's bound of 2 s: {verdict}")


if __name__ == "__main__":
    main()
