"""Events and priorities that police.uk lists for a force's neighbourhoods, into SyncedEvent and SyncedPriority.

The file is `{"force": "<id>", "neighbourhoods": [...]}`; each neighbourhood is
`{"id": "<police.uk id>", "events": [...], "priorities": [...]}` with the lists shaped as police.uk's
GET {force}/{id}/events and /priorities, and optionally `events_url` and `priorities_url`, the
addresses they were read from (stored beside each one and named in problems). `sync_policeuk`
writes such a file; a neighbourhood it could not read is given as `{"id": …, "refused": "<why>"}`.

Each neighbourhood listed is made to match the file: new ones added, changed ones updated, ones no
longer listed removed. A neighbourhood with anything wrong is left exactly as it was, with the
problem recorded; the others are imported. Neighbourhoods the file does not list are not touched.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone

from openward.areas.importers.files import SourceError, read_force_neighbourhoods
from openward.areas.models import Force, Neighbourhood
from openward.core import audit
from openward.core.importers.base import BaseImporter

from .models import SyncedEvent, SyncedPriority

# An event or priority is the same one on the next sync when these match (police.uk gives no ids).
EVENT_KEY = ("starts_at", "title")
PRIORITY_KEY = ("issue_date", "issue")
WHEN_EXAMPLE = "a date and time like 2026-12-20T18:30:00"


class Refused(ValueError):
    """This item cannot be stored, for the reason given."""


@dataclass
class Listed:
    """One neighbourhood's events and priorities, checked and ready to store."""

    neighbourhood: Neighbourhood
    events: list[dict]
    events_url: str
    priorities: list[dict]
    priorities_url: str


class PoliceUkEventsPrioritiesImporter(BaseImporter):
    """police.uk's events and priorities for a force's neighbourhoods, each neighbourhood all or nothing."""

    name = "police-uk-events-priorities"
    all_or_nothing = False

    def read(self):
        try:
            data = read_force_neighbourhoods(self.path)
        except SourceError as exc:
            self.fail(exc.where, exc.message)
        force = Force.objects.filter(slug=str(data["force"])).first()
        if force is None:
            self.fail(str(self.path), f'there is no force "{data["force"]}" here. Import the forces first.')
            return
        self.force = force
        known = {n.code: n for n in Neighbourhood.objects.filter(force=force)}
        for index, item in enumerate(data["neighbourhoods"], 1):
            where = f"{self.path}, neighbourhood {index}"
            if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not item["id"]:
                self.problem(where, 'every neighbourhood needs an "id".')
                continue
            code = item["id"]
            left = f"nothing was changed for the neighbourhood {code}"
            if item.get("refused"):
                self.problem(
                    f"{force.slug} neighbourhood {code}",
                    f"{item['refused']} Its events and priorities are left as they were.",
                )
                continue
            if code not in known:
                self.problem(
                    f"{where} ({code})", f"{force.name} has no such neighbourhood here; import its team first."
                )
                continue
            lists = {}
            for what, parse in (("events", _event), ("priorities", _priority)):
                url = str(item.get(f"{what}_url") or "")
                found = item.get(what)
                if not isinstance(found, list):
                    self.problem(url or f"{where} ({code})", f'"{what}" is not a list; {left}.')
                    continue
                parsed = []
                for n, entry in enumerate(found, 1):
                    try:
                        parsed.append(parse(entry))
                    except Refused as exc:
                        spot = f"{url} item {n}" if url else f"{where} ({code}), {what} item {n}"
                        self.problem(spot, f"{exc}; {left}.")
                lists[what] = (parsed, url or str(self.path))
            if len(lists) < 2 or any(len(parsed) < len(item[what]) for what, (parsed, _) in lists.items()):
                continue
            self.counts["neighbourhoods_read"] += 1
            yield Listed(known[code], *lists["events"], *lists["priorities"])

    def write(self, records: list[Listed]) -> None:
        now = timezone.now()
        for listed in records:
            for model, items, url, key, what in (
                (SyncedEvent, listed.events, listed.events_url, EVENT_KEY, "events"),
                (SyncedPriority, listed.priorities, listed.priorities_url, PRIORITY_KEY, "priorities"),
            ):
                self._match(model, listed.neighbourhood, items, url[:500], now, key, what)
        counts: dict[str, Any] = {k: v for k, v in self.counts.items() if k.startswith(("events_", "priorities_"))}
        audit.record(self.actor, "policeuk.events_priorities_synced", self.force, neighbourhoods=len(records), **counts)

    def _match(self, model, neighbourhood, items, url, now, key, what) -> None:
        """Make the neighbourhood's stored `model` rows the listed `items`, in their order."""
        for outcome in ("added", "updated", "unchanged", "removed"):
            self.counts[f"{what}_{outcome}"] += 0  # every count is in the run, zeros too
        stored = defaultdict(list)
        for row in model.objects.filter(neighbourhood=neighbourhood).order_by("position", "pk"):
            stored[tuple(getattr(row, f) for f in key)].append(row)
        new, kept = [], []
        for position, values in enumerate(items):
            same = stored.get(tuple(values[f] for f in key))
            row = same.pop(0) if same else None
            if row is None:
                new.append(
                    model(neighbourhood=neighbourhood, position=position, source_url=url, synced_at=now, **values)
                )
                continue
            changed = any(getattr(row, f) != v for f, v in values.items())
            self.counts[f"{what}_updated" if changed else f"{what}_unchanged"] += 1
            for f, v in values.items():
                setattr(row, f, v)
            row.position, row.source_url, row.synced_at = position, url, now
            kept.append(row)
        gone = [row.pk for rows in stored.values() for row in rows]
        model.objects.filter(pk__in=gone).delete()
        model.objects.bulk_create(new)
        if kept:
            model.objects.bulk_update(kept, [*items[0].keys(), "position", "source_url", "synced_at"])
        self.counts[f"{what}_added"] += len(new)
        self.counts[f"{what}_removed"] += len(gone)


