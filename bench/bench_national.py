"""National scale on PostgreSQL: N crimes imported through the real importer, then the pages timed over HTTP.

    .venv/bin/python bench/bench_national.py [--rows 18000000] [--months 36] [--postgres URL] [--reuse]

A national Open Ward holds about 500,000 crimes a month (police.uk, England and Wales): 18M for
three years. This builds a PostgreSQL database of its own (`scale_bench` unless --postgres names
another; dropped and created again unless --reuse): the 2025 London wards, and `--rows` crimes
over `--months` months made by resampling London's real police.uk records (the saved
crimes-street API responses in the shared data) over all London wards, written as
data.police.uk street CSVs (one per month; each Crime ID unique) and loaded with the importer
(`PoliceUkImporter`, as `import_crime --commit` does): every month but the last in one run, then
the last month on its own, timed ("one month's import").

Then it serves the project as production does (gunicorn, 3 workers, a Redis cache of its own on
loopback, DEBUG off) and measures:
- cold pages, one client: each ward's crime page on its first visit (distinct wards), each
  borough's, and the force's (a distinct query string each time, so nothing of the page is
  cached; what every page shares per import, such as the months loaded, stays warm); p50/p95;
- crimes-street (one mile around a ward centre, the latest month) and ten boroughs' hot spots, cold, p50/p95;
- warm throughput and p50/p95 with wrk (C, 2 threads, 16 connections), each as a ratio to
  /api/v1/health measured the same way in the same run: the ward page, the ward's crime page,
  the borough and force crime pages, crimes-street, a borough's hot spots.
Every request says "Accept-Encoding: gzip, deflate", as browsers and HTTP libraries do.
Goals (issue 14): cold ward p95 <= 300 ms; warm ward, crime and crimes-street >= 0.5x health.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/scale_bench"
LATEST = dt.date(2025, 6, 1)
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).parent / "gunicorn")


def months_back(n: int) -> list[dt.date]:
    index = LATEST.year * 12 + LATEST.month - 1
    return [dt.date((index - i) // 12, (index - i) % 12 + 1, 1) for i in reversed(range(n))]


def recreate_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(url: str, var_dir: Path) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["OPENWARD_VAR_DIR"] = str(var_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "openward.settings.dev"
    os.environ["DEBUG"] = "0"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def write_month_csvs(pool, months: list[dt.date], per_month: int, folder: Path) -> None:
    """One data.police.uk street CSV per month, resampled from the real London records in `pool`."""
    import numpy as np
    import polars as pl

    from openward.crime.importers.categories import CATEGORY_NAMES

    cats, lats, lngs, _, streets, outcomes, _, _ = zip(*pool, strict=True)
    base = pl.DataFrame(
        {
            "crime_type": [CATEGORY_NAMES.get(c, c) for c in cats],
            "is_asb": [c == "anti-social-behaviour" for c in cats],
            "Longitude": ["" if x != x else f"{x:.6f}" for x in lngs],
            "Latitude": ["" if x != x else f"{x:.6f}" for x in lats],
            "Location": [s or "No Location" for s in streets],
            "Last outcome category": list(outcomes),
        }
    )
    rng = np.random.default_rng(20261202)
    serial = 0
    folder.mkdir(parents=True, exist_ok=True)
    for month in months:
        sample = base[rng.integers(0, base.height, per_month)]
        ids = pl.Series([f"{serial + i:064x}" for i in range(per_month)])
        serial += per_month
        frame = pl.DataFrame(
            {
                "Crime ID": ids.zip_with(~sample["is_asb"], pl.Series([None] * per_month, dtype=pl.Utf8)),
                "Month": f"{month:%Y-%m}",
                "Reported by": "Metropolitan Police Service",
                "Falls within": "Metropolitan Police Service",
                "Longitude": sample["Longitude"],
                "Latitude": sample["Latitude"],
                "Location": sample["Location"],
                "LSOA code": "",
                "LSOA name": "",
                "Crime type": sample["crime_type"],
                "Last outcome category": sample["Last outcome category"],
                "Context": "",
            }
        )
        frame.write_csv(folder / f"{month:%Y-%m}-metropolitan-street.csv")


def build(rows: int, n_months: int, pool_months: int, tmp: Path) -> dict:
    from bench_crime_http import load_wards, read_pool
    from django.core.management import call_command
    from django.db import connection

    from openward.crime.importers import PoliceUkImporter

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    load_wards()
    pool = read_pool(pool_months)
    months = months_back(n_months)
    per_month = rows // n_months
    write_month_csvs(pool, months[:-1], per_month, tmp / "earlier")
    write_month_csvs(pool, months[-1:], per_month, tmp / "latest")
    print(
        f"built {n_months} monthly CSVs of {per_month:,} rows from {len(pool):,} real London crimes "
        f"in {time.perf_counter() - t0:.0f} s",
        flush=True,
    )
    t = time.perf_counter()
    PoliceUkImporter(tmp / "earlier", commit=True, progress=False).run()
    earlier_s = time.perf_counter() - t
    print(f"imported {n_months - 1} months ({per_month * (n_months - 1):,} rows) in {earlier_s:.0f} s", flush=True)
    t = time.perf_counter()
    run = PoliceUkImporter(tmp / "latest", commit=True, progress=False).run()
    month_s = time.perf_counter() - t
    print(f"imported the latest month ({per_month:,} rows) in {month_s:.1f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    shutil.rmtree(tmp / "earlier", ignore_errors=True)
    return {"earlier_s": earlier_s, "month_s": month_s, "per_month": per_month, "status": run.status}


PLANNED_TABLES = ("crime_crime", "crime_areacount", "crime_outcomecount", "crime_pointcount", "crime_stop")


def explain_pages(ward_code: str, borough_code: str) -> list[str]:
    """EXPLAIN (ANALYZE) of every query a cold ward, borough and force crime page makes on the crime tables."""
    import re

    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    out = []
    for path in (f"/crime/wards/{ward_code}/", f"/crime/boroughs/{borough_code}/", "/crime/forces/metropolitan/"):
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            status = Client().get(path).status_code
        out.append(f"{path} (status {status}, {len(queries)} statements; each shape of query once)")
        shapes = set()
        for q in queries.captured_queries:
            sql = q["sql"]
            if not sql.startswith("SELECT") or "set_config" in sql or not any(t in sql for t in PLANNED_TABLES):
                continue
            shape = re.sub(r"'[^']*'|\b\d+\b", "?", sql)
            if shape in shapes:
                continue
            shapes.add(shape)
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING ON, SUMMARY ON) " + sql)
                plan = [r[0] for r in cursor.fetchall()]
            nodes = [p.strip() for p in plan if re.search(r"Scan|Execution Time", p)]
            out.append("  " + re.sub(r'"', "", sql)[:150])
            # The plan's first scans, then its execution time (the last line), each once.
            shown = nodes[:-1] if len(nodes) <= 7 else [*nodes[:6], f"… {len(nodes) - 7} more scans, one per partition"]
            out.extend(f"      {n[:150]}" for n in shown + nodes[-1:])
    return out


def explain_indexes(ward_code: str, borough_code: str) -> list[str]:
    """EXPLAIN ANALYZE of the query each index of the crime table is kept for, as the code builds it."""
    import re

    from django.db import connection

    from openward.areas.models import Borough, Force, Ward
    from openward.crime.analytics import cache, scope
    from openward.crime.models import Crime
    from openward.crime.selectors import at_street, latest_crime_month

    month = latest_crime_month()
    ward = Ward.objects.get(gss_code=ward_code)
    lat, lng = ward.centre_lat, ward.centre_lng
    box = (lng - 0.02, lat - 0.0145, lng + 0.02, lat + 0.0145)  # a mile around the ward's centre
    in_month = Crime.objects.filter(month=month)
    sample = in_month.filter(ward=ward).exclude(persistent_id="").values("street_id", "persistent_id").first()
    force = Force.objects.get(slug="metropolitan")
    borough = scope.borough_scope(Borough.objects.get(gss_code=borough_code).gss_code)
    queries = {
        "crime_ward_month_category (crimes-street: the wards around a point)": in_month.filter(scope.rows_near(box))
        .values_list("pk", "latitude", "longitude")
        .query,
        "crime_point (crimes-at-location: the nearest street)": in_month.filter(
            latitude__gte=lat - 0.0145, latitude__lte=lat + 0.0145, longitude__gte=lng - 0.02, longitude__lte=lng + 0.02
        )
        .exclude(street_id=None)
        .values_list("street_id", "latitude", "longitude")
        .distinct()
        .query,
        "crime_point (crimes-at-location by a street id derived from a snap point)": at_street(
            in_month, sample["street_id"]
        )
        .values_list("pk")
        .query,
        "crime_persistent_id (outcomes-for-crime)": Crime.objects.filter(persistent_id=sample["persistent_id"])
        .exclude(persistent_id="")
        .order_by("-month", "-pk")[:1]
        .query,
        "crime_force_month (the copies other forces published: twin_rows reads the smaller forces' rows)": (
            Crime.objects.filter(force_id__in=list(Force.objects.exclude(pk=force.pk).values_list("pk", flat=True)))
            .exclude(persistent_id="")
            .values_list("persistent_id")
            .query
        ),
        "crime_unplaced_borough_month (a borough's crimes: its wards' and those placed in no ward)": in_month.filter(
            borough.placed_q()
        )
        .values_list("pk")
        .query,
        "crime_demo (is the area's newest month generated demo data?)": in_month.filter(
            borough.placed_q(), is_demo=True
        )
        .values_list("pk")[:1]
        .query,
        "crime_crime_pkey (the data version: the newest id)": Crime.objects.values("pk").order_by("-pk")[:1].query,
    }
    out = []
    with connection.cursor() as cursor:
        for label, query in queries.items():
            sql, params = query.sql_with_params()
            cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) " + sql, params)
            plan = [r[0] for r in cursor.fetchall()]
            out.append(f"  {label}")
            nodes = [p.rstrip() for p in plan if re.search(r"Scan|Execution Time|Append|Limit", p)]
            shown = nodes[:-1] if len(nodes) <= 6 else [*nodes[:5], f"      … {len(nodes) - 6} more, one per partition"]
            out.extend(f"    {n[:150]}" for n in shown + nodes[-1:])
    cache.data_version()
    return out


def http_get(port: int, path: str) -> tuple[int, float]:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    t = time.perf_counter()
    conn.request("GET", path, headers=CLIENT_HEADERS)
    response = conn.getresponse()
    response.read()
    elapsed = time.perf_counter() - t
    conn.close()
    return response.status, elapsed * 1000


def percentiles(times: list[float]) -> tuple[float, float]:
    if len(times) < 2:
        return times[0], times[0]
    return statistics.median(times), statistics.quantiles(times, n=20, method="inclusive")[18]


def cold(port: int, paths: list[str]) -> dict:
    results = [http_get(port, p) for p in paths]
    p50, p95 = percentiles([ms for _, ms in results])
    return {"p50": p50, "p95": p95, "n": len(paths), "statuses": sorted({s for s, _ in results})}


# What browsers and HTTP libraries (requests, httpx, curl --compressed) send: a body the server keeps
# compressed (crimes-street's) is sent compressed, as it would be to them.
CLIENT_HEADERS = {"Accept-Encoding": "gzip, deflate"}
WRK_SCRIPT = """
local paths = {%s}
local i = 0
wrk.headers["Accept-Encoding"] = "gzip, deflate"
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %%d %%d %%d %%.3f %%.3f\\n", summary.requests, summary.errors.status,
    summary.duration, latency:percentile(50) / 1000, latency:percentile(95) / 1000))
