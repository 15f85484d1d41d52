"""police.uk-compatible crime endpoints (https://data.police.uk/docs/): categories, street crimes, outcomes.

The views read parameters (`params`), the area asked about (`geometry`) and write rows as police.uk
does (`serialisers`); `http` holds the error handling and JSON writing they share.
"""

from __future__ import annotations

import datetime as dt

from ninja import Router

from openward.core import access, deadline
from openward.core.pagecache import public_page
from openward.crime.analytics.cache import cached
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
from openward.crime.selectors import at_street, categories_in, crime_months

from .geometry import MAX_RESULTS, Area
from .http import (
    ERRORS,
    STREAM_CHUNK,
    ApiError,
    gzipped_json,
    gzipped_json_response,
    handles_errors,
    json_array_stream,
    json_response,
    param,
)
from .params import force_or_404, latest_month, location_id_or_nearest, parse_date, parse_location_id
from .serialisers import CRIME_FIELDS, OUTCOME_FIELDS, crime_json, month_text, outcome_json

router = Router()


def crimes_by_pk(pks: list[int], with_outcome: bool = True) -> list[dict]:
    out = []
    for start in range(0, len(pks), 900):
        deadline.check()
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


@router.get("/crime-categories", response={200: list[CategoryItem], 400: Problem}, summary="Crime categories")
@handles_errors
@access.public
def crime_categories(request, date: str | None = None):
    month = parse_date(date)

    def compute():
        categories = CrimeCategory.objects.all()
        if month:
            in_use = categories_in(month)
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


@router.get("/crimes-street-dates", response=list[StreetDate], summary="Months with street-level crime")
@access.public
def crimes_street_dates(request):
    def compute():
        forces: dict[dt.date, set[str]] = {}
        for month, slug in Stop.objects.values_list("month", "force__slug").distinct().order_by():
            forces.setdefault(month, set()).add(slug)
        months = sorted(set(crime_months()) | set(forces), reverse=True)
        return [{"date": month_text(m), "stop-and-search": sorted(forces.get(m, ()))} for m in months]

    return json_response(cached("street-dates", compute))


@router.api_operation(
    ["GET", "POST"],
    "/crimes-street/{category}",
    response={200: list[CrimeRecord], **ERRORS},
    summary="Street-level crimes within a mile of a point, in a polygon, or at one street (location_id)",
)
@public_page  # a repeat GET is served from this process's copy while the data is unchanged
@handles_errors
@access.public
def crimes_street(
    request,
    category: str,
    lat: str | None = None,
    lng: str | None = None,
    poly: str | None = None,
    date: str | None = None,
    location_id: str | None = None,
):
    """Like police.uk, also answers `location_id` (one street, as crimes-at-location), which clients use."""
    location_id = param(request, "location_id", location_id)
    if location_id not in (None, ""):
        given = [name for name, value in (("lat", lat), ("lng", lng), ("poly", poly)) if param(request, name, value)]
        if given:
            raise ApiError(
                400,
                f"Give location_id on its own: it already names one street, so {' and '.join(given)} "
                "cannot also be used. Or leave out location_id to search around a point or in a polygon.",
            )
        street = parse_location_id(location_id)
        month = parse_date(param(request, "date", date))
        return json_response(
            crimes_by_pk(street_crimes(category_filter(Crime.objects.filter(month=month), category), street))
        )
    area = Area(request, lat, lng, poly)
    month = parse_date(param(request, "date", date))
    crimes = category_filter(Crime.objects.filter(month=month), category)

    def compute() -> bytes | tuple[int, str]:
        try:
            return gzipped_json(crimes_by_pk(area.select(crimes)))
        except ApiError as refusal:
            # Too many crimes in the area is as true of the same data the next time: kept like an answer,
            # so that asking again costs a cache read, not the count of more than 10,000 rows.
            return refusal.status, refusal.detail

    answer = cached(f"crimes-street-gzip|{category}|{month}|{area.key}", compute)
    if isinstance(answer, tuple):
        raise ApiError(*answer)
    return gzipped_json_response(request, answer)


def street_crimes(crimes, street: int) -> list[int]:
    """Primary keys of the crimes at one street; 503 (as police.uk) over the 10,000 one request may return."""
    pks = list(at_street(crimes, street).values_list("pk", flat=True)[: MAX_RESULTS + 1])
    if len(pks) > MAX_RESULTS:
        raise ApiError(503, f"More than {MAX_RESULTS:,} crimes at this location.")
    return pks


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
    return json_response(crimes_by_pk(street_crimes(crimes, street)))


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
    rows = crimes.order_by("pk").values(*CRIME_FIELDS).iterator(chunk_size=STREAM_CHUNK)
    return json_array_stream(crime_json(r) for r in rows)


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
        pids = at_street(Crime.objects.all(), street).exclude(persistent_id="").values("persistent_id")
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
