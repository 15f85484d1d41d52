"""The area a police.uk request asks about: one mile around a point, or a polygon; and the street nearest a point.

Polygons are parsed by `openward.crime.analytics.scope.parse_poly` (the same rules as the crime pages);
rows are narrowed by bounding box in SQL, then kept exactly (great-circle distance, or inside the shape).
"""

from __future__ import annotations

import math

import numpy as np
import shapely

from openward.core import deadline
from openward.crime.analytics.scope import ScopeError, parse_poly, rows_near
from openward.crime.models import Outcome

from .http import ApiError, param

MILE_M = 1609.344
EARTH_RADIUS_M = 6_371_008.8
MAX_RESULTS = 10_000


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


def nearest_street(lat: float, lng: float, queryset) -> int | None:
    """The street id of the row in `queryset` nearest the point, within about a mile; None when there is none."""
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
