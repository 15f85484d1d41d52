"""Crime pages and police.uk crimes-street through the full HTTP stack, at all-London volume.

    /work/main/.venv/bin/python bench/bench_crime_http.py [--crimes 3000000] [--months 36] [--reuse DIR]

Builds a SQLite database in a temporary directory: the 2025 London wards (direct GeoJSON load),
36 months of street crime made by resampling the real police.uk API dumps
(crimes-street-by-ward), placed on wards with areas.geo, about 1% British Transport Police
records (a third repeating a Met crime's persistent_id), the City of London's records under its
own force, and stop and search resampled from the Met's API dumps; MonthlyCount is built with
the importers' GROUP BY. Then it serves the project with gunicorn on loopback and prints:
p50/p95 latency of the ward crime page (first visit to each ward, then a repeat) and of
crimes-street (one mile around points in London), and requests per second under 16 concurrent
clients for each, as a ratio to the trivial /api/v1/health endpoint measured in the same run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import http.client
import json
import lzma
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("OPENWARD_SHARED_DATA", "/work/shared/data"))
DUMPS = SHARED / "police/api/crimes-street-by-ward/london-2014-wards"
STOP_DUMPS = SHARED / "police/api/stops-force/metropolitan"
WARDS = SHARED / "boundaries/wards/london_wards_2025_WD25_drkane.geojson"
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).parent / "gunicorn")


def setup_django(var_dir: Path) -> None:
    os.environ["OPENWARD_VAR_DIR"] = str(var_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "openward.settings.dev"
    os.environ["DEBUG"] = "0"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def load_wards():
    import shapely

    from openward.areas.models import Borough, Force, Ward, WardGeneration

    for slug, name, listed in (
        ("metropolitan", "Metropolitan Police Service", True),
        ("city-of-london", "City of London Police", True),
        ("btp", "British Transport Police", False),
    ):
        Force.objects.get_or_create(slug=slug, defaults={"name": name, "listed": listed})
    generation, _ = WardGeneration.objects.get_or_create(
        slug="2022", defaults={"name": "London wards from May 2022", "valid_from": dt.date(2022, 5, 5)}
    )
    features = json.loads(WARDS.read_text())["features"]
    boroughs = {}
    for f in features:
        p = f["properties"]
        if p["LAD25CD"] not in boroughs:
            boroughs[p["LAD25CD"]] = Borough.objects.create(
                gss_code=p["LAD25CD"], name=p["LAD25NM"], slug=p["LAD25NM"].lower().replace(" ", "-")
            )
    wards = []
    for f in features:
        p = f["properties"]
        geom = shapely.from_geojson(json.dumps(f["geometry"]))
        min_lng, min_lat, max_lng, max_lat = geom.bounds
        wards.append(
            Ward(
                gss_code=p["WD25CD"],
                name=p["WD25NM"],
                slug=p["WD25NM"].lower().replace(" ", "-")[:200],
                borough=boroughs[p["LAD25CD"]],
                generation=generation,
                valid_from=dt.date(2022, 5, 5),
                boundary=json.dumps(f["geometry"]),
                min_lat=min_lat,
                max_lat=max_lat,
                min_lng=min_lng,
                max_lng=max_lng,
                centre_lat=p["LAT"],
                centre_lng=p["LONG"],
            )
        )
    Ward.objects.bulk_create(wards)
    return generation


def read_pool(months: int):
    """Crimes from the real API dumps: arrays of category, point, street, outcome, location type."""
    rows = []
    for path in sorted(DUMPS.glob("crimes-street_london-wards_*.jsonl.xz"))[-months:]:
        with lzma.open(path, "rt") as fh:
            for line in fh:
                for c in json.loads(line).get("response") or ():
                    loc = c.get("location") or {}
                    street = loc.get("street") or {}
                    outcome = c.get("outcome_status") or {}
                    rows.append(
                        (
                            c["category"],
                            float(loc.get("latitude") or "nan"),
                            float(loc.get("longitude") or "nan"),
                            street.get("id"),
                            street.get("name", ""),
                            outcome.get("category", ""),
                            c.get("location_type") or "",
                            c.get("location_subtype") or "",
                        )
                    )
    return rows


def build(var_dir: Path, n_crimes: int, n_months: int, pool_months: int) -> None:
    from django.core.management import call_command
    from django.db import connection, transaction

    from openward.areas.geo import locate_ward_ids
    from openward.areas.models import Force, Ward
    from openward.core.models import ImportRun
    from openward.crime.importers import store
    from openward.crime.models import Crime, CrimeCategory, MonthlyCount, Stop

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    generation = load_wards()
    print(f"wards loaded: {Ward.objects.count()} in {time.perf_counter() - t0:.1f}s", flush=True)

    t = time.perf_counter()
    pool = read_pool(pool_months)
    print(
        f"pool: {len(pool):,} real crimes from {pool_months} months of API dumps in {time.perf_counter() - t:.1f}s",
        flush=True,
    )
    lats = np.array([r[1] for r in pool])
    lngs = np.array([r[2] for r in pool])
    ward_ids = locate_ward_ids(lats, lngs, generation=generation)
    ward_borough = dict(Ward.objects.values_list("pk", "borough__gss_code"))
    cats = {}
    for slug in sorted({r[0] for r in pool}):
        cats[slug] = CrimeCategory.objects.create(slug=slug, name=slug.replace("-", " ").capitalize()).pk
    forces = dict(Force.objects.values_list("slug", "pk"))
    latest = dt.date(2025, 6, 1)
    months = [
        dt.date((latest.year * 12 + latest.month - 1 - i) // 12, (latest.year * 12 + latest.month - 1 - i) % 12 + 1, 1)
        for i in reversed(range(n_months))
    ]
    run = ImportRun.objects.create(
        importer="police-uk",
        source="bench resample",
        status="committed",
        started_at=dt.datetime.now(dt.UTC),
        finished_at=dt.datetime.now(dt.UTC),
    )
    cols = [
        "force_id",
        "month",
        "latitude",
        "longitude",
        "street_id",
        "street_name",
        "lsoa_code",
        "ward_id",
        "borough_code",
        "import_run_id",
        "is_demo",
        "persistent_id",
        "api_id",
        "category_id",
        "reported_by",
        "falls_within",
        "lsoa_name",
        "location_type",
        "location_subtype",
        "context",
        "outcome_category",
        "outcome_month",
    ]
    sql = f"INSERT INTO {Crime._meta.db_table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
    rng = np.random.default_rng(42)
    per_month = n_crimes // n_months
    raw = connection.connection if connection.connection else (connection.ensure_connection() or connection.connection)
    # Bulk load without the secondary indexes (a random persistent_id index makes row-by-row upkeep slow),
    # then rebuild them once, as a bulk loader would.
    table = Crime._meta.db_table
    indexes = [
        r[0]
        for r in raw.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL", [table]
        )
    ]
    for (name,) in list(
        raw.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL", [table])
    ):
        raw.execute(f'DROP INDEX "{name}"')
    raw.execute("PRAGMA cache_size = -400000")
    t = time.perf_counter()
    api_id = 100_000_000
    total = 0
    for month in months:
        idx = rng.integers(0, len(pool), per_month)
        next_month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1).isoformat()
        batch = []
        for i in idx:
            cat, lat, lng, street_id, street_name, outcome, ltype, lsub = pool[i]
            ward = int(ward_ids[i]) or None
            borough = ward_borough.get(ward, "")
            force = forces["city-of-london"] if borough == "E09000001" else forces["metropolitan"]
            pid = "" if cat == "anti-social-behaviour" else os.urandom(32).hex()
            api_id += 1
            row = [
                force,
                month.isoformat(),
                None if lat != lat else lat,
                None if lng != lng else lng,
                street_id,
                street_name,
                "",
                ward,
                borough,
                run.pk,
                False,
                pid,
                api_id,
                cats[cat],
                "",
                "",
                "",
                ltype or "Force",
                lsub,
                "",
                outcome,
                next_month if outcome else None,
            ]
            batch.append(row)
            if pid and api_id % 100 == 0:  # ~1% British Transport Police, a third repeating this crime
                api_id += 1
                btp_pid = pid if api_id % 3 == 0 else os.urandom(32).hex()
                batch.append([forces["btp"], *row[1:11], btp_pid, api_id, *row[13:17], "BTP", "STATION", "", "", None])
        raw.execute("BEGIN")
        raw.executemany(sql, batch)
        raw.execute("COMMIT")
        total += len(batch)
    print(f"crimes inserted: {total:,} over {n_months} months in {time.perf_counter() - t:.1f}s", flush=True)
    t = time.perf_counter()
    for sql_text in indexes:
        raw.execute(sql_text)
    print(f"{len(indexes)} crime indexes rebuilt in {time.perf_counter() - t:.1f}s", flush=True)

    t = time.perf_counter()
    # The counts an import precomputes (monthly, per area, outcomes, snap points), as an import does.
    with transaction.atomic():
        for force_id, month in Crime.objects.values_list("force_id", "month").distinct().order_by():
            store.rebuild_monthly_counts(force_id, month)
    print(f"monthly counts: {MonthlyCount.objects.count():,} rows in {time.perf_counter() - t:.1f}s", flush=True)

    t = time.perf_counter()
    stops = []
    for path in sorted(STOP_DUMPS.glob("stops-force_metropolitan_20??-??.json.gz")):
        stops.extend(json.loads(gzip.decompress(path.read_bytes())))
    s_lats = np.array([float((s.get("location") or {}).get("latitude") or "nan") for s in stops])
    s_lngs = np.array([float((s.get("location") or {}).get("longitude") or "nan") for s in stops])
    s_wards = locate_ward_ids(s_lats, s_lngs, generation=generation)
    stop_rows = []
    for month in months:
        for i in rng.integers(0, len(stops), max(1, per_month // 25)):
            s = stops[i]
            loc = s.get("location") or {}
            ward = int(s_wards[i]) or None
            outcome_obj = s.get("outcome_object") or {}
            stop_rows.append(
                Stop(
                    force_id=forces["metropolitan"],
                    month=month,
                    datetime=dt.datetime(month.year, month.month, 1 + i % 28, 12, tzinfo=dt.UTC),
                    latitude=None if s_lats[i] != s_lats[i] else s_lats[i],
                    longitude=None if s_lngs[i] != s_lngs[i] else s_lngs[i],
                    street_id=(loc.get("street") or {}).get("id"),
                    street_name=(loc.get("street") or {}).get("name", ""),
                    ward_id=ward,
                    borough_code=ward_borough.get(ward, ""),
                    type=s.get("type") or "Person search",
                    involved_person=bool(s.get("involved_person", True)),
                    gender=s.get("gender") or "",
                    age_range=s.get("age_range") or "",
                    officer_defined_ethnicity=s.get("officer_defined_ethnicity") or "",
                    self_defined_ethnicity=(s.get("self_defined_ethnicity") or "")[:120],
                    legislation=(s.get("legislation") or "")[:160],
                    object_of_search=(s.get("object_of_search") or "")[:120],
                    outcome=(
                        outcome_obj.get("name") or (s.get("outcome") if isinstance(s.get("outcome"), str) else "") or ""
                    )[:160],
                    outcome_code=outcome_obj.get("id") or "",
                    outcome_linked_to_object_of_search=s.get("outcome_linked_to_object_of_search"),
                )
            )
    Stop.objects.bulk_create(stop_rows, batch_size=2000)
    print(f"stops: {len(stop_rows):,} in {time.perf_counter() - t:.1f}s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"database built in {time.perf_counter() - t0:.1f}s: {var_dir}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str, conn=None) -> tuple[int, float, int]:
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    t = time.perf_counter()
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - t
    if own:
        conn.close()
    return response.status, elapsed, len(body)


def latencies(port: int, paths: list[str]) -> dict:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    times, statuses, sizes = [], set(), []
    for path in paths:
        status, elapsed, size = get(port, path, conn)
        statuses.add(status)
        times.append(elapsed * 1000)
        sizes.append(size)
    conn.close()
    q = statistics.quantiles(times, n=20)
    return {
        "p50_ms": statistics.median(times),
        "p95_ms": q[18],
        "statuses": sorted(statuses),
        "mean_bytes": int(statistics.mean(sizes)),
    }


def throughput(port: int, paths: list[str], clients: int = 16, seconds: float = 10.0) -> dict:
    stop = time.perf_counter() + seconds
    counts = [0] * clients
    errors = [0] * clients

    def worker(k):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        i = k
        while time.perf_counter() < stop:
            try:
                status, _, _ = get(port, paths[i % len(paths)], conn)
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                errors[k] += 1
                continue
            counts[k] += 1
            errors[k] += status != 200
            i += clients
        conn.close()

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(clients)]
    t = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    elapsed = time.perf_counter() - t
    return {"rps": sum(counts) / elapsed, "requests": sum(counts), "errors": sum(errors)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--crimes", type=int, default=3_000_000)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--pool-months", type=int, default=4, help="months of real API dumps to resample from")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--reuse", help="an existing benchmark directory (skips the build)")
    parser.add_argument("--no-redis", action="store_true", help="use each worker's own memory cache")
    parser.add_argument("--keep", action="store_true", help="keep the database directory afterwards")
    args = parser.parse_args()

    var_dir = Path(args.reuse) if args.reuse else Path(tempfile.mkdtemp(prefix="bench-crime-"))
    setup_django(var_dir)
    if not args.reuse:
        build(var_dir, args.crimes, args.months, args.pool_months)

    from django.db import connection

    from openward.areas.models import Ward
    from openward.crime.models import Crime

    n_crimes = Crime.objects.count()
    rng = random.Random(1)
    wards = list(Ward.objects.values_list("gss_code", "centre_lat", "centre_lng"))
    sample = rng.sample(wards, 60)
    latest = Crime.objects.order_by("-month").values_list("month", flat=True).first()
    connection.close()

    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    redis = None
    if shutil.which("redis-server") and not args.no_redis:
        # The production set-up: one Redis cache shared by every gunicorn worker (our own, on loopback).
        redis_port = free_port()
        redis = subprocess.Popen(
            ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
        env["REDIS_URL"] = f"redis://127.0.0.1:{redis_port}/0"
        time.sleep(0.5)
    cache_kind = "Redis (shared by workers)" if redis else "per-process memory"
    server = subprocess.Popen(
        [
            GUNICORN,
            "openward.wsgi:application",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(args.workers),
            "--log-level",
            "warning",
            "--timeout",
            "300",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        for _ in range(300):
            try:
                if get(port, "/api/v1/health")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        ward_paths = [f"/crime/wards/{code}/" for code, _, _ in sample]
        street_paths = [
            f"/api/crimes-street/all-crime?lat={lat + rng.uniform(-0.005, 0.005):.6f}"
            f"&lng={lng + rng.uniform(-0.005, 0.005):.6f}&date={latest:%Y-%m}"
            for _, lat, lng in sample
        ]
        results = {
            "health": latencies(port, ["/api/v1/health"] * 60),
            "ward page, first visit": latencies(port, ward_paths[:30]),
            "ward page, repeat visit": latencies(port, ward_paths[:30]),
            "crimes-street, 1 mile": latencies(port, street_paths[:30]),
        }
        # Warm every process on the paths the load phase cycles through, so the ratio is about steady state.
        for path in ward_paths[30:] + street_paths[30:]:
            get(port, path)
        load = {
            "health": throughput(port, ["/api/v1/health"], seconds=args.seconds),
            "ward page": throughput(port, ward_paths, seconds=args.seconds),
            "crimes-street": throughput(port, street_paths, seconds=args.seconds),
        }
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        if redis:
            redis.terminate()
            redis.wait(timeout=30)

    print(
        f"\n{n_crimes:,} crimes, {len(wards)} wards, latest month {latest:%Y-%m}; gunicorn -w {args.workers} "
        f"on {os.cpu_count()} cores, SQLite; cache: {cache_kind}"
    )
    print("\nlatency (one client):")
    for name, r in results.items():
        print(
            f"  {name:28s} p50 {r['p50_ms']:8.1f} ms   p95 {r['p95_ms']:8.1f} ms   "
            f"status {r['statuses']}   ~{r['mean_bytes']:,} bytes"
        )
    base = load["health"]["rps"]
    print(f"\nthroughput (16 concurrent clients, {args.seconds:.0f} s each; ratio to /api/v1/health in this run):")
    for name, r in load.items():
        print(
            f"  {name:28s} {r['rps']:8.1f} req/s   ratio {r['rps'] / base:5.2f}   "
            f"({r['requests']} requests, {r['errors']} errors)"
        )
    if not args.keep and not args.reuse:
        shutil.rmtree(var_dir, ignore_errors=True)
    elif not args.reuse:
        print(f"\ndatabase kept in {var_dir} (rerun with --reuse {var_dir})")


if __name__ == "__main__":
    main()
