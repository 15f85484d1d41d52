"""Response shapes of the police.uk-compatible API, matching data.police.uk field for field.

Coordinates and populations are strings, as police.uk sends them; optional text is null
rather than absent, because typed clients expect every key.
"""

from __future__ import annotations

from ninja import Schema


class Message(Schema):
    detail: str


class ForceRef(Schema):
    id: str
    name: str


class EngagementMethod(Schema):
    url: str | None
    description: str | None
    title: str


class ForceDetail(Schema):
    id: str
    name: str
    description: str | None
    url: str | None
    telephone: str | None
    engagement_methods: list[EngagementMethod]


class Person(Schema):
    name: str
    rank: str
    bio: str | None
    contact_details: dict[str, str]


class NeighbourhoodRef(Schema):
    id: str
    name: str


class Coordinate(Schema):
    latitude: str
    longitude: str


class Link(Schema):
    url: str | None
    description: str | None
    title: str


class Location(Schema):
    name: str
    type: str
    address: str
    postcode: str
    latitude: str | None
    longitude: str | None
    description: str | None


class NeighbourhoodDetail(Schema):
    id: str
    name: str
    description: str | None
    url_force: str | None
    population: str
    contact_details: dict[str, str]
    centre: Coordinate
    links: list[Link]
    locations: list[Location]


class LocatedNeighbourhood(Schema):
    force: str
    neighbourhood: str
