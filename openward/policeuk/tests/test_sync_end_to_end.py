"""Offline end to end: one Open Ward server on loopback is the police.uk source for another's sync.

The source holds real data (City of London street crime for 2023-01, the Met's stop and search
for 2024-09, from ../shared/data), a team, a neighbourhood with a boundary of its own, and its
own events and priorities; the target only the same places. After `manage.py sync_policeuk`
every police.uk endpoint answers the same on both servers, compared as JSON. A sync killed
half-way (by a proxy that kills it after a number of requests) and run again stores the same
rows; after the source's events and priorities change, a third run skips the stored months and
brings the target's events and priorities into line with the source's.
"""

from __future__ import annotations

import http.server
import json
import re
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
        },
        # A neighbourhood of a force that draws its own (as most forces outside London do): two parts,
        # most of it in Aldgate, a little in Portsoken. Its boundary is stored and served, not a ward's.
        {
            "id": "CITY-EAST",
            "name": "City East",
            "ward": "E05009289",
            "boundary": [
                {"latitude": f"{lat}", "longitude": f"{lng}"}
                for lat, lng in (
                    (51.5131, -0.0806),
                    (51.5131, -0.0786),
                    (51.5145, -0.0786),
                    (51.5145, -0.0806),
                    (51.5131, -0.0806),
                    (51.5142, -0.0754),
                    (51.5142, -0.0746),
                    (51.5148, -0.0746),
                    (51.5148, -0.0754),
                    (51.5142, -0.0754),
                )
            ],  # fmt: skip
        },
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
            ["engagement"],
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


BOROUGH_EVENT = "City of London Safer Neighbourhood Board"


def change_events_and_priorities(db: Path) -> None:
    """What the police change on the source while it serves (plain updates, no second Django process to
    start): Aldgate's street briefing cancelled and its cancelled stall back on, the borough's event
    reworded, and the latest action on Aldgate's theft priority rewritten."""
    with sqlite3.connect(db) as con:
        for sql in (
            "UPDATE engagement_event SET status = 'cancelled' WHERE title = 'Street briefing'",
            "UPDATE engagement_event SET status = 'scheduled' WHERE title = 'Cancelled stall'",
            "UPDATE engagement_event SET description = 'Open to everyone; step-free.' WHERE borough_id IS NOT NULL",
            "UPDATE priorities_priorityaction SET description = 'Three arrests.' WHERE description = 'Two arrests.'",
        ):
            assert con.execute(sql).rowcount == 1, sql
    con.close()


UNCHANGED = "city-of-london: events and priorities of 26 of 26 neighbourhoods: events 0 added, 0 changed, 0 removed,"


def gets(api: str, paths: list[str]) -> dict[str, object]:
    with httpx.Client(timeout=60) as client:
        return {path: (r.status_code, r.json()) for path in paths for r in [client.get(api + path)]}


SYNCED_LISTS = {"policeuk_syncedevent", "policeuk_syncedpriority"}
TABLES = ["crime_crime", "crime_stop", "crime_monthlycount", "crime_droppedduplicate", "crime_crimecategory",
          "areas_force", "areas_neighbourhood", "areas_teammember", "policeuk_syncedmonth",
          *sorted(SYNCED_LISTS)]  # fmt: skip
ROW_KEYS = {"id", "import_run_id", "synced_at"}


# A dropped copy names the file it came from: the sync's own temporary folder, new on every run.
SYNC_FOLDER = re.compile(r"/[^'\"]*?/openward-sync-[^/]+/")


