"""Second Open Ward servers on loopback, each on its own SQLite file, as police.uk sources and sync targets.

A blank database is the test database copied to a file (SQLite's backup: under a second), or, when
the tests run on PostgreSQL, a fresh SQLite file migrated in a subprocess. `load` fills one in a
subprocess with the real importers; `Server` serves one with gunicorn; `run_manage` runs a
management command against one. Their environment leaves out DATABASE_URL and REDIS_URL of the
session, so each process has its own database and its own cache.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
from django.conf import settings
from django.db import connection

from tests.support import free_port

ROOT = Path(settings.BASE_DIR)
PYTHON = sys.executable
SERVER_START_DEADLINE = 120
CITY = "E09000001"


def environment(db: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"} and not k.startswith("PYTEST")}
    # A source on loopback needs no pacing at police.uk's 15 a second (the token bucket has tests of its own).
    env.update(
        DJANGO_SETTINGS_MODULE="openward.settings.test", DATABASE_URL=f"sqlite:///{db}", POLICEUK_API_RATE="1000"
    )
    return env


def blank_database(path: Path) -> Path:
    """A migrated, empty database file."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(path) as target:
            connection.connection.backup(target)
        target.close()
    else:
        subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], cwd=ROOT, env=environment(path), check=True)
    return path


def run_manage(db: Path, *args: str, **popen) -> subprocess.Popen:
    return subprocess.Popen([PYTHON, "manage.py", *args], cwd=ROOT, env=environment(db), **popen)


def load(db: Path, steps: list[list]) -> None:
    """Run importer steps ([name, *arguments] for openward.policeuk.tests.loopback_data) on the database."""
    code = (
        "import django, json, sys; django.setup(); "
        "from openward.policeuk.tests import loopback_data; loopback_data.run(json.loads(sys.argv[1]))"
    )
    subprocess.run([PYTHON, "-c", code, json.dumps(steps)], cwd=ROOT, env=environment(db), check=True)


class Server:
    """gunicorn serving Open Ward from one database file, on a free loopback port."""

    def __init__(self, db: Path, log: Path):
        self.db, self.log = db, log
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.api = f"{self.base}/api/"

    def __enter__(self) -> Server:
        with self.log.open("w") as out:
            self.process = subprocess.Popen(
                [PYTHON, "-m", "gunicorn", "openward.wsgi", f"--bind=127.0.0.1:{self.port}", "--workers=1",
                 "--threads=4", "--worker-class=gthread", "--timeout=60"],
                cwd=ROOT, env=environment(self.db), stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + SERVER_START_DEADLINE
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server stopped:\n{self.log.read_text()[-3000:]}")
            try:
                if httpx.get(f"{self.base}/api/v1/health", timeout=5).status_code == 200:
                    return self
            except httpx.TransportError:
                time.sleep(0.2)
        raise RuntimeError(f"the server did not answer in {SERVER_START_DEADLINE} s:\n{self.log.read_text()[-3000:]}")

    def __exit__(self, *exc) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
