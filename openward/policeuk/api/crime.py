"""police.uk-compatible crime endpoints (see docs/POLICEUK_API.md).

Responses are built as plain JSON (not through pydantic) because a street query can return
10,000 records; the declared response schemas document the same shapes for OpenAPI, and the
shape tests compare them with real recorded police.uk responses.
"""

from __future__ import annotations

import datetime as dt
import json
import math

import numpy as np
from django.db.models import Max
from django.http import HttpResponse
from ninja import Router

from openward.areas.models import Force
from openward.core import access
from openward.core.values import InvalidMonth, Month
from openward.crime.analytics.cache import cached
from openward.crime.analytics.scope import ScopeError, parse_poly, rows_near
from openward.crime.models import Crime, CrimeCategory, Outcome, Stop
from openward.crime.schemas import (
    CaseHistory,
    CategoryItem,
    CrimeRecord,
    LastUpdated,
    OutcomeAtLocation,
    Problem,
    StreetDate,
)

router = Router()

MILE_M = 1609.344
EARTH_RADIUS_M = 6_371_008.8
MAX_RESULTS = 10_000
MAX_GET_URL = 4094
UNSET_DATES = {"", "undefined", "null", "none"}

ERRORS = {400: Problem, 404: Problem, 503: Problem}


class ApiError(Exception):
    def __init__(self, status: int, detail: str):
        super().__init__(detail)
        self.status, self.detail = status, detail


def json_response(data, status: int = 200) -> HttpResponse:
    return HttpResponse(json.dumps(data, separators=(",", ":")), status=status, content_type="application/json")


def problem(exc: ApiError) -> HttpResponse:
    return json_response({"detail": exc.detail}, status=exc.status)


def handles_errors(view):
    """Turn ApiError into its status and a JSON message; refuse over-long GET URLs as police.uk does."""
    import functools

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            if request.method == "GET" and len(request.get_full_path()) > MAX_GET_URL:
                raise ApiError(
                    400,
                    f"The URL is longer than {MAX_GET_URL} characters. Send the same parameters "
                    "as a POST form body instead.",
                )
            return view(request, *args, **kwargs)
        except ApiError as exc:
            return problem(exc)

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


def crimes_by_pk(pks: list[int], with_outcome: bool = True) -> list[dict]:
    out = []
    for start in range(0, len(pks), 900):
        chunk = Crime.objects.filter(pk__in=pks[start : start + 900]).order_by("pk").values(*CRIME_FIELDS)
        out.extend(crime_json(r, with_outcome) for r in chunk)
    out.sort(key=lambda c: c["id"])
    return out


def category_filter(queryset, category: str):
    if category == "all-crime":
        return queryset
    if not CrimeCategory.objects.filter(slug=category).exists():
        raise ApiError(404, f'There is no crime category "{category[:60]}". See /api/crime-categories for the list.')
    return queryset.filter(category__slug=category)


def force_or_404(slug) -> Force:
    if not slug:
        raise ApiError(400, "Give a force, e.g. force=metropolitan. See /api/forces for the list.")
    force = Force.objects.filter(slug=slug).first()
    if force is None:
        raise ApiError(404, f'There is no force "{str(slug)[:60]}". See /api/forces for the list.')
    return force


@router.get("/crime-categories", response={200: list[CategoryItem], 400: Problem}, summary="Crime categories")
@handles_errors
@access.public
def crime_categories(request, date: str | None = None):
    month = parse_date(date)

    def compute():
        categories = CrimeCategory.objects.all()
        if month:
            in_use = set(Crime.objects.filter(month=month).values_list("category_id", flat=True).distinct())
            categories = [
                c
                for c in categories
                if c.pk in in_use
                or (
                    (c.first_month is None or c.first_month <= month)
                    and (c.last_month is None or c.last_month >= month)
                )
            ]
        items = sorted(categories, key=lambda c: (c.slug == "other-crime", c.slug))
        return [{"url": "all-crime", "name": "All crime"}, *({"url": c.slug, "name": c.name} for c in items)]

    return json_response(cached(f"categories:{month}", compute))


@router.get("/crime-last-updated", response=LastUpdated, summary="When crime data was last updated")
@access.public
def crime_last_updated(request):
    month = latest_month()
    return json_response({"date": month.isoformat() if month else None})


def _months_newest_first(model) -> list[dt.date]:
    """Distinct months, one index probe each (MAX below the last), instead of scanning every row."""
    months, below = [], None
    while True:
        qs = model.objects.all() if below is None else model.objects.filter(month__lt=below)
        m = qs.aggregate(m=Max("month"))["m"]
        if m is None:
            return months
        months.append(m)
        below = m


@router.get("/crimes-street-dates", response=list[StreetDate], summary="Months with street-level crime")
@access.public
def crimes_street_dates(request):
    def compute():
        forces: dict[dt.date, set[str]] = {}
        for month, slug in Stop.objects.values_list("month", "force__slug").distinct().order_by():
            forces.setdefault(month, set()).add(slug)
        months = sorted(set(_months_newest_first(Crime)) | set(forces), reverse=True)
        return [{"date": month_text(m), "stop-and-search": sorted(forces.get(m, ()))} for m in months]

    return json_response(cached("street-dates", compute))


