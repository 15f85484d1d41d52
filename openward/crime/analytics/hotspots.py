"""Hot spots for one Scope and period: micro-places ranked by crime and harm, Gi*, concentration, stability.

Micro-places are the published snap points and the cells of a 150 m grid on the British
National Grid (EPSG:27700), so a cell's key ("E3531N1812": easting and northing ÷ 150) is the
same for every area and period, and a patrol plan can name one. The study region is the cells
whose centre lies in the area's boundary, plus any cell holding one of its crimes; an area with
no boundary (a force) uses the box around its crimes, and says so.

Significance is Getis–Ord Gi* over the region's cells with queen contiguity (a cell and its
eight neighbours), two-sided, with the Benjamini–Hochberg false-discovery-rate correction
(`openward.core.stats`). Anti-social behaviour is left out: it is not a recorded crime.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import shapely
from pyproj import Transformer

from openward.areas.geo import generation_for
from openward.areas.models import Force, Ward
from openward.core import stats as core_stats
from openward.core.values import InvalidMonth, Month

from .. import harm as harm_weights
from .. import stats
from ..models import Crime, CrimeCategory
from .scope import Scope, ScopeError
from .summary import ASB, add_months, latest_crime_month, period_label

CELL_METRES = 150
FDR_LEVEL = 0.05
MAX_MONTHS = 36
MIN_CELLS_FOR_GI = 30
TOP_FRACTIONS = (0.01, 0.05)
STABILITY_FRACTION = 0.05
# A force's box can be large; a bound on the grid keeps every request within memory.
MAX_CELLS = 400_000

_to_grid = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
_from_grid = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)


def cell_key(ix: int, iy: int) -> str:
    return f"E{ix}N{iy}"


def parse_cell_key(key: str) -> tuple[int, int]:
    """(ix, iy) from "E3531N1812"; ValueError for anything else."""
    text = (key or "").strip().upper()
    if not text.startswith("E") or "N" not in text:
        raise ValueError(f'"{key[:30]}" is not a grid cell. Cells look like E3531N1812.')
    east, north = text[1:].split("N", 1)
    return int(east), int(north)


def cells_of(lats, lngs) -> tuple[np.ndarray, np.ndarray]:
    """Grid cell indices (ix, iy) of WGS84 points."""
    x, y = _to_grid.transform(np.asarray(lngs, dtype=float), np.asarray(lats, dtype=float))
    return np.floor(np.asarray(x) / CELL_METRES).astype(np.int64), np.floor(np.asarray(y) / CELL_METRES).astype(
        np.int64
    )


def cell_centres(ix, iy) -> tuple[np.ndarray, np.ndarray]:
    """(lats, lngs) of cell centres."""
    lng, lat = _from_grid.transform((np.asarray(ix) + 0.5) * CELL_METRES, (np.asarray(iy) + 0.5) * CELL_METRES)
    return np.asarray(lat), np.asarray(lng)


def cell_polygon(ix: int, iy: int) -> list[list[float]]:
    """The cell's outline as a closed GeoJSON ring (lng, lat)."""
    xs = np.array([ix, ix + 1, ix + 1, ix, ix]) * CELL_METRES
    ys = np.array([iy, iy, iy + 1, iy + 1, iy]) * CELL_METRES
    lng, lat = _from_grid.transform(xs, ys)
    return [[round(float(a), 6), round(float(b), 6)] for a, b in zip(lng, lat, strict=True)]


@dataclass
class Period:
    first: dt.date
    last: dt.date

    @property
    def months(self) -> int:
        return (self.last.year - self.first.year) * 12 + self.last.month - self.first.month + 1

    @property
    def label(self) -> str:
        return period_label(self.first, self.last)

    def before(self) -> Period:
        """The period of the same length just before this one."""
        return Period(add_months(self.first, -self.months), add_months(self.first, -1))


def period_for(first: str | None, last: str | None) -> Period | None:
    """The period asked for (YYYY-MM), by default the 12 months to the latest month loaded; None without data."""

    latest = latest_crime_month()
    try:
        end = Month.parse(last) if last else None
        start = Month.parse(first) if first else None
    except InvalidMonth as exc:
        raise ScopeError(str(exc)) from None
    if end is None:
        if latest is None:
            return None
        end_date = latest
    else:
        end_date = dt.date(end.year, end.month, 1)
    start_date = dt.date(start.year, start.month, 1) if start else add_months(end_date, -11)
    if start_date > end_date:
        raise ScopeError("The first month is after the last month. Swap them.")
    period = Period(start_date, end_date)
    if period.months > MAX_MONTHS:
        raise ScopeError(f"Choose at most {MAX_MONTHS} months at a time; you asked for {period.months}.")
    return period


