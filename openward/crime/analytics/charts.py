"""Server-rendered inline SVG: a monthly trend and a map of snap points. No JavaScript needed.

Each chart has a text alternative (a table) on the page; the SVG carries a title and a
description for screen readers. Months with fewer than 10 crimes are drawn as a short
hatched stub, not their value, so the chart never shows what the table withholds.
"""

from __future__ import annotations

import json
import math

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .. import stats
from .summary import CrimeSummary

WIDTH, HEIGHT = 640, 260
PAD_L, PAD_R, PAD_T, PAD_B = 48, 12, 24, 48


def _nice_max(value: int) -> int:
    if value <= 10:
        return 10
    magnitude = 10 ** int(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return int(step * magnitude)
    return value


def trend_svg(summary: CrimeSummary, chart_id: str = "trend") -> SafeString:
    months = summary.months
    if not months:
        return mark_safe("")
    top = _nice_max(max((m.crimes for m in months if m.crimes is not None), default=0))
    plot_w, plot_h = WIDTH - PAD_L - PAD_R, HEIGHT - PAD_T - PAD_B
    bar_w = plot_w / len(months)
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{chart_id}-title '
        f'{chart_id}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">Crimes each month, {escape(summary.source.period if summary.source else "")}'
        "</title>",
        f'<desc id="{chart_id}-desc">Bar chart of crimes (excluding anti-social behaviour) per month; the same '
        "numbers are in the table below. Months with fewer than 10 crimes are shown as a hatched stub; "
        "months with no data loaded have no bar.</desc>",
        '<defs><pattern id="hatch" width="4" height="4" patternUnits="userSpaceOnUse">'
        '<path d="M0,4 L4,0" stroke="#505a5f" stroke-width="1"/></pattern></defs>',
    ]
    for i in range(6):
        value = top * i / 5
        y = PAD_T + plot_h - plot_h * i / 5
        parts.append(f'<line x1="{PAD_L}" x2="{WIDTH - PAD_R}" y1="{y:.1f}" y2="{y:.1f}" class="chart__grid"/>')
        parts.append(f'<text x="{PAD_L - 6}" y="{y + 4:.1f}" text-anchor="end" class="chart__axis">{value:,.0f}</text>')
    for i, m in enumerate(months):
        x = PAD_L + i * bar_w + 1
        label = f"{m.month:%b %Y}: {m.crimes_shown}"
        if m.crimes is None:
            h, cls, fill = 0, "chart__bar chart__bar--not-loaded", ""
        elif stats.is_suppressed(m.crimes):
            h = 3
            cls, fill = "chart__bar chart__bar--suppressed", ' fill="url(#hatch)"'
        else:
            h = plot_h * m.crimes / top
            cls, fill = "chart__bar", ""
            if summary.recent_first and m.month >= summary.recent_first:
                cls += " chart__bar--recent"
        y = PAD_T + plot_h - h
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(bar_w - 2, 1):.1f}" height="{h:.1f}" class="{cls}"{fill}>'
            f"<title>{escape(label)}</title></rect>"
        )
        # Every third month is labelled (January, April, July, October), the year under each January.
        centre = x + (bar_w - 2) / 2
        if m.month.month % 3 == 1:
            parts.append(
                f'<text x="{centre:.1f}" y="{HEIGHT - PAD_B + 16}" text-anchor="middle" class="chart__axis">'
                f"{m.month:%b}</text>"
            )
        if m.month.month == 1 or i == 0:
            parts.append(
                f'<text x="{centre:.1f}" y="{HEIGHT - PAD_B + 32}" text-anchor="middle" class="chart__axis '
                f'chart__axis--year">{m.month:%Y}</text>'
            )
    parts.append(f'<text x="{PAD_L - 6}" y="{PAD_T - 10}" text-anchor="end" class="chart__axis">Crimes</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


def trend_legend(summary: CrimeSummary) -> SafeString:
    """The chart's key in HTML beside it (outside the image, so it is read as text and can be zoomed)."""
    if not summary.months:
        return mark_safe("")
    items = []
    if summary.recent_first:
        items.append(("chart-key--recent", f"Latest 12 months ({summary.recent_period})"))
        if summary.months[0].month < summary.recent_first:
            items.append(("chart-key--earlier", "Earlier months"))
    else:
        items.append(("chart-key--earlier", "Crimes in the month"))
    if any(m.crimes is not None and stats.is_suppressed(m.crimes) for m in summary.months):
        items.append(("chart-key--suppressed", "Fewer than 10 (not drawn to scale)"))
    if any(m.crimes is None for m in summary.months):
        items.append(("chart-key--none", "No data loaded (no bar)"))
    lis = "".join(f'<li><span class="chart-key {cls}" aria-hidden="true"></span>{escape(t)}</li>' for cls, t in items)
    return mark_safe(f'<ul class="chart-legend" aria-label="Key to the chart">{lis}</ul>')


def _rings(geometry: dict) -> list[list[list[float]]]:
    kind = geometry.get("type")
    if kind == "Polygon":
        return [geometry["coordinates"][0]]
    if kind == "MultiPolygon":
        return [poly[0] for poly in geometry["coordinates"]]
    return []


def _area_rings(summary: CrimeSummary, boundary) -> list:
    if summary.scope.polygon is not None:
        return _rings(json.loads(json.dumps(summary.scope.polygon.__geo_interface__)))
    if boundary:
        try:
            return _rings(json.loads(boundary) if isinstance(boundary, str) else boundary)
        except (ValueError, KeyError, TypeError):
            return []
    return []


def map_data(summary: CrimeSummary, boundary: str | dict | None = None) -> dict:
    """What the street map draws (the same as the SVG): the outline and each point with its published count."""
    top = max((p.count for p in summary.points), default=1)
    return {
        "rings": [[[round(c[0], 6), round(c[1], 6)] for c in ring] for ring in _area_rings(summary, boundary)],
        "points": [
            {
                "lat": round(p.latitude, 6),
                "lng": round(p.longitude, 6),
                "label": f"{p.street}: {p.count_shown}",
                "size": math.sqrt((1 if stats.is_suppressed(p.count) else p.count) / top),
            }
            for p in summary.points
        ],
    }


def map_svg(summary: CrimeSummary, boundary: str | dict | None = None, chart_id: str = "map") -> SafeString:
    """Snap points as circles sized by their count, over the area's outline when known."""
    scope = summary.scope
    rings = []
    if scope.polygon is not None:
        geom = json.loads(json.dumps(scope.polygon.__geo_interface__))
        rings = _rings(geom)
    elif boundary:
        try:
            rings = _rings(json.loads(boundary) if isinstance(boundary, str) else boundary)
        except (ValueError, KeyError, TypeError):
            rings = []
    lngs = [p.longitude for p in summary.points] + [c[0] for r in rings for c in r]
    lats = [p.latitude for p in summary.points] + [c[1] for r in rings for c in r]
    if not lngs:
        return mark_safe("")
    min_lng, max_lng, min_lat, max_lat = min(lngs), max(lngs), min(lats), max(lats)
    kx = math.cos(math.radians((min_lat + max_lat) / 2))
    span_x = max((max_lng - min_lng) * kx, 1e-4)
    span_y = max(max_lat - min_lat, 1e-4)
    size, pad = 560, 20
    scale = (size - 2 * pad) / max(span_x, span_y)
    w = span_x * scale + 2 * pad
    h = span_y * scale + 2 * pad

    def xy(lng, lat):
        return pad + (lng - min_lng) * kx * scale, pad + (max_lat - lat) * scale

    parts = [
        f'<svg class="map" viewBox="0 0 {w:.0f} {h:.0f}" role="img" aria-labelledby="{chart_id}-title '
        f'{chart_id}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">Map of crime locations in {escape(scope.name)}, {escape(summary.recent_period)}'
        "</title>",
        f'<desc id="{chart_id}-desc">{len(summary.points)} approximate locations; larger circles mean more crimes. '
        "The busiest locations are listed in the table below.</desc>",
    ]
    for ring in rings:
        d = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(c[0], c[1]) for c in ring))
        parts.append(f'<polygon points="{d}" class="area"/>')
    top = max((p.count for p in summary.points), default=1)
    for p in sorted(summary.points, key=lambda p: p.count):
        x, y = xy(p.longitude, p.latitude)
        shown = p.count if not stats.is_suppressed(p.count) else 1
        r = 2 + 10 * math.sqrt(shown / top)
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" class="map__point">'
            f"<title>{escape(p.street)}: {escape(p.count_shown)}</title></circle>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
