"""`make run` on a fresh machine (no ../shared, a new SQLite file) serves real London and the demo like production.

The run command is started exactly as a person starts it, with a scratch var/ folder and a free
port; the test polls it (with a deadline) until it answers, asks it what a person would, and
stops it. Expected wards come from the full ONS boundaries in ../shared when the test has them
(the server never does), else from a list checked by hand.
"""

from __future__ import annotations

import csv
import gzip
import json
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import httpx
import pytest
import shapely
from django.conf import settings

from tests.support import free_port

# `make run` serves its embedded default (SQLite) whatever database the suite runs on, so CI's
# PostgreSQL + Redis run leaves these out (`-m 'not embedded'`): they ran on the SQLite run already.
pytestmark = pytest.mark.embedded

ROOT = Path(__file__).resolve().parent.parent
# Setting up a fresh machine (migrate, the pack, the demo) takes minutes on a busy 2-core machine.
STARTUP_DEADLINE_SECONDS = 900
HAND_CHECKED = {
    "SW1A 1AA": ("E05013806", "St James's", "E09000033", "metropolitan"),  # Buckingham Palace
    "EC2V 7HH": ("E05009290", "Bassishaw", "E09000001", "city-of-london"),  # Guildhall
    "BR1 1AA": ("E05013991", "Bromley Town", "E09000006", "metropolitan"),  # Bromley High Street
}
# Whatever the session running the tests has set must not reach the fresh machine.
NOT_PASSED_ON = {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "SITE_URL", "HOST", "ALLOWED_HOSTS"}


def wait_for(check, what: str, deadline_seconds: float, log: Path):
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(0.25)
    pytest.fail(f"{what} did not happen within {deadline_seconds} s; the log ends:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    var = tmp_path_factory.mktemp("var")
    no_shared = tmp_path_factory.mktemp("no-shared-data")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in NOT_PASSED_ON and not k.startswith("PYTEST")}
    env.update(OPENWARD_VAR_DIR=str(var), OPENWARD_SHARED_DATA=str(no_shared), PORT=str(port))
    log = var / "make-run.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            ["make", "--no-print-directory", "run"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"

    def answers():
        if process.poll() is not None:
            pytest.fail(f"make run stopped (status {process.returncode}):\n{log.read_text()[-3000:]}")
        try:
            return httpx.get(f"{base}/api/v1/health", timeout=5).status_code == 200
        except httpx.TransportError:
            return False

    try:
        wait_for(answers, "make run answering", STARTUP_DEADLINE_SECONDS, log)
        yield {"base": base, "var": var, "log": log, "port": port, "process": process}
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=60)


def sample_postcodes() -> list[tuple[str, float, float]]:
    """Every 6,000th postcode of the pack, with its position."""
    with gzip.open(settings.PLACES_PACK_DIR / "postcodes.csv.gz", "rt", encoding="utf-8") as fh:
        return [
            (r["pcds"], float(r["lat"]), float(r["long"])) for i, r in enumerate(csv.DictReader(fh)) if i % 6000 == 0
        ]


def full_boundaries() -> Path:
    return Path(settings.SHARED_DATA_DIR) / "boundaries/wards/london_wards_2025_WD25_drkane.geojson"


def expected_wards() -> dict[str, tuple]:
    """Postcode → (ward code, ward name, borough code, force), independently of the pack when possible."""
    full = full_boundaries()
    if not full.exists():
        return HAND_CHECKED
    features = json.loads(full.read_text())["features"]
    shapes = [shapely.geometry.shape(f["geometry"]) for f in features]
    expected = dict(HAND_CHECKED)
    for postcode, lat, lng in sample_postcodes():
        # Only points at least ~20 m inside one full-resolution ward: near an edge, a simplified
        # boundary (or Code-Point's own ward) may rightly differ.
        zone = shapely.Point(lng, lat).buffer(0.0003)
        inside = [f["properties"] for f, s in zip(features, shapes, strict=True) if s.contains(zone)]
        if len(inside) == 1:
            p = inside[0]
            force = "city-of-london" if p["LAD25CD"] == "E09000001" else "metropolitan"
            expected[postcode] = (p["WD25CD"], p["WD25NM"], p["LAD25CD"], force)
    return expected


@pytest.mark.slow
def test_real_postcodes_find_their_2025_wards_everywhere(served):
    base = served["base"]
    expected = expected_wards()
    positions = {pc: (lat, lng) for pc, lat, lng in sample_postcodes()}
    if full_boundaries().exists():
        # "Everywhere": most sampled postcodes sit well inside one ward, so most are checked, not just three.
        assert len(positions.keys() & expected.keys()) >= len(positions) // 2, (len(positions), len(expected))
    with httpx.Client(base_url=base, timeout=30) as client:
        for postcode, (ward_code, ward_name, borough_code, force) in expected.items():
            home = client.get("/", params={"postcode": postcode.lower().replace(" ", "")})
            assert home.status_code == 302 and home.headers["location"] == f"/wards/{ward_code}/", postcode
            found = client.get(f"/api/v1/postcodes/{postcode}").json()
            assert (found["ward"]["code"], found["ward"]["name"], found["borough"]["code"]) == (
                ward_code,
                ward_name,
                borough_code,
            ), postcode
            assert found["force"]["id"] == force and found["neighbourhood"]["id"] == ward_code, postcode
            assert found["is_demo"] is False
            lat, lng = positions.get(postcode, (found["latitude"], found["longitude"]))
            located = client.get("/api/locate-neighbourhood", params={"q": f"{lat},{lng}"}).json()
            assert located == {"force": force, "neighbourhood": ward_code}, postcode
            ward = client.get(f"/api/v1/wards/{ward_code}").json()
            assert ward["neighbours"], f"{ward_name} has no neighbouring wards"


