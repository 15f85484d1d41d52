"""Benchmark: import a ~1M-row data.police.uk street CSV, against the database's own bare load of the same rows.

    /work/main/.venv/bin/python bench/bench_ingest.py [--rows 1000000] [--postgres URL | --no-postgres]

Builds the CSV by resampling the real street files in the shared data (City of London and West
Yorkshire; each Crime ID made unique so no row is a duplicate) into a temporary folder, loads
London's 2022-pattern ward boundaries so crimes are placed by point, then times, in one child
process per database:
- the full import (read, check, place, store with the crime table's indexes, precompute the
  monthly, outcome and snap-point counts, record the run), and
- the bare load of the very rows the import stored (read back, untimed, from the crime table)
  into an unindexed table with the same columns: SQLite `executemany` in one transaction,
  PostgreSQL `COPY` of an in-memory CSV (the rows come from a throwaway import); reported beside it, not
  as the goal's baseline, the way the import itself writes crime rows: on PostgreSQL a binary `COPY`
  of the same rows, on SQLite an ADBC ingest of them into a new file (the import's stage).
Each round times the bare load, the import (a first load: the tables are emptied before) and the
bare load again, with a PostgreSQL checkpoint between steps so that none pays for the writes of the
one before; a round's baseline is the mean of its two bare loads, so machine load hits both alike.
Prints the median round's figures, every round's, and the ratio (goal: import <= 2x the bare load).
Nothing is written to the repository.
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
OWN_WAY = {"postgresql": "a binary COPY", "sqlite": "an ADBC ingest into a new file"}


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


def child(backend: str, csv_path: Path, shared: Path, workdir: Path, repeat: int) -> dict:
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
        connection.settings_dict["TEST"]["NAME"] = f"openward_bench_ingest_{os.getpid()}"
        test_db = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    else:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        test_db = None
    try:
        return _measure(csv_path, shared, workdir, connection.vendor, repeat)
    finally:
        if test_db:
            connection.creation.destroy_test_db(test_db, verbosity=0)


def _measure(csv_path: Path, shared: Path, workdir: Path, vendor: str, repeat: int) -> dict:
    import datetime as dt

    import shapely
    from django.db import connection

    from openward.areas.models import Borough, Force, Ward, WardGeneration
    from openward.crime.importers import PoliceUkImporter
    from openward.crime.models import Crime, MonthlyCount, OutcomeCount, PointCount

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

    # Each round times the bare load, the import and the bare load again, and its baseline is the mean of the
    # two, so that a change in machine load during the round falls on both sides alike; the report gives
    # every round and the median ratio. The rows come from a first, untimed import; the tables are emptied
    # before each round, so each timed import is a first load, as on a new server.
    PoliceUkImporter(csv_path, commit=True, progress=False).run()
    rows = _stored_rows()
    phases = _time_phases()
    statements: list[tuple[float, str]] = []

    def timed_statement(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            statements.append((time.perf_counter() - started, " ".join(sql.split())[:90]))

    rounds = []
    binary: list[float] = []  # the import's own way of writing the same rows (binary COPY, ADBC), once a round
    for _ in range(repeat):
        _empty_crime_tables()
        _settle()
        bare_before = _bare_load(rows, vendor)
        _settle()
        statements.clear()
        started = time.perf_counter()
        with connection.execute_wrapper(timed_statement):
            run = PoliceUkImporter(csv_path, commit=True, progress=False).run()
        import_seconds = time.perf_counter() - started
        _settle()
        bare_after = _bare_load(rows, vendor)
        _settle()
        binary.append(_bare_load(rows, vendor, "binary" if vendor == "postgresql" else "adbc"))
        rounds.append((import_seconds, bare_before, bare_after))
    ratios = sorted((i / ((b + a) / 2), n) for n, (i, b, a) in enumerate(rounds))
    median = rounds[ratios[len(ratios) // 2][1]]
    stored = Crime.objects.count()
    placed = Crime.objects.filter(ward__isnull=False).count()
    counts = MonthlyCount.objects.count()
    return {
        "vendor": vendor,
        "import_seconds": median[0],
        "bare_seconds": (median[1] + median[2]) / 2,
        "bare_runs": [round(median[1], 2), round(median[2], 2)],
        "binary_bare_seconds": binary[ratios[len(ratios) // 2][1]] if binary else None,
        "rounds": [[round(x, 2) for x in r] for r in rounds],
        "bare_rows": rows.height,
        "rows_stored": stored,
        "rows_placed_in_a_ward": placed,
        "monthly_count_rows": counts,
        "outcome_count_rows": OutcomeCount.objects.count(),
        "point_count_rows": PointCount.objects.count(),
        "rows_rejected": run.counts.get("rows_rejected", 0),
        "wards": len(wards),
        "phases": {k: round(v / repeat, 2) for k, v in phases.items()},
        "slowest": [(round(t, 2), sql) for t, sql in sorted(statements, reverse=True)[:8]],
    }


def _settle() -> None:
    """Let the work of the step before finish before the next is timed: PostgreSQL writes out the pages the
    step left dirty (a checkpoint, else due in the middle of a later step), and Python collects its garbage."""
    import gc

    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("CHECKPOINT")
    gc.collect()


def _stored_rows():
    """The crime table's rows as the import stored them (its columns, no id), as a polars frame."""
    import polars as pl
    from django.db import connection

    from openward.crime.importers.frames import CRIME_COLUMNS
    from openward.crime.models import Crime

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(CRIME_COLUMNS)} FROM {Crime._meta.db_table}")
        data = cursor.fetchall()
    return pl.DataFrame(data, schema=list(CRIME_COLUMNS), orient="row", infer_schema_length=None)


