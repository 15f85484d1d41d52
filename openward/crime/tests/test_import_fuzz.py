"""Property-based importer fuzz: whatever a file holds, `manage.py import_crime` never crashes and never
partly replaces a month.

Each example damages a good file (cuts it, re-encodes it, shuffles or renames its header, splices
in random bytes, corrupts a field) and imports it over a stored month. Whatever happens, the
month is either exactly as it was (the same primary keys, read with plain SQL) or wholly
replaced by the new file's rows; where the right answer is known independently (Python's csv
module counting the records of a cut file, an encoding that is or is not UTF-8) it must be that.
Every example runs in a savepoint rolled back afterwards, so each starts from the same month.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import zipfile

import pytest
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from openward.crime.importers.frames import STOPS_HEADER, STREET_HEADER

from .monthfiles import MONTH, STOPS_NAME, STREET_NAME, stop_rows, stops_file, street_file, street_rows
from .plain import csv_bytes, csv_records, ids, manage, monthly_total, values

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# No deadline: a test's duration is never a pass condition here. The function-scoped fixtures
# (the stored month, tmp_path) are shared by the examples on purpose: each example rolls back.
FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
STORED = 40
TEXT = st.text(st.characters(codec="utf-8"), max_size=60)
NAMES_A_LINE = re.compile(r"\.csv:\d+: |line \d+")


def rows_with_a_quoted_line_break() -> list[list[str]]:
    rows = street_rows()
    rows[-3][-1] = "Seen near the market,\nthen on Moor Lane"
    return rows


GOOD = street_file(rows_with_a_quoted_line_break())


def attempt(monkeypatch, tmp_path, name: str, data: bytes, *extra: str) -> dict:
    """Import `data` over the stored month, inside a savepoint rolled back after; what the command and SQL saw."""
    path = tmp_path / name
    path.write_bytes(data)
    with transaction.atomic():
        code, out, err = manage(monkeypatch, "import_crime", str(path), "--commit", "--no-progress", *extra)
        seen = {
            "code": code,
            "out": out,
            "err": err,
            "crime": ids("crime", MONTH),
            "stop": ids("stop", MONTH),
            "counted": monthly_total(MONTH),
            "stored": values(
                "SELECT persistent_id, longitude FROM crime_crime WHERE month = %s ORDER BY longitude", MONTH
            ),
        }
        transaction.set_rollback(True)
    return seen


def assert_whole(seen: dict, stored: dict, table: str, data: bytes, *, csv_file: bool = True) -> None:
    """The month is the old one exactly, or wholly new and no smaller than half; never a mix, never a crash."""
    other = "stop" if table == "crime" else "crime"
    assert seen[other] == stored[other]
    before, after = stored[table], seen[table]
    if seen["code"] != 0:
        assert seen["code"] == 1 and "Nothing was imported" in seen["err"]
        if csv_file:
            assert NAMES_A_LINE.search(seen["err"]), seen["err"]
        assert after == before
    elif after != before:
        assert not set(after) & set(before), "old and new rows mixed in one month"
        assert 2 * len(after) >= len(before)
        if csv_file:
            assert len(after) <= len(csv_records(data))
    assert seen["counted"] == len(seen["crime"])


def strictly_complete(prefix: bytes) -> bool:
    """Whether a cut file ends exactly after a whole record (Python's csv module, strict, is the judge)."""
    if not prefix.endswith(b"\n"):
        return False
    try:
        list(csv.reader(io.StringIO(prefix.decode("utf-8"), newline=""), strict=True))
    except (csv.Error, UnicodeDecodeError):
        return False
    return True


LINE_ENDS = [i + 1 for i, b in enumerate(GOOD) if b == ord("\n")]


@FUZZ
@given(cut=st.one_of(st.integers(1, len(GOOD) - 1), st.sampled_from(LINE_ENDS[:-1])))
def test_a_cut_file_is_refused_or_is_exactly_its_whole_records(monkeypatch, tmp_path, stored, cut):
    prefix = GOOD[:cut]
    seen = attempt(monkeypatch, tmp_path, STREET_NAME, prefix)
    assert_whole(seen, stored, "crime", prefix)
    records = csv_records(prefix) if strictly_complete(prefix) else None
    if records is None or (records and 2 * len(records) < STORED):
        assert seen["code"] == 1
    elif not records:
        assert seen["code"] == 0 and seen["crime"] == stored["crime"]
    else:
        assert seen["code"] == 0 and len(seen["crime"]) == len(records)


ENCODINGS = ["utf-8", "utf-8-sig", "latin-1", "cp1252", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "mac-roman"]


@FUZZ
@given(encoding=st.sampled_from([*ENCODINGS, "ascii"]), newline=st.sampled_from(["\r\n", "\n", "\r"]))
@example(encoding="utf-8", newline="\r")  # once a crash: old Mac line endings
def test_only_utf8_text_ending_in_a_line_break_is_imported(monkeypatch, tmp_path, stored, encoding, newline):
    text = street_file(newline=newline).decode("utf-8")
    data = text.encode(encoding, errors="replace")
    seen = attempt(monkeypatch, tmp_path, STREET_NAME, data)
    assert_whole(seen, stored, "crime", data)
    try:
        readable = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8").endswith("\n")
    except UnicodeDecodeError:
        readable = False
    assert seen["code"] == (0 if readable else 1)
    assert len(seen["crime"]) == STORED


HEADER_NAME = st.text(st.characters(codec="utf-8", exclude_characters="\r\n"), max_size=20)


@FUZZ
@given(
    header=st.one_of(
        st.permutations(list(STREET_HEADER)),
        st.tuples(st.integers(0, len(STREET_HEADER) - 1), HEADER_NAME).map(
            lambda change: [change[1] if i == change[0] else h for i, h in enumerate(STREET_HEADER)]
        ),
    )
)
@example(header=["Crime ID\x00", *STREET_HEADER[1:]])
def test_a_shuffled_or_renamed_header_is_refused(monkeypatch, tmp_path, stored, header):
    data = csv_bytes(header, street_rows())
    seen = attempt(monkeypatch, tmp_path, STREET_NAME, data)
    assert_whole(seen, stored, "crime", data)
    if [h.strip() for h in header] == list(STREET_HEADER):
        assert seen["code"] == 0 and len(seen["crime"]) == STORED
    else:
        assert seen["code"] == 1 and "line 1: this is not a data.police.uk street-level crime header" in seen["err"]


@FUZZ
@given(
    data=st.one_of(
        st.binary(max_size=2000),
        st.tuples(st.integers(0, len(GOOD)), st.integers(0, 40), st.binary(min_size=1, max_size=40)).map(
            lambda s: GOOD[: s[0]] + s[2] + GOOD[s[0] + s[1] :]
        ),
    )
)
def test_random_bytes_never_crash_or_half_replace(monkeypatch, tmp_path, stored, data):
    seen = attempt(monkeypatch, tmp_path, STREET_NAME, data)
    assert_whole(seen, stored, "crime", data)


@FUZZ
@given(column=st.integers(0, len(STREET_HEADER) - 1), which=st.sets(st.integers(0, STORED - 1)), value=TEXT)
@example(column=11, which={39}, value="\x00")  # once a crash on PostgreSQL, which stores no NUL
def test_any_field_corrupted_keeps_every_good_row_or_changes_nothing(
    monkeypatch, tmp_path, stored, column, which, value
):
    rows = street_rows()
    good = sorted((r[0], float(r[4])) for i, r in enumerate(rows) if i not in which)
    for i in which:
        rows[i][column] = value
    data = csv_bytes(list(STREET_HEADER), rows)
    seen = attempt(monkeypatch, tmp_path, STREET_NAME, data)
    assert_whole(seen, stored, "crime", data)
    if seen["code"] == 0:
        assert set(good) <= set(seen["stored"]) and len(seen["crime"]) <= STORED


STOPS = stops_file()


@FUZZ
@given(
    cut=st.integers(1, len(STOPS) - 1),
    column=st.integers(0, len(STOPS_HEADER) - 1),
    which=st.sets(st.integers(0, 29), max_size=30),
    value=TEXT,
)
def test_stop_files_cut_or_corrupted_never_half_replace(monkeypatch, tmp_path, stored, cut, column, which, value):
    seen = attempt(monkeypatch, tmp_path, STOPS_NAME, STOPS[:cut])
    assert_whole(seen, stored, "stop", STOPS[:cut])
    rows = stop_rows()
    for i in which:
        rows[i][column] = value
    data = csv_bytes(list(STOPS_HEADER), rows, newline="\n")
    seen = attempt(monkeypatch, tmp_path, STOPS_NAME, data)
    assert_whole(seen, stored, "stop", data)


def zipped(data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"2023-01/{STREET_NAME}", data)
    return buffer.getvalue()


ZIPPED, GZIPPED = zipped(GOOD), gzip.compress(GOOD)


@FUZZ
@given(kind=st.sampled_from(["zip", "gz"]), fraction=st.floats(0, 1, exclude_max=True))
def test_a_compressed_file_cut_short_is_always_refused(monkeypatch, tmp_path, stored, kind, fraction):
    whole, name = (ZIPPED, "archive.zip") if kind == "zip" else (GZIPPED, STREET_NAME + ".gz")
    data = whole[: int(len(whole) * fraction)]
    seen = attempt(monkeypatch, tmp_path, name, data)
    assert_whole(seen, stored, "crime", data, csv_file=False)
    assert seen["code"] == 1


def api_record(i: int) -> dict:
    return {
        "category": "burglary",
        "location_type": "Force",
        "location": {"latitude": "51.515", "longitude": f"{-0.09 - i / 10000:.4f}", "street": {"id": 7, "name": "X"}},
        "context": "",
        "outcome_status": None,
        "persistent_id": f"{i:064x}",
        "id": 1000 + i,
        "location_subtype": "",
        "month": "2023-01",
    }


API_DUMP = "".join(json.dumps([api_record(i) for i in range(j, j + 10)]) + "\n" for j in range(0, STORED, 10)).encode()
API_NAME = "crimes-street_city_2023-01.jsonl"


@FUZZ
@given(cut=st.integers(1, len(API_DUMP)))
def test_a_saved_api_response_cut_short_is_refused_or_is_exactly_its_whole_lines(monkeypatch, tmp_path, stored, cut):
    prefix = API_DUMP[:cut]
    seen = attempt(monkeypatch, tmp_path, API_NAME, prefix, "--force", "city-of-london")
    assert_whole(seen, stored, "crime", prefix, csv_file=False)
    try:
        records = sum(len(json.loads(line)) for line in prefix.decode().splitlines() if line.strip())
    except json.JSONDecodeError:
        records = None
    if records is None or 2 * records < STORED:
        assert seen["code"] == 1
    else:
        assert seen["code"] == 0 and len(seen["crime"]) == records


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=8,
)