@dataclass
class Cell:
    key: str
    ix: int
    iy: int
    latitude: float
    longitude: float
    count: int
    harm: float | None = None
    z: float | None = None
    q: float | None = None
    previous: int = 0
    harm_q: float | None = None

    @property
    def kind(self) -> str:
        """ "hot", "cold" or "" (not significant after the FDR correction)."""
        if self.q is None or self.q > FDR_LEVEL:
            return ""
        return "hot" if self.z > 0 else "cold"

    @property
    def count_shown(self) -> str:
        return stats.shown_count(self.count)


@dataclass
class Point:
    latitude: float
    longitude: float
    street: str
    count: int
    harm: float | None = None

    @property
    def key(self) -> str:
        return f"{self.latitude:.6f},{self.longitude:.6f}"

    @property
    def count_shown(self) -> str:
        return stats.shown_count(self.count)


@dataclass
class Concentration:
    """The share of crimes (and of harm) in the busiest 1% and 5% of places."""

    places: int
    rows: list[tuple[float, int, float | None, float | None]]  # (fraction, places, crime share, harm share)


@dataclass
class Stability:
    previous: Period
    previous_top: int
    still_top: int

    @property
    def share(self) -> float | None:
        return self.still_top / self.previous_top if self.previous_top else None


@dataclass
class HotSpots:
    kind: str
    code: str
    name: str
    period: Period | None
    force: str | None = None
    total: int = 0
    harm: harm_weights.Harm | None = None
    cells: list[Cell] = field(default_factory=list)
    points: list[Point] = field(default_factory=list)
    region_note: str = ""
    gi_note: str = ""
    gi_harm_note: str = ""
    hot_cells: int = 0
    cold_cells: int = 0
    grid: Concentration | None = None
    snap: Concentration | None = None
    stability: Stability | None = None
    boundary: str = ""
    is_demo: bool = False

    @property
    def has_data(self) -> bool:
        return self.period is not None and self.total > 0

    @property
    def by_count(self) -> list[Cell]:
        return sorted((c for c in self.cells if c.count), key=lambda c: (-c.count, c.key))

    @property
    def by_harm(self) -> list[Cell]:
        if self.harm is None or not self.harm.available:
            return []
        return sorted((c for c in self.cells if c.harm), key=lambda c: (-c.harm, c.key))

    @property
    def points_by_count(self) -> list[Point]:
        return sorted(self.points, key=lambda p: (-p.count, p.street, p.latitude, p.longitude))

    @property
    def points_by_harm(self) -> list[Point]:
        if self.harm is None or not self.harm.available:
            return []
        return sorted(self.points, key=lambda p: (-(p.harm or 0), p.street, p.latitude, p.longitude))

    def cell(self, key: str) -> Cell | None:
        return next((c for c in self.cells if c.key == key), None)


def area_geometry(scope: Scope):
    """The scope's boundary as a shapely geometry (WGS84), or None when it has none."""
    if scope.polygon is not None:
        return scope.polygon
    texts: list[str] = []
    if scope.kind == "borough" and getattr(scope.area, "boundary", ""):
        texts = [scope.area.boundary]
    elif scope.ward_ids is not None:
        texts = list(Ward.objects.filter(pk__in=scope.ward_ids).exclude(boundary="").values_list("boundary", flat=True))
        if len(texts) != len(scope.ward_ids):
            return None
    elif scope.borough_code is not None:
        texts = list(
            Ward.objects.filter(borough__gss_code=scope.borough_code, generation=generation_for())
            .exclude(boundary="")
            .values_list("boundary", flat=True)
        )
    if not texts:
        return None
    geoms = [shapely.from_geojson(json.dumps(json.loads(t))) for t in texts]
    return shapely.union_all(geoms) if len(geoms) > 1 else geoms[0]


