"""Factories for places, teams and postcodes; wards are non-overlapping squares unless told otherwise.

ward = WardFactory()                                   # a square somewhere in London
ward = WardFactory(square=(-0.10, 51.50, 0.01))        # lng, lat of the south-west corner, size in degrees
PostcodeFactory(compact="SW1A1AA", ward=ward)          # ward/borough codes and a point inside the ward
"""

from __future__ import annotations

import datetime as dt
import json

import factory
from factory.django import DjangoModelFactory

from openward.areas import models

# Squares laid out on a grid over London, 0.01° apart, so factory wards never overlap.
GRID_ORIGIN = (-0.50, 51.30)
GRID_COLUMNS = 80
GRID_STEP = 0.01


def square_geometry(lng: float, lat: float, size: float = GRID_STEP) -> dict:
    """A GeoJSON Polygon: the square with south-west corner (lng, lat)."""
    ring = [[lng, lat], [lng + size, lat], [lng + size, lat + size], [lng, lat + size], [lng, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def grid_square(n: int) -> tuple[float, float, float]:
    return (
        round(GRID_ORIGIN[0] + (n % GRID_COLUMNS) * GRID_STEP, 6),
        round(GRID_ORIGIN[1] + (n // GRID_COLUMNS) * GRID_STEP, 6),
        GRID_STEP,
    )


def bounded_fields(geometry: dict) -> dict:
    """Bounding box and centre of a geometry, as the Bounded model stores them."""
    import shapely

    shape = shapely.from_geojson(json.dumps(geometry))
    min_lng, min_lat, max_lng, max_lat = shape.bounds
    centre = shape.representative_point() if not shape.centroid.within(shape) else shape.centroid
    return {
        "boundary": json.dumps(geometry),
        "min_lat": min_lat,
        "max_lat": max_lat,
        "min_lng": min_lng,
        "max_lng": max_lng,
        "centre_lat": centre.y,
        "centre_lng": centre.x,
    }


class ForceFactory(DjangoModelFactory):
    class Meta:
        model = models.Force
        django_get_or_create = ("slug",)

    slug = "metropolitan"
    name = "Metropolitan Police Service"
    description = "<p>The police force for Greater London, excluding the City of London.</p>"
    url = "https://www.met.police.uk/"
    telephone = "101"
    engagement_methods = factory.LazyFunction(
        lambda: [{"url": "https://www.met.police.uk/", "description": "Our website", "title": "Website"}]
    )
    listed = True
    gss_code = "E23000001"


class BoroughFactory(DjangoModelFactory):
    class Meta:
        model = models.Borough
        django_get_or_create = ("gss_code",)

    gss_code = factory.Sequence(lambda n: f"E09{n + 100:06d}")
    name = factory.Sequence(lambda n: f"Borough {n}")
    slug = factory.LazyAttribute(lambda o: f"{o.gss_code.lower()}")
    force = factory.SubFactory(ForceFactory)


class WardGenerationFactory(DjangoModelFactory):
    class Meta:
        model = models.WardGeneration
        django_get_or_create = ("slug",)

    slug = "2022"
    name = "London wards from May 2022"
    valid_from = dt.date(2022, 5, 5)
    valid_to = None


class WardFactory(DjangoModelFactory):
    class Meta:
        model = models.Ward
        exclude = ("square", "geometry", "bounds")

    square = factory.Sequence(grid_square)
    geometry = factory.LazyAttribute(lambda o: square_geometry(*o.square))
    bounds = factory.LazyAttribute(lambda o: bounded_fields(o.geometry))
    gss_code = factory.Sequence(lambda n: f"E05{n + 100000:06d}")
    name = factory.Sequence(lambda n: f"Ward {n}")
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))
    borough = factory.SubFactory(BoroughFactory)
    generation = factory.SubFactory(WardGenerationFactory)
    population = 12000

    boundary = factory.LazyAttribute(lambda o: o.bounds["boundary"])
    min_lat = factory.LazyAttribute(lambda o: o.bounds["min_lat"])
    max_lat = factory.LazyAttribute(lambda o: o.bounds["max_lat"])
    min_lng = factory.LazyAttribute(lambda o: o.bounds["min_lng"])
    max_lng = factory.LazyAttribute(lambda o: o.bounds["max_lng"])
    centre_lat = factory.LazyAttribute(lambda o: o.bounds["centre_lat"])
    centre_lng = factory.LazyAttribute(lambda o: o.bounds["centre_lng"])


class NeighbourhoodFactory(DjangoModelFactory):
    """A Met neighbourhood for a ward: its id is the ward's GSS code, as on police.uk."""

    class Meta:
        model = models.Neighbourhood

    ward = factory.SubFactory(WardFactory)
    force = factory.LazyAttribute(lambda o: o.ward.borough.force if o.ward else ForceFactory())
    code = factory.LazyAttribute(lambda o: o.ward.gss_code if o.ward else "NC01")
    name = factory.LazyAttribute(lambda o: o.ward.name if o.ward else "Neighbourhood")
    description = "<p>Your local Safer Neighbourhoods team.</p>"
    url_force = "https://www.met.police.uk/a/your-area/"
    contact_details = factory.LazyFunction(lambda: {"email": "team@met.police.uk", "telephone": "101"})
    links = factory.LazyFunction(list)


class TeamMemberFactory(DjangoModelFactory):
    class Meta:
        model = models.TeamMember

    neighbourhood = factory.SubFactory(NeighbourhoodFactory)
    force = factory.LazyAttribute(lambda o: o.neighbourhood.force if o.neighbourhood else ForceFactory())
    name = factory.Sequence(lambda n: f"Officer {n}")
    rank = "PC"
    bio = ""
    contact_details = factory.LazyFunction(dict)
    position = factory.Sequence(lambda n: n)


OPEN_WEEKDAYS = {
    "mon": [["08:00", "20:00"]],
    "tue": [["08:00", "20:00"]],
    "wed": [["08:00", "20:00"]],
    "thu": [["08:00", "20:00"]],
    "fri": [["08:00", "20:00"]],
    "sat": [],
    "sun": [],
}


class StationFactory(DjangoModelFactory):
    class Meta:
        model = models.Station

    force = factory.SubFactory(ForceFactory)
    name = factory.Sequence(lambda n: f"Station {n}")
    kind = "station"
    address = factory.Sequence(lambda n: f"{n} High Street, London")
    postcode = "SW1A 2AA"
    latitude = 51.5
    longitude = -0.1
    has_front_counter = True
    opening_hours = factory.LazyFunction(lambda: dict(OPEN_WEEKDAYS))


class PostcodeFactory(DjangoModelFactory):
    """A live postcode at the centre of `ward` (pass ward=None and codes for a postcode outside every ward)."""

    class Meta:
        model = models.Postcode
        django_get_or_create = ("compact",)
        exclude = ("ward",)

    ward = factory.SubFactory(WardFactory)
    compact = factory.Sequence(lambda n: f"ZZ{n // 900 % 10}{n % 9 + 1}{chr(65 + n // 26 % 26)}{chr(65 + n % 26)}")
    ward_code = factory.LazyAttribute(lambda o: o.ward.gss_code if o.ward else "")
    borough_code = factory.LazyAttribute(lambda o: o.ward.borough.gss_code if o.ward else "")
    latitude = factory.LazyAttribute(lambda o: o.ward.centre_lat if o.ward else None)
    longitude = factory.LazyAttribute(lambda o: o.ward.centre_lng if o.ward else None)
    positional_quality = 10
    terminated = None
    source = "factory"


class ClusterFactory(DjangoModelFactory):
    class Meta:
        model = models.Cluster
        django_get_or_create = ("slug",)
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"cluster-{n}")
    name = factory.Sequence(lambda n: f"Cluster {n}")
    borough = factory.SubFactory(BoroughFactory)
    description = "Wards that meet as one panel."

    @factory.post_generation
    def wards(self, create, extracted, **kwargs):
        if create and extracted:
            self.wards.add(*extracted)
