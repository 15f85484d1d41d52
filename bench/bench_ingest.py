"""Benchmark: import a ~1M-row data.police.uk street CSV, against DuckDB's bare load of the same file.

    /work/main/.venv/bin/python bench/bench_ingest.py [--rows 1000000] [--postgres URL | --no-postgres]

Builds the CSV by resampling the real street files in the shared data (City of London and West
Yorkshire; each Crime ID made unique so no row is a duplicate) into a temporary folder, loads
London's 2022-pattern ward boundaries so crimes are placed by point, then times, in one child
process per database:
- the full import (read, check, place, store, rebuild monthly counts, record the run), and
- DuckDB: CREATE TABLE t AS SELECT * FROM read_csv('<file>') into a DuckDB file, once before
  and once after the import (the baseline is their mean, so machine load hits both alike).
Prints both and the ratio (goal: import <= 2x DuckDB). Nothing is written to the repository.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/test"
MONTH = "2023-07"


def build_csv(shared: Path, folder: Path, rows: int) -> Path:
    import polars as pl

    sources = sorted((shared / "police/street/city-of-london").glob("*-street.csv")) + sorted(
        (shared / "police/west-yorkshire").glob("*-street.csv.gz")
    )
    frames = []
    for path in sources:
        data = path.read_bytes()
        if path.suffix == ".gz":
            import gzip

            data = gzip.decompress(data)
        frames.append(pl.read_csv(data, infer_schema=False))
    sample = pl.concat(frames).sample(rows, with_replacement=True, seed=20261125)
    unique_ids = pl.Series([f"{i:064x}" for i in range(rows)])
    sample = sample.with_columns(
        pl.when(pl.col("Crime ID").is_not_null()).then(unique_ids).otherwise(None).alias("Crime ID"),
        pl.lit(MONTH).alias("Month"),
    )
    path = folder / f"{MONTH}-west-yorkshire-street.csv"
    sample.write_csv(path)
    return path


def child(backend: str, csv_path: Path, shared: Path, workdir: Path) -> dict:
    """Runs in its own process: set up Django on `backend`, load wards, time both loads."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openward.settings.test")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    if backend == "postgresql":
        from django.test.utils import setup_test_environment

        setup_test_environment()
        # A database of its own, so the benchmark never clobbers a test run's test database.
        connection.settings_dict["TEST"]["NAME"] = "openward_bench_ingest"
        test_db = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    else:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        test_db = None
    try:
        return _measure(csv_path, shared, workdir, connection.vendor)
    finally:
        if test_db:
            connection.creation.destroy_test_db(test_db, verbosity=0)


def _measure(csv_path: Path, shared: Path, workdir: Path, vendor: str) -> dict:
    import datetime as dt

    import shapely

    from openward.areas.models import Borough, Force, Ward, WardGeneration
    from openward.crime.importers import PoliceUkImporter
    from openward.crime.models import Crime, MonthlyCount

    Force.objects.create(slug="west-yorkshire", name="West Yorkshire Police")
    gen = WardGeneration.objects.create(slug="2022", name="2022", valid_from=dt.date(2022, 5, 5))
    features = json.loads((shared / "boundaries/wards/london_wards_2025_WD25_drkane.geojson").read_text())["features"]
    boroughs, wards = {}, []
    for f in features:
        props = f["properties"]
        code = next(v for k, v in props.items() if k.upper().startswith("LAD") and k.upper().endswith("CD"))
        if code not in boroughs:
            boroughs[code] = Borough.objects.create(gss_code=code, name=code, slug=code.lower())
        geom = shapely.geometry.shape(f["geometry"])
        ward_code = next(v for k, v in props.items() if k.upper().startswith("WD") and k.upper().endswith("CD"))
        wards.append(
            Ward(gss_code=ward_code, name=ward_code, slug=ward_code.lower(), borough=boroughs[code], generation=gen,
                 boundary=shapely.to_geojson(geom))
        )  # fmt: skip
    Ward.objects.bulk_create(wards)

    # DuckDB loads before and after the import and the mean is the baseline, so that a change in
    # machine load during the run falls on both sides alike.
    duck_before, duck_rows = _duckdb_load(csv_path, workdir / f"duck-{vendor}-before.duckdb")
    phases = _time_phases()
    started = time.perf_counter()
    run = PoliceUkImporter(csv_path, commit=True, progress=False).run()
    import_seconds = time.perf_counter() - started
    duck_after, _ = _duckdb_load(csv_path, workdir / f"duck-{vendor}-after.duckdb")
    duck_seconds = (duck_before + duck_after) / 2
    stored = Crime.objects.count()
    placed = Crime.objects.filter(ward__isnull=False).count()
    counts = MonthlyCount.objects.count()
    return {
        "vendor": vendor,
        "import_seconds": import_seconds,
        "duckdb_seconds": duck_seconds,
        "duckdb_runs": [round(duck_before, 2), round(duck_after, 2)],
        "rows_stored": stored,
        "rows_placed_in_a_ward": placed,
        "monthly_count_rows": counts,
        "rows_rejected": run.counts.get("rows_rejected", 0),
        "duckdb_rows": duck_rows,
        "wards": len(wards),
        "phases": {k: round(v, 2) for k, v in phases.items()},
    }


