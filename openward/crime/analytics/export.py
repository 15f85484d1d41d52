"""A CrimeSummary as the API's JSON, a tidy CSV and GeoJSON: the same numbers the page shows."""

from __future__ import annotations

import io
import json

from openward.core import csvsafe

from .. import stats
from .summary import SNAP_POINT_CAVEAT, Breakdown, CrimeSummary, Figure, period_label


def _month(d) -> str | None:
    return f"{d.year:04d}-{d.month:02d}" if d else None


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def figure_dict(f: Figure) -> dict:
    c = f.change
    suppressed = c.suppressed
    return {
        "key": f.key,
        "label": f.label,
        "recent": stats.published(f.recent),
        "earlier": stats.published(f.earlier),
        "recent_shown": f.recent_shown,
        "earlier_shown": f.earlier_shown,
        "suppressed": suppressed,
        "percent_change": _round(c.percent, 1),
        "ratio_ci_low": None if suppressed else _round(c.ratio_low),
        "ratio_ci_high": None if suppressed else _round(c.ratio_high),
        "p_value": None if suppressed else _round(c.p_value),
        "statement": c.statement,
        "rate_per_1000": _round(f.rate, 2),
        "rate_shown": f.rate_shown,
        "harm_weight": f.harm_weight,
    }


def breakdown_dict(b: Breakdown) -> dict:
    suppressed = stats.is_suppressed(b.count)
    return {
        "label": b.label,
        "count": stats.published(b.count),
        "count_shown": b.count_shown,
        "share": None if suppressed or b.share is None else _round(b.share),
    }


def summary_dict(s: CrimeSummary) -> dict:
    scope = s.scope
    stops = s.stops
    return {
        "area": {
            "kind": scope.kind,
            "code": scope.code,
            "name": scope.name,
            "population": scope.population,
            "population_note": scope.population_note,
        },
        "force": s.force.slug if s.force else None,
        "latest_month": _month(s.latest),
        "recent_period": s.recent_period,
        "earlier_period": s.earlier_period,
        "comparable_note": s.comparable_note,
        "coverage_note": s.coverage_note,
        "total": figure_dict(s.total) if s.total else None,
        "anti_social_behaviour": figure_dict(s.asb) if s.asb else None,
        "categories": [figure_dict(f) for f in s.categories],
        "by_force": [figure_dict(f) for f in s.by_force],
        "duplicates_removed": s.duplicates_removed,
        "dropped_on_import": [{"reason": d.reason, "why": d.why, "count": d.count} for d in s.dropped_on_import],
        "months": [
            {
                "month": _month(m.month),
                "crimes": stats.published(m.crimes),
                "asb": stats.published(m.asb),
                "crimes_shown": m.crimes_shown,
                "asb_shown": m.asb_shown,
            }
            for m in s.months
        ],
        "outcomes": [{"category": name, "outcomes": [breakdown_dict(b) for b in rows]} for name, rows in s.outcomes],
        "snap_points": s.places,
        "concentration_top_points": s.concentration_top,
        "concentration_share": _round(s.concentration_share),
        "harm": None
        if s.harm is None
        else {
            "recent": _round(s.harm.recent.total, 2),
            "earlier": _round(s.harm.earlier.total, 2),
            "ratio_ci_low": _round(s.harm.low),
            "ratio_ci_high": _round(s.harm.high),
            "statement": s.harm.statement,
        },
        "stops": None
        if stops is None
        else {
            "period": stops.period,
            "total": stats.published(stops.total),
            "total_shown": stops.total_shown,
            "arrests": stats.published(stops.arrests) if stops.arrest_rate is not None else None,
            "arrest_rate": _round(stops.arrest_rate),
            "arrest_rate_shown": stops.arrest_rate_shown,
            "finds": stats.published(stops.finds) if stops.find_rate is not None else None,
            "linked_recorded": stats.published(stops.linked_recorded),
            "find_rate": _round(stops.find_rate),
            "find_rate_shown": stops.find_rate_shown,
            "coverage_note": stops.coverage_note,
            "by_month": [
                {"label": _month(m), "count": None, "count_shown": shown, "share": None}
                if m in stops.not_loaded
                else breakdown_dict(Breakdown(_month(m), n, None))
                for (m, n), (_, shown) in zip(stops.by_month, stops.months_shown, strict=True)
            ],
            "breakdowns": {k: [breakdown_dict(b) for b in v] for k, v in stops.breakdowns.items()},
            "ethnicity_rate_note": stops.ethnicity_rate_note,
        },
        "source": None
        if s.source is None
        else {
            "name": s.source.name,
            "url": s.source.url,
            "licence": s.source.licence,
            "period": s.source.period,
            "last_updated": s.source.last_updated.isoformat() if s.source.last_updated else None,
            "is_demo": s.source.is_demo,
            "snap_point_caveat": SNAP_POINT_CAVEAT,
        },
    }