def stop_record(i: int) -> dict:
    return {
        "type": "Person search",
        "involved_person": True,
        "datetime": f"2023-01-{1 + i % 28:02d}T10:00:00+00:00",
        "operation": False,
        "operation_name": None,
        "location": {"latitude": "51.515", "longitude": f"{-0.09 - i / 10000:.4f}", "street": {"id": 7, "name": "X"}},
        "gender": "Male",
        "age_range": "18-24",
        "self_defined_ethnicity": "White - English",
        "officer_defined_ethnicity": "White",
        "legislation": "Misuse of Drugs Act 1971 (section 23)",
        "object_of_search": "Controlled drugs",
        "outcome": "Arrest",
        "outcome_linked_to_object_of_search": True,
        "removal_of_more_than_outer_clothing": False,
    }


def corrupt(record: dict, path: list[str], value) -> dict:
    """The record with the field at `path` (a key, or a key inside location/street) set to `value`."""
    record = json.loads(json.dumps(record))
    target = record
    for key in path[:-1]:
        if not isinstance(target.get(key), dict):
            return record
        target = target[key]
    target[path[-1]] = value
    return record


def field_paths(record: dict) -> list[list[str]]:
    paths = []
    for key, value in record.items():
        paths.append([key])
        if isinstance(value, dict):
            paths += [[key, *inner] for inner in field_paths(value)]
    return paths


