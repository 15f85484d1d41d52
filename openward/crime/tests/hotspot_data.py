"""A ward about 1.5 km across with crimes planted at chosen points, for hot-spot and patrol tests."""

from __future__ import annotations

import datetime as dt
import json

from openward.crime.models import Crime
from openward.crime.tests.factories import CrimeFactory, ForceFactory, WardFactory, category, rebuild_counts
from openward.crime.tests.fixtures.areas import new_boundaries

CENTRE = (51.515, -0.09)
HALF = (0.007, 0.011)  # about 780 m north-south and 760 m east-west each side: some 100 cells of 150 m


def grid_ward(code: str = "E05000123", name: str = "Gridley", **extra):
    """A square ward around CENTRE (its boundary is what the hot-spot region uses)."""
    new_boundaries()
    lat, lng = CENTRE
    ring = [
        [lng - HALF[1], lat - HALF[0]],
        [lng + HALF[1], lat - HALF[0]],
        [lng + HALF[1], lat + HALF[0]],
        [lng - HALF[1], lat + HALF[0]],
    ]
    return WardFactory(
        gss_code=code,
        name=name,
        centre_lat=lat,
        centre_lng=lng,
        boundary=json.dumps({"type": "Polygon", "coordinates": [[*ring, ring[0]]]}),
        min_lat=lat - HALF[0],
        max_lat=lat + HALF[0],
        min_lng=lng - HALF[1],
        max_lng=lng + HALF[1],
        **extra,
    )


def plant(
    ward, month: dt.date, points: list[tuple[float, float, int]], slug: str = "burglary", *, rebuild: bool = True
) -> None:
    """`n` crimes at each (lat, lng) in `month`, placed in `ward`; MonthlyCount is rebuilt (every month's: a
    caller planting many times says `rebuild=False` and calls rebuild_counts() once at the end)."""
    force = ForceFactory(slug="metropolitan")
    cat = category(slug)
    rows = [
        CrimeFactory.build(
            force=force,
            ward=ward,
            month=month,
            category=cat,
            latitude=lat,
            longitude=lng,
            street_id=int(abs(lat * 1e5) + abs(lng * 1e5)),
            street_name=f"On or near Street {lat:.4f} {lng:.4f}",
        )
        for lat, lng, n in points
        for _ in range(n)
    ]
    Crime.objects.bulk_create(rows)
    if rebuild:
        rebuild_counts()


def background(ward, month: dt.date, seed: int = 1, per_point: int = 1) -> list[tuple[float, float, int]]:
    """One crime at each of a spread of points across the ward (every other cell or so)."""
    import random

    rng = random.Random(seed)
    lat0, lng0 = CENTRE
    points = []
    for i in range(-4, 5):
        for j in range(-4, 5):
            if rng.random() < 0.6:
                points.append((round(lat0 + i * 0.0015, 5), round(lng0 + j * 0.0022, 5), per_point))
    plant(ward, month, points)
    return points
