"""Meetings, bulletins, actions and reply figures on ward, cluster and borough pages."""

from openward.core import sections


def _context(kind):
    def context(area, request):
        from . import places, selectors, services
        from .models import Bulletin

        return {
            "kind": kind,
            "key": places.area_kwargs(area)["key"],
            "events": selectors.upcoming_for_area(area),
            "bulletins": Bulletin.objects.published().within(area)[:5],
            "open_actions": selectors.open_actions(area).count(),
            "figures": services.reply_figures(area),
        }

    return context


for _kind in ("ward", "cluster", "borough"):
    sections.register(_kind, order=40, template="engagement/section.html", context=_context(_kind))
