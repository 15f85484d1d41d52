"""The place a figure is about: a ward, borough, cluster, force or drawn polygon.

Every read goes through a Scope, so the same aggregate queries serve every kind of area.
Wards, boroughs, clusters and forces filter in SQL (and count from AreaCount); a
polygon narrows by bounding box in SQL, groups by snap point, and keeps the points inside
the polygon with shapely, so no query loops over individual crimes in Python.
"""

from __future__ import annotations

import dataclasses
import math
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import shapely
from django.db.models import Count, Exists, OuterRef, Q, Sum

from openward.areas.geo import generation_for
from openward.areas.models import Borough, Cluster, Force, Lsoa, Ward
from openward.core import deadline, process_caches

from ..models import AreaCount, Crime, Level
from .cache import data_version

# About 11 km north to south and 10 km east to west at London's latitude: a crime page's drawn area.
MAX_POLYGON_SPAN_DEG = (0.1, 0.15)
# A police.uk custom area: about 110 km each way (a county); police.uk's own limit is 10,000 results.
MAX_API_POLYGON_SPAN_DEG = (1.0, 1.5)
# Work per polygon is bounded before any geometry is built: points are counted in the text, the span
# is read from the coordinates, and crossing edges (whose repair grows with the square of the
# points: 400 random points took minutes) are untangled only for small polygons.
MAX_POLYGON_POINTS = 1_000
MAX_POINT_CHARS = 48
REPAIR_MAX_POINTS = 100


class ScopeError(ValueError):
    """The area asked for does not exist or cannot be used; the message says what to do."""


class UnknownForce(ScopeError):
    """A `force` choice that names no force."""


def check_force(slug: str | None) -> None:
    if slug and not Force.objects.filter(slug=slug).exists():
        raise UnknownForce(f'There is no police force "{slug[:40]}". Leave it empty for all forces together.')


