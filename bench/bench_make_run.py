"""Benchmark: `make run` on a fresh machine, then what it serves under load.

1. `make run` with a scratch var/ (new SQLite file) and no ../shared, timed until the first answer,
   each setup step timed from the lines `manage.py set_up` prints as it starts each one (the places
   pack must load in ≤ 30 s); "serve" is from the end of the setup to the first answer.
2. With that server up, wrk (Debian's package) at 16 connections on the trivial health endpoint
   (the baseline) and on a ward page and its crime page (a real London ward and a demo ward), in
   alternating 2-second slices (SLICES of each) so both see the same machine, whose load from other
   work changes by the second; each page's throughput over its slices is printed as a ratio to the
   health endpoint's over the slices between them (target ≥ 0.5). wrk's own CPU time is printed
   too: far below one core per wrk thread means the load generator was not the limit.

    .venv/bin/python bench/bench_make_run.py            # both parts
    .venv/bin/python bench/bench_make_run.py --setup    # the first part only
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONNECTIONS, SECONDS, SLICES = 16, 2, 10
PAGES = {
    "real ward page": "/wards/E05013806/",
    "real ward crime page": "/crime/wards/E05013806/",
    "demo ward page": "/wards/E05999001/",
    "demo ward crime page": "/crime/wards/E05999001/",
}
STEPS = ("migrate", "load_places_pack", "load_demo", "collectstatic", "serve")
# What `manage.py set_up` prints as it starts each step, and once it has set everything up.
MARKS = {f"Setting up: {step}": step for step in STEPS[:-1]} | {"Set up in ": "serve"}


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
            for mark, step in MARKS.items():
                if line.startswith(mark) and step not in marks:
                    marks[step] = time.monotonic() - started

    threading.Thread(target=read, daemon=True).start()
    return process, started, marks


def wrk(url: str) -> tuple[int, float, float]:
    """(requests completed, seconds, wrk's CPU seconds) for one slice."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    argv = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", url]
    out = subprocess.run(argv, capture_output=True, text=True).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    requests, seconds, unit = re.search(r"(\d+) requests in ([\d.]+)(m?s)", out).groups()
    if "Non-2xx" in out or "Socket errors" in out:
        sys.exit(f"{url} answered errors under load:\n{out}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return int(requests), float(seconds) / (1000 if unit == "ms" else 1), cpu


def main() -> None:
    setup_only = "--setup" in sys.argv[1:]
    if not setup_only and not shutil.which("wrk"):
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
        print(f"  {'start-up':<17} {marks[STEPS[0]]:6.1f} s (make, Python and Django starting, the system checks)")
        ends = [marks.get(s) for s in STEPS[1:]] + [first_answer]
        for step, begin, end in zip(STEPS, [marks.get(s) for s in STEPS], ends, strict=True):
            if begin is not None and end is not None:
                print(f"  {step:<17} {end - begin:6.1f} s")
        pack = ends[1] - marks["load_places_pack"]
        print(f"  loading the places pack: {pack:.1f} s (target ≤ 30 s): {'ok' if pack <= 30 else 'TOO SLOW'}")
        if setup_only:
            return

        for url in PAGES.values():
            answers(base + url)  # the first visit renders; the runs measure what every later visitor gets
        print(f"wrk, {CONNECTIONS} connections, {SLICES} alternating {SECONDS}-second slices per page:")
        for name, url in PAGES.items():
            totals = {"health": [0, 0.0, 0.0], "page": [0, 0.0, 0.0]}
            for _ in range(SLICES):
                for which, target in (("health", f"{base}/api/v1/health"), ("page", base + url)):
                    for i, value in enumerate(wrk(target)):
                        totals[which][i] += value
            health = totals["health"][0] / totals["health"][1]
            page = totals["page"][0] / totals["page"][1]
            cpu = max(totals[w][2] / totals[w][1] for w in totals)
            print(
                f"  {name:<22} {page:7.1f} req/s; health {health:7.1f} req/s; ratio {page / health:.2f} "
                f"(target ≥ 0.5); wrk used at most {cpu:.0%} of a core"
            )
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)
        shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main()