CSV_HEADER = ["table", "row", "column", "value", "shown"]


def summary_csv(s: CrimeSummary) -> str:
    """Tidy rows (table, row, column, value, shown); suppressed counts have an empty value."""
    d = summary_dict(s)
    out = io.StringIO()
    w = csvsafe.writer(out)
    out.write("# " + _provenance(s).replace("\n", " ") + "\n")
    w.writerow(CSV_HEADER)
    for m in d["months"]:
        w.writerow(
            ["monthly", m["month"], "crimes excluding anti-social behaviour", _v(m["crimes"]), m["crimes_shown"]]
        )
        w.writerow(["monthly", m["month"], "anti-social behaviour", _v(m["asb"]), m["asb_shown"]])
    figures = [("total", d["total"]), ("anti-social behaviour", d["anti_social_behaviour"])]
    figures += [("category", f) for f in d["categories"]] + [("force", f) for f in d["by_force"]]
    for table, f in figures:
        if f is None:
            continue
        w.writerow([table, f["label"], f"recent 12 months ({d['recent_period']})", _v(f["recent"]), f["recent_shown"]])
        w.writerow(
            [table, f["label"], f"earlier 12 months ({d['earlier_period']})", _v(f["earlier"]), f["earlier_shown"]]
        )
        w.writerow([table, f["label"], "percent change", _v(f["percent_change"]), f["statement"]])
        w.writerow([table, f["label"], "p value", _v(f["p_value"]), ""])
        w.writerow([table, f["label"], "rate per 1,000 residents", _v(f["rate_per_1000"]), f["rate_shown"]])
        if table == "category":
            w.writerow([table, f["label"], "harm weight", "", f["harm_weight"]])
    if d["harm"]:
        h = d["harm"]
        w.writerow(["harm", "all crime", f"recent 12 months ({d['recent_period']})", _v(h["recent"]), h["statement"]])
        w.writerow(["harm", "all crime", f"earlier 12 months ({d['earlier_period']})", _v(h["earlier"]), ""])
    if s.latest:
        years = period_label(s.earlier_first, s.latest)
        w.writerow(["duplicates", "removed across forces", years, d["duplicates_removed"], d["duplicates_removed"]])
        for x in d["dropped_on_import"]:
            w.writerow(["duplicates", f"left out on import: {x['why']}", years, x["count"], x["count"]])
    for group in d["outcomes"]:
        for b in group["outcomes"]:
            w.writerow(["outcomes", group["category"], b["label"], _v(b["count"]), b["count_shown"]])
    if d["stops"]:
        st = d["stops"]
        w.writerow(["stop and search", "total", st["period"], _v(st["total"]), st["total_shown"]])
        w.writerow(["stop and search", "arrest rate", st["period"], _v(st["arrest_rate"]), st["arrest_rate_shown"]])
        w.writerow(["stop and search", "find rate", st["period"], _v(st["find_rate"]), st["find_rate_shown"]])
        for b in st["by_month"]:
            w.writerow(["stop and search", "month", b["label"], _v(b["count"]), b["count_shown"]])
        for name, rows in st["breakdowns"].items():
            for b in rows:
                w.writerow(["stop and search", name, b["label"], _v(b["count"]), b["count_shown"]])
    return out.getvalue()


def _v(value) -> str:
    return "" if value is None else str(value)


def _provenance(s: CrimeSummary) -> str:
    src = s.source
    if src is None:
        return "No crime data loaded."
    demo = " GENERATED DEMO DATA, not real crimes." if src.is_demo else ""
    updated = f"; last updated {src.last_updated:%Y-%m-%d}" if src.last_updated else ""
    return f"Source: {src.name}, {src.licence}; {s.scope.name}; {src.period}{updated}.{demo}"


def summary_geojson(s: CrimeSummary) -> str:
    """Snap points with their crime counts over the latest 12 months (counts under 10 are withheld)."""
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [p.longitude, p.latitude]},
            "properties": {"street": p.street, "count": stats.published(p.count), "count_shown": p.count_shown},
        }
        for p in s.points
    ]
    return json.dumps(
        {
            "type": "FeatureCollection",
            "features": features,
            "properties": {
                "area": s.scope.name,
                "period": s.recent_period,
                "source": _provenance(s),
                "caveat": SNAP_POINT_CAVEAT,
            },
        }
    )
