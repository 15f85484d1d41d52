"""Stations' hours over time: the team import records each change from a date (`record_hours`), and
`hours_on` reads back the hours in force on any date, so a commitment reviewed for a past date is measured
against the hours of that date, not today's.

A station with no recorded history (made before history was kept, or outside the importer) has only the
hours it holds now; those stand for every date. A station whose history starts after the date asked about
was not known then.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .models import Station, StationHours


@dataclass(frozen=True)
class Hours:
    has_front_counter: bool
    opening_hours: dict


def record_hours(station: Station, valid_from: dt.date) -> bool:
    """Keep the station's hours as they are now, from `valid_from`, unless they were already so on that date.
    The station then holds the latest hours recorded (an older date given does not rewrite what is newer).
    Returns whether a change was recorded."""
    now = Hours(station.has_front_counter, station.opening_hours or {})
    history = StationHours.objects.filter(station=station)
    before = history.filter(valid_from__lte=valid_from).order_by("-valid_from").first()
    changed = before is None or Hours(before.has_front_counter, before.opening_hours or {}) != now
    if changed:
        StationHours.objects.update_or_create(
            station=station,
            valid_from=valid_from,
            defaults={"has_front_counter": now.has_front_counter, "opening_hours": now.opening_hours},
        )
    latest = history.order_by("-valid_from").first()
    if latest is not None and latest.valid_from > valid_from:
        Station.objects.filter(pk=station.pk).update(
            has_front_counter=latest.has_front_counter, opening_hours=latest.opening_hours
        )
        station.has_front_counter, station.opening_hours = latest.has_front_counter, latest.opening_hours
    return changed


def hours_on(stations: list[Station], on: dt.date) -> dict[int, Hours | None]:
    """For each station (by id): its hours in force on `on`, or None when it was not known then."""
    rows: dict[int, list[StationHours]] = {}
    for row in StationHours.objects.filter(station__in=[s.pk for s in stations]).order_by("valid_from"):
        rows.setdefault(row.station_id, []).append(row)
    found: dict[int, Hours | None] = {}
    for station in stations:
        history = rows.get(station.pk)
        if not history:
            found[station.pk] = Hours(station.has_front_counter, station.opening_hours or {})
            continue
        in_force = [r for r in history if r.valid_from <= on]
        found[station.pk] = Hours(in_force[-1].has_front_counter, in_force[-1].opening_hours) if in_force else None
    return found
