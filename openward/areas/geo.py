"""Point → ward look-ups over stored boundaries, with a per-process spatial index.

Ward boundaries are GeoJSON text in the database; parsing them for every request would be
slow, so each process builds an STRtree per ward generation on first use and keeps it until
the boundaries change. Importers call `boundaries_changed()` after committing boundaries;
that bumps a version in the cache (shared by processes when the cache is Redis), and every
process rebuilds its index on its next look-up.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import shapely
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from openward.core import process_caches

from .models import Neighbourhood, Ward, WardGeneration

VERSION_KEY = "areas:geo-version"
NEIGHBOURHOOD_VERSION_KEY = "areas:neighbourhood-geo-version"
_lock = threading.Lock()
_indexes: dict[tuple[int | None, int], WardIndex] = {}
process_caches.register(_indexes.clear)
_neighbourhood_indexes: dict[tuple[date, int], NeighbourhoodIndex] = {}
process_caches.register(_neighbourhood_indexes.clear)


def boundaries_changed() -> None:
    """Tell every process to rebuild its indexes once the current transaction commits."""

    transaction.on_commit(lambda: process_caches.bump_shared_version(VERSION_KEY))


def neighbourhood_boundaries_changed() -> None:
    """Tell every process to rebuild its neighbourhood index once the current transaction commits
    (the teams importer calls it whenever it writes neighbourhoods)."""

    transaction.on_commit(lambda: process_caches.bump_shared_version(NEIGHBOURHOOD_VERSION_KEY))


def forget_indexes() -> None:
    """Drop this process's indexes (tests: database ids are reused after a rollback)."""
    with _lock:
        _indexes.clear()
        _neighbourhood_indexes.clear()


def _version() -> int:
    return process_caches.shared_version(VERSION_KEY)


def generation_for(on: date | None = None) -> WardGeneration | None:
    """The ward generation in force on a date (today by default); None if none is loaded."""
    on = on or timezone.localdate()
    return (
        WardGeneration.objects.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("-valid_from")
        .first()
    )


@dataclass
class WardIndex:
    """The wards of one generation: ids, codes and geometries in an STRtree."""

    ward_ids: np.ndarray
    codes: list[str]
    geometries: np.ndarray
    tree: shapely.STRtree
    bounds: np.ndarray = field(init=False)  # the wards' joint (west, south, east, north)

    def __post_init__(self) -> None:
        # A generation without boundaries has no bounds (and `locate` places nothing in it).
        self.bounds = shapely.total_bounds(self.geometries) if len(self.geometries) else np.full(4, np.nan)

    @classmethod
    def build(cls, generation_id: int | None) -> WardIndex:
        rows = list(
            Ward.objects.filter(generation_id=generation_id)
            .exclude(boundary="")
            .order_by("id")
            .values_list("id", "gss_code", "boundary")
        )
        # One vectorised parse: 4x faster than a json round trip per ward (London's 704: 0.3 s, not 1.2 s).
        geoms = shapely.from_geojson([b for _, _, b in rows])
        shapely.prepare(geoms)
        return cls(
            ward_ids=np.array([r[0] for r in rows], dtype=np.int64),
            codes=[r[1] for r in rows],
            geometries=geoms,
            tree=shapely.STRtree(geoms),
        )

    def locate(self, lats, lngs) -> np.ndarray:
        """Ward id for each point (0 where no ward contains it); a point on a shared edge goes to the lower id.

        Only the points inside the wards' joint bounding box become geometries: a national month holds
        hundreds of thousands of points outside London's wards, and making each a shapely point cost more than
        finding the ward of the rest."""
        lngs, lats = np.asarray(lngs, dtype=float), np.asarray(lats, dtype=float)
        out = np.zeros(len(lngs), dtype=np.int64)
        if not len(self.ward_ids):
            return out
        west, south, east, north = self.bounds
        near = np.flatnonzero((lngs >= west) & (lngs <= east) & (lats >= south) & (lats <= north))
        point_idx, geom_idx = self.tree.query(shapely.points(lngs[near], lats[near]), predicate="intersects")
        # Reverse so that, for points on a boundary, the first ward found wins when assigned last.
        out[near[point_idx[::-1]]] = self.ward_ids[geom_idx[::-1]]
        return out


