"""Hot spots as the API's dict, a CSV and GeoJSON, and a map; the same HotSpots feeds them all.

Counts below 10 are published as null ("fewer than 10" in words), as everywhere else.
"""

from __future__ import annotations

import io
import json
import math
from html import escape

from django.utils.safestring import SafeString, mark_safe

from openward.core import csvsafe

from .. import stats
from .hotspots import FDR_LEVEL, HotSpots, cell_polygon
from .summary import LICENCE, SNAP_POINT_CAVEAT, SOURCE_NAME, SOURCE_URL

TABLE_ROWS = 20
# Every cell with a crime or a significant result goes into downloads; empty, unremarkable cells are implied.
METHOD = (
    "150 m cells of the British National Grid and published snap points; Getis–Ord Gi* over the area's cells "
    f"(queen contiguity, two-sided), Benjamini–Hochberg false discovery rate {FDR_LEVEL:.0%}. "
    "Anti-social behaviour is left out."
)


def _cell_dict(c, harm_ok: bool) -> dict:
    return {
        "key": c.key,
        "latitude": c.latitude,
        "longitude": c.longitude,
        "count": stats.published(c.count),
        "count_shown": c.count_shown,
        "harm": _harm(harm_ok, c.harm, c.count),
        "gi_z": None if c.z is None else round(c.z, 4),
        "gi_q": None if c.q is None else round(c.q, 6),
        "kind": c.kind,
        "harm_hot_q": None if c.harm_q is None else round(c.harm_q, 6),
        "previous_count": stats.published(c.previous),
    }


def _listed(result: HotSpots):
    return [c for c in result.cells if c.count or c.kind]


def period_dict(period) -> dict:
    return {"first": f"{period.first:%Y-%m}", "last": f"{period.last:%Y-%m}", "label": period.label}


def _harm(harm_ok: bool, value: float | None, count: int) -> float | None:
    """A place's harm, unless harm is unavailable or its count is withheld."""
    if not harm_ok or value is None or stats.is_suppressed(count):
        return None
    return round(value, 2)


def hotspots_dict(result: HotSpots) -> dict:
    harm_ok = result.harm is not None and result.harm.available
    return {
        "area": {"kind": result.kind, "code": result.code, "name": result.name},
        "force": result.force,
        "period": None
        if result.period is None
        else {
            "first": f"{result.period.first:%Y-%m}",
            "last": f"{result.period.last:%Y-%m}",
            "label": result.period.label,
        },
        "crimes": stats.published(result.total),
        "crimes_shown": stats.shown_count(result.total),
        "harm": None if not harm_ok else round(result.harm.total, 2),
        "harm_shown": "" if result.harm is None else result.harm.shown,
        "method": METHOD,
        "region_note": result.region_note,
        "gi_note": result.gi_note,
        "gi_harm_note": result.gi_harm_note,
        "cells_in_area": len(result.cells),
        "hot_cells": result.hot_cells,
        "cold_cells": result.cold_cells,
        "cells": [_cell_dict(c, harm_ok) for c in sorted(_listed(result), key=lambda c: (-c.count, c.key))],
        "snap_points": [
            {
                "latitude": p.latitude,
                "longitude": p.longitude,
                "street": p.street,
                "count": stats.published(p.count),
                "count_shown": p.count_shown,
                "harm": round(p.harm, 2)
                if harm_ok and p.harm is not None and not stats.is_suppressed(p.count)
                else None,
            }
            for p in result.points_by_count
        ],
        "concentration": [
            {
                "places": name,
                "of": conc.places,
                "top_fraction": fraction,
                "top_places": k,
                "crime_share": crime_share,
                "harm_share": harm_share,
            }
            for name, conc in (("grid cells", result.grid), ("snap points", result.snap))
            if conc is not None
            for fraction, k, crime_share, harm_share in conc.rows
        ],
        "stability": None
        if result.stability is None
        else {
            "previous_period": result.stability.previous.label,
            "previous_top_cells": result.stability.previous_top,
            "still_top": result.stability.still_top,
            "share": result.stability.share,
        },
        "source": {"name": SOURCE_NAME, "url": SOURCE_URL, "licence": LICENCE, "snap_point_caveat": SNAP_POINT_CAVEAT},
        "is_demo": result.is_demo,
    }


