"""The parameters police.uk endpoints share, read and checked: the month, the force, the street.

Each bad value raises ApiError with a message saying what to send instead.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Max

from openward.areas.models import Force
from openward.core import pagecache
from openward.core.values import InvalidMonth, Month
from openward.crime.models import Crime
from openward.crime.selectors import latest_crime_month

from .geometry import nearest_street, parse_lat_lng
from .http import ApiError, param

UNSET_DATES = {"", "undefined", "null", "none"}


def latest_month(model=Crime) -> dt.date | None:
    """The newest month `model` holds: read once per data version (an import moves it), not on every request.

    Crimes from the forces' precomputed counts: the crime table is never read whole.
    """

    def compute() -> dt.date | None:
        if model is Crime:
            return latest_crime_month()
        return model.objects.aggregate(m=Max("month"))["m"]

    return pagecache.kept(f"latest-month:{model._meta.label_lower}", compute)


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


def force_or_404(slug) -> Force:
    if not slug:
        raise ApiError(400, "Give a force, e.g. force=metropolitan. See /api/forces for the list.")
    force = Force.objects.filter(slug=slug).first()
    if force is None:
        raise ApiError(404, f'There is no force "{str(slug)[:60]}". See /api/forces for the list.')
    return force


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
