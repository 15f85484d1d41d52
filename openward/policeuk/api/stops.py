"""police.uk-compatible stop and search endpoints (https://data.police.uk/docs/)."""

from __future__ import annotations

from django.http import StreamingHttpResponse
from ninja import Router

from openward.core import access, deadline
from openward.crime.models import Stop
from openward.crime.schemas import StopRecord

from .geometry import Area
from .http import ERRORS, STREAM_CHUNK, ApiError, handles_errors, json_array_stream, json_response, param
from .params import force_or_404, location_id_or_nearest, parse_date
from .serialisers import STOP_FIELDS, stop_json

router = Router()


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
