"""sync_policeuk against a scripted stand-in: pacing, retries on 429/5xx/time-outs, refusals naming the URL.

Whatever goes wrong while a month is fetched, that month is left exactly as it was stored.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from openward.areas.importers.forces import ForceImporter
from openward.core.models import AuditEvent, ImportRun
from openward.core.values import Month
from openward.crime.models import Crime
from openward.policeuk.models import SyncedMonth
from openward.policeuk.services import sync_policeuk
from openward.policeuk.sync.client import Client, SyncError, TokenBucket
from tests.support import free_port

from .standin import Answer, StandIn

MONTH = Month(2023, 1)


def crime(n: int, category: str = "burglary", month: str = "2023-01") -> dict:
    return {
        "category": category,
        "location_type": None,
        "location": None,
        "context": "",
        "outcome_status": None,
        "persistent_id": f"{n:064x}",
        "id": 9000 + n,
        "location_subtype": "",
        "month": month,
    }


def policeuk(crimes: list[dict]) -> dict[str, Answer]:
    """A police.uk with the City of London force, no neighbourhoods and `crimes` without a location."""
    return {
        "forces": Answer(body=[{"id": "city-of-london", "name": "City of London Police"}]),
        "forces/city-of-london": Answer(body={"id": "city-of-london", "name": "City of London Police", "url": ""}),
        "forces/city-of-london/people": Answer(body=[]),
        "city-of-london/neighbourhoods": Answer(body=[]),
        "crimes-no-location": Answer(body=crimes),
        "stops-force": Answer(body=[]),
    }


def client(standin: StandIn, **kwargs) -> Client:
    return Client(standin.api, timeout=kwargs.pop("timeout", 2.0), backoff=0.01, **kwargs)


def run(standin: StandIn, **kwargs):
    return sync_policeuk(client=client(standin, **kwargs), forces=["city-of-london"], months=[MONTH], again=True)


@pytest.fixture
def forces(db):
    ForceImporter(commit=True).run()


@pytest.fixture
def stored(forces):
    """A month already synced: three crimes."""
    with StandIn(policeuk([crime(1), crime(2), crime(3)])) as standin:
        run(standin)
    assert Crime.objects.count() == 3
    return sorted(Crime.objects.values_list("api_id", "persistent_id", "category__slug", "month"))


def test_the_bucket_allows_a_burst_of_30_then_15_a_second():
    now = [0.0]
    slept = []

    def sleep(seconds):
        slept.append(seconds)
        now[0] += seconds

    bucket = TokenBucket(clock=lambda: now[0], sleep=sleep)
    for _ in range(30):
        bucket.take()
    assert slept == []
    for _ in range(60):
        bucket.take()
    # 60 more at 15 a second take 4 seconds.
    assert sum(slept) == pytest.approx(60 / 15)
    now[0] += 10  # idle: the bucket refills to 30, never more
    before = len(slept)
    for _ in range(30):
        bucket.take()
    assert len(slept) == before


@pytest.mark.parametrize(
    "fault",
    [
        Answer(429, {"detail": "slow down"}, headers=(("Retry-After", "0"),)),
        Answer(500, "<html>Internal Server Error</html>"),
        Answer(502, ""),
        Answer(503, {"detail": "busy"}),
        Answer(200, [], delay=1.5),  # a time-out: the client waits 0.5 s
    ],
    ids=["429", "500", "502", "503", "timeout"],
)
def test_a_passing_fault_is_retried_and_the_month_is_imported(forces, fault):
    crimes = [crime(1), crime(2), crime(3), crime(4)]
    with StandIn(policeuk(crimes)) as standin:
        standin.faults["crimes-no-location"] = [fault, fault]
        report = run(standin, timeout=0.5)
        assert standin.seen["crimes-no-location"] == 3
    assert report.imported == ["city-of-london 2023-01"]
    assert sorted(Crime.objects.values_list("api_id", flat=True)) == [9001, 9002, 9003, 9004]
    synced = SyncedMonth.objects.get()
    assert synced.month.isoformat() == "2023-01-01"
    assert synced.import_run == ImportRun.objects.get(importer="police-uk-sync")  # the run that stored it
    audited = AuditEvent.objects.get(action="policeuk.month_synced")
    assert audited.data == {"month": "2023-01", "source": standin.api}


def test_a_fault_that_lasts_is_refused_naming_the_url_and_the_month_is_unchanged(stored):
    with StandIn(policeuk([crime(1)])) as standin:
        standin.faults["crimes-no-location"] = [Answer(503, {"detail": "busy"})] * 5
        with pytest.raises(SyncError) as refused:
            run(standin, retries=4)
        assert standin.seen["crimes-no-location"] == 5
    assert f"{standin.api}crimes-no-location?category=all-crime" in str(refused.value)
    assert "503" in str(refused.value) and "5 times" in str(refused.value)
    assert sorted(Crime.objects.values_list("api_id", "persistent_id", "category__slug", "month")) == stored


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ("<!DOCTYPE html><html><body>Maintenance</body></html>", "an HTML page"),
        ('[{"category": "burglary", "id": 1', "JSON cut short or damaged"),
        ({"crimes": []}, "a JSON dict where police.uk gives a list"),
        (b"\xff\xfe[]", "UTF-8"),
    ],
    ids=["html", "cut-json", "dict-not-list", "not-utf8"],
)
def test_garbage_is_refused_naming_the_url_and_the_month_is_unchanged(stored, db_snapshot, body, said):
    before = db_snapshot()
    with StandIn(policeuk([crime(1)])) as standin:
        standin.answers["crimes-no-location"] = Answer(200, body)
        with pytest.raises(SyncError) as refused:
            run(standin)
    message = str(refused.value)
    assert f"{standin.api}crimes-no-location?category=all-crime&force=city-of-london&date=2023-01" in message
    assert said in message
    after = db_snapshot()
    # Only the reference steps ran again (forces, recorded as an import run); the month is untouched.
    changed = {table for table in before if before[table] != after[table]}
    assert changed <= {"core.ImportRun", "areas.Force"}
    assert sorted(Crime.objects.values_list("api_id", "persistent_id", "category__slug", "month")) == stored


def test_records_of_the_wrong_shape_go_through_the_importers_checks_and_are_refused(stored):
    wrong = [{"category": "not-a-category", "id": "x", "month": "2023-01"}, "a string", crime(5, month="2022-12")]
    with StandIn(policeuk(wrong)) as standin:
        with pytest.raises(SyncError) as refused:
            run(standin)
    message = str(refused.value)
    assert standin.api in message and "city-of-london 2023-01" in message
    assert "none of the file's 3 rows could be kept" in message
    assert sorted(Crime.objects.values_list("api_id", "persistent_id", "category__slug", "month")) == stored
    assert ImportRun.objects.filter(importer="police-uk-sync", status=ImportRun.Status.FAILED).count() == 1


def test_a_cut_month_would_shrink_the_stored_one_and_is_refused(stored):
    with StandIn(policeuk([crime(1)])) as standin:
        with pytest.raises(SyncError) as refused:
            run(standin)
    assert "importing it would remove 2" in str(refused.value)
    assert sorted(Crime.objects.values_list("api_id", "persistent_id", "category__slug", "month")) == stored


def test_with_no_network_the_command_fails_at_once_with_a_clear_message_and_changes_nothing(db_snapshot):
    before = db_snapshot()
    closed = f"http://127.0.0.1:{free_port()}/api/"
    with pytest.raises(CommandError) as refused:
        call_command("sync_policeuk", "--base-url", closed, "--force", "city-of-london", stdout=io.StringIO())
    assert str(refused.value).startswith(f"Cannot reach {closed}forces (")
    assert "Check the network and the base URL" in str(refused.value)
    assert db_snapshot() == before


def test_a_month_stored_is_skipped_unless_asked_again(stored):
    with StandIn(policeuk([crime(1), crime(2), crime(3)])) as standin:
        report = sync_policeuk(client=client(standin), forces=["city-of-london"], months=[MONTH])
        assert standin.seen["crimes-no-location"] == 0
    assert report.skipped == ["city-of-london 2023-01"] and report.imported == []


def test_the_command_refuses_a_month_that_is_not_one(db):
    with pytest.raises(CommandError, match='"2023-13" is not a month'):
        call_command("sync_policeuk", "--month", "2023-13", stdout=io.StringIO())


@pytest.mark.realdata
def test_with_the_archive_url_the_month_is_the_archives_csv_through_the_same_importer(forces, shared_data, tmp_path):
    import zipfile

    from openward.crime.importers.policeuk import PoliceUkImporter

    csv = shared_data / "police/street/city-of-london/2022-12-city-of-london-street.csv"
    archive = tmp_path / "2023-01.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(csv, f"2022-12/{csv.name}")
        zf.writestr("2022-12/2022-12-metropolitan-street.csv", "not read: another force\n")
    answers = policeuk([])
    answers["/data/archive/2023-01.zip"] = Answer(body=archive.read_bytes())
    with StandIn(answers) as standin:
        url = f"http://127.0.0.1:{standin.server_port}/data/archive/2023-01.zip"
        report = sync_policeuk(
            client=client(standin), forces=["city-of-london"], months=[Month(2022, 12)], archive_url=url
        )
        assert standin.seen["crimes-no-location"] == 0  # the month came from the archive alone
    assert report.imported == ["city-of-london 2022-12"]
    fields = ("persistent_id", "category__slug", "latitude", "longitude", "street_name", "lsoa_code", "month")
    synced = sorted(map(repr, Crime.objects.values_list(*fields)))
    run = ImportRun.objects.get(importer="police-uk-sync")
    assert run.source == f"{url} (city-of-london 2022-12)"
    Crime.objects.all().delete()
    PoliceUkImporter(csv, commit=True).run()
    assert synced == sorted(map(repr, Crime.objects.values_list(*fields)))
    assert len(synced) > 700


def test_a_neighbourhood_without_a_ward_code_keeps_its_boundary_and_is_tied_to_the_ward_it_overlaps_most(place):
    from django.test import Client as WebClient

    from openward.areas.models import Neighbourhood

    web = WebClient()
    # 80% over Bayswater (lng -0.19 to -0.18), 20% over Church Street to its east; police.uk leaves the
    # ring open (the last vertex is not the first again).
    west, east, south, north = -0.188, -0.178, 51.501, 51.509
    boundary = [
        {"latitude": str(lat), "longitude": str(lng)}
        for lat, lng in ((south, west), (south, east), (north, east), (north, west))
    ]
    answers = {
        "forces": Answer(body=[{"id": "surrey", "name": "Surrey Police"}]),
        "forces/surrey": Answer(body={"id": "surrey", "name": "Surrey Police"}),
        "forces/surrey/people": Answer(body=[]),
        "surrey/neighbourhoods": Answer(body=[{"id": "SY-NW1", "name": "North West"}]),
        "surrey/SY-NW1": Answer(body={"id": "SY-NW1", "name": "North West"}),
        "surrey/SY-NW1/people": Answer(body=[{"name": "Test Inspector", "rank": "Inspector"}]),
        "surrey/SY-NW1/boundary": Answer(body=boundary),
        "surrey/SY-NW1/events": Answer(body=[]),
        "surrey/SY-NW1/priorities": Answer(body=[]),
        "crimes-street/all-crime": Answer(body=[]),
        "crimes-no-location": Answer(body=[]),
        "stops-force": Answer(body=[]),
    }
    with StandIn(answers) as standin:
        report = sync_policeuk(client=client(standin), forces=["surrey"], months=[MONTH])
    assert report.empty == ["surrey 2023-01"] and report.refused == []
    tied = Neighbourhood.objects.get(force__slug="surrey", code="SY-NW1")
    assert tied.ward.gss_code == "E05013807"
    assert [m.name for m in tied.people.all()] == ["Test Inspector"]
    # Its own boundary is served, not Bayswater's: the same points, the ring closed as GeoJSON keeps it.
    served = web.get("/api/surrey/SY-NW1/boundary").json()
    assert served == boundary + boundary[:1]
    # A neighbourhood with a ward code serves its ward's boundary (the Met's Bayswater: a 0.01° square).
    assert web.get(f"/api/metropolitan/{tied.ward.gss_code}/boundary").json()[:2] == [
        {"latitude": "51.5", "longitude": "-0.19"},
        {"latitude": "51.5", "longitude": "-0.18"},
    ]

    # police.uk drops the boundary: the stored one goes, and the answer is the source's (no ward is tied by
    # overlap any more, so none is served in its place).
    answers["surrey/SY-NW1/boundary"] = Answer(body=[])
    with StandIn(answers) as standin:
        sync_policeuk(client=client(standin), forces=["surrey"], months=[MONTH])
    assert Neighbourhood.objects.get(code="SY-NW1").boundary == ""
    assert web.get("/api/surrey/SY-NW1/boundary").json() == []


def test_the_scheduled_job_runs_the_sync_from_the_configured_source(forces, settings):
    from django.utils import timezone

    from openward.core.schedule import Scheduler, jobs_from_settings

    with StandIn(policeuk([crime(1), crime(2)])) as standin:
        standin.answers["crimes-street-dates"] = Answer(body=[{"date": "2023-01", "stop-and-search": []}])
        settings.POLICEUK_API_URL = standin.api
        settings.POLICEUK_SYNC_FORCES = ["city-of-london"]
        job = next(j for j in jobs_from_settings() if j.command == "sync_policeuk")
        scheduler = Scheduler([job], started=timezone.localtime())
        ran = scheduler.run_due(job.next_after(timezone.localtime()))
    assert ran == [job]
    assert SyncedMonth.objects.get().month.isoformat() == "2023-01-01"
    assert sorted(Crime.objects.values_list("api_id", flat=True)) == [9001, 9002]


def test_a_base_url_that_is_not_http_is_refused_before_any_request(db_snapshot):
    before = db_snapshot()
    with pytest.raises(CommandError, match='"ftp://example.org/api/" is not an http'):
        call_command("sync_policeuk", "--base-url", "ftp://example.org/api/", stdout=io.StringIO())
    assert db_snapshot() == before


def test_a_force_the_source_does_not_list_is_refused_and_nothing_changes(forces, db_snapshot):
    before = db_snapshot()
    with StandIn(policeuk([])) as standin:
        with pytest.raises(SyncError, match=r"does not list the force kent-constabulary\. Check --force"):
            sync_policeuk(client=client(standin), forces=["kent-constabulary"], months=[MONTH])
        assert standin.seen["forces/kent-constabulary"] == 0
    assert db_snapshot() == before


def test_the_sync_is_paced_at_the_configured_rate(forces, settings, monkeypatch):
    from openward.policeuk import services

    made = []

    class Recorded(TokenBucket):
        def __init__(self, rate, burst, **kwargs):
            made.append((rate, burst))
            super().__init__(rate, burst, **kwargs)

    monkeypatch.setattr(services, "TokenBucket", Recorded)
    settings.POLICEUK_API_RATE = 4.0
    with StandIn(policeuk([crime(1)])) as standin:
        sync_policeuk(base_url=standin.api, forces=["city-of-london"], months=[MONTH])
    assert made == [(4.0, 30)]