end
"""


def wrk(port: int, paths: list[str], seconds: int, tmp: Path) -> dict:
    script = tmp / "paths.lua"
    script.write_text(WRK_SCRIPT % ", ".join(f'"{p}"' for p in paths))
    out = subprocess.run(
        [
            "nice",
            "-n",
            "10",
            "wrk",
            "-t2",
            "-c16",
            f"-d{seconds}s",
            "--timeout",
            "30s",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("RESULT"))
    requests, errors, duration_us, p50, p95 = line.split()[1:]
    return {
        "rps": int(requests) / (int(duration_us) / 1e6),
        "errors": int(errors),
        "p50": float(p50),
        "p95": float(p95),
    }


def serve(args, url: str, var_dir: Path, tmp: Path) -> dict:
    from django.db import connection

    from openward.areas.models import Borough, Ward
    from openward.crime.models import Crime

    rng = random.Random(1)
    wards = list(Ward.objects.values_list("gss_code", "centre_lat", "centre_lng"))
    boroughs = list(Borough.objects.values_list("gss_code", flat=True))
    latest = Crime.objects.order_by("-month").values_list("month", flat=True).first()
    n_crimes = Crime.objects.count()
    connection.close()
    sample = rng.sample(wards, 120)

    from bench_crime_http import free_port

    port, redis_port = free_port(), free_port()
    redis = subprocess.Popen(
        ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": url,
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
    }
    server = subprocess.Popen(
        [GUNICORN, "openward.wsgi:application", "-b", f"127.0.0.1:{port}", "-w", str(args.workers)]
        + ["--log-level", "warning", "--timeout", "300"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        for _ in range(600):
            try:
                if http_get(port, "/api/v1/health")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        street = [
            f"/api/crimes-street/all-crime?lat={lat + rng.uniform(-0.005, 0.005):.6f}"
            f"&lng={lng + rng.uniform(-0.005, 0.005):.6f}&date={latest:%Y-%m}"
            for _, lat, lng in sample
        ]
        # What every page shares once per import (the months each force has loaded) is computed by the
        # first page any process shows; one visit to a ward not in the sample pays it before timing.
        spare = next(code for code, _, _ in wards if code not in {c for c, _, _ in sample})
        http_get(port, f"/crime/wards/{spare}/")
        results = {
            "cold: ward crime page (first visit)": cold(port, [f"/crime/wards/{c}/" for c, _, _ in sample[:60]]),
            "cold: ward page (first visit)": cold(port, [f"/wards/{c}/" for c, _, _ in sample[60:]]),
            "cold: borough crime page": cold(port, [f"/crime/boroughs/{b}/" for b in boroughs]),
            "cold: force crime page": cold(port, [f"/crime/forces/metropolitan/?cold={i}" for i in range(10)]),
            "cold: crimes-street, 1 mile": cold(port, street[:60]),
            "cold: borough hot spots": cold(port, [f"/crime/hotspots/boroughs/{b}/" for b in boroughs[:10]]),
        }
        ward_crime = [f"/crime/wards/{c}/" for c, _, _ in sample[:60]]
        ward_pages = [f"/wards/{c}/" for c, _, _ in sample[60:]]
        loads = {
            "health": ["/api/v1/health"],
            "ward page": ward_pages,
            "ward crime page": ward_crime,
            "borough crime page": [f"/crime/boroughs/{b}/" for b in boroughs],
            "force crime page": ["/crime/forces/metropolitan/"],
            "crimes-street, 1 mile": street[:60],
            "borough hot spots": [f"/crime/hotspots/boroughs/{b}/" for b in boroughs[:10]],
        }
        # The load is reniced so that other work on the machine goes on; cold requests above were not.
        subprocess.run(["renice", "-n", "10", "-g", str(os.getpgid(server.pid))], capture_output=True, check=False)
        for paths in loads.values():  # every process has served each path once: steady state
            for path in paths * args.workers:
                http_get(port, path)
        warm = {name: wrk(port, paths, args.seconds, tmp) for name, paths in loads.items()}
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
        redis.terminate()
        redis.wait(timeout=30)
    return {"cold": results, "warm": warm, "n_crimes": n_crimes, "latest": latest, "wards": len(wards)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=18_000_000)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--pool-months", type=int, default=4, help="months of real API dumps to resample from")
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--reuse", action="store_true", help="keep the database a previous run built")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install -y wrk): the throughput figures need a load generator in C.")

    tmp = Path(tempfile.mkdtemp(prefix="bench-national-"))
    try:
        if not args.reuse:
            recreate_database(args.postgres)
        setup_django(args.postgres, tmp / "var")
        built = None if args.reuse else build(args.rows, args.months, args.pool_months, tmp)
        if args.reuse:
            from django.core.management import call_command

            call_command("migrate", verbosity=0)  # the code may have moved on since the database was built
        from openward.areas.models import Borough, Ward

        index_plans = explain_indexes(
            Ward.objects.order_by("gss_code").values_list("gss_code", flat=True)[100],
            Borough.objects.order_by("gss_code").values_list("gss_code", flat=True)[10],
        )
        plans = explain_pages(
            Ward.objects.order_by("gss_code").values_list("gss_code", flat=True)[100],
            Borough.objects.order_by("gss_code").values_list("gss_code", flat=True)[10],
        )
        r = serve(args, args.postgres, tmp / "var", tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print(
        f"\n{r['n_crimes']:,} crimes in {r['wards']} London wards, latest month {r['latest']:%Y-%m}; PostgreSQL; "
        f"gunicorn -w {args.workers} on {os.cpu_count()} cores; Redis cache"
    )
    if built:
        print(
            f"import: {args.months - 1} months in {built['earlier_s']:.0f} s; one month "
            f"({built['per_month']:,} rows) in {built['month_s']:.1f} s"
        )
    print("\nthe query each index of the crime table is kept for (EXPLAIN ANALYZE, latest month):")
    print("\n".join(index_plans))
    print("\nquery plans of cold pages (EXPLAIN ANALYZE, in-process):")
    print("\n".join(plans))
    print("\ncold (one client, nothing of the page cached):")
    for name, c in r["cold"].items():
        print(f"  {name:38s} p50 {c['p50']:8.1f} ms   p95 {c['p95']:8.1f} ms   n={c['n']} status {c['statuses']}")
    health = r["warm"]["health"]["rps"]
    print(f"\nwarm (wrk -t2 -c16, {args.seconds} s each, accepting gzip; ratio to /api/v1/health in this run):")
    for name, w in r["warm"].items():
        print(
            f"  {name:38s} {w['rps']:8.1f} req/s  ratio {w['rps'] / health:5.2f}   "
            f"p50 {w['p50']:7.1f} ms   p95 {w['p95']:7.1f} ms   non-2xx/3xx {w['errors']}"
        )


if __name__ == "__main__":
    main()
