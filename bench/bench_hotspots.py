"""Hot spots for one London borough over 36 months of 3M London crimes, against bare numpy in the same run.

    .venv/bin/python bench/bench_hotspots.py [--crimes 3000000] [--months 36] [--borough E09000033] [--reuse DIR]

Builds (or reuses) the all-London SQLite database of bench_crime_http.py: real police.uk API records
resampled over 36 months and placed on the 2025 wards. Then, in one process, times:

- Open Ward: `hot_spots()` for the borough (ranking by count, Gi* with FDR over its 150 m grid,
  concentration, stability), computed from the database each time (the page cache is bypassed),
  after one warm-up run;
- the baseline: the same cell ranking with nothing but sqlite3 and numpy (one SELECT of the borough's
  points, pyproj to the British National Grid, np.unique counts, argsort);
- the cached answer, as a page or API request gets it.

Prints the median of each and the ratio of Open Ward's time to the baseline's.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_crime_http as base  # noqa: E402


def median_time(fn, runs: int) -> tuple[float, object]:
    times, value = [], None
    for _ in range(runs):
        t = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--crimes", type=int, default=3_000_000)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--pool-months", type=int, default=4)
    parser.add_argument("--borough", default="E09000033", help="GSS code (default: Westminster)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--reuse", help="an existing benchmark directory (skips the build)")
    args = parser.parse_args()

    var_dir = Path(args.reuse) if args.reuse else Path(tempfile.mkdtemp(prefix="bench-hotspots-"))
    base.setup_django(var_dir)
    if not args.reuse:
        base.build(var_dir, args.crimes, args.months, args.pool_months)

    from django.db import connection
    from pyproj import Transformer

    from openward.areas.models import Ward
    from openward.crime.analytics.hotspots import CELL_METRES, hot_spots, period_for
    from openward.crime.analytics.scope import borough_scope
    from openward.crime.analytics.summary import add_months
    from openward.crime.hotspot_views import cached_hot_spots
    from openward.crime.models import Crime, CrimeCategory

    total = Crime.objects.count()
    last = Crime.objects.order_by("-month").values_list("month", flat=True).first()
    first = f"{add_months(last, -(args.months - 1)):%Y-%m}"
    period = period_for(first, f"{last:%Y-%m}")
    scope = borough_scope(args.borough)

    def ours():
        return hot_spots(scope, period)

    ward_ids = list(Ward.objects.filter(borough__gss_code=args.borough).values_list("pk", flat=True))
    asb = CrimeCategory.objects.get(slug="anti-social-behaviour").pk
    to_grid = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
    sql = (
        f"SELECT latitude, longitude FROM {Crime._meta.db_table} WHERE ward_id IN ({','.join('?' * len(ward_ids))}) "
        "AND month >= ? AND month <= ? AND category_id != ? AND latitude IS NOT NULL"
    )

    def baseline():
        raw = connection.connection
        rows = np.array(
            raw.execute(sql, [*ward_ids, period.first.isoformat(), period.last.isoformat(), asb]).fetchall(),
            dtype=float,
        )
        x, y = to_grid.transform(rows[:, 1], rows[:, 0])
        cells = np.floor(np.column_stack([x, y]) / CELL_METRES).astype(np.int64)
        keys, counts = np.unique(cells, axis=0, return_counts=True)
        order = np.lexsort((keys[:, 1], keys[:, 0], -counts))
        return keys[order], counts[order]

    connection.ensure_connection()
    ours()  # warm: process caches, SQLite pages
    baseline()
    ours_t, result = median_time(ours, args.runs)
    base_t, (keys, counts) = median_time(baseline, args.runs)
    # Same ranking: Open Ward's busiest cells are the baseline's, with the same counts.
    top = result.by_count[:50]
    assert [c.count for c in top] == counts[:50].tolist(), "rankings differ"
    assert sum(c.count for c in result.cells) == int(counts.sum()), "totals differ"
    key = f"bench|{args.borough}"
    cached_hot_spots(key, lambda: scope, first, f"{last:%Y-%m}", None)
    cached_t, _ = median_time(lambda: cached_hot_spots(key, lambda: scope, first, f"{last:%Y-%m}", None), args.runs)

    print(f"database: {total:,} crimes; borough {scope.name}, {period.label} ({period.months} months)")
    print(f"borough crimes (not ASB): {result.total:,}; grid cells in the borough: {len(result.cells):,}; "
          f"snap points: {len(result.points):,}; hot cells: {result.hot_cells}")  # fmt: skip
    print(f"Open Ward hot_spots(), warm, median of {args.runs}: {ours_t * 1000:.0f} ms")
    print(f"baseline sqlite3 + numpy ranking, median of {args.runs}: {base_t * 1000:.0f} ms")
    print(f"ratio Open Ward / baseline: {ours_t / base_t:.1f}x")
    print(f"cached answer (as pages and the API get it), median: {cached_t * 1000:.1f} ms")


if __name__ == "__main__":
    main()
