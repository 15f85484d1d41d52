"""The busy area and the polygons that once took the server down: shared by test_bounded_work.py and
bench/bench_polygons.py (which times what the tests count).

make_busy_area()          two years of crimes, stops and outcomes in a 4 km box around CENTRE
tangle(n, seed), star(n, seed)   self-intersecting and valid polygons as police.uk `poly` text
ENDPOINTS, ask(client, method, path, poly)   every endpoint that takes `poly`, asked for a real month
REPORTED                  the reported polygons, with the status each endpoint answers
"""

import datetime as dt
import random

import numpy as np

from openward.crime.analytics.scope import MAX_POLYGON_POINTS, REPAIR_MAX_POINTS
from openward.crime.models import Crime, Outcome, Stop

from .factories import ForceFactory, WardFactory, category, rebuild_counts

CENTRE = (51.515, -0.09)

# (method, path): every endpoint that takes `poly`. The /api/v1/ ones are GET only.
ENDPOINTS = [
    ("post", "/api/crimes-street/all-crime"),
    ("get", "/api/crimes-street/all-crime"),
    ("post", "/api/stops-street"),
    ("get", "/api/stops-street"),
    ("post", "/api/outcomes-at-location"),
    ("get", "/api/outcomes-at-location"),
    ("get", "/api/v1/crime/area"),
    ("post", "/crime/area/"),
    ("get", "/crime/area/"),
    ("get", "/api/v1/hotspots/area"),
    ("post", "/crime/hotspots/area/"),
    ("get", "/crime/hotspots/area/"),
]
# The hot-spot pages refuse any polygon whose edges cross (they are not untangled).
SIMPLE_ONLY = {"/api/v1/hotspots/area", "/crime/hotspots/area/"}


def poly_text(points) -> str:
    return ":".join(f"{lat:.6f},{lng:.6f}" for lat, lng in points)


def shape_points(poly: str) -> list[tuple[float, float]]:
    return [(float(lng), float(lat)) for lat, lng in (p.split(",") for p in poly.split(":"))]


def tangle(n: int, seed: int, span: float = 0.03) -> str:
    """`n` random points around the data, in random order: edges cross everywhere."""
    rng = np.random.default_rng(seed)
    lats = CENTRE[0] - span / 2 + rng.random(n) * span
    lngs = CENTRE[1] - span / 2 + rng.random(n) * span
    return poly_text(zip(lats, lngs, strict=True))


def star(n: int, seed: int, radius: float = 0.015) -> str:
    """A valid (star-shaped) polygon of `n` points with jagged edges."""
    rng = np.random.default_rng(seed)
    angles = np.sort(rng.random(n) * 2 * np.pi)
    radii = radius * (0.3 + 0.7 * rng.random(n))
    return poly_text(zip(CENTRE[0] + radii * np.sin(angles), CENTRE[1] + radii * np.cos(angles) * 1.6, strict=True))


def make_busy_area():
    """Two years of crimes, stops and outcomes spread over the box the polygons are drawn in."""
    rng = random.Random(11)
    met = ForceFactory()
    ward = WardFactory(centre_lat=CENTRE[0], centre_lng=CENTRE[1])
    categories = [category(s) for s in ("burglary", "violent-crime", "anti-social-behaviour")]

    def spot():
        return CENTRE[0] + rng.uniform(-0.02, 0.02), CENTRE[1] + rng.uniform(-0.02, 0.02)

    crimes, stops, outcomes = [], [], []
    for i in range(6_000):
        lat, lng = spot()
        month = dt.date(2023 + (i % 24) // 12, i % 12 + 1, 1)
        crimes.append(
            Crime(
                force=met,
                ward=ward if abs(lat - CENTRE[0]) < 0.005 and abs(lng - CENTRE[1]) < 0.005 else None,
                month=month,
                category=categories[i % 3],
                persistent_id=f"{i:064x}" if i % 3 != 2 else "",
                latitude=lat,
                longitude=lng,
                street_id=int(lat * 1e4),
                street_name="On or near Somewhere",
            )
        )
        if i % 3 == 0:
            outcomes.append(
                Outcome(
                    persistent_id=f"{i:064x}",
                    force=met,
                    month=month,
                    name="Under investigation",
                    latitude=lat,
                    longitude=lng,
                )  # fmt: skip
            )
        if i % 4 == 0:
            stops.append(
                Stop(
                    force=met,
                    month=month,
                    type="Person search",
                    latitude=lat,
                    longitude=lng,
                    datetime=dt.datetime(month.year, month.month, 2, tzinfo=dt.UTC),
                )  # fmt: skip
            )
    Crime.objects.bulk_create(crimes, batch_size=2_000)
    Stop.objects.bulk_create(stops, batch_size=2_000)
    Outcome.objects.bulk_create(outcomes, batch_size=2_000)
    rebuild_counts()
    return ward


def ask(client, method: str, path: str, poly: str):
    """One request; the month is named so every path does a real month's work."""
    params = {"poly": poly}
    if path.startswith("/api/") and "/v1/" not in path:
        params["date"] = "2024-12"
    return getattr(client, method)(path, params)


REPORTED = [
    (tangle(10_000, 1), 400),  # the finding: 11 minutes and 14 GB on main
    (tangle(400, 2), 400),  # 81 s on main
    (tangle(REPAIR_MAX_POINTS + 1, 3), 400),
    (tangle(REPAIR_MAX_POINTS, 4), 200),  # the largest tangle that is untangled
    (star(MAX_POLYGON_POINTS, 5), 200),  # the largest polygon taken
    (star(MAX_POLYGON_POINTS + 1, 6), 400),
    (tangle(50, 7, span=3.0), 400),  # too large an area
]
