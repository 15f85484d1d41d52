"""Turn each kind of police.uk file into rows for our tables, with a reason for every row left out.

Each `*_frame` function returns `(rows, problems)`: `rows` has the columns of the table it
fills (areas not yet placed), `problems` has `line` and `message` for the rows we could
not keep. The checks are vectorised (polars), so a million-row file is checked in
seconds.

Decisions:
- Coordinates must both be given or both be empty (empty = a crime with no location,
  which police.uk publishes as "No Location" and we keep), be numbers, and lie in the
  box around the UK (latitude 49–61, longitude −9–3). Anything else: the row is left out.
- A row whose Month differs from the month in the file name is left out: data.police.uk
  never mixes months in a file, so it is a sign of a mislabelled or edited file.
- Empty Crime IDs are normal for anti-social behaviour and kept. Identical rows sharing
  a Crime ID are kept once and the copies reported and returned (so the figures can count
  them). Rows sharing a Crime ID but differing (police.uk does publish those, e.g. two
  locations for one crime) are all kept.
- Stop-and-search `Date`s are UTC, so during British Summer Time the first hour of a
  month carries the previous day: a date up to a day outside the file's month is kept,
  under the file's month.

Street ids: CSVs carry no street id, but crimes-at-location needs one per snap point. A
CSV record's id is derived from its snap point, reversibly and without collisions:
`2**50 + round((lat − 49)·10⁶)·2**24 + round((lng + 9)·10⁶)`. Points are published to
six decimal places, so each snap point gets one id; the ids stay below 2**53 (safe in
JavaScript) and above every police.uk street id (which are under 10**8), so they never
clash with ids kept from API dumps.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, NamedTuple

import polars as pl

from openward.core.values import Month

from ..models import DERIVED_STREET_IDS
from .categories import CATEGORY_NAMES, STOP_OUTCOME_CODES, STOP_TYPES, category_slug, outcome_code

STREET_HEADER = (
    "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
    "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context",
)  # fmt: skip
STREET_NAMES = (
    "crime_id", "month_text", "reported_by", "falls_within", "lng_text", "lat_text", "location",
    "lsoa_code", "lsoa_name", "crime_type", "last_outcome", "context",
)  # fmt: skip
OUTCOMES_HEADER = (
    "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
    "LSOA code", "LSOA name", "Outcome type",
)  # fmt: skip
OUTCOMES_NAMES = (
    "crime_id", "month_text", "reported_by", "falls_within", "lng_text", "lat_text", "location",
    "lsoa_code", "lsoa_name", "outcome_type",
)  # fmt: skip
STOPS_HEADER = (
    "Type", "Date", "Part of a policing operation", "Policing operation", "Latitude", "Longitude", "Gender",
    "Age range", "Self-defined ethnicity", "Officer-defined ethnicity", "Legislation", "Object of search",
    "Outcome", "Outcome linked to object of search", "Removal of more than just outer clothing",
)  # fmt: skip
STOPS_NAMES = (
    "type", "date", "operation_text", "operation_name", "lat_text", "lng_text", "gender", "age_range",
    "self_defined_ethnicity", "officer_defined_ethnicity", "legislation", "object_of_search", "outcome",
    "linked_text", "removal_text",
)  # fmt: skip

CRIME_COLUMNS = (
    "force_id", "month", "latitude", "longitude", "street_id", "street_name", "lsoa_code", "ward_id",
    "borough_code", "is_demo", "persistent_id", "api_id", "category_id", "reported_by", "falls_within",
    "lsoa_name", "location_type", "location_subtype", "context", "outcome_category", "outcome_month",
)  # fmt: skip
STOP_COLUMNS = (
    "force_id", "month", "latitude", "longitude", "street_id", "street_name", "lsoa_code", "ward_id",
    "borough_code", "is_demo", "api_id", "type", "involved_person", "datetime", "operation", "operation_name",
    "gender", "age_range", "self_defined_ethnicity", "officer_defined_ethnicity", "legislation",
    "object_of_search", "outcome", "outcome_code", "outcome_linked_to_object_of_search",
    "removal_of_more_than_outer_clothing",
)  # fmt: skip
OUTCOME_COLUMNS = (
    "persistent_id", "force_id", "month", "code", "name", "person_id", "latitude", "longitude", "lsoa_code",
    "is_demo",
)  # fmt: skip

UK_BOX = (49.0, 61.0, -9.0, 3.0)
_LSOA_RE = r"^[EW]0[0-9]{7}$"
_BOOL = {"true": True, "false": False, "yes": True, "no": False, "": None}


def street_id_expr(lat: pl.Expr, lng: pl.Expr) -> pl.Expr:
    """The derived street id of a snap point (see the module docstring)."""
    return (
        pl.lit(DERIVED_STREET_IDS, pl.Int64)
        + ((lat - UK_BOX[0]) * 1e6).round().cast(pl.Int64) * (2**24)
        + ((lng - UK_BOX[2]) * 1e6).round().cast(pl.Int64)
    )


def snap_point(street_id: int) -> tuple[float, float] | None:
    """The (latitude, longitude) a derived street id was made from, to the micro-degree; None for police.uk's ids."""
    if street_id < DERIVED_STREET_IDS:
        return None
    offset = street_id - DERIVED_STREET_IDS
    return UK_BOX[0] + (offset >> 24) / 1e6, UK_BOX[2] + (offset & (2**24 - 1)) / 1e6


