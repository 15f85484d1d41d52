"""Response shapes of Open Ward's own areas API (/api/v1/)."""

from __future__ import annotations

from datetime import date
from typing import Any

from ninja import Schema


class Message(Schema):
    detail: str


class CodeName(Schema):
    code: str
    name: str


class ForceRef(Schema):
    id: str
    name: str


class NeighbourhoodRef(Schema):
    id: str
    name: str
    force: str


class PostcodeOut(Schema):
    postcode: str
    latitude: float | None
    longitude: float | None
    ward: CodeName
    borough: CodeName
    force: ForceRef | None
    neighbourhood: NeighbourhoodRef | None
    url: str
    is_demo: bool


class GenerationOut(Schema):
    slug: str
    name: str
    valid_from: date | None
    valid_to: date | None


class WardRef(Schema):
    code: str
    name: str
    borough_code: str
    url: str
    is_demo: bool


class ClusterRef(Schema):
    slug: str
    name: str
    is_demo: bool


class TeamMemberOut(Schema):
    name: str
    rank: str
    is_demo: bool


class TeamOut(Schema):
    force: str
    id: str
    name: str
    contact_details: dict[str, str]
    url_force: str | None
    people: list[TeamMemberOut]


class FrontCounterOut(Schema):
    name: str
    address: str
    postcode: str
    latitude: float | None
    longitude: float | None
    distance_km: float
    opening_hours: dict[str, list[list[str]]]
    is_demo: bool


class Centre(Schema):
    latitude: float
    longitude: float


class WardOut(Schema):
    code: str
    name: str
    borough: CodeName
    generation: GenerationOut | None
    population: int | None
    centre: Centre | None
    neighbours: list[WardRef]
    clusters: list[ClusterRef]
    team: TeamOut | None
    nearest_front_counter: FrontCounterOut | None
    boundary: dict[str, Any] | None
    url: str
    is_demo: bool


class BoroughRef(Schema):
    code: str
    name: str
    force: str | None
    url: str
    is_demo: bool


class BoroughOut(BoroughRef):
    wards: list[WardRef]
    clusters: list[ClusterRef]


class ClusterOut(ClusterRef):
    description: str
    borough: CodeName | None
    wards: list[WardRef]
    url: str


class Feature(Schema):
    type: str
    properties: dict[str, Any]
    geometry: dict[str, Any] | None


class FeatureCollection(Schema):
    type: str
    features: list[Feature]
