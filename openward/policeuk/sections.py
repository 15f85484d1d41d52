"""Events and priorities synced from police.uk on ward pages, labelled with where and when they were read.

Two sections, one query each (the ward page's budget): each lists what police.uk publishes for the
neighbourhoods tied to the ward, apart from the meetings and priorities Open Ward's own team and
panel publish, and says these are read-only copies.
"""

from __future__ import annotations

from openward.core import sections

from . import selectors
from .models import SyncedEvent


def events_context(ward, request):
    groups = selectors.synced_by_neighbourhood(selectors.synced_events_for_ward(ward))
    return {"groups": groups} if groups else None


def priorities_context(ward, request):
    groups = selectors.synced_by_neighbourhood(selectors.synced_priorities_for_ward(ward))
    return {"groups": groups} if groups else None


def events_listed(ward) -> str | None:
    """For the ward page's meetings: how many events police.uk lists for the ward, and where they are shown."""
    count = SyncedEvent.objects.for_ward(ward).not_ended().count()
    if not count:
        return None
    things = "an event" if count == 1 else f"{count} events"
    return (
        f"police.uk lists {things} for this ward: {'it is' if count == 1 else 'they are'} shown below under "
        "“Events listed on police.uk”, as the police published them there."
    )


sections.register("ward", order=45, template="policeuk/synced_events_section.html", context=events_context)
sections.register("ward", order=46, template="policeuk/synced_priorities_section.html", context=priorities_context)
sections.register_listed_elsewhere("ward", "meetings", describe=events_listed)
