"""The files sync_policeuk saves between fetching and importing: each force-month's in a folder of its own,
named so the importer reads every one of them as that force's and that month's, none dropped or replaced."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.management import CommandError, call_command

from openward.areas.importers.forces import ForceImporter
from openward.core.values import Month
from openward.crime.models import Crime, Stop
from openward.policeuk.models import SyncedMonth
from openward.policeuk.services import sync_policeuk
from openward.policeuk.sync.client import Client, SyncError

from .standin import Answer, StandIn
from .test_sync_faults import crime, policeuk

STREET_HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,"
    "Last outcome category,Context\n"
)
STOP_HEADER = (
    "Type,Date,Part of a policing operation,Policing operation,Latitude,Longitude,Gender,Age range,"
    "Self-defined ethnicity,Officer-defined ethnicity,Legislation,Object of search,Outcome,"
    "Outcome linked to object of search,Removal of more than just outer clothing\n"
)
NAMES = {"city-of-london": "City of London Police", "metropolitan": "Metropolitan Police Service"}


def street_csv(slug: str, month: str, n: int, start: int = 0) -> str:
    name = NAMES[slug]
    return STREET_HEADER + "".join(
        f"{start + i:064x},{month},{name},{name},-0.09,51.515,On or near Cheapside,E01032739,City of London 001F,"
        "Burglary,Under investigation,\n"
        for i in range(n)
    )


def stop_csv(month: str, n: int) -> str:
    return STOP_HEADER + "".join(
        f"Person search,{month}-0{1 + i % 9}T10:00:00+00:00,False,,51.515,-0.09,Male,18-24,,White,"
        "Misuse of Drugs Act 1971 (section 23),Controlled drugs,A no further action disposal,False,False\n"
        for i in range(n)
    )


@pytest.fixture
def forces(db):
    ForceImporter(commit=True).run()


def with_archive(tmp_path, members: list[tuple[str, str]]) -> tuple[dict[str, Answer], str]:
    archive = tmp_path / "archive.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for name, text in members:
            zf.writestr(name, text)
    answers = policeuk([])
    answers["forces"] = Answer(body=[{"id": slug, "name": name} for slug, name in NAMES.items()])
    answers.update(
        {f"forces/{slug}": Answer(body={"id": slug, "name": name}) for slug, name in NAMES.items()}
        | {f"forces/{slug}/people": Answer(body=[]) for slug in NAMES}
        | {f"{slug}/neighbourhoods": Answer(body=[]) for slug in NAMES}
    )
    answers["/data/archive/2023-02.zip"] = Answer(body=archive.read_bytes())
    return answers, "/data/archive/2023-02.zip"


def archive_sync(standin: StandIn, path: str, forces: list[str], months: list[Month]):
    client = Client(standin.api, timeout=2.0, backoff=0.01)
    url = f"http://127.0.0.1:{standin.server_port}{path}"
    return sync_policeuk(client=client, forces=forces, months=months, archive_url=url, again=True)


def counts() -> dict[tuple[str, str], tuple[int, int]]:
    """(force, month) → (crimes, stops) stored."""
    found: dict[tuple[str, str], list[int]] = {}
    for model, i in ((Crime, 0), (Stop, 1)):
        for slug, month in model.objects.values_list("force__slug", "month"):
            found.setdefault((slug, month.strftime("%Y-%m")), [0, 0])[i] += 1
    return {key: (c, s) for key, (c, s) in found.items()}


def test_two_forces_and_two_months_of_street_and_stop_files_each_go_to_their_own_force_month(forces, tmp_path):
    members = []
    expected = {}
    for k, (slug, month) in enumerate(
        [("city-of-london", "2023-01"), ("city-of-london", "2023-02"), ("metropolitan", "2023-01")]
    ):
        crimes, stops = 3 + k, 5 + 2 * k  # a different count for each, so a file read twice or lost shows
        members.append((f"{month}/{month}-{slug}-street.csv", street_csv(slug, month, crimes, start=100 * k)))
        members.append((f"{month}/{month}-{slug}-stop-and-search.csv", stop_csv(month, stops)))
        expected[(slug, month)] = (crimes, stops)
    answers, path = with_archive(tmp_path, members)
    with StandIn(answers) as standin:
        report = archive_sync(standin, path, ["city-of-london", "metropolitan"], [Month(2023, 1), Month(2023, 2)])
    assert sorted(report.imported) == ["city-of-london 2023-01", "city-of-london 2023-02", "metropolitan 2023-01"]
    assert report.empty == ["metropolitan 2023-02"]
    assert counts() == expected


def test_a_force_or_month_asked_for_twice_is_synced_once(forces):
    with StandIn(policeuk([crime(1), crime(2), crime(3)])) as standin:
        client = Client(standin.api, timeout=2.0, backoff=0.01)
        report = sync_policeuk(
            client=client,
            forces=["city-of-london", "city-of-london"],
            months=[Month(2023, 1), Month.parse("2023-01")],
            again=True,
        )
        assert standin.seen["crimes-no-location"] == 1
    assert report.imported == ["city-of-london 2023-01"]
    assert Crime.objects.count() == 3 and SyncedMonth.objects.count() == 1


def test_the_same_file_twice_in_the_archive_is_read_once(forces, tmp_path):
    text = street_csv("city-of-london", "2023-01", 4)
    name = "2023-01-city-of-london-street.csv"
    answers, path = with_archive(tmp_path, [(f"2023-01/{name}", text), (f"copy/{name}", text)])
    with StandIn(answers) as standin:
        report = archive_sync(standin, path, ["city-of-london"], [Month(2023, 1)])
    assert report.imported == ["city-of-london 2023-01"]
    assert counts() == {("city-of-london", "2023-01"): (4, 0)}


def test_two_different_files_for_one_force_month_in_the_archive_are_refused_naming_both(forces, tmp_path, db_snapshot):
    answers, path = with_archive(
        tmp_path,
        [
            ("2023-01/2023-01-city-of-london-street.csv", street_csv("city-of-london", "2023-01", 4)),
            ("fixed/2023-01-city-of-london-street.csv", street_csv("city-of-london", "2023-01", 6)),
        ],
    )
    with StandIn(answers) as standin:
        with pytest.raises(SyncError) as refused:
            archive_sync(standin, path, ["city-of-london"], [Month(2023, 1)])
    message = str(refused.value)
    assert '"2023-01/2023-01-city-of-london-street.csv"' in message
    assert '"fixed/2023-01-city-of-london-street.csv"' in message
    assert "nothing was changed" in message
    assert Crime.objects.count() == 0 and SyncedMonth.objects.count() == 0


@pytest.mark.parametrize("slug", ["thames_valley", "Thames-Valley", "a.b", "../x"])
def test_a_force_id_file_names_cannot_carry_is_refused_before_anything_is_fetched(db, slug):
    with StandIn(policeuk([])) as standin:
        with pytest.raises(CommandError) as refused:
            call_command("sync_policeuk", "--base-url", standin.api, "--force", slug, stdout=io.StringIO())
        assert sum(standin.seen.values()) == 0
    assert f'"{slug}" is not a police.uk force id' in str(refused.value)