@pytest.mark.slow
def test_a_real_ward_page_says_what_is_not_loaded_yet(served):
    html = httpx.get(f"{served['base']}/wards/E05013806/", timeout=30).text
    assert "St James" in html and "Metropolitan Police Service" in html
    gaps = html.split('id="not-loaded"', 1)[1].split("</div>", 1)[0]
    assert "Neighbourhood team: not loaded yet" in gaps and "import_neighbourhood_teams" in gaps
    assert "Crime figures: none are loaded for this ward yet" in gaps and "import_crime" in gaps
    assert "Meetings: none are published for this ward yet" in gaps
    assert "Generated demo data" not in html, "a real ward must not show the demo's team, station or figures"


@pytest.mark.slow
def test_the_demo_stays_and_is_labelled(served):
    with httpx.Client(base_url=served["base"], timeout=30) as client:
        home = client.get("/").text
        assert "For example, SW1A 1AA" in home
        demo = re.search(r'\?postcode=(ZZ\w+)">', home).group(1)
        ward = client.get(client.get("/", params={"postcode": demo}).headers["location"]).text
        assert "Generated demo data" in ward and 'id="not-loaded"' not in ward


@pytest.mark.slow
def test_it_serves_like_production(served):
    with httpx.Client(base_url=served["base"], timeout=30) as client:
        missing = client.get("/no-such-page/")
        assert missing.status_code == 404
        assert "Page not found" in missing.text and "URLconf" not in missing.text  # DEBUG is off
        stylesheet = re.search(r'href="(/static/openward/site\.[0-9a-f]{12}\.css)"', client.get("/").text).group(1)
        static = client.get(stylesheet, headers={"Accept-Encoding": "gzip"})
        assert static.status_code == 200 and "immutable" in static.headers["cache-control"]
        # whitenoise serves the compressed copy collectstatic made, to clients that accept it, and says so.
        assert static.headers["content-encoding"] == "gzip" and "accept-encoding" in static.headers["vary"].lower()
        plain = client.get(stylesheet, headers={"Accept-Encoding": "identity"})
        assert "content-encoding" not in plain.headers
        assert static.content == plain.content and b"{" in plain.content  # the same stylesheet, unpacked
        assert int(static.headers["content-length"]) < int(plain.headers["content-length"])
        assert (
            "gunicorn"
            in subprocess.run(
                ["ps", "-o", "args=", "-g", str(served["process"].pid)], capture_output=True, text=True
            ).stdout
        )


@pytest.mark.slow
def test_email_links_use_the_address_served_and_the_worker_sends_them(served):
    with httpx.Client(base_url=served["base"], timeout=30) as client:
        form = client.get("/accounts/sign-in/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
        sent = client.post(
            "/accounts/sign-in/", data={"csrfmiddlewaretoken": token, "email": "officer@demo.openward.invalid"}
        )
        assert sent.status_code == 302
    mail = served["var"] / "mail"

    def delivered():
        found = [p.read_text() for p in mail.glob("*.log")] if mail.exists() else []
        return next((text for text in found if "officer@demo.openward.invalid" in text), None)

    text = wait_for(delivered, "the sign-in email", 120, served["log"])
    link = re.search(r"http://127\.0\.0\.1:(\d+)(/accounts/link/\S+)", text)
    assert link and int(link.group(1)) == served["port"]
    assert httpx.get(served["base"] + link.group(2), timeout=30).status_code == 200


@pytest.mark.slow
def test_stopping_it_stops_every_process(served):
    process = served["process"]
    os.killpg(process.pid, signal.SIGTERM)
    assert process.wait(timeout=60) is not None

    def all_gone():
        left = subprocess.run(["ps", "-o", "pid=", "-g", str(process.pid)], capture_output=True, text=True).stdout
        return not left.strip()

    wait_for(all_gone, "every process of make run stopping", 60, served["log"])
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{served['base']}/api/v1/health", timeout=5)


@pytest.mark.slow
def test_the_set_up_ran_every_step_once_in_one_process(served):
    """`make run` sets the machine up with one "set_up" command (Makefile), which reports each step as it ends."""
    log = served["log"].read_text()
    assert "manage.py set_up --static" in log, "make run did not set up through set_up"
    for step in ("migrate", "load_places_pack", "load_demo", "collectstatic"):
        assert len(re.findall(rf"^Set up: {step} in [\d.]+ s$", log, re.M)) == 1, step
    assert re.search(r"^Set up in [\d.]+ s\.$", log, re.M)