@router.api_operation(
    ["GET", "POST"],
    "/crimes-street/{category}",
    response={200: list[CrimeRecord], **ERRORS},
    summary="Street-level crimes within a mile of a point, or in a polygon",
)
@handles_errors
@access.public
def crimes_street(
    request,
    category: str,
    lat: str | None = None,
    lng: str | None = None,
    poly: str | None = None,
    date: str | None = None,
):
    area = Area(request, lat, lng, poly)
    month = parse_date(param(request, "date", date))
    crimes = category_filter(Crime.objects.filter(month=month), category)
    key = f"crimes-street|{category}|{month}|{area.key}"
    body = cached(key, lambda: json.dumps(crimes_by_pk(area.select(crimes)), separators=(",", ":")))
    return HttpResponse(body, content_type="application/json")


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


def location_id_or_nearest(request, location_id, lat, lng, queryset) -> int | None:
    location_id = param(request, "location_id", location_id)
    if location_id not in (None, ""):
        try:
            return int(location_id)
        except ValueError:
            raise ApiError(400, "location_id is a street id, a whole number such as 883498.") from None
    lat, lng = param(request, "lat", lat), param(request, "lng", lng)
    if lat in (None, "") and lng in (None, ""):
        raise ApiError(400, "Give location_id (a street id) or lat and lng.")
    return nearest_street(*parse_lat_lng(lat, lng), queryset)


@router.get(
    "/crimes-at-location",
    response={200: list[CrimeRecord], **ERRORS},
    summary="Crimes at one street (by id, or the nearest to a point)",
)
@handles_errors
@access.public
def crimes_at_location(
    request, location_id: str | None = None, lat: str | None = None, lng: str | None = None, date: str | None = None
):
    month = parse_date(date)
    crimes = Crime.objects.filter(month=month)
    street = location_id_or_nearest(request, location_id, lat, lng, crimes)
    if street is None:
        return json_response([])
    pks = list(crimes.filter(street_id=street).values_list("pk", flat=True)[: MAX_RESULTS + 1])
    if len(pks) > MAX_RESULTS:
        raise ApiError(503, f"More than {MAX_RESULTS:,} crimes at this location.")
    return json_response(crimes_by_pk(pks))


@router.get(
    "/crimes-no-location",
    response={200: list[CrimeRecord], **ERRORS},
    summary="Crimes a force could not give a location for",
)
@handles_errors
@access.public
def crimes_no_location(request, category: str | None = None, force: str | None = None, date: str | None = None):
    if not category:
        raise ApiError(400, "Give a category, e.g. category=all-crime. See /api/crime-categories.")
    f = force_or_404(force)
    month = parse_date(date)
    crimes = category_filter(Crime.objects.filter(force=f, month=month, latitude=None), category)
    return json_response(crimes_by_pk(list(crimes.values_list("pk", flat=True)[:MAX_RESULTS])))


def outcome_json(row) -> dict:
    return {
        "category": {"code": row["code"], "name": row["name"]},
        "date": month_text(row["month"]),
        "person_id": row["person_id"],
    }


OUTCOME_FIELDS = ("pk", "persistent_id", "code", "name", "month", "person_id")


@router.get(
    "/outcomes-for-crime/{persistent_id}", response={200: CaseHistory, 404: Problem}, summary="A crime and its outcomes"
)
@handles_errors
@access.public
def outcomes_for_crime(request, persistent_id: str):
    row = Crime.objects.filter(persistent_id=persistent_id).exclude(persistent_id="").order_by("-month", "-pk")
    row = row.values(*CRIME_FIELDS).first()
    if row is None:
        raise ApiError(404, "No crime has that persistent id.")
    outcomes = Outcome.objects.filter(persistent_id=persistent_id).order_by("month", "pk").values(*OUTCOME_FIELDS)
    return json_response(
        {"crime": crime_json(row, with_outcome=False), "outcomes": [outcome_json(o) for o in outcomes]}
    )


@router.api_operation(
    ["GET", "POST"],
    "/outcomes-at-location",
    response={200: list[OutcomeAtLocation], **ERRORS},
    summary="Outcomes at a street, within a mile of a point, or in a polygon",
)
@handles_errors
@access.public
def outcomes_at_location(
    request,
    location_id: str | None = None,
    lat: str | None = None,
    lng: str | None = None,
    poly: str | None = None,
    date: str | None = None,
):
    month = parse_date(param(request, "date", date), Outcome)
    outcomes = Outcome.objects.filter(month=month)
    if param(request, "location_id", location_id) not in (None, ""):
        street = location_id_or_nearest(request, location_id, None, None, Crime.objects.none())
        pids = Crime.objects.filter(street_id=street).exclude(persistent_id="").values("persistent_id")
        pks = list(outcomes.filter(persistent_id__in=pids).values_list("pk", flat=True)[: MAX_RESULTS + 1])
        if len(pks) > MAX_RESULTS:
            raise ApiError(503, f"More than {MAX_RESULTS:,} outcomes at this location.")
    else:
        pks = Area(request, lat, lng, poly).select(outcomes, what="outcomes")
    rows = []
    for start in range(0, len(pks), 900):
        rows.extend(Outcome.objects.filter(pk__in=pks[start : start + 900]).values(*OUTCOME_FIELDS))
    crimes = {}
    pids = sorted({r["persistent_id"] for r in rows})
    for start in range(0, len(pids), 900):
        for c in (
            Crime.objects.filter(persistent_id__in=pids[start : start + 900])
            .order_by("month", "pk")
            .values(*CRIME_FIELDS)
        ):
            crimes[c["persistent_id"]] = c
    out = []
    for r in sorted(rows, key=lambda r: r["pk"]):
        crime = crimes.get(r["persistent_id"])
        if crime is not None:
            out.append({**outcome_json(r), "crime": crime_json(crime, with_outcome=False)})
    return json_response(out)
