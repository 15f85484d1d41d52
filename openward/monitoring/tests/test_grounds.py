"""Grounds supplied by the force as a CSV file: the sampled stops file goes out with an empty grounds column
and comes back filled in; the header is checked, every bad row is reported with its line number, and a
file with any problem adds nothing (its run is recorded as failed)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from openward.core.models import ImportRun
from openward.monitoring import services
from openward.monitoring.grounds import COLUMNS, reference_key
from openward.monitoring.models import GroundsText
from tests.personas import sign_in

pytestmark = pytest.mark.django_db

MONTH = dt.date(2024, 12, 1)
SECRET = "GROUNDS-IN-FILE-8812"


@pytest.fixture
def sample(group, chair):
    return services.draw_sample(chair, group, MONTH, 5, seed=11)


def upload(client, group, sample, content: str | bytes, name="grounds.csv"):
    data = content.encode() if isinstance(content, str) else content
    url = f"/monitoring/boroughs/{group.borough.gss_code}/samples/{sample.pk}/"
    return client.post(url, {"do": "upload", "file": SimpleUploadedFile(name, data, content_type="text/csv")})


def csv_text(rows) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


def test_the_sampled_stops_file_comes_back_with_grounds(group, sample, liaison, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # an uploaded grounds file is read, never stored
    client = Client()
    sign_in(client, liaison)
    download = client.get(f"/monitoring/boroughs/{group.borough.gss_code}/samples/{sample.pk}/stops.csv")
    assert download.status_code == 200 and download["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    assert rows[0] == COLUMNS and len(rows) == 6
    stops = list(sample.stops.select_related("stop"))
    assert [r[0] for r in rows[1:]] == [f"2024-12 stop {n}" for n in range(1, 6)] == [s.reference for s in stops]
    assert rows[1][7] == stops[0].stop.legislation and rows[1][1] == "2024-12-06" and rows[1][-1] == ""
    # The force fills in three stops (one over two lines), leaves two for later, and uploads the file.
    rows[1][-1], rows[2][-1], rows[4][-1] = f"{SECRET} one", f"{SECRET} two\nsecond line", f"{SECRET} four"
    answer = upload(client, group, sample, csv_text(rows))
    assert answer.status_code == 302
    assert "Grounds added for 3 stops; 2 rows had no grounds yet." in client.get(answer.url).content.decode()
    texts = dict(GroundsText.objects.values_list("sampled__position", "text"))
    assert texts == {0: f"{SECRET} one", 1: f"{SECRET} two\nsecond line", 3: f"{SECRET} four"}
    assert set(GroundsText.objects.values_list("from_file", "uploaded_by")) == {("grounds.csv", liaison.pk)}
    assert not any(tmp_path.rglob("*"))
    run = ImportRun.objects.get(importer="monitoring.grounds")
    assert run.status == ImportRun.Status.COMMITTED and run.actor == liaison
    assert run.counts == {"rows_read": 5, "stops_with_grounds": 3, "rows_without_grounds": 2}
    # A corrected file replaces what an earlier file gave the stops it names; other stops and pasted grounds stay.
    services.add_grounds(liaison, stops[4], "Pasted by hand")
    again = upload(client, group, sample, csv_text([["Reference", "Grounds"], ["2024-12 Stop 001", "Corrected"]]))
    assert again.status_code == 302
    texts = sorted(GroundsText.objects.values_list("sampled__position", "text"))
    assert texts == [(0, "Corrected"), (1, f"{SECRET} two\nsecond line"), (3, f"{SECRET} four"), (4, "Pasted by hand")]


def test_a_file_with_problems_adds_nothing_and_says_where(group, sample, liaison, db_snapshot):
    client = Client()
    sign_in(client, liaison)
    services.add_grounds(liaison, sample.stops.first(), "Already here")
    before = db_snapshot()
    long_text = "x" * 5001
    content = csv_text(
        [
            ["reference", "notes", "grounds"],
            ["2024-12 stop 1", "", f"{SECRET} fine"],
            ["2024-11 stop 2", "", f"{SECRET} wrong month"],
            ["", "", f"{SECRET} no reference"],
            ["2024-12 stop 1", "", f"{SECRET} twice"],
            ["2024-12 stop 3", "", long_text],
            ["2024-12 stop 4", "", "fine", "an extra cell"],
            ["2024-12 stop 5", "", "fine"],
        ]
    )
    answer = upload(client, group, sample, content)
    page = answer.content.decode().replace("&#x27;", "'")
    assert answer.status_code == 400 and "Nothing was added" in page
    for line, says in (
        (3, "“2024-11 stop 2” is not a stop in the December 2024 sample"),
        (4, "the reference is empty"),
        (5, "“2024-12 stop 1” is on line 2 too"),
        (6, "the grounds are 5,001 characters long"),
        (7, "it has 4 cells but the header names 3 columns"),
    ):
        assert f"line {line}: {says}" in page, line
    assert "line 2:" not in page and "line 8:" not in page
    assert SECRET not in page  # problems name lines and references, never the grounds
    after = db_snapshot()
    failed = ImportRun.objects.get(importer="monitoring.grounds")
    assert failed.status == ImportRun.Status.FAILED and len(failed.problems) == 5
    assert SECRET not in str(failed.problems)
    assert {k: v for k, v in after.items() if k != "core.ImportRun"} == {
        k: v for k, v in before.items() if k != "core.ImportRun"
    }


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"ref,text\n2024-12 stop 1,x\n", "line 1: the header has no “reference” or “grounds” column"),
        ("reference,grounds\n".encode("utf-16"), "it is not UTF-8 text"),
        (b"reference,grounds\n2024-12 stop 1,\n", "nothing in it can be imported"),
        (b"", "The file is empty."),
    ],
)
def test_files_that_cannot_be_read_are_refused_with_a_reason(group, sample, chair, content, says):
    client = Client()
    sign_in(client, chair)
    answer = upload(client, group, sample, content)
    assert answer.status_code == 400 and says in answer.content.decode().replace("&#x27;", "'")
    assert not GroundsText.objects.exists()


def test_uploading_through_the_api(group, sample, liaison, reviewer):
    url = f"/api/v1/monitoring/boroughs/{group.borough.gss_code}/samples/{sample.pk}/grounds"
    as_reviewer, as_liaison = Client(), Client()
    sign_in(as_reviewer, reviewer)
    sign_in(as_liaison, liaison)
    good = SimpleUploadedFile("g.csv", b"reference,grounds\n2024-12 stop 2,Seen passing a package\n")
    assert as_reviewer.post(url, {"file": good}).status_code == 403
    good.seek(0)
    made = as_liaison.post(url, {"file": good})
    assert made.status_code == 201 and made.json() == {"stops_with_grounds": 1, "rows_without_grounds": 0}
    bad = as_liaison.post(url, {"file": SimpleUploadedFile("g.csv", b"reference,grounds\nstop 9,x\n")})
    assert bad.status_code == 400 and bad.json()["problems"][0].startswith("line 2: “stop 9” is not a stop")
    assert GroundsText.objects.get().text == "Seen passing a package"


def test_references_are_read_as_people_type_them():
    assert reference_key("2024-12 stop 7") == reference_key(" 2024-12  STOP 007 ") == (2024, 12, 7)
    assert reference_key("2024-12-007") is None and reference_key("stop 7") is None