class Check(NamedTuple):
    """A problem a row can have: whether it has it (worked out for every row) and what to say (only for the rows
    that have a problem, so a clean million-row file builds no message at all)."""

    applies: pl.Expr
    message: pl.Expr


def _coordinates(df: pl.DataFrame) -> tuple[pl.DataFrame, Check]:
    """Add `latitude` and `longitude` (floats, or null for a row without a location), and their check.

    The trimmed texts and their numbers are columns (`_lat_t`, `_lat`, ...) computed once: written as
    expressions inside the check, each would be worked out again for every comparison."""
    located = df.with_columns(
        _lat_t=pl.col("lat_text").str.strip_chars(), _lng_t=pl.col("lng_text").str.strip_chars()
    ).with_columns(
        latitude=pl.col("_lat_t").cast(pl.Float64, strict=False),  # "" is null
        longitude=pl.col("_lng_t").cast(pl.Float64, strict=False),
    )
    lat_t, lng_t, lat, lng = pl.col("_lat_t"), pl.col("_lng_t"), pl.col("latitude"), pl.col("longitude")
    south, north, west, east = UK_BOX
    one_missing = (lat_t == "") != (lng_t == "")
    not_number = ((lat_t != "") & lat.is_null()) | ((lng_t != "") & lng.is_null())
    outside = ~(lat.is_between(south, north, closed="left") & lng.is_between(west, east, closed="left"))
    message = (
        pl.when(one_missing)
        .then(pl.format('Latitude "{}" and Longitude "{}": give both or neither', lat_t, lng_t))
        .when(not_number)
        .then(pl.format('Latitude "{}" / Longitude "{}" is not a number', lat_t, lng_t))
        .otherwise(pl.format("Latitude {}, Longitude {} is not in the United Kingdom", lat_t, lng_t))
    )
    applies = one_missing | not_number | ((lat_t != "") & outside.fill_null(True))
    return located, Check(applies, message)


def _too_long(column: str, label: str, limit: int) -> Check:
    return Check(pl.col(column).str.len_chars() > limit, pl.lit(f"{label} is longer than {limit} characters"))


HAS_POINT = pl.col("latitude").is_not_null()


def placed_columns(force_id: int, month, is_demo: bool, *, street_name: pl.Expr, lsoa_code: pl.Expr) -> dict:
    """The columns every placed record (crime or stop) shares, with a street id derived from its snap point."""
    return {
        "force_id": pl.lit(force_id, pl.Int64),
        "month": pl.lit(month_start(month)),
        "latitude": pl.col("latitude"),
        "longitude": pl.col("longitude"),
        "street_id": pl.when(HAS_POINT).then(street_id_expr(pl.col("latitude"), pl.col("longitude"))),
        "street_name": street_name,
        "lsoa_code": lsoa_code,
        "is_demo": pl.lit(is_demo),
    }


