"""What the police.uk crime and stop endpoints share: errors, parameters, the area asked about, JSON writing.

A parameter comes from the query string or, for the endpoints police.uk also accepts by POST, the
form body; bad input raises ApiError, which `handles_errors` turns into its status and a message.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math

import numpy as np
from django.db.models import Max
from django.http import HttpResponse, StreamingHttpResponse

from openward.areas.models import Force
from openward.core import deadline
from openward.core.values import InvalidMonth, Month
from openward.crime.analytics.scope import ScopeError, parse_poly, rows_near
from openward.crime.models import Crime, Outcome
from openward.crime.schemas import Problem

MILE_M = 1609.344
EARTH_RADIUS_M = 6_371_008.8
MAX_RESULTS = 10_000
STREAM_CHUNK = 500
MAX_GET_URL = 4094
UNSET_DATES = {"", "undefined", "null", "none"}

ERRORS = {400: Problem, 404: Problem, 503: Problem}


class ApiError(Exception):
    def __init__(self, status: int, detail: str):
        super().__init__(detail)
        self.status, self.detail = status, detail


def json_response(data, status: int = 200) -> HttpResponse:
    return HttpResponse(json.dumps(data, separators=(",", ":")), status=status, content_type="application/json")


def json_array_stream(records, chunk: int = STREAM_CHUNK) -> StreamingHttpResponse:
    """A JSON array written while it is read, `chunk` records at a time, so memory stays bounded
    however many records a month holds (a Met month has 12,000–18,000 stops)."""

    def pieces():
        yield b"["
        batch, first = [], True
        for record in records:
            batch.append(json.dumps(record, separators=(",", ":")))
            if len(batch) == chunk:
                yield (("" if first else ",") + ",".join(batch)).encode()
                batch, first = [], False
        if batch:
            yield (("" if first else ",") + ",".join(batch)).encode()
        yield b"]"

    return StreamingHttpResponse(pieces(), content_type="application/json")


def problem(exc: ApiError) -> HttpResponse:
    return json_response({"detail": exc.detail}, status=exc.status)


def handles_errors(view):
    """Turn ApiError into its status and a JSON message; refuse over-long GET URLs as police.uk does;
    stop (503) work that runs past the request deadline."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            if request.method == "GET" and len(request.get_full_path()) > MAX_GET_URL:
                raise ApiError(
                    400,
                    f"The URL is longer than {MAX_GET_URL} characters. Send the same parameters "
                    "as a POST form body instead.",
                )
            with deadline.limit():
                return view(request, *args, **kwargs)
        except ApiError as exc:
            return problem(exc)
        except deadline.DeadlineExceeded as exc:
            return problem(ApiError(503, str(exc)))

    return wrapper


def param(request, name: str, value):
    """A parameter from the query string, or from a POST form body (police.uk accepts both)."""
    if value is None and request.method == "POST":
        value = request.POST.get(name)
    return value


def latest_month(model=Crime) -> dt.date | None:
    return model.objects.aggregate(m=Max("month"))["m"]


def parse_date(value, model=Crime) -> dt.date | None:
    """`date` as a month; absent or "undefined" (some JavaScript clients send it) means the latest month."""
    if value is None or str(value).strip().lower() in UNSET_DATES:
        return latest_month(model)
    try:
        month = Month.parse(value)
    except InvalidMonth as exc:
        raise ApiError(400, str(exc)) from None
    if not 1900 <= month.year <= 9999:
        raise ApiError(400, f'"{str(value)[:20]}" is not a month we hold. Write it as YYYY-MM, for example 2024-01.')
    return dt.date(month.year, month.month, 1)


def parse_lat_lng(lat, lng) -> tuple[float, float]:
    try:
        la, ln = float(lat), float(lng)
    except (TypeError, ValueError):
        raise ApiError(400, "Give lat and lng as decimal degrees, e.g. lat=51.5074&lng=-0.1278.") from None
    if not (-90 <= la <= 90 and -180 <= ln <= 180) or math.isnan(la) or math.isnan(ln):
        raise ApiError(400, "lat must be between -90 and 90 and lng between -180 and 180.")
    return la, ln


def distance_m(lat, lng, lats, lngs) -> np.ndarray:
    lat1, lng1 = math.radians(lat), math.radians(lng)
    lat2, lng2 = np.radians(np.asarray(lats, dtype=float)), np.radians(np.asarray(lngs, dtype=float))
    a = np.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * np.cos(lat2) * np.sin((lng2 - lng1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.minimum(a, 1.0)))


