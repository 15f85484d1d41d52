"""Neighbourhood teams: a force's neighbourhoods, people and stations in police.uk's JSON shapes.

The file is `{"force": "<id>", "neighbourhoods": [...]}`; each neighbourhood is what police.uk
returns for GET {force}/{id}, with a `people` list shaped like GET {force}/{id}/people. Its
`locations` are stations; Open Ward also reads `front_counter` and `opening_hours` there
(`{"mon": [["08:00", "20:00"]], "sun": []}`), which police.uk does not publish. Hours hold from the day
of the import (or `hours_from`); a change is kept as a dated row (areas.hours), never overwriting the past.
A neighbourhood may name its ward (`"ward": "<GSS code>"`) when its id is not one, and give a `boundary` of its own
shaped like GET {force}/{id}/boundary (stored and served instead of the ward's; `[]` removes a
stored one; left out, a stored one is kept); a top-level `people` list is the force's senior people
(GET forces/{id}/people), replaced when given.
"""

from __future__ import annotations

import datetime as dt
import json
import re

from django.utils import timezone

from openward.core.importers.base import BaseImporter

from .. import geo, hours
from ..models import Neighbourhood, Station, TeamMember, Ward
from .files import SourceError, read_force_neighbourhoods
from .places import force as get_force

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
HOURS = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class NeighbourhoodTeamImporter(BaseImporter):
    """Neighbourhood descriptions, contact details, team members and stations for one force."""

    name = "neighbourhood-teams"
    all_or_nothing = True

    def __init__(self, path, *, demo: bool = False, hours_from: dt.date | None = None, **kwargs):
        super().__init__(path, **kwargs)
        self.demo = demo
        # The date the stations' hours in the file hold from (today unless told): a change is kept from then,
        # and the hours before it stay readable (areas.hours).
        self.hours_from = hours_from

    def read(self):
        try:
            data = read_force_neighbourhoods(self.path)
        except SourceError as exc:
            self.fail(exc.where, exc.message)
        self.force_slug = data["force"]
        self.force_people = data.get("people")
        for p, person in enumerate(self.force_people or [], 1):
            if not isinstance(person, dict) or not person.get("name") or not person.get("rank"):
                self.problem(f"{self.path}, force person {p}", 'every person needs a "name" and a "rank".')
        for index, item in enumerate(data["neighbourhoods"], 1):
            where = f"{self.path}, neighbourhood {index}"
            if not isinstance(item, dict) or not item.get("id") or not item.get("name"):
                self.problem(where, 'every neighbourhood needs an "id" and a "name".')
                continue
            for p, person in enumerate(item.get("people") or [], 1):
                if not isinstance(person, dict) or not person.get("name") or not person.get("rank"):
                    self.problem(f"{where} ({item['id']}), person {p}", 'every person needs a "name" and a "rank".')
            for s, location in enumerate(item.get("locations") or [], 1):
                for day, spans in (location.get("opening_hours") or {}).items():
                    if day not in DAYS or not all(
                        isinstance(span, list) and len(span) == 2 and all(HOURS.match(str(t)) for t in span)
                        for span in spans
                    ):
                        self.problem(
                            f"{where} ({item['id']}), location {s}",
                            f'opening hours for "{day}" must be a day mon…sun with [["HH:MM", "HH:MM"], …].',
                        )
            if "boundary" in item:
                try:
                    item["boundary"] = _boundary(item["boundary"])
                except ValueError as exc:
                    self.problem(f"{where} ({item['id']}), boundary", f"{exc}.")
                    continue
            self.counts["rows_read"] += 1
            yield item

    def write(self, records):
        try:
            force = get_force(self.force_slug)
        except ValueError as exc:
            self.fail(str(self.path), str(exc))
        if self.force_people is not None:
            TeamMember.objects.filter(force=force, neighbourhood=None).delete()
            TeamMember.objects.bulk_create(
                TeamMember(
                    force=force,
                    name=person["name"],
                    rank=person["rank"],
                    bio=person.get("bio") or "",
                    contact_details=person.get("contact_details") or {},
                    position=position,
                    is_demo=self.demo,
                )
                for position, person in enumerate(self.force_people)
            )
            self.counts["force_people"] += len(self.force_people)
        # Boundaries and validity may change: every process rebuilds its point → neighbourhood index.
        geo.neighbourhood_boundaries_changed()
        for item in records:
            ward = Ward.objects.by_code(item.get("ward") or item["id"])  # in force today first
            nbhd, created = Neighbourhood.objects.update_or_create(
                force=force,
                code=item["id"],
                defaults={
                    "name": item["name"],
                    "description": item.get("description") or "",
                    "url_force": item.get("url_force") or "",
                    "contact_details": item.get("contact_details") or {},
                    "links": item.get("links") or [],
                    "ward": ward,
                    "is_demo": self.demo,
                    **({"boundary": item["boundary"]} if "boundary" in item else {}),
                    **({"valid_from": ward.valid_from, "valid_to": ward.valid_to} if ward else {}),
                },
            )
            self.counts["neighbourhoods_created" if created else "neighbourhoods_updated"] += 1
            # A team file lists the whole team: people no longer in it leave the page.
            nbhd.people.all().delete()
            TeamMember.objects.bulk_create(
                TeamMember(
                    force=force,
                    neighbourhood=nbhd,
                    name=person["name"],
                    rank=person["rank"],
                    bio=person.get("bio") or "",
                    contact_details=person.get("contact_details") or {},
                    position=position,
                    is_demo=self.demo,
                )
                for position, person in enumerate(item.get("people") or [])
            )
            self.counts["people"] += len(item.get("people") or [])
            for location in item.get("locations") or []:
                station, created = Station.objects.update_or_create(
                    force=force,
                    name=location.get("name") or "",
                    defaults={
                        "kind": location.get("type") or "station",
                        "address": location.get("address") or "",
                        "postcode": location.get("postcode") or "",
                        "latitude": _float(location.get("latitude")),
                        "longitude": _float(location.get("longitude")),
                        "description": location.get("description") or "",
                        "has_front_counter": bool(location.get("front_counter")),
                        "opening_hours": location.get("opening_hours") or {},
                        "is_demo": self.demo,
                    },
                )
                station.neighbourhoods.add(nbhd)
                if created:
                    self.counts["stations_created"] += 1
                if hours.record_hours(station, self.hours_from or timezone.localdate()):
                    self.counts["station_hours_recorded"] += 1


def _float(value):
    try:
        return float(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _boundary(vertices) -> str:
    """A boundary shaped like police.uk's ([{"latitude": "51.5", "longitude": "-0.1"}, …]) as GeoJSON text."""
    if not isinstance(vertices, list):
        raise ValueError('the boundary must be a list of {"latitude", "longitude"} points')
    points = []
    for n, vertex in enumerate(vertices, 1):
        try:
            lat, lng = float(vertex["latitude"]), float(vertex["longitude"])
        except (TypeError, KeyError, ValueError):
            raise ValueError(f"point {n} is not a latitude and longitude") from None
        if not (-90 <= lat <= 90 and -180 <= lng <= 180):
            raise ValueError(f"point {n} ({lat}, {lng}) is not on the map")
        points.append((lat, lng))
    geometry = geo.geometry_from_vertices(points)
    return json.dumps(geometry) if geometry else ""