def _region(geometry, crime_ix: np.ndarray, crime_iy: np.ndarray) -> tuple[np.ndarray, np.ndarray, str]:
    """The study region's cells: centres inside the boundary, plus every cell holding a crime."""
    if geometry is None:
        if not len(crime_ix):
            return crime_ix, crime_iy, ""
        x0, x1, y0, y1 = crime_ix.min(), crime_ix.max(), crime_iy.min(), crime_iy.max()
        note = "This area has no boundary loaded, so the grid covers the box around its crimes."
        inside = None
    else:
        west, south, east, north = geometry.bounds
        corner_x, corner_y = _to_grid.transform([west, east, west, east], [south, south, north, north])
        x0, x1 = int(math.floor(min(corner_x) / CELL_METRES)), int(math.floor(max(corner_x) / CELL_METRES))
        y0, y1 = int(math.floor(min(corner_y) / CELL_METRES)), int(math.floor(max(corner_y) / CELL_METRES))
        note = ""
        inside = geometry
    if len(crime_ix):
        x0, x1 = min(x0, crime_ix.min()), max(x1, crime_ix.max())
        y0, y1 = min(y0, crime_iy.min()), max(y1, crime_iy.max())
    if (x1 - x0 + 1) * (y1 - y0 + 1) > MAX_CELLS:
        raise ScopeError("This area is too large for a 150 m grid here. Choose a borough, cluster or ward.")
    gx, gy = np.meshgrid(np.arange(x0, x1 + 1), np.arange(y0, y1 + 1), indexing="ij")
    gx, gy = gx.ravel(), gy.ravel()
    if inside is None:
        keep = np.ones(gx.size, dtype=bool)
    else:
        lat, lng = cell_centres(gx, gy)
        keep = shapely.contains_xy(inside, lng, lat)
    occupied = set(zip(crime_ix.tolist(), crime_iy.tolist(), strict=True))
    if occupied:
        extra = np.array([(x, y) in occupied for x, y in zip(gx.tolist(), gy.tolist(), strict=True)])
        keep |= extra
    return gx[keep], gy[keep], note


def queen_weights(ix: np.ndarray, iy: np.ndarray):
    """Binary weights of each cell with itself and its eight neighbours among the given cells."""
    n = ix.size
    x0, y0 = ix.min(), iy.min()
    width, height = ix.max() - x0 + 3, iy.max() - y0 + 3
    lookup = np.full((width, height), -1, dtype=np.int64)
    lookup[ix - x0 + 1, iy - y0 + 1] = np.arange(n)
    rows, cols = [], []
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            other = lookup[ix - x0 + 1 + dx, iy - y0 + 1 + dy]
            ok = other >= 0
            rows.append(np.flatnonzero(ok))
            cols.append(other[ok])
    r, c = np.concatenate(rows), np.concatenate(cols)
    from scipy import sparse  # imported when hot spots are computed: scipy is slow to import (core.stats)

    return sparse.csr_matrix((np.ones(r.size), (r, c)), shape=(n, n))


def top_keys(counts: dict[str, float], n_places: int, fraction: float) -> set[str]:
    """The busiest ceil(fraction × places) places with anything recorded; ties broken by key."""
    k = max(1, math.ceil(fraction * n_places)) if n_places else 0
    ranked = sorted(((v, key) for key, v in counts.items() if v > 0), key=lambda t: (-t[0], t[1]))
    return {key for _, key in ranked[:k]}


def concentration(values: np.ndarray, harms: np.ndarray | None) -> Concentration:
    """Shares held by the top 1% and 5% of places (ceil of the fraction, at least one place)."""
    n = values.size
    rows = []
    total = float(values.sum())
    harm_total = float(harms.sum()) if harms is not None else 0.0
    for fraction in TOP_FRACTIONS:
        k = max(1, math.ceil(fraction * n)) if n else 0
        crime_share = float(np.sort(values)[::-1][:k].sum()) / total if total else None
        harm_share = None
        if harms is not None and harm_total:
            harm_share = float(np.sort(harms)[::-1][:k].sum()) / harm_total
        rows.append((fraction, k, crime_share, harm_share))
    return Concentration(places=n, rows=rows)


def _gi(values: np.ndarray, weights) -> tuple[core_stats.GiStar | None, str]:
    if values.size < MIN_CELLS_FOR_GI:
        return None, (
            f"Not available: the area has {values.size} grid cells; Gi* needs at least {MIN_CELLS_FOR_GI} "
            "to compare a cell's neighbourhood with the whole area."
        )
    try:
        return core_stats.getis_ord_gi_star(values, weights), ""
    except ValueError:
        return None, "Not available: every cell has the same count, so no cell stands out."


def _grouped(scope: Scope, period: Period, force: Force | None, *dims: str) -> Counter:
    crimes = (
        Crime.objects.filter(scope.placed_q(), month__gte=period.first, month__lte=period.last)
        .exclude(latitude=None)
        .exclude(category__slug=ASB)
    )
    if force is not None:
        crimes = crimes.filter(force=force)
    return scope.grouped(crimes, *dims)