@dataclass
class Scope:
    kind: str  # "ward" | "borough" | "cluster" | "force" | "polygon"
    code: str
    name: str
    population: int | None = None
    population_note: str = ""
    ward_ids: tuple[int, ...] | None = None
    borough_code: str | None = None
    force_id: int | None = None
    polygon: object | None = None
    is_demo_area: bool = False
    area: object | None = None
    extra: dict = field(default_factory=dict)

    # Filters ---------------------------------------------------------------

    def placed_q(self) -> Q:
        """Filter for Crime and Stop rows (both carry ward, borough_code, force and a snap point).

        Boroughs and polygons go through the wards they contain or meet, so the (ward, month)
        index narrows by month too; rows placed in no ward are matched by borough code or box.
        """
        if self.ward_ids is not None:
            return Q(ward_id__in=self.ward_ids)
        if self.borough_code is not None:
            wards = Ward.objects.filter(borough__gss_code=self.borough_code).values_list("pk", flat=True)
            # borough_code > '' too, so that SQLite can read the unplaced rows by their partial index.
            unplaced = Q(ward_id=None) & Q(borough_code=self.borough_code) & Q(borough_code__gt="")
            return Q(ward_id__in=list(wards)) | unplaced
        if self.force_id is not None:
            return Q(force_id=self.force_id)
        return rows_near(self.polygon.bounds)

    def rollup_q(self) -> Q | None:
        """Filter for the counts rolled up to areas (AreaCount, OutcomeCount), or None for a drawn area."""
        if self.polygon is not None:
            return None
        if self.ward_ids is not None:
            return Q(level=Level.WARD, area__in=[str(w) for w in self.ward_ids])
        if self.borough_code is not None:
            return Q(level=Level.BOROUGH, area=self.borough_code)
        return Q(level=Level.FORCE, area=str(self.force_id))

    def counts_q(self) -> Q | None:
        """Filter for PointCount rows, or None when the scope has to count from crimes (a polygon)."""
        if self.polygon is not None:
            return None
        if self.ward_ids is not None:
            return Q(ward_id__in=self.ward_ids)
        if self.borough_code is not None:
            return Q(borough_code=self.borough_code)
        return Q(force_id=self.force_id)

    def inside(self, lats, lngs) -> np.ndarray:
        """Which points lie in a polygon scope (all True for other scopes)."""
        lats = np.asarray(lats, dtype=float)
        if self.polygon is None:
            return np.ones(len(lats), dtype=bool)
        lngs = np.asarray(lngs, dtype=float)
        ok = ~(np.isnan(lats) | np.isnan(lngs))
        out = np.zeros(len(lats), dtype=bool)
        out[ok] = shapely.contains_xy(self.polygon, lngs[ok], lats[ok])
        return out

    def contains_row(self, ward_id, borough_code, force_id, lat, lng) -> bool:
        if self.ward_ids is not None:
            return ward_id in self.ward_ids
        if self.borough_code is not None:
            return borough_code == self.borough_code
        if self.force_id is not None:
            return force_id == self.force_id
        return lat is not None and lng is not None and bool(self.inside([lat], [lng])[0])

    # Aggregates ------------------------------------------------------------

    def grouped(self, queryset, *dims: str) -> Counter:
        """Row counts by `dims` over `queryset` (already restricted to this scope), as one GROUP BY."""
        if self.polygon is None:
            rows = queryset.values(*dims).annotate(n=Count("pk")).order_by()
            return Counter({tuple(r[d] for d in dims): r["n"] for r in rows})
        fields = [*dims, *(f for f in ("latitude", "longitude") if f not in dims)]
        rows = list(queryset.values_list(*fields).annotate(n=Count("pk")).order_by())
        if not rows:
            return Counter()
        deadline.check()
        lat_i, lng_i = fields.index("latitude"), fields.index("longitude")
        keep = self.inside(
            [r[lat_i] if r[lat_i] is not None else math.nan for r in rows],
            [r[lng_i] if r[lng_i] is not None else math.nan for r in rows],
        )
        out: Counter = Counter()
        for row, ok in zip(rows, keep, strict=True):
            if ok:
                out[tuple(row[: len(dims)])] += row[-1]
        return out

    def monthly_counts(self, first_month, last_month) -> Counter:
        """Crimes by (month, category_id, force_id) between two months, every force, before deduplication."""
        q = self.rollup_q()
        if q is None:
            crimes = Crime.objects.filter(self.placed_q(), month__gte=first_month, month__lte=last_month)
            return self.grouped(crimes, "month", "category_id", "force_id")
        rows = (
            AreaCount.objects.filter(q, month__gte=first_month, month__lte=last_month)
            .values("month", "category_id", "force_id")
            .annotate(n=Sum("count"))
            .order_by()
        )
        return Counter({(r["month"], r["category_id"], r["force_id"]): r["n"] for r in rows})

    def duplicate_counts(self, first_month, last_month, counts: Counter, version: str | None = None) -> Counter:
        """Records that repeat a crime another force already reported here, by (month, category_id, force_id).

        The same crime can be published by two forces (the Met and British Transport Police,
        or the City of London Police). Among the copies of one persistent_id inside this
        scope, the one from the force with most records here is kept (else the earliest row);
        the others are duplicates. Copies are found once per data version (see `twin_rows`;
        `version` as the page read it).
        """
        by_force = Counter()
        for (_, _, force_id), n in counts.items():
            by_force[force_id] += n
        if len(by_force) < 2:
            return Counter()
        main_force = by_force.most_common(1)[0][0]
        rows = twin_rows(version)
        if not rows:
            return Counter()
        if self.polygon is not None:
            keep = self.inside(
                [r[5] if r[5] is not None else math.nan for r in rows],
                [r[6] if r[6] is not None else math.nan for r in rows],
            )
            rows = [r for r, ok in zip(rows, keep, strict=True) if ok]
        else:
            rows = [r for r in rows if self.contains_row(r[3], r[4], r[2], r[5], r[6])]
        copies: dict[str, list[tuple]] = {}
        for row in rows:
            copies.setdefault(row[1], []).append(row)
        out: Counter = Counter()
        for group in copies.values():
            if len(group) < 2:
                continue
            kept = min(group, key=lambda r: (r[2] != main_force, r[0]))
            for pk, _, force_id, _, _, _, _, month, category_id in group:
                if pk != kept[0] and first_month <= month <= last_month:
                    out[(month, category_id, force_id)] += 1
        return out

    @property
    def url_kind(self) -> str:
        return {"ward": "wards", "borough": "boroughs", "cluster": "clusters", "force": "forces"}.get(self.kind, "")


