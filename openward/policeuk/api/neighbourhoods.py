"""police.uk-compatible neighbourhood endpoints (see docs/POLICEUK_API.md).

Mounted last: `{force}/{neighbourhood_id}` would otherwise match paths of other routers.
"""

from __future__ import annotations

import math
import re

from ninja import Router, Status

from openward.areas import geo, selectors
from openward.areas.models import Neighbourhood, Station
from openward.core import access

from ..schemas import Coordinate, LocatedNeighbourhood, Message, NeighbourhoodDetail, NeighbourhoodRef, Person
from .forces import force_or_none, person, unknown_force

router = Router()

NEIGHBOURHOOD_ID_RE = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


def coordinate(value: float | None) -> str | None:
    """A coordinate as police.uk writes it: a decimal string, up to 7 places."""
    if value is None:
        return None
    return f"{value:.7f}".rstrip("0").rstrip(".")


def neighbourhood_or_error(force_id: str, neighbourhood_id: str):
    """(Neighbourhood, None) or (None, (404, message))."""
    force = force_or_none(force_id)
    if force is None:
        return None, unknown_force(force_id)
    found = None
    if NEIGHBOURHOOD_ID_RE.match(neighbourhood_id or ""):
        found = Neighbourhood.objects.select_related("force", "ward").filter(force=force, code=neighbourhood_id).first()
    if found is None:
        return None, Status(
            404,
            {
                "detail": f'{force.name} has no neighbourhood with the id "{neighbourhood_id[:64]}". '
                f"GET /api/{force.slug}/neighbourhoods lists them."
            },
        )
    return found, None


def location(station: Station) -> dict:
    return {
        "name": station.name,
        "type": station.kind or "station",
        "address": station.address,
        "postcode": station.postcode,
        "latitude": coordinate(station.latitude),
        "longitude": coordinate(station.longitude),
        "description": station.description or None,
    }


@router.get("locate-neighbourhood", response={200: LocatedNeighbourhood, 400: Message, 404: Message})
@access.public
def locate_neighbourhood(request, q: str = ""):
    """The force and neighbourhood covering a point: q=lat,lng."""
    try:
        lat, lng = (float(part) for part in q.split(","))
    except ValueError:
        return Status(400, {"detail": "Give the point as q=latitude,longitude, for example q=51.5007,-0.1246."})
    if not (math.isfinite(lat) and math.isfinite(lng) and -90 <= lat <= 90 and -180 <= lng <= 180):
        return Status(400, {"detail": "Latitude must be between -90 and 90 and longitude between -180 and 180."})
    found = selectors.locate_neighbourhood(lat, lng)
    if found is None:
        return Status(404, {"detail": "No neighbourhood team covers that point."})
    return {"force": found[0], "neighbourhood": found[1]}


@router.get("{force_id}/neighbourhoods", response={200: list[NeighbourhoodRef], 404: Message})
@access.public
def neighbourhoods(request, force_id: str):
    """A force's neighbourhoods."""
    force = force_or_none(force_id)
    if force is None:
        return unknown_force(force_id)
    rows = Neighbourhood.objects.current().filter(force=force).order_by("name", "code").values_list("code", "name")
    return [{"id": code, "name": name} for code, name in rows]


@router.get("{force_id}/{neighbourhood_id}", response={200: NeighbourhoodDetail, 404: Message})
@access.public
def neighbourhood_detail(request, force_id: str, neighbourhood_id: str):
    """A neighbourhood: its team's contact details, centre, links and front counters."""
    nb, error = neighbourhood_or_error(force_id, neighbourhood_id)
    if error:
        return error
    ward = nb.ward
    stations = list(nb.stations.filter(has_front_counter=True))
    if not stations and ward is not None:
        nearest = selectors.nearest_front_counter(ward)
        stations = [nearest.station] if nearest else []
    centre = Coordinate(
        latitude=coordinate(ward.centre_lat) if ward and ward.centre_lat is not None else "0",
        longitude=coordinate(ward.centre_lng) if ward and ward.centre_lng is not None else "0",
    )
    return {
        "id": nb.code,
        "name": nb.name,
        # Strings, never null: police.uk sends strings here and clients pad or parse them unchecked.
        "description": nb.description or "",
        "url_force": nb.url_force or "",
        "population": str(ward.population or 0) if ward else "0",
        "contact_details": {k: str(v) for k, v in (nb.contact_details or {}).items() if v},
        "centre": centre,
        "links": [
            {"url": link.get("url") or "", "description": link.get("description"), "title": link.get("title") or ""}
            for link in nb.links or []
            if isinstance(link, dict)
        ],
        "locations": [location(s) for s in stations],
    }


@router.get("{force_id}/{neighbourhood_id}/boundary", response={200: list[Coordinate], 404: Message})
@access.public
def neighbourhood_boundary(request, force_id: str, neighbourhood_id: str):
    """The neighbourhood's boundary: the vertices of its outer ring(s): its own when the sync stored one
    (a force that does not use ward codes), else its ward's."""
    nb, error = neighbourhood_or_error(force_id, neighbourhood_id)
    if error:
        return error
    boundary = nb.boundary or (nb.ward.boundary if nb.ward else "")
    return [{"latitude": coordinate(lat), "longitude": coordinate(lng)} for lat, lng in geo.outer_vertices(boundary)]


@router.get("{force_id}/{neighbourhood_id}/people", response={200: list[Person], 404: Message})
@access.public
def neighbourhood_people(request, force_id: str, neighbourhood_id: str):
    """The neighbourhood team."""
    nb, error = neighbourhood_or_error(force_id, neighbourhood_id)
    if error:
        return error
    return [person(m) for m in nb.people.all()]