@FUZZ
@given(
    kind=st.sampled_from(["crimes", "stops"]),
    field=st.integers(0, 40),
    which=st.sets(st.integers(0, STORED - 1)),
    value=JSON,
    extra_lines=st.lists(JSON.map(json.dumps) | st.binary(max_size=30).map(lambda b: b.decode("latin-1")), max_size=2),
)
# Crashes the fuzz once found, kept so they are tried on every run: a line that is not a list, a location
# or outcome that is not an object, numbers too big for a 64-bit column, a date too early to convert.
@example(kind="crimes", field=2, which={0}, value=True, extra_lines=["true"])
@example(kind="crimes", field=9, which={1, 2}, value=[1], extra_lines=[])
@example(kind="crimes", field=11, which={3}, value=2**70, extra_lines=[])
@example(kind="crimes", field=6, which={4}, value=2**70, extra_lines=[])
@example(kind="stops", field=5, which={0}, value="north", extra_lines=[])
@example(kind="stops", field=2, which={0}, value="0001-01-01T00:00:00+05:00", extra_lines=[])
@example(kind="crimes", field=8, which={5}, value="\x00", extra_lines=[])
@example(kind="crimes", field=8, which={5}, value="\ud800", extra_lines=[])
def test_saved_api_responses_with_any_field_corrupted_never_crash_or_half_replace(
    monkeypatch, tmp_path, stored, kind, field, which, value, extra_lines
):
    make, table, name, extra = (
        (api_record, "crime", API_NAME, ("--force", "city-of-london"))
        if kind == "crimes"
        else (stop_record, "stop", "stops-force_city-of-london_2023-01.json", ())
    )
    records = [make(i) for i in range(STORED if kind == "crimes" else 30)]
    paths = field_paths(records[0])
    path = paths[field % len(paths)]
    records = [corrupt(r, path, value) if i in which else r for i, r in enumerate(records)]
    lines = [json.dumps(records[j : j + 10]) for j in range(0, len(records), 10)] + extra_lines
    data = "\n".join(lines).encode()
    seen = attempt(monkeypatch, tmp_path, name, data, *extra)
    assert_whole(seen, stored, table, data, csv_file=False)