_twins: dict[str, list[tuple]] = {}
process_caches.register(_twins.clear)


def twin_rows(version: str | None = None) -> list[tuple]:
    """Every row whose persistent_id another force also published, with its copies:
    (pk, persistent_id, force_id, ward_id, borough_code, latitude, longitude, month, category_id).

    Built once per data version (`version` as the caller read it, else read here) and process: the smaller
    forces' rows are read through the (force, month) index and matched on persistent_id, so no request
    scans the whole table.
    """
    version = version or data_version()
    rows = _twins.get(version)
    if rows is not None:
        return rows
    forces = AreaCount.objects.filter(level=Level.FORCE)
    by_force = Counter(dict(forces.values_list("force_id").annotate(n=Sum("count")).order_by()))
    fields = (
        "pk",
        "persistent_id",
        "force_id",
        "ward_id",
        "borough_code",
        "latitude",
        "longitude",
        "month",
        "category_id",
    )
    rows = []
    if len(by_force) > 1:
        smaller = [f for f, _ in by_force.most_common()[1:]]
        # Every query names persistent_id <> '' so the partial index on persistent_id can serve it.
        twin = (
            Crime.objects.filter(persistent_id=OuterRef("persistent_id"))
            .exclude(persistent_id="")
            .exclude(force_id=OuterRef("force_id"))
        )
        pids = sorted(
            set(
                Crime.objects.filter(force_id__in=smaller)
                .exclude(persistent_id="")
                .filter(Exists(twin))
                .values_list("persistent_id", flat=True)
            )
        )
        for start in range(0, len(pids), 500):
            batch = Crime.objects.filter(persistent_id__in=pids[start : start + 500]).exclude(persistent_id="")
            rows.extend(batch.values_list(*fields))
    _twins.clear()
    _twins[version] = rows
    return rows


def wards_near(bounds) -> list[int]:
    """Ids of the wards whose own box meets a box (min_lng, min_lat, max_lng, max_lat)."""
    min_lng, min_lat, max_lng, max_lat = bounds
    wards = Ward.objects.filter(min_lat__lte=max_lat, max_lat__gte=min_lat, min_lng__lte=max_lng, max_lng__gte=min_lng)
    return list(wards.values_list("pk", flat=True))


def rows_near(bounds) -> Q:
    """Crime or Stop rows that can lie in a box (min_lng, min_lat, max_lng, max_lat): rows of every ward whose
    own box meets it, and unplaced rows inside it. Callers test the exact shape on the rows' points."""
    min_lng, min_lat, max_lng, max_lat = bounds
    box = Q(latitude__gte=min_lat, latitude__lte=max_lat, longitude__gte=min_lng, longitude__lte=max_lng)
    return Q(ward_id__in=wards_near(bounds)) | (Q(ward_id=None) & box)


def _ward_for_code(code: str, generation: str | None) -> Ward:
    ward = Ward.objects.by_code(code, generation or None)
    if ward is None:
        raise ScopeError(f'There is no ward with the code "{code[:20]}". Ward codes look like E05009317.')
    return ward


def ward_scope(code: str, generation: str | None = None) -> Scope:
    return scope_for_ward(_ward_for_code(code, generation))


def scope_for_ward(ward: Ward) -> Scope:
    note = "" if ward.population else "The census population of this ward is not loaded, so there are no rates."
    return Scope(
        kind="ward",
        code=ward.gss_code,
        name=ward.name,
        population=ward.population,
        population_note=note,
        ward_ids=(ward.pk,),
        is_demo_area=ward.is_demo,
        area=ward,
        extra={"borough": ward.borough.name if ward.borough_id else "", "generation": ward.generation},
    )