def _empty_crime_tables() -> None:
    from django.db import connection, transaction

    from openward.core.models import ImportRun
    from openward.crime.models import Crime, DroppedDuplicate, MonthlyCount, OutcomeCount, PointCount

    models = (MonthlyCount, OutcomeCount, PointCount, DroppedDuplicate, Crime)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # As a new server's tables are: TRUNCATE leaves no dead rows behind for the import to step over.
            with connection.cursor() as cursor:
                cursor.execute(f"TRUNCATE {', '.join(m._meta.db_table for m in models)}")
        else:
            for model in models:
                model.objects.all().delete()
        ImportRun.objects.all().delete()


def _bare_load(rows, vendor: str, form: str = "csv") -> float:
    """Seconds to load `rows` into a new table with the crime table's columns and no index, key or constraint.

    On PostgreSQL, `form` is the COPY's format: "csv" (the baseline of the goal) or "binary" (the format the
    import sends its crime rows in, reported beside it). On SQLite, "csv" (the name of the baseline) is
    `executemany`, and "adbc" an ADBC ingest into a new file as the import's stage writes it."""
    import io

    from django.db import connection, transaction

    from openward.crime.importers import pgbinary
    from openward.crime.models import Crime

    columns = ", ".join(rows.columns)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bare_load")
        if vendor == "postgresql":
            cursor.execute(f"CREATE TABLE bare_load AS SELECT {columns} FROM {Crime._meta.db_table} WITH NO DATA")
            if form == "binary":
                encoder = pgbinary.encoder_for(pgbinary.column_types(cursor, "bare_load"), rows.columns)
                payload = encoder.encode(rows) + encoder.finish()
                options = "FORMAT binary"
            else:
                buffer = io.BytesIO()
                rows.write_csv(buffer, include_header=False, null_value="\\N")
                payload = buffer.getvalue()
                options = "FORMAT csv, NULL '\\N'"
            started = time.perf_counter()
            with transaction.atomic():
                with cursor.cursor.copy(f"COPY bare_load ({columns}) FROM STDIN WITH ({options})") as copy:
                    copy.write(payload)
            seconds = time.perf_counter() - started
        elif form == "adbc":
            return _adbc_load(rows)
        else:
            cursor.execute(f"CREATE TABLE bare_load AS SELECT {columns} FROM {Crime._meta.db_table} WHERE 0")
            values = list(rows.iter_rows())
            placeholders = ", ".join(["%s"] * len(rows.columns))
            started = time.perf_counter()
            with transaction.atomic():
                cursor.executemany(f"INSERT INTO bare_load ({columns}) VALUES ({placeholders})", values)
            seconds = time.perf_counter() - started
        cursor.execute("SELECT count(*) FROM bare_load")
        assert cursor.fetchone()[0] == rows.height
        cursor.execute("DROP TABLE bare_load")
    return seconds


def _adbc_load(rows) -> float:
    """Seconds to write `rows` with the import's stage (ADBC, in a new file), waiting for the last of them."""
    from openward.crime.importers import sqlitestage

    with sqlitestage.Stage() as stage:
        started = time.perf_counter()
        stage.write("bare_load", rows)
        stage.finish_writing()
        return time.perf_counter() - started


