"""An import never loses data: each refusal through `manage.py import_crime` exits non-zero, says why and
where, and leaves the stored month exactly as it was (checked with plain SQL, not through the importer)."""

from __future__ import annotations

import gzip
import zipfile

import pytest

from .monthfiles import MONTH, STOPS_NAME, STREET_NAME, stop_rows, stops_file, street_file, street_rows
from .plain import ids, manage, monthly_total, values

pytestmark = pytest.mark.django_db


def unchanged(stored) -> bool:
    same_rows = ids("crime", MONTH) == stored["crime"] and ids("stop", MONTH) == stored["stop"]
    return same_rows and monthly_total(MONTH) == 40


def import_file(monkeypatch, tmp_path, name: str, data: bytes, *extra: str):
    path = tmp_path / name
    path.write_bytes(data)
    return manage(monkeypatch, "import_crime", str(path), "--commit", "--no-progress", *extra)


def test_a_file_whose_every_row_is_rejected_is_refused(tmp_path, monkeypatch, stored):
    # The finding: every row's month differed from the file name and the month was replaced with 0 rows.
    code, out, err = import_file(monkeypatch, tmp_path, STREET_NAME, street_file(street_rows(month="2023-02")))
    assert code == 1 and "Imported" not in out
    assert f"{STREET_NAME}:2: none of the file's 40 rows could be kept" in err
    assert 'Month "2023-02" differs from the file name\'s month 2023-01' in err
    assert unchanged(stored)


def test_a_download_cut_off_half_way_is_refused(tmp_path, monkeypatch, stored):
    # The finding: a download cut half-way replaced the month with the rows before the cut.
    data = street_file()
    code, out, err = import_file(monkeypatch, tmp_path, STREET_NAME, data[: len(data) // 2])
    assert code == 1
    assert f"{STREET_NAME}: line 21, the last, does not end with a line break" in err
    assert unchanged(stored)


def test_a_short_last_row_is_refused_even_with_its_line_break(tmp_path, monkeypatch, stored):
    data = street_file()
    cut = data.rstrip(b"\r\n").rsplit(b",", 6)[0] + b"\r\n"
    code, _, err = import_file(monkeypatch, tmp_path, STREET_NAME, cut)
    assert code == 1 and "line 41, the last row, has 6 fields, not 12" in err
    assert unchanged(stored)


def test_a_quoted_field_cut_off_by_the_end_of_the_file_is_refused(tmp_path, monkeypatch, stored):
    rows = street_rows()
    rows[-1][-1] = "Seen near the market,\nthen on Moor Lane"
    data = street_file(rows)
    code, _, err = import_file(monkeypatch, tmp_path, STREET_NAME, data[: data.index(b"market,\n") + 8])
    assert code == 1 and "line 41: a quoted field opens here and the file ends before it closes" in err
    assert unchanged(stored)


def test_a_file_holding_a_nul_byte_is_refused(tmp_path, monkeypatch, stored):
    rows = street_rows()
    rows[30][-1] = "a\x00b"
    code, _, err = import_file(monkeypatch, tmp_path, STREET_NAME, street_file(rows))
    assert code == 1 and "line 32 holds a NUL byte (0x00)" in err
    assert unchanged(stored)


def test_a_zip_that_ends_early_is_refused(tmp_path, monkeypatch, stored):
    archive = tmp_path / "archive.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"2023-01/{STREET_NAME}", street_file(street_rows(400)))
    data = archive.read_bytes()
    code, _, err = import_file(monkeypatch, tmp_path, "cut.zip", data[: int(len(data) * 0.9)])
    assert code == 1 and "is not a complete zip archive" in err
    assert unchanged(stored)


def test_a_gzip_file_that_ends_early_is_refused(tmp_path, monkeypatch, stored):
    data = gzip.compress(street_file())
    code, _, err = import_file(monkeypatch, tmp_path, STREET_NAME + ".gz", data[:-12])
    assert code == 1 and "cannot be read: the file is damaged or cut short" in err
    assert unchanged(stored)


def test_replacing_a_month_with_fewer_than_half_its_rows_needs_allow_shrink(tmp_path, monkeypatch, stored):
    smaller = street_file(street_rows(19))
    code, out, err = import_file(monkeypatch, tmp_path, STREET_NAME, smaller)
    assert code == 1
    assert (
        f"{STREET_NAME}:20: the file ends here, with 19 crimes for city-of-london 2023-01 where 40 are stored: "
        "importing it would remove 21."
    ) in err
    assert "--allow-shrink" in err
    assert unchanged(stored)
    code, out, err = import_file(monkeypatch, tmp_path, STREET_NAME, smaller, "--allow-shrink")
    assert code == 0 and "Imported" in out
    assert len(ids("crime", MONTH)) == 19 and monthly_total(MONTH) == 19
    assert not set(ids("crime", MONTH)) & set(stored["crime"])


def test_half_the_rows_is_not_a_shrink(tmp_path, monkeypatch, stored):
    code, _, err = import_file(monkeypatch, tmp_path, STREET_NAME, street_file(street_rows(20)))
    assert code == 0, err
    assert len(ids("crime", MONTH)) == 20


def test_stops_are_guarded_too(tmp_path, monkeypatch, stored):
    code, _, err = import_file(monkeypatch, tmp_path, STOPS_NAME, stops_file(stop_rows(14)))
    assert code == 1 and "with 14 stops and searches for city-of-london 2023-01 where 30 are stored" in err
    code, _, err = import_file(monkeypatch, tmp_path, STOPS_NAME, stops_file(stop_rows(30, month="2023-03")))
    assert code == 1 and "none of the file's 30 rows could be kept" in err
    assert unchanged(stored)


def test_a_file_with_no_rows_changes_nothing(tmp_path, monkeypatch, stored):
    code, out, err = import_file(monkeypatch, tmp_path, STREET_NAME, street_file([]))
    assert code == 0, err
    assert "the file has no rows; its stored month was left as it is" in out
    assert unchanged(stored)


def test_one_bad_file_stops_the_whole_archive(tmp_path, monkeypatch, stored):
    archive = tmp_path / "archive.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(f"2023-02/{STREET_NAME.replace('2023-01', '2023-02')}", street_file(street_rows(5, "2023-02")))
        zf.writestr(f"2023-01/{STREET_NAME}", street_file(street_rows(month="2022-12")))
    code, _, err = manage(monkeypatch, "import_crime", str(archive), "--commit", "--no-progress")
    assert code == 1 and "none of the file's 40 rows could be kept" in err
    assert unchanged(stored) and values("SELECT COUNT(*) FROM crime_crime") == [(40,)]


def test_re_running_an_import_is_idempotent(tmp_path, monkeypatch, stored):
    rows = street_rows()
    data = street_file([*rows, rows[0], rows[1]])  # two identical copies, left out
    before = None
    for _ in range(3):
        code, _, err = import_file(monkeypatch, tmp_path, STREET_NAME, data)
        assert code == 0, err
        after = (
            values("SELECT persistent_id, longitude, category_id FROM crime_crime ORDER BY longitude"),
            values("SELECT ward_id, category_id, count FROM crime_monthlycount ORDER BY category_id"),
            values("SELECT source, reason FROM crime_droppedduplicate ORDER BY source"),
        )
        assert before is None or after == before
        before = after
    assert len(after[0]) == 40 and len(after[2]) == 2