def _event(item) -> dict:
    """An event as police.uk lists it, as SyncedEvent fields."""
    if not isinstance(item, dict):
        raise Refused(f"this is a JSON {type(item).__name__}, not an event")
    title = item.get("title")
    if not isinstance(title, str) or not title.strip():
        raise Refused('the event has no "title"')
    kind = _text(item, "type")
    if len(kind) > 100:
        raise Refused('its "type" is longer than 100 characters')
    contact = item.get("contact_details") or {}
    if not isinstance(contact, dict) or not all(
        isinstance(v, (str, int, float)) or v is None for v in contact.values()
    ):
        raise Refused('its "contact_details" are not a set of names and values')
    return {
        "title": title,
        "description": _text(item, "description"),
        "address": _text(item, "address"),
        "type": kind,
        "starts_at": _when(item, "start_date", required=True),
        "ends_at": _when(item, "end_date"),
        "contact_details": {str(k): str(v) for k, v in contact.items() if v is not None},
    }


def _priority(item) -> dict:
    """A priority as police.uk lists it (with hyphenated date keys), as SyncedPriority fields."""
    if not isinstance(item, dict):
        raise Refused(f"this is a JSON {type(item).__name__}, not a priority")
    return {
        "issue": _text(item, "issue"),
        "issue_date": _when(item, "issue-date", required=True),
        "action": _text(item, "action"),
        "action_date": _when(item, "action-date"),
    }


def _text(item: dict, key: str) -> str:
    value = item.get(key)
    if value is not None and not isinstance(value, str):
        raise Refused(f'its "{key}" is not text')
    return value or ""


def _when(item: dict, key: str, *, required: bool = False) -> datetime | None:
    """police.uk's naive local date and time ("2026-12-20T18:30:00") as an aware datetime."""
    value = item.get(key)
    if value is None and not required:
        return None
    try:
        when = datetime.fromisoformat(value if isinstance(value, str) else "")
    except ValueError:
        raise Refused(f'its "{key}" is {json.dumps(value)[:40]}, not {WHEN_EXAMPLE}') from None
    return timezone.make_aware(when) if timezone.is_naive(when) else when
