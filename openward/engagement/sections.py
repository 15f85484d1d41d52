"""Upcoming meetings on ward, cluster and borough pages, with links to bulletins, records, actions and
reply figures (one query per section, as the area pages budget)."""

from openward.core import sections


def _context(kind):
    def context(area, request):
        from . import places, selectors

        events = list(selectors.upcoming_for_area(area))
        # Events another source lists for the ward (police.uk's, shown in a section of their own): said beside
        # "none planned here", so the page never reads as if there were no meetings at all.
        elsewhere = sections.listed_elsewhere(kind, "meetings", area) if not events else []
        return {"kind": kind, "key": places.area_kwargs(area)["key"], "events": events, "elsewhere": elsewhere}

    return context


for _kind in ("ward", "cluster", "borough"):
    sections.register(_kind, order=40, template="engagement/section.html", context=_context(_kind))


MEETINGS_GAP = (
    "Meetings: none are published for this ward yet. The neighbourhood team and the ward panel publish "
    "their meetings here, and residents who subscribe get them by email."
)


MEETINGS_GAP_LISTED_ELSEWHERE = (
    "Meetings on Open Ward: the neighbourhood team and the ward panel have not published any here yet. "
    "When they do, residents who subscribe get them by email."
)


def _meetings_gap(ward):
    from .models import Event

    if Event.objects.for_ward(ward).exists():
        return None
    elsewhere = sections.listed_elsewhere("ward", "meetings", ward)
    return " ".join([MEETINGS_GAP_LISTED_ELSEWHERE, *elsewhere]) if elsewhere else MEETINGS_GAP


sections.register_gap("ward", order=40, explain=_meetings_gap)
