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


MEETINGS_GAP = (
    "Meetings: none are published for this ward yet. The neighbourhood team and the ward panel publish "
    "their meetings here, and residents who subscribe get them by email."
)


def _meetings_gap(ward):
    from .models import Event

    return None if Event.objects.for_ward(ward).exists() else MEETINGS_GAP


sections.register_gap("ward", order=40, explain=_meetings_gap)