class Area:
    """A police.uk area: one mile around a point, or a polygon; narrows by box in SQL, then exactly."""

    def __init__(self, request, lat, lng, poly):
        lat, lng, poly = param(request, "lat", lat), param(request, "lng", lng), param(request, "poly", poly)
        self.polygon = None
        if poly not in (None, ""):
            try:
                self.polygon = parse_poly(poly)
            except ScopeError as exc:
                raise ApiError(400, str(exc)) from None
            self.min_lng, self.min_lat, self.max_lng, self.max_lat = self.polygon.bounds
            self.key = f"poly:{self.polygon.wkb_hex}"
        elif lat not in (None, "") or lng not in (None, ""):
            self.lat, self.lng = parse_lat_lng(lat, lng)
            self.key = f"point:{self.lat!r},{self.lng!r}"
            dlat = math.degrees(MILE_M / EARTH_RADIUS_M)
            dlng = dlat / max(math.cos(math.radians(self.lat)), 1e-6)
            self.min_lat, self.max_lat = self.lat - dlat, self.lat + dlat
            self.min_lng, self.max_lng = self.lng - dlng, self.lng + dlng
        else:
            raise ApiError(
                400,
                "Give either lat and lng (a point; results within one mile) or poly "
                "(lat,lng:lat,lng:… for a custom area).",
            )

    def narrow(self, queryset):
        """Rows that can lie in the area. Crimes and stops go through their (ward, month) index."""
        bounds = (self.min_lng, self.min_lat, self.max_lng, self.max_lat)
        if queryset.model is Outcome:
            return queryset.filter(
                latitude__gte=self.min_lat,
                latitude__lte=self.max_lat,
                longitude__gte=self.min_lng,
                longitude__lte=self.max_lng,
            )
        return queryset.filter(rows_near(bounds))

    def keep(self, lats, lngs) -> np.ndarray:
        import shapely

        lats, lngs = np.asarray(lats, dtype=float), np.asarray(lngs, dtype=float)
        if self.polygon is not None:
            return shapely.contains_xy(self.polygon, lngs, lats)
        return distance_m(self.lat, self.lng, lats, lngs) <= MILE_M

    def select(self, queryset, limit: int | None = MAX_RESULTS, what: str = "crimes") -> list[int]:
        """Primary keys of the rows inside the area, in one query; 503 when more than `limit`."""
        rows = list(self.narrow(queryset).values_list("pk", "latitude", "longitude"))
        if not rows:
            return []
        deadline.check()
        inside = self.keep([r[1] for r in rows], [r[2] for r in rows])
        pks = [r[0] for r, ok in zip(rows, inside, strict=True) if ok]
        if limit is not None and len(pks) > limit:
            raise ApiError(
                503,
                f"The area holds {len(pks):,} {what}, more than the {limit:,} one request may return. "
                "Ask for a smaller area.",
            )
        return pks


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


def force_or_404(slug) -> Force:
    if not slug:
        raise ApiError(400, "Give a force, e.g. force=metropolitan. See /api/forces for the list.")
    force = Force.objects.filter(slug=slug).first()
    if force is None:
        raise ApiError(404, f'There is no force "{str(slug)[:60]}". See /api/forces for the list.')
    return force


def nearest_street(lat: float, lng: float, queryset) -> int | None:
    box = math.degrees(MILE_M / EARTH_RADIUS_M)
    rows = list(
        queryset.filter(
            latitude__gte=lat - box, latitude__lte=lat + box, longitude__gte=lng - 2 * box, longitude__lte=lng + 2 * box
        )
        .exclude(street_id=None)
        .values_list("street_id", "latitude", "longitude")
        .distinct()
    )
    if not rows:
        return None
    d = distance_m(lat, lng, [r[1] for r in rows], [r[2] for r in rows])
    return rows[int(np.argmin(d))][0]


def parse_location_id(value) -> int:
    """A police.uk street id: a positive whole number that fits the database's 64-bit column."""
    try:
        street = int(value)
    except (TypeError, ValueError):
        street = 0
    if not 0 < street < 2**63:
        raise ApiError(400, "location_id is a street id, a whole number such as 883498.")
    return street


def location_id_or_nearest(request, location_id, lat, lng, queryset) -> int | None:
    location_id = param(request, "location_id", location_id)
    if location_id not in (None, ""):
        return parse_location_id(location_id)
    lat, lng = param(request, "lat", lat), param(request, "lng", lng)
    if lat in (None, "") and lng in (None, ""):
        raise ApiError(400, "Give location_id (a street id) or lat and lng.")
    return nearest_street(*parse_lat_lng(lat, lng), queryset)
