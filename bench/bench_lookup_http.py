"""Postcode and point look-ups through the whole HTTP stack, against a trivial JSON endpoint.

Loads all of London (Code-Point Open postcodes for the E09 boroughs and the 2025 ward
boundaries) into a scratch SQLite database, serves the app with gunicorn on loopback and
measures, in the same run:

* latency (p50, p95) over 10,000 random sequential calls of /api/v1/postcodes/<postcode>
  (postcodes written in random spellings) and /api/locate-neighbourhood?q=lat,lng, and of
  /api/v1/health as the baseline;
* requests per second with 16 concurrent clients (threads, one httpx client each), as a
  ratio to /api/v1/health (goal: at least 0.5).

The data is loaded by a small direct loader below (the areas-data importers were not on main
when this was written); it reads the same files and fills the same fields.

    /work/main/.venv/bin/python bench/bench_lookup_http.py [--calls 10000] [--workers 2]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MET, CITY = "metropolitan", "city-of-london"
CITY_OF_LONDON = "E09000001"


def setup_django(var_dir: str) -> None:
    os.environ["OPENWARD_VAR_DIR"] = var_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openward.settings.dev")
    os.environ["DEBUG"] = "0"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def load_london(shared: Path) -> list[tuple[str, float, float]]:
    """Load forces, boroughs, wards (with neighbourhoods) and postcodes; return (postcode, lat, lng) of live ones."""
    import numpy as np
    import pyproj
    import shapely
    from django.db import transaction

    from openward.areas.models import Borough, Force, Neighbourhood, Postcode, Ward, WardGeneration

    wards_path = shared / "boundaries/wards/london_wards_2025_WD25_drkane.geojson"
    postcodes_path = shared / "lookups/postcodes/codepoint-open-2025.4_london-E09.csv.gz"
    features = json.loads(wards_path.read_text())["features"]
    with transaction.atomic():
        met = Force.objects.create(slug=MET, name="Metropolitan Police Service")
        city = Force.objects.create(slug=CITY, name="City of London Police")
        generation = WardGeneration.objects.create(slug="2022", name="London wards from May 2022")
        boroughs = {}
        for f in features:
            p = f["properties"]
            if p["LAD25CD"] not in boroughs:
                boroughs[p["LAD25CD"]] = Borough.objects.create(
                    gss_code=p["LAD25CD"],
                    name=p["LAD25NM"],
                    slug=p["LAD25CD"].lower(),
                    force=city if p["LAD25CD"] == CITY_OF_LONDON else met,
                )
        wards = []
        for f in features:
            p = f["properties"]
            geom = shapely.from_geojson(json.dumps(f["geometry"]))
            min_lng, min_lat, max_lng, max_lat = geom.bounds
            centre = geom.representative_point()
            wards.append(
                Ward(
                    gss_code=p["WD25CD"],
                    name=p["WD25NM"],
                    slug=p["WD25CD"].lower(),
                    borough=boroughs[p["LAD25CD"]],
                    generation=generation,
                    boundary=json.dumps(f["geometry"]),
                    min_lat=min_lat,
                    max_lat=max_lat,
                    min_lng=min_lng,
                    max_lng=max_lng,
                    centre_lat=centre.y,
                    centre_lng=centre.x,
                )
            )
        Ward.objects.bulk_create(wards)
        Neighbourhood.objects.bulk_create(
            Neighbourhood(
                force=city if w.borough.gss_code == CITY_OF_LONDON else met, code=w.gss_code, name=w.name, ward=w
            )
            for w in Ward.objects.select_related("borough")
        )
        with gzip.open(postcodes_path, "rt", newline="") as fh:
            rows = list(csv.DictReader(fh))
        eastings = np.array([float(r["Eastings"]) for r in rows])
        northings = np.array([float(r["Northings"]) for r in rows])
        to_wgs84 = pyproj.Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)
        lngs, lats = to_wgs84.transform(eastings, northings)
        Postcode.objects.bulk_create(
            (
                Postcode(
                    compact=r["Postcode"].replace(" ", ""),
                    positional_quality=int(r["Positional_quality_indicator"] or 0),
                    easting=int(float(r["Eastings"])),
                    northing=int(float(r["Northings"])),
                    latitude=float(lat),
                    longitude=float(lng),
                    ward_code=r["Admin_ward_code"],
                    borough_code=r["Admin_district_code"],
                    source="codepoint-open-2025.4",
                )
                for r, lat, lng in zip(rows, lats, lngs, strict=True)
            ),
            batch_size=5000,
        )
    return [
        (r["Postcode"], float(lat), float(lng))
        for r, lat, lng in zip(rows, lats, lngs, strict=True)
        if int(float(r["Eastings"]))
    ]


def spelling(postcode: str, rng: random.Random) -> str:
    """The postcode as a person might type it: any case, with or without spaces."""
    compact = postcode.replace(" ", "")
    text = rng.choice([postcode, compact, compact.lower(), f" {postcode.lower()} ", compact[:-3] + "  " + compact[-3:]])
    return text.replace(" ", "%20")


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def sequential(base: str, workloads: dict[str, list[str]]) -> dict[str, tuple[list[float], dict[int, int]]]:
    """Time each call; the workloads are interleaved call by call so machine load hits them alike."""
    import httpx

    out = {name: ([], {}) for name in workloads}
    with httpx.Client(base_url=base, timeout=30) as client:
        for calls in zip(*workloads.values(), strict=True):
            for name, path in zip(workloads, calls, strict=True):
                start = time.perf_counter()
                response = client.get(path)
                out[name][0].append(time.perf_counter() - start)
                out[name][1][response.status_code] = out[name][1].get(response.status_code, 0) + 1
    return out


def concurrent(base: str, paths: list[str], clients: int) -> tuple[float, dict[int, int]]:
    """Requests per second with `clients` threads sharing the list of paths."""
    import httpx

    statuses: dict[int, int] = {}
    lock = threading.Lock()
    chunks = [paths[i::clients] for i in range(clients)]
    barrier = threading.Barrier(clients + 1)

    def run(chunk):
        local: dict[int, int] = {}
        with httpx.Client(base_url=base, timeout=30) as client:
            client.get("/api/v1/health")
            barrier.wait()
            for path in chunk:
                code = client.get(path).status_code
                local[code] = local.get(code, 0) + 1
        with lock:
            for k, v in local.items():
                statuses[k] = statuses.get(k, 0) + v

    threads = [threading.Thread(target=run, args=(c,)) for c in chunks]
    for t in threads:
        t.start()
    barrier.wait()
    start = time.perf_counter()
    for t in threads:
        t.join()
    return len(paths) / (time.perf_counter() - start), statuses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--port", type=int, default=8797)
    parser.add_argument("--seed", type=int, default=20250401)
    args = parser.parse_args()

    var_dir = tempfile.mkdtemp(prefix="bench-lookup-")
    setup_django(var_dir)
    from django.conf import settings

    shared = Path(settings.SHARED_DATA_DIR)
    if not (shared / "lookups/postcodes").exists():
        shared = Path("/work/shared/data")
    t0 = time.perf_counter()
    postcodes = load_london(shared)
    print(f"loaded {len(postcodes):,} postcodes with coordinates and 704 wards in {time.perf_counter() - t0:.1f}s")

    env = {**os.environ, "OPENWARD_VAR_DIR": var_dir, "DEBUG": "0", "LOG_LEVEL": "ERROR"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "openward.wsgi", "-b", f"127.0.0.1:{args.port}",
         "-w", str(args.workers), "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{args.port}"
    try:
        import httpx

        for _ in range(100):
            try:
                if httpx.get(base + "/api/v1/health").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        rng = random.Random(args.seed)
        picks = [rng.choice(postcodes) for _ in range(args.calls)]
        workloads = {
            "health (baseline)": ["/api/v1/health"] * args.calls,
            "postcode look-up": [f"/api/v1/postcodes/{spelling(pc, rng)}" for pc, _, _ in picks],
            "locate-neighbourhood": [f"/api/locate-neighbourhood?q={lat:.6f},{lng:.6f}" for _, lat, lng in picks],
        }
        # Warm every worker: connections, and each process's ward index.
        concurrent(base, workloads["locate-neighbourhood"][:400], args.clients)

        print(f"\n{args.calls:,} sequential calls each (interleaved), gunicorn -w {args.workers}, SQLite")
        print(f"{'endpoint':24} {'p50 ms':>8} {'p95 ms':>8}  statuses")
        for name, (times, statuses) in sequential(base, workloads).items():
            print(f"{name:24} {percentile(times, 50) * 1000:8.2f} {percentile(times, 95) * 1000:8.2f}  {statuses}")

        rounds = 5
        print(f"\n{args.clients} concurrent clients, {args.calls:,} calls each in {rounds} alternating rounds")
        print(f"{'endpoint':24} {'req/s':>8} {'ratio':>6}  statuses")
        elapsed = dict.fromkeys(workloads, 0.0)
        statuses = {name: {} for name in workloads}
        for r in range(rounds):
            for name, paths in workloads.items():
                chunk = paths[r::rounds]
                rps, got = concurrent(base, chunk, args.clients)
                elapsed[name] += len(chunk) / rps
                for code, n in got.items():
                    statuses[name][code] = statuses[name].get(code, 0) + n
        baseline = args.calls / elapsed["health (baseline)"]
        for name in workloads:
            rps = args.calls / elapsed[name]
            print(f"{name:24} {rps:8.0f} {rps / baseline:6.2f}  {statuses[name]}")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        import shutil

        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