def ward_index(generation: WardGeneration | None) -> WardIndex:
    key = (generation.pk if generation else None, _version())
    index = _indexes.get(key)
    if index is None:
        with _lock:
            index = _indexes.get(key)
            if index is None:
                for stale in [k for k in _indexes if k[0] == key[0]]:
                    del _indexes[stale]
                index = _indexes[key] = WardIndex.build(key[0])
    return index


@dataclass
class NeighbourhoodIndex:
    """The neighbourhoods in force on a day that have a boundary of their own (a force that does not use
    ward codes draws its own, stored by the sync), as (force slug, neighbourhood id) in an STRtree."""

    keys: list[tuple[str, str]]
    geometries: np.ndarray
    tree: shapely.STRtree

    @classmethod
    def build(cls, on: date) -> NeighbourhoodIndex:
        rows = list(
            Neighbourhood.objects.current(on)
            .exclude(boundary="")
            .order_by("id")
            .values_list("force__slug", "code", "boundary")
        )
        keys, geoms = [], []
        for slug, code, boundary in rows:
            try:
                shape = shapely.make_valid(shapely.from_geojson(boundary))
            except (shapely.errors.GEOSException, ValueError):
                continue  # the importer checks boundaries; one damaged by hand is skipped, not fatal
            keys.append((slug, code))
            geoms.append(shape)
        geometries = np.array(geoms, dtype=object)
        shapely.prepare(geometries)
        return cls(keys=keys, geometries=geometries, tree=shapely.STRtree(geometries))

    def locate(self, lat: float, lng: float) -> tuple[str, str] | None:
        """The neighbourhood whose boundary contains the point; where boundaries overlap, the smallest
        (the most local team), then the first stored."""
        if not self.keys:
            return None
        hits = self.tree.query(shapely.Point(lng, lat), predicate="intersects")
        if not len(hits):
            return None
        best = min(hits, key=lambda i: (shapely.area(self.geometries[i]), i))
        return self.keys[best]


def neighbourhood_index(on: date | None = None) -> NeighbourhoodIndex:
    """This process's index of the neighbourhoods in force on `on` (today by default), rebuilt when the
    day changes or an import changes neighbourhoods."""
    key = (on or timezone.localdate(), process_caches.shared_version(NEIGHBOURHOOD_VERSION_KEY))
    index = _neighbourhood_indexes.get(key)
    if index is None:
        with _lock:
            index = _neighbourhood_indexes.get(key)
            if index is None:
                for stale in [k for k in _neighbourhood_indexes if k[1] != key[1]]:
                    del _neighbourhood_indexes[stale]
                if len(_neighbourhood_indexes) >= 4:  # today's and a few dates asked about; never unbounded
                    _neighbourhood_indexes.clear()
                index = _neighbourhood_indexes[key] = NeighbourhoodIndex.build(key[0])
    return index


def locate_ward_ids(lats, lngs, on: date | None = None, generation: WardGeneration | None = None) -> np.ndarray:
    """Vectorised point → ward id (0 = outside every ward) for the generation in force on `on`."""
    generation = generation or generation_for(on)
    return ward_index(generation).locate(lats, lngs)


# A ward of a new generation takes over an old ward's followers when it holds at least this share of the
# old ward's area (boundary reviews mostly nudge edges; a ward split or merged below it needs a person).
SUCCESSOR_SHARE = 0.9


@dataclass(frozen=True)
class Successor:
    """Where an old ward went in a new generation: the ward that takes it over (or None), and why."""

    ward: Ward | None
    reason: str
    overlaps: tuple[tuple[Ward, float], ...] = ()


