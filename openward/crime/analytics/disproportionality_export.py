"""Disproportionality as JSON-ready data (the API) and as CSV (the download): the same figures as the page.

Small counts are published as null (JSON) or empty (CSV) with a note; nothing is derived from them.
"""

from __future__ import annotations

import io

from openward.core import csvsafe

from .. import stats
from .disproportionality import Breakdown, Disproportionality, GroupRow, Proportion


def _proportion(p: Proportion) -> dict:
    interval = p.interval
    return {
        "value": p.value,
        "low": interval[0] if interval else None,
        "high": interval[1] if interval else None,
        "shown": p.shown,
    }


def _group(row: GroupRow) -> dict:
    return {
        "group": row.group,
        "label": row.label,
        "searches": stats.published(row.tally.searches),
        "population": row.population,
        "rate_per_1000": row.rate,
        "ratio": row.ratio,
        "ratio_low": row.ratio_low,
        "ratio_high": row.ratio_high,
        "rate_shown": row.rate_shown,
        "ratio_shown": row.ratio_shown,
        "arrest_rate": _proportion(row.arrest_rate),
        "find_rate": _proportion(row.find_rate),
        "removal_share": _proportion(row.removal_share),
    }


def _breakdown(b: Breakdown) -> dict:
    return {
        "key": b.key,
        "label": b.label,
        "searches": stats.published(b.total.searches),
        "arrest_rate": _proportion(b.arrest_rate),
        "find_rate": _proportion(b.find_rate),
        "groups": [_group(r) for r in b.rows],
    }


def as_dict(d: Disproportionality) -> dict:
    den = d.denominator
    return {
        "area": {"kind": d.scope.kind, "code": d.scope.code, "name": d.scope.name},
        "period": {
            "first_month": d.first.isoformat() if d.first else None,
            "last_month": d.last.isoformat() if d.last else None,
            "months_loaded": d.months_loaded,
        },
        "denominator": {"census_year": den.census_year, "table": den.table, "source": den.source, "total": den.total}
        if den
        else None,
        "denominator_note": d.why_no_denominator,
        "searches": stats.published(d.total.searches),
        "groups": [_group(r) for r in d.groups],
        "legislation": [_breakdown(b) for b in d.legislation],
        "objects_of_search": [_breakdown(b) for b in d.objects],
        "trend": [
            {
                "month": t.month.isoformat(),
                "loaded": t.loaded,
                "ratios_to_white": {g: v for g, v in t.ratios.items()},
            }
            for t in d.trend
        ],
        "coverage_note": d.coverage_note,
    }


FIELDS = [
    "table",
    "within",
    "group",
    "searches",
    "population",
    "rate_per_1000",
    "ratio_to_white",
    "ratio_low",
    "ratio_high",
    "arrest_rate",
    "find_rate",
    "note",
]


def _csv_row(table: str, within: str, row: GroupRow) -> dict:
    def r(value, digits=4):
        return "" if value is None else round(value, digits)

    return {
        "table": table,
        "within": within,
        "group": row.label,
        "searches": stats.published(row.tally.searches) if row.tally.searches else 0,
        "population": row.population if row.population is not None else "",
        "rate_per_1000": r(row.rate),
        "ratio_to_white": r(row.ratio),
        "ratio_low": r(row.ratio_low),
        "ratio_high": r(row.ratio_high),
        "arrest_rate": r(row.arrest_rate.value),
        "find_rate": r(row.find_rate.value),
        "note": row.why_no_ratio if row.ratio is None else "",
    }


def as_csv(d: Disproportionality) -> str:
    out = io.StringIO()
    writer = csvsafe.dict_writer(out, FIELDS)
    writer.writeheader()
    for row in d.groups:
        writer.writerow(_csv_row("ethnicity", d.scope.name, row))
    for table, breakdowns in (("legislation", d.legislation), ("object of search", d.objects)):
        for b in breakdowns:
            for row in b.rows:
                writer.writerow(_csv_row(table, b.label, row))
    return out.getvalue()