def _population_of_lsoas(borough_code: str) -> tuple[int | None, str]:
    lsoas = Lsoa.objects.filter(borough_code=borough_code)
    for year in (2021, 2011):
        agg = lsoas.filter(census_year=year).aggregate(
            total=Sum("population"), n=Count("pk"), known=Count("population")
        )
        if agg["n"] and agg["known"] == agg["n"]:
            return agg["total"], f"{year} census, sum of {agg['n']} LSOAs"
    return None, ""


def borough_scope(code: str) -> Scope:
    borough = Borough.objects.filter(gss_code=code).first() or Borough.objects.filter(slug=code).first()
    if borough is None:
        raise ScopeError(f'There is no borough with the code "{code[:20]}". Borough codes look like E09000001.')
    population, source = _population_of_lsoas(borough.gss_code)
    if population is None:
        generation = generation_for()
        wards = Ward.objects.filter(borough=borough, generation=generation)
        agg = wards.aggregate(total=Sum("population"), n=Count("pk"), known=Count("population"))
        if agg["n"] and agg["known"] == agg["n"]:
            population, source = agg["total"], "sum of its wards' census populations"
    return Scope(
        kind="borough",
        code=borough.gss_code,
        name=borough.name,
        population=population,
        population_note=f"Population: {source}."
        if population
        else "The census population of this borough is not loaded, so there are no rates.",
        borough_code=borough.gss_code,
        is_demo_area=borough.is_demo,
        area=borough,
    )


def cluster_scope(slug: str) -> Scope:
    cluster = Cluster.objects.filter(slug=slug).first()
    if cluster is None:
        raise ScopeError(f'There is no cluster called "{slug[:40]}".')
    wards = list(cluster.wards.all())
    known = [w.population for w in wards if w.population]
    population = sum(known) if wards and len(known) == len(wards) else None
    return Scope(
        kind="cluster",
        code=cluster.slug,
        name=cluster.name,
        population=population,
        population_note=""
        if population
        else "Not every ward in this cluster has a census population loaded, so there are no rates.",
        ward_ids=tuple(w.pk for w in wards),
        is_demo_area=cluster.is_demo,
        area=cluster,
    )


def force_scope(slug: str) -> Scope:
    force = Force.objects.filter(slug=slug).first()
    if force is None:
        raise ScopeError(f'There is no police force "{slug[:40]}". Force ids look like "metropolitan".')
    return Scope(
        kind="force",
        code=force.slug,
        name=force.name,
        population_note="Open Ward has no resident population for a force's whole area, so there are no rates.",
        force_id=force.pk,
        area=force,
    )


def parse_poly(text: str, max_span: tuple[float, float] = MAX_API_POLYGON_SPAN_DEG, *, require_simple: bool = False):
    """A police.uk `poly` ("lat,lng:lat,lng:…") as a shapely polygon (lng, lat); closed automatically.

    Refuses, saying which limit and what to do, polygons of more than MAX_POLYGON_POINTS points or
    wider than `max_span` (degrees of latitude, longitude), and crossing polygons too large to untangle
    (with `require_simple`, any crossing polygon).
    """
    text = (text or "").strip()
    if not text:
        raise ScopeError("Give a polygon as poly=lat,lng:lat,lng:lat,lng (at least three points).")
    count = text.count(":") + 1
    if count > MAX_POLYGON_POINTS or len(text) > MAX_POLYGON_POINTS * MAX_POINT_CHARS:
        raise ScopeError(
            f"A polygon may have at most {MAX_POLYGON_POINTS:,} points; this one has {count:,}. "
            "Simplify it (fewer points along each edge) and send it again."
        )
    points = [_point(pair) for pair in text.split(":")]
    if len(set(points)) < 3:
        raise ScopeError("A polygon needs at least three different points.")
    lngs, lats = [p[0] for p in points], [p[1] for p in points]
    if max(lats) - min(lats) > max_span[0] or max(lngs) - min(lngs) > max_span[1]:
        km = round(max_span[0] * 111)
        raise ScopeError(
            f"That area is too large: a polygon here may be at most about {km} km across "
            f"({max_span[0]:g} degrees of latitude by {max_span[1]:g} of longitude). Draw a smaller one"
            + (", or use a borough page." if km < 50 else ".")
        )
    polygon = shapely.Polygon(points)
    if not polygon.is_valid and require_simple:
        raise ScopeError(
            "The area's edges cross each other. Draw it again going once around its edge, without crossing."
        )
    if not polygon.is_valid:
        if count > REPAIR_MAX_POINTS:
            raise ScopeError(
                f"The polygon's edges cross each other. Open Ward untangles crossing polygons of up to "
                f"{REPAIR_MAX_POINTS} points; this one has {count:,}. Redraw it so that no two edges cross."
            )
        polygon = shapely.make_valid(polygon, method="structure")
    if polygon.is_empty or polygon.area == 0:
        raise ScopeError("The polygon's points all lie on a line, so it encloses no area.")
    shapely.prepare(polygon)
    return polygon


