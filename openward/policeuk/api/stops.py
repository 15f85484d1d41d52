"""police.uk-compatible stop and search endpoints (see docs/POLICEUK_API.md)."""

from __future__ import annotations

import datetime as dt

from django.http import StreamingHttpResponse
from ninja import Router

from openward.core import access, deadline
from openward.crime.models import Stop
from openward.crime.schemas import StopRecord

from .common import (
    ERRORS,
    STREAM_CHUNK,
    ApiError,
    Area,
    force_or_404,
    handles_errors,
    json_array_stream,
    json_response,
    location,
    location_id_or_nearest,
    param,
    parse_date,
)

router = Router()

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


def stops_stream(queryset) -> StreamingHttpResponse:
    """Every stop in `queryset`, in time order, streamed: police.uk answers a whole force-month."""
    rows = queryset.order_by("datetime", "pk").values(*STOP_FIELDS).iterator(chunk_size=STREAM_CHUNK)
    return json_array_stream(stop_json(r) for r in rows)


def stops_by_pk(pks: list[int]) -> list[dict]:
    out = []
    for start in range(0, len(pks), 900):
        deadline.check()
        out.extend(Stop.objects.filter(pk__in=pks[start : start + 900]).values(*STOP_FIELDS))
    out.sort(key=lambda r: (r["datetime"], r["pk"]))
    return [stop_json(r) for r in out]


@router.api_operation(
    ["GET", "POST"],
    "/stops-street",
    response={200: list[StopRecord], **ERRORS},
    summary="Stop and search within a mile of a point, or in a polygon",
)
@handles_errors
@access.public
def stops_street(
    request, lat: str | None = None, lng: str | None = None, poly: str | None = None, date: str | None = None
):
    area = Area(request, lat, lng, poly)
    month = parse_date(param(request, "date", date), Stop)
    return json_response(stops_by_pk(area.select(Stop.objects.filter(month=month), what="stops")))


@router.get("/stops-at-location", response={200: list[StopRecord], **ERRORS}, summary="Stop and search at one street")
@handles_errors
@access.public
def stops_at_location(request, location_id: str | None = None, date: str | None = None):
    month = parse_date(date, Stop)
    if location_id in (None, ""):
        raise ApiError(400, "Give location_id, a street id such as 883415.")
    street = location_id_or_nearest(request, location_id, None, None, Stop.objects.none())
    return stops_stream(Stop.objects.filter(month=month, street_id=street))


@router.get(
    "/stops-no-location",
    response={200: list[StopRecord], **ERRORS},
    summary="Stop and search a force could not give a location for",
)
@handles_errors
@access.public
def stops_no_location(request, force: str | None = None, date: str | None = None):
    f = force_or_404(force)
    month = parse_date(date, Stop)
    return stops_stream(Stop.objects.filter(force=f, month=month, latitude=None))


@router.get("/stops-force", response={200: list[StopRecord], **ERRORS}, summary="All stop and search by a force")
@handles_errors
@access.public
def stops_force(request, force: str | None = None, date: str | None = None):
    f = force_or_404(force)
    # police.uk uses the latest month overall here, even if the force has no data for it.
    month = parse_date(date, Stop)
    return stops_stream(Stop.objects.filter(force=f, month=month))