def _duckdb_load(csv_path: Path, database: Path) -> tuple[float, int]:
    import duckdb

    started = time.perf_counter()
    con = duckdb.connect(str(database))
    con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv('{csv_path}')")
    seconds = time.perf_counter() - started
    rows = con.execute("SELECT count(*) FROM t").fetchone()[0]
    con.close()
    database.unlink()
    return seconds, rows


def _time_phases() -> dict[str, float]:
    """Wrap the importer's steps with timers, so the report says where the time goes."""
    from openward.crime import placement
    from openward.crime.importers import frames, policeuk, store

    totals: dict[str, float] = {}

    def timed(module, name, label):
        original = getattr(module, name)

        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                totals[label] = totals.get(label, 0.0) + time.perf_counter() - started

        setattr(module, name, wrapper)

    timed(policeuk, "read_table", "read CSV")
    timed(frames, "street_frame", "check rows")
    timed(placement.Placer, "place", "place")
    timed(store, "replace_month", "store")
    timed(store, "replace_monthly_counts", "monthly counts")
    return totals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--postgres", default=os.environ.get("DATABASE_URL", DEFAULT_POSTGRES))
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--child", nargs=3, metavar=("BACKEND", "CSV", "WORKDIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    shared = Path(os.environ.get("OPENWARD_SHARED_DATA", ROOT.parent / "shared" / "data"))
    if not (shared / "police/west-yorkshire").exists():
        shared = Path("/work/shared/data")
    if args.child:
        backend, csv_path, workdir = args.child
        print(json.dumps(child(backend, Path(csv_path), shared, Path(workdir))))
        return
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        tmp = Path(tmp)
        started = time.perf_counter()
        csv_path = build_csv(shared, tmp, args.rows)
        print(f"Built {csv_path.name}: {args.rows:,} rows, {csv_path.stat().st_size / 1e6:.0f} MB "
              f"in {time.perf_counter() - started:.1f} s")  # fmt: skip
        backends = [("sqlite", f"sqlite:///{tmp / 'bench.sqlite3'}")]
        if not args.no_postgres:
            backends.append(("postgresql", args.postgres))
        for backend, url in backends:
            env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "openward.settings.test"}
            done = subprocess.run(
                [sys.executable, __file__, "--child", backend, str(csv_path), str(tmp)],
                env=env, capture_output=True, text=True, cwd=ROOT,
            )  # fmt: skip
            if done.returncode:
                print(f"{backend}: failed\n{done.stderr[-2000:]}")
                continue
            r = json.loads(done.stdout.strip().splitlines()[-1])
            ratio = r["import_seconds"] / r["duckdb_seconds"]
            print(
                f"{r['vendor']:<10} import {r['import_seconds']:6.2f} s ({r['rows_stored']:,} rows stored, "
                f"{r['rows_placed_in_a_ward']:,} placed in {r['wards']} wards, {r['monthly_count_rows']:,} monthly "
                f"counts, {r['rows_rejected']} rejected) | DuckDB bare load {r['duckdb_seconds']:5.2f} s "
                f"(mean of {r['duckdb_runs'][0]} before and {r['duckdb_runs'][1]} after) "
                f"({r['duckdb_rows']:,} rows) | ratio {ratio:.2f}x (goal <= 2x)\n"
                f"           import phases (s): {', '.join(f'{k} {v}' for k, v in r['phases'].items())}"
            )


if __name__ == "__main__":
    main()