def shares_of(shape, generation: WardGeneration | None = None) -> list[tuple[Ward, float]]:
    """The wards of `generation` (default: Ward.objects.current()) that share area with `shape` (a shapely
    geometry in lng/lat), each with the share of the shape's area it holds, largest first."""
    min_lng, min_lat, max_lng, max_lat = shape.bounds
    wards = Ward.objects.in_generation(generation) if generation is not None else Ward.objects.current()
    candidates = (
        wards.exclude(boundary="")
        .filter(Q(min_lat__isnull=True) | Q(min_lat__lte=max_lat, max_lat__gte=min_lat))
        .filter(Q(min_lng__isnull=True) | Q(min_lng__lte=max_lng, max_lng__gte=min_lng))
        .select_related("borough")
    )
    area = shape.area or 1.0
    shares = (
        (ward, shapely.intersection(shape, shapely.make_valid(shapely.from_geojson(ward.boundary))).area / area)
        for ward in candidates
    )
    return sorted((pair for pair in shares if pair[1] > 0), key=lambda pair: -pair[1])


def successor(ward: Ward, generation: WardGeneration) -> Successor:
    """The ward of `generation` that follows `ward`: the same GSS code if the generation kept it, else the new
    ward holding at least SUCCESSOR_SHARE of its area; None (with the wards it now spans) otherwise."""
    kept = Ward.objects.filter(gss_code=ward.gss_code, generation=generation).select_related("borough").first()
    if kept is not None:
        return Successor(kept, f"{ward.gss_code} is kept in {generation}")
    if not ward.boundary:
        return Successor(None, f"{ward.name} ({ward.gss_code}) is not in {generation} and has no boundary to compare")
    shares = shares_of(shapely.from_geojson(ward.boundary), generation)
    overlaps = [(new, share) for new, share in shares if share >= 0.01]
    if overlaps and overlaps[0][1] >= SUCCESSOR_SHARE:
        new, share = overlaps[0]
        return Successor(new, f"{new.name} holds {share:.0%} of {ward.name}", tuple(overlaps))
    if not overlaps:
        return Successor(None, f"{ward.name} ({ward.gss_code}) is in no ward of {generation}")
    spread = ", ".join(f"{new.name} ({share:.0%})" for new, share in overlaps[:4])
    return Successor(
        None, f"{ward.name} is split between {spread} in {generation}: choose the new ward", tuple(overlaps)
    )


def geometry_from_vertices(vertices: list[tuple[float, float]]) -> dict | None:
    """A police.uk boundary (one list of (lat, lng) vertices) as a GeoJSON Polygon or MultiPolygon, or None
    when it lists no vertices. police.uk lists a neighbourhood of several parts one closed ring after
    another, so a ring ends where it returns to its first vertex; a last ring left open is closed.
    Raises ValueError for a ring of fewer than three vertices."""
    rings: list[list[list[float]]] = []
    ring: list[list[float]] = []
    for lat, lng in vertices:
        ring.append([lng, lat])
        if len(ring) >= 4 and ring[-1] == ring[0]:
            rings.append(ring)
            ring = []
    if ring:
        if len({tuple(v) for v in ring}) < 3:
            raise ValueError(f"its last part has {len(ring)} vertices, and a boundary needs at least three")
        rings.append(ring + [ring[0]])
    if not rings:
        return None
    if len(rings) == 1:
        return {"type": "Polygon", "coordinates": [rings[0]]}
    return {"type": "MultiPolygon", "coordinates": [[r] for r in rings]}


def outer_vertices(boundary: str) -> list[tuple[float, float]]:
    """The (lat, lng) vertices of a stored boundary's outer rings, one after another, as police.uk lists them."""
    if not boundary:
        return []
    geometry = json.loads(boundary)
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    return [(lat, lng) for polygon in polygons for lng, lat, *_ in polygon[0]]
