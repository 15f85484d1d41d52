"""Rows an import leaves out as copies are counted, with why, wherever the figures are shown."""

import csv
import io

import pytest

from openward.crime.models import DroppedDuplicate

from .factories import ForceFactory, WardFactory
from .monthfiles import STREET_NAME, street_file, street_rows
from .plain import manage, values

pytestmark = pytest.mark.django_db

WHY = DroppedDuplicate.Reason.IDENTICAL_ROW.label
AROUND_THE_WARD = "51.509,-0.096:51.521,-0.096:51.521,-0.084:51.509,-0.084"


@pytest.fixture
def ward():
    ForceFactory(slug="city-of-london", name="City of London Police")
    ForceFactory(slug="btp", name="British Transport Police")
    return WardFactory(gss_code="E05000778", name="Copyville")


def import_rows(monkeypatch, tmp_path, rows):
    path = tmp_path / STREET_NAME
    path.write_bytes(street_file(rows))
    code, out, err = manage(monkeypatch, "import_crime", str(path), "--commit", "--no-progress")
    assert code == 0, err
    return path, out


def csv_rows(client, url):
    return list(csv.reader(io.StringIO(client.get(url).content.decode().split("\n", 1)[1])))


def test_identical_rows_left_out_are_counted_where_the_figures_are_shown(tmp_path, monkeypatch, client, ward):
    rows = street_rows()
    path, out = import_rows(monkeypatch, tmp_path, [*rows, rows[0], rows[0], rows[5]])
    assert "duplicates_removed 3" in out
    assert values("SELECT reason, ward_id, COUNT(*) FROM crime_droppedduplicate GROUP BY reason, ward_id") == [
        ("identical-row", ward.pk, 3)
    ]
    assert sorted(s for (s,) in values("SELECT source FROM crime_droppedduplicate")) == [
        f"{path}:42",
        f"{path}:43",
        f"{path}:44",
    ]
    assert values("SELECT COUNT(*) FROM crime_crime") == [(40,)]

    html = client.get(f"/crime/wards/{ward.gss_code}/").content.decode()
    assert f"3 records left out on import over the two years because {WHY}." in html
    api = client.get(f"/api/v1/crime/wards/{ward.gss_code}").json()
    assert api["dropped_on_import"] == [{"reason": "identical-row", "why": WHY, "count": 3}]
    drawn = client.get("/api/v1/crime/area", {"poly": AROUND_THE_WARD}).json()
    assert drawn["dropped_on_import"] == api["dropped_on_import"]
    exported = csv_rows(client, f"/crime/wards/{ward.gss_code}/?format=csv")
    assert [r[3:] for r in exported if r[:2] == ["duplicates", f"left out on import: {WHY}"]] == [["3", "3"]]
    assert [r[3:] for r in exported if r[:2] == ["duplicates", "removed across forces"]] == [["0", "0"]]

    # Another force's figures have none of this force's copies.
    btp = client.get(f"/api/v1/crime/wards/{ward.gss_code}", {"force": "btp"}).json()
    assert btp["dropped_on_import"] == []


def test_re_importing_the_month_without_copies_clears_them(tmp_path, monkeypatch, client, ward):
    rows = street_rows()
    import_rows(monkeypatch, tmp_path, [*rows, rows[0]])
    assert values("SELECT COUNT(*) FROM crime_droppedduplicate") == [(1,)]
    import_rows(monkeypatch, tmp_path, rows)
    assert values("SELECT COUNT(*) FROM crime_droppedduplicate") == [(0,)]
    html = client.get(f"/crime/wards/{ward.gss_code}/").content.decode()
    assert "No record was left out on import as a copy of another over the two years." in html
