"""A small London for area tests: three wards in a row, their teams, a front counter, postcodes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from openward.areas import models
from openward.core.models import ImportRun

from .factories import (
    BoroughFactory,
    ClusterFactory,
    ForceFactory,
    NeighbourhoodFactory,
    PostcodeFactory,
    StationFactory,
    TeamMemberFactory,
    WardFactory,
    WardGenerationFactory,
)


@dataclass
class Place:
    force: models.Force
    borough: models.Borough
    west: models.Ward
    middle: models.Ward
    east: models.Ward
    neighbourhood: models.Neighbourhood
    sergeant: models.TeamMember
    constable: models.TeamMember
    near_station: models.Station
    far_station: models.Station
    cluster: models.Cluster


@pytest.fixture
def place(db) -> Place:
    force = ForceFactory()
    ForceFactory(slug="btp", name="British Transport Police", listed=False)
    borough = BoroughFactory(gss_code="E09000033", name="Westminster", slug="westminster", force=force)
    generation = WardGenerationFactory()
    west = WardFactory(gss_code="E05013806", name="Abbey Road", borough=borough, square=(-0.20, 51.50, 0.01))
    middle = WardFactory(gss_code="E05013807", name="Bayswater", borough=borough, square=(-0.19, 51.50, 0.01))
    east = WardFactory(gss_code="E05013808", name="Church Street", borough=borough, square=(-0.18, 51.50, 0.01))
    middle.neighbours.add(west, east)
    assert {w.generation_id for w in (west, middle, east)} == {generation.pk}
    neighbourhood = NeighbourhoodFactory(ward=middle, contact_details={"email": "bayswater@met.police.uk"})
    for ward in (west, east):
        NeighbourhoodFactory(ward=ward)
    sergeant = TeamMemberFactory(neighbourhood=neighbourhood, name="Ada Lovelace", rank="Sergeant", position=1)
    constable = TeamMemberFactory(neighbourhood=neighbourhood, name="Alan Turing", rank="PC", position=2)
    TeamMemberFactory(neighbourhood=None, force=force, name="Mark Rowley", rank="Commissioner")
    near = StationFactory(
        force=force,
        name="Paddington Green",
        latitude=51.505,
        longitude=-0.182,
        address="2 Harrow Road\nLondon",
        postcode="W2 1XJ",
    )
    far = StationFactory(force=force, name="Far Away", latitude=51.60, longitude=-0.30)
    StationFactory(force=force, name="Closed Nearby", latitude=51.505, longitude=-0.185, has_front_counter=False)
    cluster = ClusterFactory(slug="west-end", name="West End cluster", borough=borough, wards=[middle, east])
    now = timezone.now()
    ImportRun.objects.create(
        importer="codepoint-open",
        source="codepoint.csv",
        status=ImportRun.Status.COMMITTED,
        started_at=now.replace(year=2025, month=4, day=15),
        finished_at=now.replace(year=2025, month=4, day=15),
    )
    PostcodeFactory(compact="W21JQ", ward=middle)
    PostcodeFactory(compact="W21JR", ward=middle, terminated=dt.date(2019, 3, 1))
    PostcodeFactory(compact="W21JS", ward=middle, latitude=middle.centre_lat + 0.001)
    PostcodeFactory(compact="W21JT", ward=middle, latitude=middle.centre_lat + 0.003)
    return Place(force, borough, west, middle, east, neighbourhood, sergeant, constable, near, far, cluster)
