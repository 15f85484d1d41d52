"""Benchmark: `make run` on a fresh machine, then what it serves under load.

1. `make run` with a scratch var/ (new SQLite file) and no ../shared, timed until the first answer,
   each setup step timed from the commands make echoes (the places pack must load in ≤ 30 s).
2. With that server up, wrk (Debian's package) at 16 connections for 10 s on the trivial health
   endpoint (the baseline) and on a ward page and its crime page (a real London ward and a demo
   ward), in interleaved rounds so both see the same machine; each page's throughput is printed as
   a ratio to the health endpoint's in the same round (target ≥ 0.5). wrk's own CPU time is
   printed too: far below one core per wrk thread means the load generator was not the limit.

    .venv/bin/python bench/bench_make_run.py
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONNECTIONS, SECONDS, ROUNDS = 16, 10, 3
PAGES = {
    "real ward page": "/wards/E05013806/",
    "real ward crime page": "/crime/wards/E05013806/",
    "demo ward page": "/wards/E05999001/",
    "demo ward crime page": "/crime/wards/E05999001/",
}
STEPS = ("migrate", "load_places_pack", "load_demo", "collectstatic", "serve")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


def start(var: Path, port: int):
    """Start `make run`; return the process and a dict step → seconds since start, filled as make echoes."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(OPENWARD_VAR_DIR=str(var), OPENWARD_SHARED_DATA=str(var / "no-shared-data"), PORT=str(port))
    started = time.monotonic()
    process = subprocess.Popen(
        ["make", "--no-print-directory", "run"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    marks: dict[str, float] = {}

    def read():
        for line in process.stdout:
            for step in STEPS:
                if f"manage.py {step}" in line and step not in marks:
                    marks[step] = time.monotonic() - started

    threading.Thread(target=read, daemon=True).start()
    return process, started, marks


def wrk(url: str) -> tuple[float, float, float]:
    """(requests per second, median latency in ms, wrk's CPU seconds)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency", url], capture_output=True, text=True
    ).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    value, unit = re.search(r"50%\s+([\d.]+)(us|ms|s)", out).groups()
    median_ms = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    if "Non-2xx" in out:
        sys.exit(f"{url} answered errors under load:\n{out}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return rps, median_ms, cpu


def main() -> None:
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    var = Path(tempfile.mkdtemp(prefix="openward-bench-run-"))
    (var / "no-shared-data").mkdir()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process, started, marks = start(var, port)
    try:
        deadline = started + 1800
        while not answers(f"{base}/api/v1/health"):
            if process.poll() is not None or time.monotonic() > deadline:
                sys.exit("make run did not come up")
            time.sleep(0.2)
        first_answer = time.monotonic() - started
        print(f"make run on a fresh machine: first answer after {first_answer:.1f} s")
        ends = [marks.get(s) for s in STEPS[1:]] + [first_answer]
        for step, begin, end in zip(STEPS, [marks.get(s) for s in STEPS], ends, strict=True):
            if begin is not None and end is not None:
                print(f"  {step:<17} {end - begin:6.1f} s")
        pack = ends[1] - marks["load_places_pack"]
        print(f"  loading the places pack: {pack:.1f} s (target ≤ 30 s): {'ok' if pack <= 30 else 'TOO SLOW'}")

        for url in PAGES.values():
            answers(base + url)  # the first visit renders; the runs measure what every later visitor gets
        ratios: dict[str, list[float]] = {name: [] for name in PAGES}
        for round_ in range(1, ROUNDS + 1):
            for name, url in PAGES.items():
                health, health_ms, health_cpu = wrk(f"{base}/api/v1/health")
                page, page_ms, page_cpu = wrk(base + url)
                ratios[name].append(page / health)
                print(
                    f"round {round_}: health {health:7.1f} req/s (median {health_ms:.1f} ms, wrk CPU "
                    f"{health_cpu / SECONDS:.0%} of a core) | {name} {page:7.1f} req/s (median {page_ms:.1f} ms, "
                    f"wrk CPU {page_cpu / SECONDS:.0%}) | ratio {page / health:.2f}"
                )
        print(f"ratio to the health endpoint at {CONNECTIONS} connections (median of {ROUNDS} rounds; target ≥ 0.5):")
        for name, values in ratios.items():
            print(f"  {name:<22} {statistics.median(values):.2f}")
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)
        shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main()
