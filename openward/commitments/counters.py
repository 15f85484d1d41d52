"""A commitment to front counters open around the clock, measured from the stations Open Ward holds.

"Each borough having at least one 24/7 front counter" (A New Met for London) is measured in the
commitment's borough, or in every borough of its force when it says "in every borough". A station
stands in the borough whose ward (in force today) contains its map point; a station without a point,
or with one outside every ward, stands in the borough of the neighbourhoods it serves when they are all
in one. Its hours are police.uk's opening hours as the team import keeps them ({"mon": [["00:00",
"23:59"]], …}; a day with no spans is closed), in force on the date measured: the import keeps each change
of hours from its date (areas.hours), so a review dated before a change reads the hours before it.

A front counter is open 24/7 when each of the seven days is listed and its spans run from 00:00 to 23:59
without a gap. It is not when a day listed is closed or has a gap. When every day listed is open all day
but a day is missing, nobody can tell. For each borough: yes, one of its front counters is open 24/7;
can't tell, no police station of its force is placed in it, or none is open 24/7 but one's hours leave
a day out; no, otherwise (its stations are loaded, and none of its front counters is open 24/7, or it has
none). The commitment is not on track when a borough is a no, on track when every borough is a yes, and
can't tell yet otherwise; the reason names the boroughs.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone

from openward.areas import geo, hours
from openward.areas.models import Borough, Station, Ward

from .measurement import Measurement
from .models import Commitment, Status

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
END_OF_DAY = 23 * 60 + 59
NAMED = 5  # boroughs named in a reason before "and N more"


def _minutes(text) -> int:
    hours, minutes = str(text).split(":")
    return int(hours) * 60 + int(minutes)


def open_all_day(spans) -> bool:
    """Do a day's spans ([["00:00", "12:00"], ["12:00", "23:59"]]) cover it from 00:00 to 23:59 without a gap?"""
    reached = 0
    for start, end in sorted((_minutes(a), _minutes(b)) for a, b in spans or []):
        if start > reached:
            return False
        reached = max(reached, end)
    return reached >= END_OF_DAY


def round_the_clock(hours) -> bool | None:
    """True: open all day on every day; False: a day given is closed or has a gap; None: can't tell."""
    if not isinstance(hours, dict):
        return None
    try:
        if any(day in hours and not open_all_day(hours[day]) for day in DAYS):
            return False
    except (TypeError, ValueError):
        return None
    return True if all(day in hours for day in DAYS) else None


def stations_by_borough(boroughs: list[Borough], on: dt.date | None = None) -> dict[int, list[Station]]:
    """The police stations of the boroughs' forces, by the borough (id) each stands in, each with the hours
    (and front counter) in force on `on` (today unless given); a station not known then is left out."""
    forces = [b.force_id for b in boroughs if b.force_id is not None]
    of_forces = Station.objects.filter(force_id__in=forces) if len(forces) == len(boroughs) else Station.objects.all()
    stations = list(of_forces.prefetch_related("neighbourhoods__ward").order_by("name"))
    in_force = hours.hours_on(stations, on or timezone.localdate())
    for station in stations:  # read only: these instances are never saved
        then = in_force[station.pk]
        if then is not None:
            station.has_front_counter, station.opening_hours = then.has_front_counter, then.opening_hours
    stations = [s for s in stations if in_force[s.pk] is not None]
    pointed = [s for s in stations if s.latitude is not None and s.longitude is not None]
    ward_ids: list[int] = (
        [int(w) for w in geo.locate_ward_ids([s.latitude for s in pointed], [s.longitude for s in pointed])]
        if pointed
        else []
    )
    borough_of_ward = dict(Ward.objects.filter(pk__in=set(ward_ids)).values_list("pk", "borough_id"))
    by_point = {s.pk: borough_of_ward.get(w) for s, w in zip(pointed, ward_ids, strict=True)}
    placed: dict[int, list[Station]] = defaultdict(list)
    for station in stations:
        borough_id = by_point.get(station.pk)
        if borough_id is None:
            served = {n.ward.borough_id for n in station.neighbourhoods.all() if n.ward is not None}
            borough_id = served.pop() if len(served) == 1 else None
        if borough_id is not None:
            placed[borough_id].append(station)
    return placed


@dataclass(frozen=True)
class BoroughCounters:
    borough: Borough
    verdict: bool | None  # True: a front counter open 24/7; False: none; None: can't tell
    why: str


def borough_verdict(borough: Borough, stations: list[Station]) -> BoroughCounters:
    counters = [s for s in stations if s.has_front_counter]
    verdicts = {s.name: round_the_clock(s.opening_hours) for s in counters}
    open_always = [name for name, v in verdicts.items() if v]
    if open_always:
        return BoroughCounters(borough, True, f"{borough.name}: {open_always[0]} is open 24 hours, 7 days")
    if not stations:
        return BoroughCounters(borough, None, f"{borough.name}: no police station is loaded for it")
    unclear = [name for name, v in verdicts.items() if v is None]
    if unclear:
        return BoroughCounters(borough, None, f"{borough.name}: the hours of {unclear[0]} leave out a day")
    if not counters:
        return BoroughCounters(
            borough, False, f"{borough.name}: none of its {len(stations)} stations has a front counter"
        )
    return BoroughCounters(
        borough, False, f"{borough.name}: none of its {len(counters)} front counters is open 24 hours, 7 days"
    )


def _named(items: list[BoroughCounters]) -> str:
    shown = "; ".join(i.why for i in items[:NAMED])
    return shown + (f"; and {len(items) - NAMED} more" if len(items) > NAMED else "")


def measure(commitment: Commitment, on: dt.date | None = None) -> Measurement:
    """On track when every borough measured has a front counter open 24/7 on `on` (today unless given: a
    review dated earlier reads the hours in force then), with the reason in words."""
    borough = commitment.borough
    if commitment.every_borough and borough.force_id:
        boroughs = list(Borough.objects.current().filter(force_id=borough.force_id).order_by("name"))
    else:
        boroughs = [borough]
    placed = stations_by_borough(boroughs, on)
    found = [borough_verdict(b, placed.get(b.pk, [])) for b in boroughs]
    yes = [f for f in found if f.verdict is True]
    no = [f for f in found if f.verdict is False]
    unknown = [f for f in found if f.verdict is None]
    figures = {
        "boroughs": len(found),
        "with_a_24_7_front_counter": len(yes),
        "without": [f.borough.name for f in no],
        "cannot_tell": [f.borough.name for f in unknown],
    }
    total = (
        f"Boroughs with a front counter open 24 hours, 7 days, in the hours Open Ward holds: {len(yes)} of {len(found)}"
    )
    if no:
        return Measurement(Status.NOT_ON_TRACK, f"{total}. Not: {_named(no)}.", figures=figures)
    if unknown:
        return Measurement(Status.CANT_TELL, f"{total}. We can't tell for: {_named(unknown)}.", figures=figures)
    return Measurement(Status.ON_TRACK, f"{total} ({_named(yes)}).", figures=figures)
