"""Benchmark: one national month re-imported with its crime rows sent as a binary COPY and as CSV, alternating.

    .venv/bin/python bench/bench_copy_format.py [--rounds 3] [--postgres URL]

Needs the database `bench/bench_national.py` built (`scale_bench`: 18M crimes). Writes the latest
month's CSV (500,000 rows resampled from London's real records, as bench_national does) to a
temporary folder and imports it `--rounds` times each way, the order alternating, with a checkpoint
before each: binary is the importer's own path (`importers/pgbinary.py`); CSV is what it does where
pgpq is not installed. Prints each import's seconds and the ratio of the medians (binary / CSV).
The month replaces itself each time, as a re-published month would.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_national  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--postgres", default=bench_national.DEFAULT_POSTGRES)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-copy-format-") as tmp:
        folder = Path(tmp)
        bench_national.setup_django(args.postgres, folder)
        from bench_crime_http import read_pool
        from django.db import connection

        from openward.crime.importers import PoliceUkImporter, pgbinary
        from openward.crime.models import Crime

        if not Crime.objects.exists():
            sys.exit(f"{args.postgres} holds no crimes: run bench/bench_national.py first")
        bench_national.write_month_csvs(read_pool(4), [bench_national.LATEST], 500_000, folder / "latest")
        installed = pgbinary.pgpq
        seconds: dict[str, list[float]] = {"binary": [], "csv": []}
        for n in range(args.rounds):
            for form in ("binary", "csv") if n % 2 == 0 else ("csv", "binary"):
                pgbinary.pgpq = installed if form == "binary" else None
                with connection.cursor() as cursor:
                    cursor.execute("CHECKPOINT")
                started = time.perf_counter()
                PoliceUkImporter(folder / "latest", commit=True, progress=False).run()
                seconds[form].append(time.perf_counter() - started)
                print(f"{form:<6} {seconds[form][-1]:6.2f} s", flush=True)
        pgbinary.pgpq = installed
        binary, csv = statistics.median(seconds["binary"]), statistics.median(seconds["csv"])
        print(
            f"one month (500,000 rows into {Crime.objects.count():,}): binary COPY median {binary:.2f} s, "
            f"CSV COPY median {csv:.2f} s; binary / CSV {binary / csv:.2f}x"
        )


if __name__ == "__main__":
    main()
