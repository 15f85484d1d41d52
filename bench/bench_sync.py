"""sync_policeuk of one force-month from a local police.uk-compatible server, against importing its CSV file.

    .venv/bin/python bench/bench_sync.py [--rounds 3]

Builds a SQLite database in a temporary directory with the City of London's 25 wards (from the
places pack) and serves a copy of it, loaded with the City's real street crime for 2023-01
(../shared/data), with gunicorn on loopback: the source. Then, alternating in the same run,
it times (a) `import_crime`'s importer on the month's CSV file and (b) `sync_policeuk` of that
force-month from the source (forces, 25 neighbourhoods with boundaries, teams, events and
priorities, then one crimes-street request per neighbourhood, paced at police.uk's 15 requests a
second), both
replacing the stored month, and prints the medians and their ratio.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("OPENWARD_SHARED_DATA", ROOT.parent / "shared" / "data"))
CSV = SHARED / "police/street/city-of-london/2023-01-city-of-london-street.csv"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    rounds = parser.parse_args().rounds
    tmp = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    os.environ["OPENWARD_VAR_DIR"] = str(tmp)
    os.environ["DJANGO_SETTINGS_MODULE"] = "openward.settings.dev"
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'target.sqlite3'}"
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from openward.core.values import Month
    from openward.crime.importers.policeuk import PoliceUkImporter
    from openward.crime.models import Crime
    from openward.policeuk.services import sync_policeuk
    from openward.policeuk.tests import loopback, loopback_data

    try:
        call_command("migrate", verbosity=0)
        loopback_data.city_places(tmp)
        source_db = tmp / "source.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(source_db) as copy:
            connection.connection.backup(copy)
        loopback.load(source_db, [["police_uk", str(CSV)]])
        with loopback.Server(source_db, tmp / "source.log") as source:
            csv_times, sync_times, requests = [], [], 0
            for _ in range(rounds):
                started = time.perf_counter()
                PoliceUkImporter(CSV, commit=True, progress=False).run()
                csv_times.append(time.perf_counter() - started)
                from_csv = Crime.objects.filter(month="2023-01-01").count()
                started = time.perf_counter()
                report = sync_policeuk(
                    base_url=source.api, forces=["city-of-london"], months=[Month(2023, 1)], again=True
                )
                sync_times.append(time.perf_counter() - started)
                requests = report.requests
                from_sync = Crime.objects.filter(month="2023-01-01").count()
        csv_median, sync_median = statistics.median(csv_times), statistics.median(sync_times)
        print(f"City of London 2023-01: {from_csv} crimes from the CSV, {from_sync} by the sync ({requests} requests)")
        print(f"import_crime from the CSV file: median {csv_median:.2f} s over {rounds} runs {_list(csv_times)}")
        print(f"sync_policeuk from loopback:    median {sync_median:.2f} s over {rounds} runs {_list(sync_times)}")
        print(f"ratio sync / CSV import: {sync_median / csv_median:.1f}x")
        print(f"pacing floor for {requests} requests at 15/s after a burst of 30: {max(0, requests - 30) / 15:.1f} s")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _list(times: list[float]) -> str:
    return "[" + ", ".join(f"{t:.2f}" for t in times) + "]"


if __name__ == "__main__":
    main()
