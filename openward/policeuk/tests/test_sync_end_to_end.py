"""Offline end to end: one Open Ward server on loopback is the police.uk source for another's sync.

The source holds real data (City of London street crime for 2023-01, the Met's stop and search
for 2024-09, from ../shared/data) and a team; the target only the same places. After
`manage.py sync_policeuk` every police.uk endpoint answers the same on both servers, compared
as JSON. A sync killed half-way (by a proxy that kills it after a number of requests) and run
again gives the same answers, and a third run changes nothing.
"""

from __future__ import annotations

import http.server
import shutil
import signal
import sqlite3
import subprocess
import threading
import urllib.request
from pathlib import Path

import httpx
import pytest
import shapely

from . import loopback

CITY_CRIME = "police/street/city-of-london/2023-01-city-of-london-street.csv"
MET_STOPS = "police/api/stops-force/metropolitan/stops-force_metropolitan_2024-09.json.gz"
SYNC = ["sync_policeuk", "--force", "city-of-london", "--force", "metropolitan", "--month", "2023-01",
        "--month", "2024-09"]  # fmt: skip
TEAM = {
    "force": "city-of-london",
    "people": [{"name": "Test Commissioner", "rank": "Commissioner", "bio": "<p>Leads the force.</p>"}],
    "neighbourhoods": [
        {
            "id": "E05009289",
            "name": "Bishopsgate",
            "description": "<p>The ward team.</p>",
            "contact_details": {"email": "bishopsgate@example.org"},
            "people": [
                {"name": "Test Sergeant", "rank": "Sergeant", "contact_details": {"twitter": "example"}},
                {"name": "Test Constable", "rank": "PC"},
            ],
        }
    ],
}


@pytest.fixture(scope="module")
def databases(tmp_path_factory, django_db_setup, django_db_blocker, shared_data):
    folder = tmp_path_factory.mktemp("loopback")
    blank, source = folder / "blank.sqlite3", folder / "source.sqlite3"
    with django_db_blocker.unblock():
        loopback.blank_database(blank)
    shutil.copy(blank, source)
    loopback.load(
        source,
        [
            ["city_places"],
            ["copy_to", str(blank)],
            ["police_uk", str(shared_data / CITY_CRIME)],
            ["police_uk", str(shared_data / MET_STOPS)],
            ["teams", TEAM],
        ],
    )
    return {"folder": folder, "blank": blank, "source": source}


def fresh_target(databases, name: str) -> Path:
    path = databases["folder"] / f"{name}.sqlite3"
    shutil.copy(databases["blank"], path)
    return path


def sync(db: Path, base: str, log: Path) -> subprocess.CompletedProcess:
    with log.open("w") as out:
        process = loopback.run_manage(db, *SYNC, "--base-url", base, stdout=out, stderr=subprocess.STDOUT)
        process.wait()
    return subprocess.CompletedProcess(process.args, process.returncode, log.read_text())


