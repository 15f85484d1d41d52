"""Upcoming meetings on ward, cluster and borough pages, with links to bulletins, records, actions and
reply figures (one query per section, as the area pages budget)."""

from openward.core import sections


def _context(kind):
    def context(area, request):
        from . import places, selectors

        return {"kind": kind, "key": places.area_kwargs(area)["key"], "events": selectors.upcoming_for_area(area)}

    return context


for _kind in ("ward", "cluster", "borough"):
    sections.register(_kind, order=40, template="engagement/section.html", context=_context(_kind))
