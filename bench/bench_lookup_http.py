"""Postcode and point look-ups through the whole HTTP stack, against a trivial JSON endpoint.

Loads all of London (Code-Point Open postcodes for the E09 boroughs and the 2025 ward
boundaries) into a scratch SQLite database, serves the app with gunicorn on loopback and
measures, in the same run:

* latency (p50, p95) over 10,000 random sequential calls of /api/v1/postcodes/<postcode>
  (postcodes written in random spellings) and /api/locate-neighbourhood?q=lat,lng, and of
  /api/v1/health as the baseline;
* requests per second with 16 concurrent clients (threads, one httpx client each), as a
  ratio to /api/v1/health (goal: at least 0.5).

The data is loaded with the areas importers (import_forces, import_boundaries,
import_postcodes), as an operator would load it.

    /work/main/.venv/bin/python bench/bench_lookup_http.py [--calls 10000] [--workers 2]
"""

from __future__ import annotations

import argparse
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


def setup_django(var_dir: str) -> None:
    os.environ["OPENWARD_VAR_DIR"] = var_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openward.settings.dev")
    os.environ["DEBUG"] = "0"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def load_london(shared: Path) -> list[tuple[str, float, float]]:
    """Import forces, the 2025 London wards and Code-Point Open; return (postcode, lat, lng) of live postcodes."""
    from django.core.management import call_command

    from openward.areas.models import Postcode

    quiet = {"stdout": open(os.devnull, "w")}  # noqa: SIM115
    call_command("import_forces", "--commit", **quiet)
    call_command(
        "import_boundaries",
        str(shared / "boundaries/wards/london_wards_2025_WD25_drkane.geojson"),
        "--generation",
        "2022",
        "--commit",
        **quiet,
    )
    call_command(
        "import_postcodes",
        str(shared / "lookups/postcodes/codepoint-open-2025.4_london-E09.csv.gz"),
        "--commit",
        **quiet,
    )
    return [
        (f"{c[:-3]} {c[-3:]}", lat, lng)
        for c, lat, lng in Postcode.objects.live()
        .filter(latitude__isnull=False)
        .values_list("compact", "latitude", "longitude")
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
    print(f"imported the London wards and {len(postcodes):,} live postcodes in {time.perf_counter() - t0:.1f}s")

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