def answers(api: str, city_neighbourhoods: list[str], boundaries: dict[str, str]) -> dict[str, object]:
    """Every police.uk endpoint's JSON for the synced forces and months, keyed by request."""
    gets = [
        "forces",
        "crimes-street-dates",
        "crime-last-updated",
        "crime-categories?date=2023-01",
    ]
    for force in ("city-of-london", "metropolitan"):
        gets += [f"forces/{force}", f"forces/{force}/people", f"{force}/neighbourhoods"]
    for code in city_neighbourhoods:
        gets += [f"city-of-london/{code}" + part for part in ("", "/boundary", "/people", "/priorities", "/events")]
    gets += [
        "crimes-no-location?category=all-crime&force=city-of-london&date=2023-01",
        "stops-force?force=metropolitan&date=2024-09",
        "stops-no-location?force=metropolitan&date=2024-09",
        "stops-force?force=city-of-london&date=2023-01",
        "locate-neighbourhood?q=51.5155,-0.0922",
        "crimes-street/burglary?lat=51.5155&lng=-0.0922&date=2023-01",
    ]
    out: dict[str, object] = {}
    with httpx.Client(timeout=60) as client:
        for path in gets:
            response = client.get(api + path)
            out[path] = (response.status_code, response.json())
        for code, poly in boundaries.items():
            for what in ("crimes-street/all-crime", "stops-street"):
                date = "2023-01" if what.startswith("crimes") else "2024-09"
                response = client.post(api + what, data={"poly": poly, "date": date})
                out[f"{what} in {code}"] = (response.status_code, response.json())
        crimes = [c for key, (_, v) in out.items() if key.startswith("crimes-street/all-crime") for c in v]
        for crime in sorted(crimes, key=lambda c: c["id"])[:: max(1, len(crimes) // 20)]:
            if crime["persistent_id"]:
                response = client.get(api + f"outcomes-for-crime/{crime['persistent_id']}")
                out[f"outcomes-for-crime {crime['persistent_id']}"] = (response.status_code, response.json())
            if crime["location"]:
                path = f"crimes-at-location?location_id={crime['location']['street']['id']}&date=2023-01"
                response = client.get(api + path)
                out[path] = (response.status_code, response.json())
    return out


def city_areas(api: str) -> tuple[list[str], dict[str, str]]:
    with httpx.Client(timeout=60) as client:
        codes = [n["id"] for n in client.get(api + "city-of-london/neighbourhoods").json()]
        boundaries = {
            code: ":".join(
                f"{p['latitude']},{p['longitude']}" for p in client.get(api + f"city-of-london/{code}/boundary").json()
            )
            for code in codes
        }
    return codes, boundaries


TABLES = ["crime_crime", "crime_stop", "crime_monthlycount", "crime_droppedduplicate", "crime_crimecategory",
          "areas_force", "areas_neighbourhood", "areas_teammember", "policeuk_syncedmonth"]  # fmt: skip
ROW_KEYS = {"id", "import_run_id", "synced_at"}


def table_rows(db: Path) -> dict[str, list[str]]:
    """Every row of the tables a sync writes, without row ids, run ids and times."""
    out = {}
    with sqlite3.connect(db) as con:
        for table in TABLES:
            columns = [r[1] for r in con.execute(f"PRAGMA table_info({table})") if r[1] not in ROW_KEYS]
            out[table] = sorted(map(repr, con.execute(f"SELECT {', '.join(columns)} FROM {table}")))
    con.close()
    return out


class KillingProxy(http.server.ThreadingHTTPServer):
    """Forwards to the source; after `limit` requests kills the sync process (SIGKILL) and answers no more."""

    def __init__(self, upstream: str, limit: int):
        super().__init__(("127.0.0.1", 0), ProxyHandler)
        self.upstream, self.limit, self.seen = upstream, limit, 0
        self.victim: subprocess.Popen | None = None
        self.lock = threading.Lock()


class ProxyHandler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _forward(self):
        with self.server.lock:
            self.server.seen += 1
            if self.server.seen > self.server.limit and self.server.victim:
                self.server.victim.send_signal(signal.SIGKILL)
                self.server.victim.wait()
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        url = self.server.upstream + self.path.removeprefix("/api/")
        headers = {"Content-Type": self.headers.get("Content-Type", "")}
        request = urllib.request.Request(url, data=body, method=self.command, headers=headers)
        with urllib.request.urlopen(request, timeout=60) as response:
            data = response.read()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = _forward


@pytest.mark.django_db  # the blank database is a copy of the test database
@pytest.mark.realdata
@pytest.mark.slow
def test_a_synced_server_answers_every_policeuk_endpoint_as_its_source_does(databases, tmp_path):
    source_db = databases["source"]
    with loopback.Server(source_db, tmp_path / "source.log") as source:
        codes, boundaries = city_areas(source.api)
        assert len(codes) == 25  # the City's 25 wards, each a neighbourhood
        expected = answers(source.api, codes, boundaries)
        assert len(expected["stops-force?force=metropolitan&date=2024-09"][1]) > 3000
        assert all(status == 200 for status, _ in expected.values())
        assert [p["name"] for p in expected["city-of-london/E05009289/people"][1]] == [
            "Test Sergeant",
            "Test Constable",
        ]
        assert len(expected["crimes-no-location?category=all-crime&force=city-of-london&date=2023-01"][1]) > 10
        city_crimes = sum(len(v) for k, (_, v) in expected.items() if k.startswith("crimes-street/all-crime"))
        assert city_crimes > 600

        # A whole sync.
        target = fresh_target(databases, "target")
        done = sync(target, source.api, tmp_path / "sync.log")
        assert done.returncode == 0, done.stdout
        around = {"lat": "51.5155", "lng": "-0.0922", "date": "2023-01"}
        with loopback.Server(target, tmp_path / "target.log") as synced:
            got = answers(synced.api, codes, boundaries)
            synced_mile = {c["id"] for c in httpx.get(synced.api + "crimes-street/all-crime", params=around).json()}
        differing = [key for key in expected if got.get(key) != expected[key]]
        assert not differing, f"{len(differing)} of {len(expected)} answers differ, e.g. {differing[:5]}"
        # Through the API a force's crimes are read neighbourhood by neighbourhood (police.uk gives no
        # force-wide street crime): those the force located outside all of its neighbourhoods are
        # not synced, and nothing else is missing or added (the archive route has them all).
        mile = {c["id"]: c for c in httpx.get(source.api + "crimes-street/all-crime", params=around).json()}
        city = shapely.union_all([shapely.Polygon([tuple(map(float, p.split(",")))[::-1] for p in b.split(":")])
                                  for b in boundaries.values()])  # fmt: skip
        outside = {
            i for i, c in mile.items() if not city.intersects(
                shapely.Point(float(c["location"]["longitude"]), float(c["location"]["latitude"])))
        }  # fmt: skip
        assert synced_mile <= set(mile) and set(mile) - synced_mile == outside and len(outside) > 10
        stored = table_rows(target)

        # Killed half-way (the sync makes about 160 requests), then run again: the same answers.
        halfway = fresh_target(databases, "halfway")
        proxy = KillingProxy(source.api, limit=90)
        threading.Thread(target=proxy.serve_forever, daemon=True).start()
        try:
            log = (tmp_path / "killed.log").open("w")
            proxy.victim = loopback.run_manage(
                halfway, *SYNC, "--base-url", f"http://127.0.0.1:{proxy.server_port}/api/", stdout=log,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
            assert proxy.victim.wait() == -signal.SIGKILL
        finally:
            proxy.shutdown()
        assert table_rows(halfway) != stored  # it really stopped part-way
        again = sync(halfway, source.api, tmp_path / "again.log")
        assert again.returncode == 0, again.stdout
        # The same rows as the whole sync, whose answers were the source's.
        assert table_rows(halfway) == stored

        # Idempotent: a third run skips the stored months and changes nothing.
        third = sync(halfway, source.api, tmp_path / "third.log")
        assert "0 force-months imported, 2 already stored" in third.stdout
        assert table_rows(halfway) == stored
