"""Response shapes of the police.uk-compatible API, matching data.police.uk field for field.

Coordinates and populations are strings, as police.uk sends them; optional text is null
rather than absent, because typed clients expect every key. Text that police.uk always sends
as a string (a neighbourhood's `url_force` and `description`, link and engagement-method
urls) is "" when unknown, never null: clients print it with `.ljust()` or parse it unchecked.
"""

from __future__ import annotations

from ninja import Field, Schema


class Message(Schema):
    detail: str


class ForceRef(Schema):
    id: str
    name: str


class EngagementMethod(Schema):
    url: str = Field(..., description='"" when unknown, never null.')
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
    url: str = Field(..., description='"" when unknown, never null.')
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
    description: str = Field(..., description='HTML, as on police.uk; "" when unknown, never null.')
    url_force: str = Field(..., description="The team's page on the force's website; \"\" when unknown, never null.")
    population: str
    contact_details: dict[str, str]
    centre: Coordinate
    links: list[Link]
    locations: list[Location]


class LocatedNeighbourhood(Schema):
    force: str
    neighbourhood: str