def _time_phases() -> dict[str, float]:
    """Wrap the importer's steps with timers, so the report says where the time goes.

    The steps overlap: the database takes in one piece of the file (COPY, or SQLite's stage) while the
    importer reads, checks and places the next, so they add up to more than the import's time. On
    PostgreSQL, "store: wait and indexes" is the time the importer waits at the end of each month for the
    database to finish the COPY, then builds the month's indexes; on SQLite the rows are moved in from the
    stage and the indexes built at the end of the import ("move in").
    """
    from openward.crime import placement
    from openward.crime.importers import months, policeuk, store

    totals: dict[str, float] = {}

    def add(label, seconds):
        totals[label] = totals.get(label, 0.0) + seconds

    def timed(owner, name, label):
        original = getattr(owner, name)

        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                add(label, time.perf_counter() - started)

        setattr(owner, name, wrapper)

    original_pieces = policeuk.read_pieces

    def read_pieces(*args, **kwargs):
        pieces = original_pieces(*args, **kwargs)
        while True:
            started = time.perf_counter()
            try:
                piece = next(pieces)
            except StopIteration:
                add("read CSV", time.perf_counter() - started)
                return
            add("read CSV", time.perf_counter() - started)
            yield piece

    policeuk.read_pieces = read_pieces
    timed(policeuk.PoliceUkImporter, "_checked", "check rows")
    timed(placement.Placer, "place", "place")
    timed(months.MonthLoad, "add", "store: encode and send (or stage)")
    timed(months.MonthLoad, "finish", "store: wait and indexes (PostgreSQL), shrink check")
    timed(months, "swap_in", "store: move in (SQLite) or swap in")
    timed(store, "replace_monthly_counts", "precomputed counts")
    return totals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--postgres", default=os.environ.get("DATABASE_URL", DEFAULT_POSTGRES))
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--only", choices=("sqlite", "postgresql"), help="measure one database only")
    parser.add_argument("--repeat", type=int, default=3, help="rounds of bare load, import, bare load (median ratio)")
    parser.add_argument("--child", nargs=3, metavar=("BACKEND", "CSV", "WORKDIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    shared = Path(os.environ.get("OPENWARD_SHARED_DATA", ROOT.parent / "shared" / "data"))
    if not (shared / "police/west-yorkshire").exists():
        shared = Path("/work/shared/data")
    if args.child:
        backend, csv_path, workdir = args.child
        print(json.dumps(child(backend, Path(csv_path), shared, Path(workdir), args.repeat)))
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
            if args.only and backend != args.only:
                continue
            env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "openward.settings.test"}
            done = subprocess.run(
                [sys.executable, __file__, "--child", backend, str(csv_path), str(tmp), "--repeat", str(args.repeat)],
                env=env, capture_output=True, text=True, cwd=ROOT,
            )  # fmt: skip
            if done.returncode:
                print(f"{backend}: failed\n{done.stderr[-2000:]}")
                continue
            r = json.loads(done.stdout.strip().splitlines()[-1])
            ratio = r["import_seconds"] / r["bare_seconds"]
            bare = (
                "executemany into an unindexed table" if r["vendor"] == "sqlite" else "CSV COPY into an unindexed table"
            )
            print(
                f"{r['vendor']:<10} import {r['import_seconds']:6.2f} s ({r['rows_stored']:,} rows stored, "
                f"{r['rows_placed_in_a_ward']:,} placed in {r['wards']} wards; {r['monthly_count_rows']:,} monthly, "
                f"{r['outcome_count_rows']:,} outcome and {r['point_count_rows']:,} snap-point counts; "
                f"{r['rows_rejected']} rejected) | bare load ({bare}) {r['bare_seconds']:5.2f} s "
                f"({r['bare_rows']:,} rows) "
                f"| ratio {ratio:.2f}x (goal <= 2x), the median of {len(r['rounds'])} rounds "
                f"(import, bare before, bare after: {r['rounds']})\n"
                + (
                    f"           beside it: {OWN_WAY[r['vendor']]} of the same rows (the import's way of writing crime "
                    f"rows) {r['binary_bare_seconds']:.2f} s in the median round; import / that load "
                    f"{r['import_seconds'] / r['binary_bare_seconds']:.2f}x\n"
                    if r["binary_bare_seconds"]
                    else ""
                )
                + f"           import phases (s): {', '.join(f'{k} {v}' for k, v in r['phases'].items())}\n"
                + "".join(f"           {t:6.2f} s  {sql}\n" for t, sql in r["slowest"]),
                flush=True,
            )


if __name__ == "__main__":
    main()
