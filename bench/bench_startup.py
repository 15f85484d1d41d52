"""How long a new process takes to start serving: Django set up and the URLconf imported (what a gunicorn
worker does before its first answer), against `python -c pass` in the same run.

    .venv/bin/python bench/bench_startup.py [--runs 7] [--root CHECKOUT]

`--root` times another checkout (e.g. main, to compare before and after a change) with this interpreter.

Each case runs in a fresh interpreter, `--runs` times, alternating cases so a busy machine slows them alike;
the median is kept. Cases:
- `python -c pass`: the interpreter alone;
- `django.setup()` + the URLconf: every app's ready() hooks, models, API routers and views;
- the same, then also importing scipy.stats, scipy.sparse, fpdf and polars: what start-up cost while they
  were imported with the modules that use them (openward.core.stats, crime.stats, crime.analytics.hotspots,
  verification.letters; polars through crime.demo_data and crime.importers), before they became imported
  on first use;
- `manage.py check`.
Also lists which heavy libraries the URLconf alone leaves imported.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("scipy", "fpdf", "fontTools", "matplotlib", "pandas", "polars", "shapely", "numpy", "pyproj")

SETUP = "import django, sys; django.setup(); from django.urls import get_resolver; get_resolver().url_patterns; "
CASES = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "django.setup() + URLconf": [sys.executable, "-c", SETUP],
    "… + scipy, fpdf, polars imported eagerly": [
        sys.executable,
        "-c",
        SETUP + "import scipy.stats, scipy.sparse, fpdf, polars",
    ],
    "manage.py check": [sys.executable, "manage.py", "check"],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout to time (default: this one)")
    args = parser.parse_args()
    root = args.root.resolve()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "openward.settings.dev",
        "DEBUG": "0",
        "PYTHONPATH": str(root),
        "OPENWARD_VAR_DIR": tempfile.mkdtemp(prefix="bench-startup-"),  # nothing written into the checkout
    }

    times: dict[str, list[float]] = {name: [] for name in CASES}
    for _ in range(args.runs):
        for name, command in CASES.items():
            started = time.perf_counter()
            subprocess.run(command, cwd=root, env=env, check=True, capture_output=True)
            times[name].append(time.perf_counter() - started)

    probe = SETUP + f"import json; print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    loaded = json.loads(subprocess.run([sys.executable, "-c", probe], cwd=root, env=env, check=True,
                                       capture_output=True, text=True).stdout)  # fmt: skip

    base = statistics.median(times["python -c pass"])
    print(f"{root}: {args.runs} runs each, median (min-max); ratio to `python -c pass` in this run")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"  {name:40s} {median:6.2f} s ({min(values):.2f}-{max(values):.2f})  {median / base:6.1f}x")
    urlconf = statistics.median(times["django.setup() + URLconf"])
    eager = statistics.median(times["… + scipy, fpdf, polars imported eagerly"])
    print(f"scipy, fpdf and polars at start-up would add {eager - urlconf:.2f} s ({(eager - urlconf) / urlconf:.0%}).")
    print(f"Heavy libraries the URLconf imports: {', '.join(loaded) or 'none'}")


if __name__ == "__main__":
    main()
