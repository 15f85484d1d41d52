"""Benchmark: import the 180,446 London postcodes of Code-Point Open into a scratch database.

Baseline, measured in the same run: a bare `polars.read_csv` of the same file (parsing only).
Runs on a scratch SQLite file, and also on PostgreSQL when DATABASE_URL is set (a scratch
test database is created there and dropped afterwards).

    /work/main/.venv/bin/python bench/bench_import_postcodes.py [path/to/codepoint.csv.gz]
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FILE = "lookups/postcodes/codepoint-open-2025.4_london-E09.csv.gz"


def best_of(runs: int, fn) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def run_backend(label: str, source: Path) -> None:
    """Measure in this process: polars baseline, first import (inserts), re-import of the same file, dry run."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openward.settings.test")
    import django

    django.setup()
    import polars as pl
    from django.db import connection

    from openward.areas.importers import CodePointOpenImporter
    from openward.areas.models import Postcode

    with tempfile.TemporaryDirectory() as tmp:
        if connection.vendor == "sqlite":
            connection.settings_dict["TEST"]["NAME"] = str(Path(tmp) / "bench.sqlite3")
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            rows = pl.read_csv(source).height
            baseline = best_of(3, lambda: pl.read_csv(source))
            first = best_of(1, lambda: CodePointOpenImporter(source, commit=True, progress=False).run())
            assert Postcode.objects.count() == rows, "the import did not store every postcode"
            again = best_of(1, lambda: CodePointOpenImporter(source, commit=True, progress=False).run())
            dry = best_of(1, lambda: CodePointOpenImporter(source, commit=False, progress=False).run())
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
    print(f"[{label}] {rows:,} postcodes from {source.name}")
    print(f"[{label}] baseline polars.read_csv:          {baseline:7.3f} s")
    for name, seconds in (
        ("import into empty database", first),
        ("re-import, same file (no row changes)", again),
        ("dry run (rolled back)", dry),
    ):
        print(
            f"[{label}] {name + ':':34s} {seconds:7.3f} s  {rows / seconds:10,.0f} rows/s  "
            f"ratio to polars.read_csv: {seconds / baseline:6.1f}x"
        )


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--backend":
        run_backend(sys.argv[2], Path(sys.argv[3]))
        return
    shared = Path(os.environ.get("OPENWARD_SHARED_DATA", ROOT.parent / "shared" / "data"))
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else shared / DEFAULT_FILE
    if not source.exists():
        sys.exit(f"{source} not found: pass the Code-Point Open file, or set OPENWARD_SHARED_DATA.")
    backends = [("sqlite", {k: v for k, v in os.environ.items() if k != "DATABASE_URL"})]
    if os.environ.get("DATABASE_URL"):
        backends.append(("postgresql", dict(os.environ)))
    # One process per database, so each measures its own baseline with a cold Django set-up.
    for label, env in backends:
        subprocess.run([sys.executable, __file__, "--backend", label, str(source)], env=env, check=True)


if __name__ == "__main__":
    main()