def hot_spots(scope: Scope, period: Period | None, force_slug: str | None = None, weights=None) -> HotSpots:
    """Rank micro-places by crime and harm, test cells with Gi*, and measure concentration and stability."""
    force = Force.objects.filter(slug=force_slug).first() if force_slug else None
    result = HotSpots(
        kind=scope.kind,
        code=scope.code,
        name=scope.name,
        period=period,
        force=force.slug if force else None,
        is_demo=scope.is_demo_area,
    )
    geometry = area_geometry(scope)
    if geometry is not None:
        result.boundary = shapely.to_geojson(geometry)
    if period is None:
        return result
    weights = harm_weights.category_weights() if weights is None else weights
    slugs = dict(CrimeCategory.objects.values_list("pk", "slug"))
    groups = _grouped(scope, period, force, "latitude", "longitude", "street_name", "category_id")
    previous_groups = _grouped(scope, period.before(), force, "latitude", "longitude")

    by_category: Counter = Counter()
    points: dict[tuple[float, float], Point] = {}
    point_categories: dict[tuple[float, float], Counter] = {}
    for (lat, lng, street, category_id), n in groups.items():
        slug = slugs.get(category_id, str(category_id))
        by_category[slug] += n
        point = points.setdefault((lat, lng), Point(lat, lng, street, 0))
        point.count += n
        point_categories.setdefault((lat, lng), Counter())[slug] += n
    result.total = sum(by_category.values())
    result.harm = harm_weights.harm_of(by_category, weights)
    harm_ok = result.harm.available
    for key, point in points.items():
        point.harm = harm_weights.harm_of(point_categories[key], weights).total if harm_ok else None
    result.points = list(points.values())
    if not points:
        return result

    keys = list(points)
    p_ix, p_iy = cells_of([k[0] for k in keys], [k[1] for k in keys])
    region_ix, region_iy, result.region_note = _region(geometry, p_ix, p_iy)
    index = {(x, y): i for i, (x, y) in enumerate(zip(region_ix.tolist(), region_iy.tolist(), strict=True))}
    counts = np.zeros(region_ix.size)
    harms = np.zeros(region_ix.size) if harm_ok else None
    for (x, y), key in zip(zip(p_ix.tolist(), p_iy.tolist(), strict=True), keys, strict=True):
        i = index[(x, y)]
        counts[i] += points[key].count
        if harms is not None:
            harms[i] += points[key].harm
    previous = np.zeros(region_ix.size)
    if previous_groups:
        prev_keys = list(previous_groups)
        q_ix, q_iy = cells_of([k[0] for k in prev_keys], [k[1] for k in prev_keys])
        for x, y, key in zip(q_ix.tolist(), q_iy.tolist(), prev_keys, strict=True):
            i = index.get((x, y))
            if i is not None:
                previous[i] += previous_groups[key]

    weights_matrix = queen_weights(region_ix, region_iy)
    gi, result.gi_note = _gi(counts, weights_matrix)
    lats, lngs = cell_centres(region_ix, region_iy)
    result.cells = [
        Cell(
            key=cell_key(x, y),
            ix=x,
            iy=y,
            latitude=round(float(lats[i]), 6),
            longitude=round(float(lngs[i]), 6),
            count=int(counts[i]),
            harm=float(harms[i]) if harms is not None else None,
            z=float(gi.z[i]) if gi is not None else None,
            q=float(gi.q[i]) if gi is not None else None,
            previous=int(previous[i]),
        )
        for i, (x, y) in enumerate(zip(region_ix.tolist(), region_iy.tolist(), strict=True))
    ]
    result.hot_cells = sum(1 for c in result.cells if c.kind == "hot")
    result.cold_cells = sum(1 for c in result.cells if c.kind == "cold")
    if not harm_ok:
        result.gi_harm_note = f"Gi* on harm is not available: {result.harm.shown}."
    else:
        harm_gi, note = _gi(harms, weights_matrix)
        result.gi_harm_note = note.replace("Not available", "Gi* on harm is not available", 1) if note else ""
        if harm_gi is not None:
            for i, cell in enumerate(result.cells):
                cell.harm_q = float(harm_gi.q[i]) if harm_gi.z[i] > 0 else 1.0
    result.grid = concentration(counts, harms)
    point_harms = np.array([p.harm for p in result.points]) if harm_ok else None
    result.snap = concentration(np.array([p.count for p in result.points], dtype=float), point_harms)
    n_cells = len(result.cells)
    before = top_keys({c.key: c.previous for c in result.cells}, n_cells, STABILITY_FRACTION)
    now = top_keys({c.key: c.count for c in result.cells}, n_cells, STABILITY_FRACTION)
    result.stability = Stability(period.before(), len(before), len(before & now))
    return result


def cell_counts(scope: Scope, period: Period) -> Counter:
    """Crimes (not anti-social behaviour) per grid cell key in a scope and period."""
    groups = _grouped(scope, period, None, "latitude", "longitude")
    out: Counter = Counter()
    if not groups:
        return out
    keys = list(groups)
    xs, ys = cells_of([k[0] for k in keys], [k[1] for k in keys])
    for x, y, key in zip(xs.tolist(), ys.tolist(), keys, strict=True):
        out[cell_key(x, y)] += groups[key]
    return out