def _point(pair: str) -> tuple[float, float]:
    """One "lat,lng" as (lng, lat), or a ScopeError that says what a point looks like."""
    parts = pair.split(",")
    try:
        if len(parts) != 2:
            raise ValueError
        lat, lng = float(parts[0]), float(parts[1])
    except ValueError:
        raise ScopeError(
            f'"{pair[:40]}" is not a point. Write each point as latitude,longitude, e.g. 51.5074,-0.1278, '
            "and separate points with colons."
        ) from None
    if not (-90 <= lat <= 90 and -180 <= lng <= 180) or math.isnan(lat) or math.isnan(lng):
        raise ScopeError(f'"{pair[:40]}" is outside the range of latitude (-90 to 90) and longitude (-180 to 180).')
    return lng, lat


def polygon_scope(text: str, *, require_simple: bool = False) -> Scope:
    polygon = parse_poly(text, MAX_POLYGON_SPAN_DEG, require_simple=require_simple)
    return Scope(
        kind="polygon",
        code=text.strip(),
        name="the area you drew",
        population_note="Open Ward has no resident population for a drawn area, so there are no rates.",
        polygon=polygon,
    )


# How far around a postcode a person may ask for (metres): a choice, so every answer fits MAX_POLYGON_SPAN_DEG.
AROUND_RADII_M = (250, 500, 1000, 2000, 3000)
CIRCLE_CORNERS = 32
METRES_PER_DEGREE_LAT = 111_320


def circle_poly(lat: float, lng: float, radius_m: float, corners: int = CIRCLE_CORNERS) -> str:
    """A poly ("lat,lng:…") for the circle of `radius_m` metres around a point: a regular polygon whose edges
    touch the circle from outside, so nothing within the radius is left out (the corners reach 0.5% further)."""
    reach = radius_m / math.cos(math.pi / corners)
    dlat = reach / METRES_PER_DEGREE_LAT
    dlng = reach / (METRES_PER_DEGREE_LAT * math.cos(math.radians(lat)))
    turns = (2 * math.pi * i / corners for i in range(corners))
    return ":".join(f"{lat + dlat * math.cos(a):.6f},{lng + dlng * math.sin(a):.6f}" for a in turns)


def distance_words(metres: int) -> str:
    return f"{metres // 1000} km" if metres % 1000 == 0 else f"{metres} m"


def around_scope(lat: float, lng: float, radius_m: int, place: str) -> Scope:
    """The area within `radius_m` metres of a point (a postcode's), named after it."""
    if radius_m not in AROUND_RADII_M:
        raise ScopeError(f"Choose a distance of {', '.join(distance_words(r) for r in AROUND_RADII_M)}.")
    scope = polygon_scope(circle_poly(lat, lng, radius_m))
    return dataclasses.replace(scope, name=f"the area within {distance_words(radius_m)} of {place}")
