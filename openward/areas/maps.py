"""Boundary maps drawn as inline SVG from the stored GeoJSON, so they work offline with no map tiles.

Longitude and latitude are projected equirectangularly with longitude scaled by cos(latitude)
at the map's middle: at ward and borough scale the distortion is invisible and no projection
library runs per request. Boundaries are simplified to about half a pixel first.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

import shapely

WIDTH = 600
PADDING = 8


@dataclass(frozen=True)
class MapShape:
    path: str
    css_class: str
    label: str
    href: str | None


@dataclass(frozen=True)
class BoundaryMap:
    width: int
    height: int
    shapes: list[MapShape]

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"

    @property
    def has_links(self) -> bool:
        return any(shape.href for shape in self.shapes)


def _geometry(area):
    if not area.boundary:
        return None
    try:
        return shapely.from_geojson(json.dumps(json.loads(area.boundary)))
    except (ValueError, shapely.errors.GEOSException):
        return None


def _rings(geom):
    polygons = getattr(geom, "geoms", [geom])
    for polygon in polygons:
        if polygon.geom_type != "Polygon":
            continue
        yield polygon.exterior.coords
        for hole in polygon.interiors:
            yield hole.coords


def boundary_map(items: list[tuple[object, str, str | None]], width: int = WIDTH) -> BoundaryMap | None:
    """A map of areas: items are (area with a boundary, CSS class, link or None), drawn in order."""
    shapes = [(area, css, href, geom) for area, css, href in items if (geom := _geometry(area)) is not None]
    if not shapes:
        return None
    min_lng, min_lat, max_lng, max_lat = shapely.GeometryCollection([g for *_, g in shapes]).bounds
    kx = math.cos(math.radians((min_lat + max_lat) / 2))
    span_x = max((max_lng - min_lng) * kx, 1e-9)
    span_y = max(max_lat - min_lat, 1e-9)
    scale = (width - 2 * PADDING) / max(span_x, span_y)
    height = round(span_y * scale + 2 * PADDING)
    width = round(span_x * scale + 2 * PADDING)
    tolerance = 0.5 / scale

    def xy(lng, lat):
        return f"{(lng - min_lng) * kx * scale + PADDING:.1f} {(max_lat - lat) * scale + PADDING:.1f}"

    out = []
    for area, css, href, geom in shapes:
        simple = shapely.simplify(geom, tolerance, preserve_topology=True)
        parts = []
        for ring in _rings(simple):
            points = [xy(lng, lat) for lng, lat, *_ in ring]
            parts.append("M" + " L".join(points) + " Z")
        out.append(MapShape(" ".join(parts), css, str(area.name), href))
    return BoundaryMap(width=width, height=height, shapes=out)
