"""Rows as police.uk writes them: crimes, outcomes and stops as plain JSON-ready dicts.

Built by hand (not through pydantic) because a street query can return 10,000 records; the declared
response schemas in `openward.crime.schemas` document the same shapes for OpenAPI, and the shape tests
compare them with real recorded police.uk responses.
"""

from __future__ import annotations

import datetime as dt

CRIME_FIELDS = (
    "pk",
    "api_id",
    "category__slug",
    "persistent_id",
    "month",
    "latitude",
    "longitude",
    "street_id",
    "street_name",
    "location_type",
    "location_subtype",
    "context",
    "outcome_category",
    "outcome_month",
)

OUTCOME_FIELDS = ("pk", "persistent_id", "code", "name", "month", "person_id")

STOP_FIELDS = (
    "pk",
    "type",
    "involved_person",
    "datetime",
    "operation",
    "operation_name",
    "latitude",
    "longitude",
    "street_id",
    "street_name",
    "gender",
    "age_range",
    "self_defined_ethnicity",
    "officer_defined_ethnicity",
    "legislation",
    "object_of_search",
    "outcome",
    "outcome_code",
    "outcome_linked_to_object_of_search",
    "removal_of_more_than_outer_clothing",
)


def month_text(d: dt.date | None) -> str | None:
    return f"{d.year:04d}-{d.month:02d}" if d else None


def coord(value: float) -> str:
    return f"{value:.6f}"


def location(row) -> dict | None:
    if row["latitude"] is None or row["longitude"] is None:
        return None
    return {
        "latitude": coord(row["latitude"]),
        "street": {"id": row["street_id"] or 0, "name": row["street_name"]},
        "longitude": coord(row["longitude"]),
    }


def crime_json(row, with_outcome: bool = True) -> dict:
    loc = location(row)
    out = {
        "category": row["category__slug"],
        "location_type": (row["location_type"] or "Force") if loc else None,
        "location": loc,
        "context": row["context"] or "",
    }
    if with_outcome:
        out["outcome_status"] = (
            {"category": row["outcome_category"], "date": month_text(row["outcome_month"]) or month_text(row["month"])}
            if row["outcome_category"]
            else None
        )
    out.update(
        {
            "persistent_id": row["persistent_id"] or "",
            "id": row["api_id"] if row["api_id"] is not None else row["pk"],
            "location_subtype": row["location_subtype"] or "",
            "month": month_text(row["month"]),
        }
    )
    return out


def outcome_json(row) -> dict:
    return {
        "category": {"code": row["code"], "name": row["name"]},
        "date": month_text(row["month"]),
        "person_id": row["person_id"],
    }


def _text(value: str) -> str | None:
    return value or None


def stop_json(row) -> dict:
    when = row["datetime"].astimezone(dt.UTC).isoformat() if row["datetime"] else None
    return {
        "age_range": _text(row["age_range"]),
        "outcome": row["outcome"] or "",
        "involved_person": row["involved_person"],
        "self_defined_ethnicity": _text(row["self_defined_ethnicity"]),
        "gender": _text(row["gender"]),
        "legislation": _text(row["legislation"]),
        "outcome_linked_to_object_of_search": row["outcome_linked_to_object_of_search"],
        "datetime": when,
        "removal_of_more_than_outer_clothing": row["removal_of_more_than_outer_clothing"],
        "outcome_object": (
            {"id": row["outcome_code"], "name": row["outcome"]} if row["outcome"] or row["outcome_code"] else None
        ),
        "location": location(row),
        "operation": row["operation"],
        "officer_defined_ethnicity": _text(row["officer_defined_ethnicity"]),
        "type": row["type"],
        "operation_name": _text(row["operation_name"]),
        "object_of_search": _text(row["object_of_search"]),
    }