def table_rows(db: Path) -> dict[str, list[str]]:
    """Every row of the tables a sync writes, without row ids, run ids, times and temporary folders."""
    out = {}
    with sqlite3.connect(db) as con:
        for table in TABLES:
            columns = [r[1] for r in con.execute(f"PRAGMA table_info({table})") if r[1] not in ROW_KEYS]
            rows = con.execute(f"SELECT {', '.join(columns)} FROM {table}")
            out[table] = sorted(SYNC_FOLDER.sub("<sync folder>/", repr(row)) for row in rows)
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
@pytest.mark.embedded  # both servers run on SQLite files of their own, whatever the suite's database
def test_a_synced_server_answers_every_policeuk_endpoint_as_its_source_does(databases, tmp_path):
    source_db = databases["source"]
    with loopback.Server(source_db, tmp_path / "source.log") as source:
        codes, boundaries = city_areas(source.api)
        assert len(codes) == 26  # the City's 25 wards, each a neighbourhood, and City East
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
        # Aldgate's meetings to come and the borough's (in every neighbourhood), not the past or cancelled
        # ones; its priorities newest first, in police.uk's HTML. City East is tied to Aldgate.
        aldgate = expected["city-of-london/E05009289/events"][1]
        assert [e["title"] for e in aldgate] == ["Aldgate ward panel", "Street briefing", BOROUGH_EVENT]
        assert aldgate[0]["description"] == "Agenda: theft & robbery near <Aldgate> station."
        assert aldgate[1]["address"] == "Online" and aldgate[1]["end_date"] is None
        assert sum(len(v) for k, (_, v) in expected.items() if k.endswith("/events")) == 3 + 3 + 24
        assert [(p["issue"], p["action"]) for p in expected["city-of-london/E05009289/priorities"][1]] == [
            ("<p>Theft &amp; robbery near &lt;Aldgate&gt; station</p>", "<p>Two arrests.</p>"),
            ("<p>Cycling on pavements</p>", None),
        ]
        assert expected["city-of-london/CITY-EAST/priorities"] == expected["city-of-london/E05009289/priorities"]
        assert len(expected["city-of-london/CITY-EAST/boundary"][1]) == 10  # two closed rings of 5

        # A whole sync.
        target = fresh_target(databases, "target")
        done = sync(target, source.api, tmp_path / "sync.log")
        assert done.returncode == 0, done.stdout
        assert "city-of-london: events and priorities of 26 of 26 neighbourhoods: events 30 added" in done.stdout
        around = {"lat": "51.5155", "lng": "-0.0922", "date": "2023-01"}
        # The target stays up to the end: the last sync below writes while it serves, as a scheduled one would.
        with loopback.Server(target, tmp_path / "target.log") as synced:
            got = answers(synced.api, codes, boundaries)
            synced_mile = {c["id"] for c in httpx.get(synced.api + "crimes-street/all-crime", params=around).json()}
            differing = [key for key in expected if got.get(key) != expected[key]]
            assert not differing, f"{len(differing)} of {len(expected)} answers differ, e.g. {differing[:5]}"
            # Stored as copies from police.uk, apart from the target's own events and priorities (it has none);
            # City East keeps its own two-part boundary and is tied to the ward it overlaps most.
            with sqlite3.connect(target) as con:
                assert con.execute("SELECT count(*) FROM engagement_event").fetchone() == (0,)
                assert con.execute("SELECT count(*) FROM priorities_priority").fetchone() == (0,)
                assert con.execute("SELECT count(*), min(source_url) FROM policeuk_syncedevent").fetchone() == (
                    30,
                    f"{source.api}city-of-london/CITY-EAST/events",
                )
                boundary, ward = con.execute(
                    "SELECT n.boundary, w.gss_code FROM areas_neighbourhood n JOIN areas_ward w ON w.id = n.ward_id "
                    "WHERE n.code = 'CITY-EAST'"
                ).fetchone()
                assert (json.loads(boundary)["type"], ward) == ("MultiPolygon", "E05009289")
                assert con.execute(
                    "SELECT count(*) FROM areas_neighbourhood WHERE boundary != '' AND code != 'CITY-EAST'"
                ).fetchone() == (0,)  # ward neighbourhoods serve their ward's
            con.close()
            # Through the API a force's crimes are read neighbourhood by neighbourhood (police.uk gives no
            # force-wide street crime): those the force located outside all of its neighbourhoods are
            # not synced, and nothing else is missing or added (the archive route has them all). City
            # East lies inside Aldgate and Portsoken.
            mile = {c["id"]: c for c in httpx.get(source.api + "crimes-street/all-crime", params=around).json()}
            city = shapely.union_all([shapely.Polygon([tuple(map(float, p.split(",")))[::-1] for p in b.split(":")])
                                      for code, b in boundaries.items() if code != "CITY-EAST"])  # fmt: skip
            outside = {
                i for i, c in mile.items() if not city.intersects(
                    shapely.Point(float(c["location"]["longitude"]), float(c["location"]["latitude"])))
            }  # fmt: skip
            assert synced_mile <= set(mile) and set(mile) - synced_mile == outside and len(outside) > 10
            stored = table_rows(target)

            # Killed half-way (the sync makes 197 requests, the events and priorities among the first 137),
            # then run again: the same rows.
            halfway = fresh_target(databases, "halfway")
            proxy = KillingProxy(source.api, limit=150)
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
            killed_at = table_rows(halfway)
            # It really stopped part-way: the teams, events and priorities stored, the first month not.
            assert killed_at != stored and not killed_at["crime_crime"]
            through_proxy = f"http://127.0.0.1:{proxy.server_port}/api/"
            events_then = sorted(r.replace(through_proxy, source.api) for r in killed_at["policeuk_syncedevent"])
            assert events_then == stored["policeuk_syncedevent"]
            again = sync(halfway, source.api, tmp_path / "again.log")
            assert again.returncode == 0, again.stdout
            # The same rows as the whole sync, whose answers were the source's; events and priorities are
            # read again on every run, and a run that finds them as stored changes none.
            assert table_rows(halfway) == stored
            assert f"{UNCHANGED} priorities 0 added, 0 changed, 0 removed" in again.stdout

            # The police change their events and priorities. The next run skips the stored months and
            # changes nothing else, and adds, updates and removes events and priorities to match.
            change_events_and_priorities(source_db)
            paths = [f"city-of-london/{code}/{what}" for code in codes for what in ("events", "priorities")]
            changed = gets(source.api, paths)
            assert changed != {path: expected[path] for path in paths}
            third = sync(target, source.api, tmp_path / "third.log")
            assert third.returncode == 0, third.stdout
            assert "0 force-months imported, 2 already stored" in third.stdout
            assert "events 2 added, 26 changed, 2 removed, priorities 0 added, 2 changed, 0 removed" in third.stdout
            now_stored = table_rows(target)
            assert {t: rows for t, rows in now_stored.items() if t not in SYNCED_LISTS} == {
                t: rows for t, rows in stored.items() if t not in SYNCED_LISTS
            }
            assert gets(synced.api, paths) == changed
