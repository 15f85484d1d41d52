"""Reads of what `sync_policeuk` stored, for ward pages."""

from __future__ import annotations

from dataclasses import dataclass, field

from .models import SyncedEvent, SyncedPriority


def synced_events_for_ward(ward) -> list[SyncedEvent]:
    """Events police.uk lists for the ward's neighbourhoods that have not ended, soonest first (one query)."""
    events = SyncedEvent.objects.for_ward(ward).not_ended().select_related("neighbourhood", "neighbourhood__force")
    return list(events.order_by("starts_at", "neighbourhood__code", "position"))


def synced_priorities_for_ward(ward) -> list[SyncedPriority]:
    """Priorities police.uk lists for the ward's neighbourhoods, newest first (one query)."""
    priorities = SyncedPriority.objects.for_ward(ward).select_related("neighbourhood", "neighbourhood__force")
    return list(priorities.order_by("-issue_date", "neighbourhood__code", "position"))


@dataclass
class FromPoliceUk:
    """One neighbourhood's synced items, with the address they were read from and when."""

    neighbourhood: object
    items: list = field(default_factory=list)
    source_urls: list[str] = field(default_factory=list)
    synced_at: object = None


def synced_by_neighbourhood(rows) -> list[FromPoliceUk]:
    """Rows grouped by neighbourhood (in order of first appearance) (each row's `text` is its HTML as plain text)."""
    groups: dict[int, FromPoliceUk] = {}
    for row in rows:
        group = groups.setdefault(row.neighbourhood_id, FromPoliceUk(row.neighbourhood))
        group.items.append(row)
        if row.source_url not in group.source_urls:
            group.source_urls.append(row.source_url)
        group.synced_at = max(filter(None, (group.synced_at, row.synced_at)))
    return list(groups.values())
