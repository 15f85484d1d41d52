"""Disproportionality for every Met borough over 12 months, warm, against one polars group-by in the same run.

    .venv/bin/python bench/bench_disproportionality.py [--runs 3] [--reuse DIR]

Builds (or reuses) an SQLite database: the 2014 and 2018 London ward boundaries, the Census 2011
QS201EW tables, and the six real Met stop-and-search files (2018-04 … 2018-09, 72,139 rows)
imported through the real importer and placed in wards; each month's stops are then copied six
months on (2018-10 … 2019-03, labelled as copies in this benchmark only) to make 12 months and
about 144,000 stops. Then, in one process, times:

- Open Ward: `disproportionality()` for each of the 33 boroughs (one GROUP BY per borough, census
  denominators, exact intervals for every group, legislation and object of search, the monthly
  trend), computed afresh each time (the cache is bypassed), after one warm-up run;
- the baseline: the same searches counted with one polars group-by (borough × ethnicity ×
  legislation × object × outcome × linked × removal) over a frame already in memory.

Prints the median of each and the ratio of Open Ward's time to the baseline's.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_crime_http as base  # noqa: E402

SHARED = base.SHARED


def build() -> None:
    from django.core.management import call_command
    from django.db import connection

    from openward.areas.importers import LondonWards2014Esri, LondonWards2018Esri
    from openward.areas.models import Force
    from openward.census.importers import Qs201LocalAuthority, Qs201PoliceForceArea
    from openward.crime.importers import PoliceUkImporter
    from openward.crime.models import Stop

    call_command("migrate", verbosity=0)
    Force.objects.get_or_create(slug="metropolitan", defaults={"name": "Metropolitan Police Service"})
    wards = SHARED / "boundaries/wards"
    LondonWards2014Esri(wards / "london-wards-2014/London_Ward.shp", commit=True, progress=False).run()
    LondonWards2018Esri(wards / "london-wards-2018/London_Ward.shp", commit=True, progress=False).run()
    census = SHARED / "census"
    Qs201LocalAuthority(census / "census2011_qs201ew_ethnic-group_local-authority_EW.csv", commit=True).run()
    Qs201PoliceForceArea(
        census / "census2011_qs201ew_ethnic-group_by-police-force-area_resistancelab.csv", commit=True
    ).run()
    PoliceUkImporter(SHARED / "police/stop-and-search/metropolitan", commit=True, progress=False).run()
    table = Stop._meta.db_table
    columns = [f.column for f in Stop._meta.concrete_fields if f.column not in ("id", "month")]
    listed = ", ".join(columns)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({listed}, month) SELECT {listed}, date(month, '+6 months') FROM {table}")


def median_time(fn, runs: int) -> tuple[float, object]:
    times, value = [], None
    for _ in range(runs):
        t = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reuse", help="an existing benchmark directory (skips the build)")
    args = parser.parse_args()

    var_dir = Path(args.reuse) if args.reuse else Path(tempfile.mkdtemp(prefix="bench-disproportionality-"))
    base.setup_django(var_dir)
    if not args.reuse:
        started = time.perf_counter()
        build()
        print(f"built {var_dir} in {time.perf_counter() - started:.0f} s")

    import polars as pl

    from openward.areas.models import Borough
    from openward.crime.analytics.disproportionality import DIMENSIONS, disproportionality
    from openward.crime.analytics.scope import borough_scope
    from openward.crime.models import Stop

    codes = sorted(Borough.objects.values_list("gss_code", flat=True))
    stops = Stop.objects.count()
    months = Stop.objects.values("month").distinct().count()

    def open_ward():
        return {code: disproportionality(borough_scope(code)) for code in codes}

    open_ward()  # warm: the loaded-months index, the ward lists, the query plans
    ours, results = median_time(open_ward, args.runs)

    frame = pl.DataFrame(
        list(Stop.objects.values_list("borough_code", *DIMENSIONS[1:])),
        schema=["borough", *DIMENSIONS[1:]],
        orient="row",
    )

    def baseline():
        return frame.group_by("borough", *DIMENSIONS[1:]).len()

    baseline()
    theirs, counts = median_time(baseline, args.runs)

    searched = sum(r.total.searches for r in results.values())
    assert searched == counts.filter(pl.col("borough").is_in(codes))["len"].sum(), "the two counts differ"
    print(f"{stops:,} stops over {months} months; {len(codes)} boroughs; {searched:,} stops placed in them")
    print(f"Open Ward, every borough's disproportionality (median of {args.runs}): {ours:.3f} s")
    print(f"polars, one group-by of the same counts (median of {args.runs}):     {theirs:.4f} s")
    print(f"ratio (Open Ward / polars group-by): {ours / theirs:.1f}x")


if __name__ == "__main__":
    main()
