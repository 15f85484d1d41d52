"""The census page for one area: population by ethnic group from every census table loaded for it."""

from __future__ import annotations

from django.shortcuts import render

from openward.core import access

from .models import ALL_PEOPLE, EthnicGroup, EthnicPopulation, Geography
from .selectors import area_tables


def area_figures(geography: str, code: str) -> dict:
    """The page's and the API's figures, or a "problem" saying why there are none."""
    if geography not in Geography.values:
        return {"problem": f'"{geography[:30]}" is not a census geography. Use one of: {", ".join(Geography.values)}.'}
    tables = area_tables(geography, code)
    if not tables:
        label = Geography(geography).label
        return {"problem": f"No census population by ethnic group is loaded for {label} {code[:60]}."}
    name = EthnicPopulation.objects.for_area(geography, code).values_list("area_name", flat=True).first() or code
    out = []
    for year, table, counts in tables:
        total = counts.get(ALL_PEOPLE, 0)
        out.append(
            {
                "census_year": year,
                "table": table,
                "total": total,
                "groups": [
                    {
                        "group": g.value,
                        "label": g.label,
                        "people": counts.get(g.value, 0),
                        "share": round(counts.get(g.value, 0) / total, 4) if total else None,
                    }
                    for g in EthnicGroup
                ],
            }
        )
    return {"geography": geography, "code": code, "name": name, "tables": out}


@access.public
def area(request, geography: str, code: str):
    figures = area_figures(geography, code)
    status = 404 if "problem" in figures else 200
    return render(request, "census/area.html", figures, status=status)