def hotspots_csv(result: HotSpots) -> str:
    out = io.StringIO()
    w = csvsafe.writer(out)
    w.writerow(["# Hot spots", result.name, result.period.label if result.period else "no data"])
    w.writerow(["# Method", METHOD])
    w.writerow(["# Harm", result.harm.shown if result.harm else "not available"])
    w.writerow(["# Counts below 10 are left blank", f"Source: {SOURCE_NAME}, {LICENCE}"])
    w.writerow(["place", "key", "latitude", "longitude", "street", "crimes", "harm", "gi_z", "gi_q", "kind"])
    data = hotspots_dict(result)
    for c in data["cells"]:
        w.writerow(
            [
                "grid cell",
                c["key"],
                c["latitude"],
                c["longitude"],
                "",
                c["count"] if c["count"] is not None else "",
                c["harm"] if c["harm"] is not None else "",
                c["gi_z"] if c["gi_z"] is not None else "",
                c["gi_q"] if c["gi_q"] is not None else "",
                c["kind"],
            ]
        )
    for p in data["snap_points"]:
        w.writerow(
            [
                "snap point",
                f"{p['latitude']:.6f},{p['longitude']:.6f}",
                p["latitude"],
                p["longitude"],
                p["street"],
                p["count"] if p["count"] is not None else "",
                p["harm"] if p["harm"] is not None else "",
                "",
                "",
                "",
            ]
        )
    return out.getvalue()


def hotspots_geojson(result: HotSpots) -> str:
    data = hotspots_dict(result)
    cells = {c.key: c for c in result.cells}
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Polygon", "coordinates": [cell_polygon(cells[c["key"]].ix, cells[c["key"]].iy)]},
            "properties": {"place": "grid cell", **c},
        }
        for c in data["cells"]
    ]
    features += [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [p["longitude"], p["latitude"]]},
            "properties": {"place": "snap point", **p},
        }
        for p in data["snap_points"]
    ]
    meta = {k: v for k, v in data.items() if k not in ("cells", "snap_points")}
    return json.dumps({"type": "FeatureCollection", "metadata": meta, "features": features})


def hotspots_svg(result: HotSpots, chart_id: str = "hotspot-map") -> SafeString:
    """Cells shaded by crime count, hot cells outlined, over the area's outline when known."""
    if not result.cells:
        return mark_safe("")
    rings = []
    if result.boundary:
        geom = json.loads(result.boundary)
        polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom.get("coordinates", [])
        rings = [p[0] for p in polys if p]
    outlines = {c.key: cell_polygon(c.ix, c.iy) for c in result.cells if c.count or c.kind}
    lngs = [c.longitude for c in result.cells] + [pt[0] for r in rings for pt in r]
    lats = [c.latitude for c in result.cells] + [pt[1] for r in rings for pt in r]
    min_lng, max_lng, min_lat, max_lat = min(lngs), max(lngs), min(lats), max(lats)
    kx = math.cos(math.radians((min_lat + max_lat) / 2))
    span = max((max_lng - min_lng) * kx, max_lat - min_lat, 1e-4)
    size, pad = 560, 20
    scale = (size - 2 * pad) / span
    w, h = (max_lng - min_lng) * kx * scale + 2 * pad, (max_lat - min_lat) * scale + 2 * pad

    def xy(lng, lat):
        return pad + (lng - min_lng) * kx * scale, pad + (max_lat - lat) * scale

    top = max((c.count for c in result.cells), default=1) or 1
    parts = [
        f'<svg class="map" viewBox="0 0 {w:.0f} {h:.0f}" role="img" aria-labelledby="{chart_id}-title '
        f'{chart_id}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">Hot spots in {escape(result.name)}, {escape(result.period.label)}</title>',
        f'<desc id="{chart_id}-desc">150 m cells shaded by the number of crimes; {result.hot_cells} cells outlined '
        "in red are statistically significant hot spots. The table below lists the busiest cells.</desc>",
    ]
    for ring in rings:
        d = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(pt[0], pt[1]) for pt in ring))
        parts.append(f'<polygon points="{d}" class="area"/>')
    for c in sorted(result.cells, key=lambda c: (c.kind == "hot", c.count)):
        if c.key not in outlines:
            continue
        d = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(pt[0], pt[1]) for pt in outlines[c.key]))
        shade = 0.15 + 0.75 * math.sqrt(max(c.count, 0) / top)
        cls = "hotspot__cell" + (f" hotspot__cell--{c.kind}" if c.kind else "")
        hot = " (hot spot)" if c.kind == "hot" else ""
        parts.append(
            f'<polygon points="{d}" class="{cls}" fill-opacity="{shade:.2f}">'
            f"<title>{c.key}: {escape(c.count_shown)} crimes{hot}</title></polygon>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