def _month_check(month: Month) -> Check:
    text = pl.col("month_text").str.strip_chars()
    message = pl.format('Month "{}" differs from the file name\'s month {}', text, pl.lit(str(month)))
    return Check(text != str(month), message)


def _lsoa_check(table: pl.DataFrame) -> Check:
    codes = table["lsoa_code"].unique()
    bad = codes.filter((codes != "") & ~codes.str.contains(_LSOA_RE))
    code = pl.col("lsoa_code")
    return Check(code.is_in(bad.implode()), pl.format('LSOA code "{}" is not an LSOA code (E01… or W01…)', code))


FIELD_COUNT = Check(pl.col("field_problem").is_not_null(), pl.col("field_problem"))


def _split(
    df: pl.DataFrame, checks: list[Check], data_columns: tuple[str, ...]
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Apply the checks; drop identical copies of rows with a Crime ID; return (kept, problems, copies dropped).

    A row's problems are listed in the order of `checks`, after a wrong number of fields.
    """
    checks = [FIELD_COUNT, *checks]
    df = df.with_columns(_bad=pl.any_horizontal([c.applies.fill_null(False) for c in checks]))
    copies = df.clear()
    is_copy = pl.lit(False)
    if "crime_id" in df.columns:
        with_id = pl.col("crime_id") != ""
        if df.filter(with_id)["crime_id"].is_duplicated().any():
            first_line = pl.col("line").min().over(list(data_columns))
            df = df.with_columns(_first_line=first_line).with_columns(
                _copy=with_id & ~pl.col("_bad") & (pl.col("line") != pl.col("_first_line"))
            )
            copies = df.filter(pl.col("_copy")).drop("_bad", "_copy", "_first_line")
            is_copy = pl.col("_copy")
    flagged = df.filter(pl.col("_bad") | is_copy)
    messages = [pl.when(c.applies.fill_null(False)).then(c.message) for c in checks]
    if copies.height:
        copy_of = pl.format("duplicate of line {}: an identical row with the same Crime ID, kept once", "_first_line")
        messages.append(pl.when(pl.col("_copy")).then(copy_of))
    bad = flagged.select("line", message=pl.concat_str(messages, separator="; ", ignore_nulls=True))
    kept = df.filter(~pl.col("_bad") & ~is_copy).drop("_bad", *(["_copy", "_first_line"] if copies.height else []))
    return kept, bad, copies


def street_frame(
    table: pl.DataFrame,
    *,
    month: Month,
    force_id: int,
    is_btp: bool,
    category_ids: dict[str, int],
    is_demo: bool,
    earlier: pl.DataFrame | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Street-level crime CSV rows -> crime rows (unplaced), problems, and the identical copies left out.

    `earlier` (a file read in pieces) holds rows of the file's earlier pieces that share a Crime ID
    with this piece: a row identical to one of them is a copy, as it would be in the whole file;
    they are not returned again.
    """
    with_earlier = earlier is not None and earlier.height > 0
    if earlier is not None and with_earlier:
        table = pl.concat([earlier, table])
    # A file holds a dozen distinct crime types: map those, not every row.
    slugs = {name: category_slug(name) for name in table["crime_type"].unique().to_list()}
    df, coordinates = _coordinates(table)
    df = df.with_columns(slug=pl.col("crime_type").replace_strict(slugs, default=None, return_dtype=pl.Utf8))
    checks = [
        coordinates,
        _month_check(month),
        Check(
            pl.col("slug").is_null(), pl.format('Crime type "{}" is not a police.uk crime type', pl.col("crime_type"))
        ),
        _lsoa_check(table),
        _too_long("crime_id", "Crime ID", 64),
        _too_long("location", "Location", 255),
        _too_long("reported_by", "Reported by", 120),
        _too_long("falls_within", "Falls within", 120),
        _too_long("lsoa_name", "LSOA name", 120),
        _too_long("last_outcome", "Last outcome category", 120),
    ]
    kept, bad, copies = _split(df, checks, STREET_NAMES)
    columns = {
        **placed_columns(
            force_id,
            month,
            is_demo,
            street_name=pl.when(HAS_POINT).then(pl.col("location")).otherwise(pl.lit("")),
            lsoa_code=pl.col("lsoa_code"),
        ),
        "persistent_id": pl.col("crime_id"),
        "api_id": pl.lit(None, pl.Int64),
        "category_id": pl.col("slug").replace_strict(category_ids, return_dtype=pl.Int64),
        "reported_by": pl.col("reported_by"),
        "falls_within": pl.col("falls_within"),
        "lsoa_name": pl.col("lsoa_name"),
        "location_type": pl.when(HAS_POINT).then(pl.lit("BTP" if is_btp else "Force")).otherwise(pl.lit("")),
        "location_subtype": pl.lit(""),
        "context": pl.col("context"),
        "outcome_category": pl.col("last_outcome"),
        "outcome_month": pl.lit(None, pl.Date),
    }
    # A copy is identical to the row kept, so the same columns describe it; `line` says which copy.
    dropped = copies.select(**columns, line=pl.col("line"))
    if with_earlier:
        assert earlier is not None
        this_piece = ~pl.col("line").is_in(earlier["line"].implode())
        return kept.filter(this_piece).select(**columns), bad.filter(this_piece), dropped.filter(this_piece)
    return kept.select(**columns), bad, dropped


def outcomes_frame(
    table: pl.DataFrame, *, month: Month, force_id: int, is_demo: bool
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Outcomes CSV rows -> outcome rows and problems."""
    df, coordinates = _coordinates(table)
    checks = [
        coordinates,
        _month_check(month),
        Check(pl.col("crime_id") == "", pl.lit("Crime ID is empty: an outcome must say which crime it is for")),
        Check(pl.col("outcome_type").str.strip_chars() == "", pl.lit("Outcome type is empty")),
        _lsoa_check(table),
        _too_long("crime_id", "Crime ID", 64),
        _too_long("outcome_type", "Outcome type", 160),
    ]
    kept, bad, _ = _split(df, checks, OUTCOMES_NAMES)
    names = kept["outcome_type"].unique().to_list()
    codes = {n: outcome_code(n) for n in names}
    rows = kept.select(
        persistent_id=pl.col("crime_id"),
        force_id=pl.lit(force_id, pl.Int64),
        month=pl.lit(month_start(month)),
        code=pl.col("outcome_type").replace_strict(codes, return_dtype=pl.Utf8),
        name=pl.col("outcome_type"),
        person_id=pl.lit(None, pl.Int64),
        latitude=pl.col("latitude"),
        longitude=pl.col("longitude"),
        lsoa_code=pl.col("lsoa_code"),
        is_demo=pl.lit(is_demo),
    )
    return rows, bad


def _bool_column(source: str, label: str) -> tuple[pl.Expr, Check]:
    text = pl.col(source).str.strip_chars().str.to_lowercase()
    value = text.replace_strict(_BOOL, default=None, return_dtype=pl.Boolean)
    problem = Check(~text.is_in(list(_BOOL)), pl.format('{} "{}" is not True or False', pl.lit(label), pl.col(source)))
    return value, problem


def stops_frame(
    table: pl.DataFrame, *, month: Month, force_id: int, is_demo: bool
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Stop-and-search CSV rows -> stop rows (unplaced) and problems."""
    start = dt.datetime.combine(month_start(month), dt.time(), tzinfo=dt.UTC)
    end = dt.datetime.combine(month_start(month.add(1)), dt.time(), tzinfo=dt.UTC)
    text = pl.col("date").str.strip_chars()
    when = pl.coalesce(
        text.str.to_datetime("%Y-%m-%dT%H:%M:%S%z", strict=False, time_zone="UTC"),
        text.str.to_datetime("%Y-%m-%dT%H:%M:%S", strict=False).dt.replace_time_zone("UTC"),
        text.str.to_datetime("%Y-%m-%d %H:%M:%S", strict=False).dt.replace_time_zone("UTC"),
    )
    operation, operation_problem = _bool_column("operation_text", "Part of a policing operation")
    linked, linked_problem = _bool_column("linked_text", "Outcome linked to object of search")
    removal, removal_problem = _bool_column("removal_text", "Removal of more than just outer clothing")
    df, coordinates = _coordinates(table)
    df = df.with_columns(when=when)
    checks = [
        coordinates,
        Check(
            ~pl.col("type").is_in(list(STOP_TYPES)),
            pl.format('Type "{}" is not one of {}', pl.col("type"), pl.lit(", ".join(STOP_TYPES))),
        ),
        Check(pl.col("when").is_null(), pl.format('Date "{}" is not a date and time', pl.col("date"))),
        Check(
            ~pl.col("when").is_between(start - dt.timedelta(days=1), end + dt.timedelta(days=1), closed="left"),
            pl.format("Date {} is not in the file name's month {}", pl.col("date"), pl.lit(str(month))),
        ),
        operation_problem,
        linked_problem,
        removal_problem,
        _too_long("operation_name", "Policing operation", 200),
        _too_long("self_defined_ethnicity", "Self-defined ethnicity", 120),
        _too_long("legislation", "Legislation", 160),
        _too_long("object_of_search", "Object of search", 120),
        _too_long("outcome", "Outcome", 160),
        _too_long("gender", "Gender", 20),
        _too_long("age_range", "Age range", 20),
        _too_long("officer_defined_ethnicity", "Officer-defined ethnicity", 40),
    ]
    kept, bad, _ = _split(df, checks, STOPS_NAMES)
    rows = kept.select(
        **placed_columns(force_id, month, is_demo, street_name=pl.lit(""), lsoa_code=pl.lit("")),
        api_id=pl.lit(""),
        type=pl.col("type"),
        involved_person=pl.col("type") != "Vehicle search",
        datetime=pl.col("when"),
        operation=operation,
        operation_name=pl.col("operation_name"),
        gender=pl.col("gender"),
        age_range=pl.col("age_range"),
        self_defined_ethnicity=pl.col("self_defined_ethnicity"),
        officer_defined_ethnicity=pl.col("officer_defined_ethnicity"),
        legislation=pl.col("legislation"),
        object_of_search=pl.col("object_of_search"),
        outcome=pl.col("outcome"),
        outcome_code=pl.col("outcome").replace_strict(STOP_OUTCOME_CODES, default="", return_dtype=pl.Utf8),
        outcome_linked_to_object_of_search=linked,
        removal_of_more_than_outer_clothing=removal,
    )
    return rows, bad


# -- saved API responses ------------------------------------------------------------


def _text(value: Any) -> str:
    return "" if value is None or value is False else str(value)


def _object(value: Any) -> dict:
    """A JSON object, or {} for anything else (a record's optional parts may be missing or malformed)."""
    return value if isinstance(value, dict) else {}


BIGINT = (-(2**63), 2**63)


def _whole_number(value: Any) -> int | None:
    """An id as the API writes it (a number or its digits) that fits a 64-bit column, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return value if isinstance(value, int) and BIGINT[0] <= value < BIGINT[1] else None


def _api_location(location: Any) -> tuple[float | None, float | None, int | None, str, str | None]:
    """(latitude, longitude, street id, street name, problem) of an API record's `location` (null: no location)."""
    if not location:
        return None, None, None, "", None
    if not isinstance(location, dict):
        return None, None, None, "", f"location {_text(location)[:60]!r} is not a point"
    try:
        raw_lat: Any = location.get("latitude")
        raw_lng: Any = location.get("longitude")
        lat, lng = float(raw_lat), float(raw_lng)
    except (TypeError, ValueError, OverflowError):
        shown = f"{_text(location.get('latitude'))[:30]!r}, {_text(location.get('longitude'))[:30]!r}"
        return None, None, None, "", f"location {shown} is not a point"
    if not (UK_BOX[0] <= lat < UK_BOX[1] and UK_BOX[2] <= lng < UK_BOX[3]):
        return None, None, None, "", f"location {lat}, {lng} is not in the United Kingdom"
    street = _object(location.get("street"))
    street_id = _whole_number(street.get("id")) if isinstance(street.get("id"), int) else None
    return lat, lng, street_id, _text(street.get("name"))[:255], None


def api_street_frame(
    records: Iterable[tuple[str, dict]],
    *,
    month: Month,
    force_id: int,
    btp_id: int | None,
    category_ids: dict[str, int],
    is_demo: bool,
) -> tuple[pl.DataFrame, list[tuple[str, str]], pl.DataFrame]:
    """API crime records (where, record) -> crime rows (unplaced), problems, and the copies left out.

    The same crime comes back from every polygon it touches, so records are de-duplicated
    on their API `id` (first one kept); each later copy is returned with its `where`.
    """
    seen: set[int] = set()
    rows: list[tuple] = []
    problems: list[tuple[str, str]] = []
    copies: list[tuple[int, str]] = []
    for where, rec in records:
        if not isinstance(rec, dict):
            problems.append((where, "not a crime record (expected a JSON object)"))
            continue
        reasons = []
        api_id = _whole_number(rec.get("id"))
        if api_id is None:
            reasons.append(f'id "{_text(rec.get("id"))[:40]}" is not a whole number')
        if api_id is not None and api_id in seen:
            copies.append((api_id, where))
            continue
        category = _text(rec.get("category"))
        if category not in CATEGORY_NAMES:
            reasons.append(f'category "{category}" is not a police.uk crime category')
        if _text(rec.get("month")) != str(month):
            reasons.append(f'month "{_text(rec.get("month"))}" differs from the file name\'s month {month}')
        lat, lng, street_id, street_name, problem = _api_location(rec.get("location"))
        if problem:
            reasons.append(problem)
        location_type = _text(rec.get("location_type"))
        if location_type == "BTP" and btp_id is None:
            reasons.append("a British Transport Police record, but the force btp is not loaded")
        if reasons:
            problems.append((where, "; ".join(reasons)))
            continue
        assert api_id is not None  # a missing id added a reason above
        seen.add(api_id)
        status = _object(rec.get("outcome_status"))
        outcome_month = None
        if isinstance(status.get("date"), str):
            try:
                outcome_month = month_start(Month.parse(status["date"]))
            except ValueError:
                outcome_month = None
        rows.append(
            (
                btp_id if location_type == "BTP" else force_id,
                lat,
                lng,
                street_id,
                street_name,
                _text(rec.get("persistent_id"))[:64],
                api_id,
                category_ids[category],
                location_type[:10],
                _text(rec.get("location_subtype"))[:40],
                _text(rec.get("context")),
                _text(status.get("category"))[:120],
                outcome_month,
            )
        )
    frame = pl.DataFrame(
        rows,
        schema={
            "force_id": pl.Int64,
            "latitude": pl.Float64,
            "longitude": pl.Float64,
            "street_id": pl.Int64,
            "street_name": pl.Utf8,
            "persistent_id": pl.Utf8,
            "api_id": pl.Int64,
            "category_id": pl.Int64,
            "location_type": pl.Utf8,
            "location_subtype": pl.Utf8,
            "context": pl.Utf8,
            "outcome_category": pl.Utf8,
            "outcome_month": pl.Date,
        },  # fmt: skip
        orient="row",
    ).with_columns(
        month=pl.lit(month_start(month)),
        lsoa_code=pl.lit(""),
        is_demo=pl.lit(is_demo),
        reported_by=pl.lit(""),
        falls_within=pl.lit(""),
        lsoa_name=pl.lit(""),
        street_id=pl.when(pl.col("latitude").is_not_null()).then(
            pl.coalesce("street_id", street_id_expr(pl.col("latitude"), pl.col("longitude")))
        ),
    )
    # Only ids already kept count as copies, so each copy matches exactly one kept row.
    dropped = pl.DataFrame(copies, schema={"api_id": pl.Int64, "where": pl.Utf8}, orient="row").join(
        frame, on="api_id", how="inner", maintain_order="left"
    )
    return frame, problems, dropped


def api_stops_frame(
    records: Iterable[tuple[str, dict]], *, month: Month, force_id: int, is_demo: bool
) -> tuple[pl.DataFrame, list[tuple[str, str]]]:
    """API stop records (where, record) -> stop rows (unplaced) and problems."""
    start = dt.datetime.combine(month_start(month), dt.time(), tzinfo=dt.UTC)
    end = dt.datetime.combine(month_start(month.add(1)), dt.time(), tzinfo=dt.UTC)
    rows, problems = [], []
    for where, rec in records:
        if not isinstance(rec, dict):
            problems.append((where, "not a stop record (expected a JSON object)"))
            continue
        reasons = []
        kind = _text(rec.get("type"))
        if kind not in STOP_TYPES:
            reasons.append(f'type "{kind}" is not one of {", ".join(STOP_TYPES)}')
        try:
            when = dt.datetime.fromisoformat(_text(rec.get("datetime")))
            when = (when if when.tzinfo else when.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)
            if not (start - dt.timedelta(days=1) <= when < end + dt.timedelta(days=1)):
                reasons.append(f"datetime {rec.get('datetime')} is not in the file name's month {month}")
        except (ValueError, OverflowError):
            when = None
            reasons.append(f'datetime "{_text(rec.get("datetime"))[:40]}" is not a date and time')
        lat, lng, street_id, street_name, problem = _api_location(rec.get("location"))
        if problem:
            reasons.append(problem)
        if reasons:
            problems.append((where, "; ".join(reasons)))
            continue
        outcome_object = _object(rec.get("outcome_object"))
        outcome = _text(rec.get("outcome")) or _text(outcome_object.get("name"))
        rows.append(
            (
                lat, lng, street_id, street_name, kind,
                bool(rec.get("involved_person", kind != "Vehicle search")), when,
                rec.get("operation") if isinstance(rec.get("operation"), bool) else None,
                _text(rec.get("operation_name"))[:200], _text(rec.get("gender"))[:20],
                _text(rec.get("age_range"))[:20], _text(rec.get("self_defined_ethnicity"))[:120],
                _text(rec.get("officer_defined_ethnicity"))[:40], _text(rec.get("legislation"))[:160],
                _text(rec.get("object_of_search"))[:120], outcome[:160],
                (_text(outcome_object.get("id")) or STOP_OUTCOME_CODES.get(outcome, ""))[:80],
                _opt_bool(rec.get("outcome_linked_to_object_of_search")),
                _opt_bool(rec.get("removal_of_more_than_outer_clothing")),
            )
        )  # fmt: skip
    frame = pl.DataFrame(
        rows,
        schema={
            "latitude": pl.Float64,
            "longitude": pl.Float64,
            "street_id": pl.Int64,
            "street_name": pl.Utf8,
            "type": pl.Utf8,
            "involved_person": pl.Boolean,
            "datetime": pl.Datetime("us", "UTC"),
            "operation": pl.Boolean,
            "operation_name": pl.Utf8,
            "gender": pl.Utf8,
            "age_range": pl.Utf8,
            "self_defined_ethnicity": pl.Utf8,
            "officer_defined_ethnicity": pl.Utf8,
            "legislation": pl.Utf8,
            "object_of_search": pl.Utf8,
            "outcome": pl.Utf8,
            "outcome_code": pl.Utf8,
            "outcome_linked_to_object_of_search": pl.Boolean,
            "removal_of_more_than_outer_clothing": pl.Boolean,
        },  # fmt: skip
        orient="row",
    ).with_columns(
        force_id=pl.lit(force_id, pl.Int64),
        month=pl.lit(month_start(month)),
        lsoa_code=pl.lit(""),
        is_demo=pl.lit(is_demo),
        api_id=pl.lit(""),
        street_id=pl.when(pl.col("latitude").is_not_null()).then(
            pl.coalesce("street_id", street_id_expr(pl.col("latitude"), pl.col("longitude")))
        ),
    )
    return frame, problems


def _opt_bool(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def month_start(month: Month) -> dt.date:
    return dt.date(month.year, month.month, 1)
