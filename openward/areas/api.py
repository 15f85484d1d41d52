"""Open Ward's own API for areas (mounted under /api/v1/ by openward/api.py)."""

from __future__ import annotations

import json
import math

from django.urls import reverse
from ninja import Router, Status

from openward.core import access

from . import selectors
from .models import Borough, Cluster, Ward
from .schemas import (
    BoroughOut,
    BoroughRef,
    ClusterOut,
    ClusterRef,
    Feature,
    FeatureCollection,
    Message,
    PostcodeOut,
    WardOut,
)

router = Router(tags=["areas"])


def _ward_ref(ward: Ward) -> dict:
    return {
        "code": ward.gss_code,
        "name": ward.name,
        "borough_code": ward.borough.gss_code,
        "url": reverse("areas:ward", args=[ward.gss_code]),
        "is_demo": ward.is_demo,
    }


def _cluster_ref(cluster: Cluster) -> dict:
    return {"slug": cluster.slug, "name": cluster.name, "is_demo": cluster.is_demo}


def _borough_ref(borough: Borough) -> dict:
    return {
        "code": borough.gss_code,
        "name": borough.name,
        "force": borough.force.slug if borough.force else None,
        "url": reverse("areas:borough", args=[borough.gss_code]),
        "is_demo": borough.is_demo,
    }


def _geometry(area) -> dict | None:
    return json.loads(area.boundary) if area.boundary else None


def _feature(ward: Ward) -> dict:
    return {
        "type": "Feature",
        "properties": {"code": ward.gss_code, "name": ward.name, "borough_code": ward.borough.gss_code},
        "geometry": _geometry(ward),
    }


@router.get("postcodes/{postcode}", response={200: PostcodeOut, 400: Message, 404: Message})
@access.public
def postcode(request, postcode: str):
    """Where a postcode is: ward, borough, force and neighbourhood. Any spelling: sw1a1aa, SW1A 1AA."""
    try:
        found = selectors.postcode_lookup(postcode)
    except selectors.PostcodeLookupError as exc:
        return Status(exc.status, {"detail": str(exc)})
    return {
        "postcode": found.postcode.display,
        "latitude": found.latitude,
        "longitude": found.longitude,
        "ward": {"code": found.ward_code, "name": found.ward_name},
        "borough": {"code": found.borough_code, "name": found.borough_name},
        "force": {"id": found.force_id, "name": found.force_name} if found.force_id else None,
        "neighbourhood": (
            {"id": found.neighbourhood_id, "name": found.neighbourhood_name, "force": found.force_id}
            if found.neighbourhood_id
            else None
        ),
        "url": f"/wards/{found.ward_code}/",
        "is_demo": found.is_demo,
    }


# A map's box at most this many degrees of latitude and longitude (about 22 by 21 km in London).
MAX_BOX_DEG = (0.2, 0.3)


def _box(text: str) -> tuple[float, float, float, float]:
    """`west,south,east,north` in degrees, or ValueError saying what a box looks like."""
    try:
        west, south, east, north = (float(part) for part in text.split(","))
    except ValueError:
        raise ValueError(
            "Give the box as bbox=west,south,east,north in degrees, e.g. bbox=-0.14,51.50,-0.12,51.51."
        ) from None
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        raise ValueError("The box's edges must be numbers of degrees.")
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise ValueError("The box must run west to east and south to north, within -180 to 180 and -90 to 90.")
    if north - south > MAX_BOX_DEG[0] or east - west > MAX_BOX_DEG[1]:
        raise ValueError(
            f"That box is too large: at most {MAX_BOX_DEG[0]:g} degrees of latitude by {MAX_BOX_DEG[1]:g} "
            "of longitude (about 20 km). Ask for a smaller one (zoom the map in)."
        )
    return west, south, east, north


@router.get("wards.geojson", response={200: FeatureCollection, 400: Message})
@access.public
def wards_in_box(request, bbox: str):
    """The current wards within a box `bbox=west,south,east,north` (WGS84 degrees, at most about 20 km across)
    as a GeoJSON FeatureCollection: the outlines a map of that box shows."""
    try:
        box = _box(bbox)
    except ValueError as exc:
        return Status(400, {"detail": str(exc)})
    return {"type": "FeatureCollection", "features": [_feature(w) for w in selectors.wards_in_box(*box)]}


def _no_ward(code: str) -> Status:
    return Status(404, {"detail": f'There is no ward with the code "{code[:20]}". Ward codes look like E05000138.'})


@router.get("wards/{code}", response={200: WardOut, 404: Message})
@access.public
def ward(request, code: str, generation: str | None = None):
    """A ward: its generation, neighbours, clusters, neighbourhood team, nearest front counter and boundary."""
    found = selectors.ward_by_code(code, generation)
    if found is None:
        return _no_ward(code)
    nb = selectors.ward_neighbourhood(found)
    counter = selectors.nearest_front_counter(found)
    gen = found.generation
    return {
        "code": found.gss_code,
        "name": found.name,
        "borough": {"code": found.borough.gss_code, "name": found.borough.name},
        "generation": (
            {"slug": gen.slug, "name": gen.name, "valid_from": gen.valid_from, "valid_to": gen.valid_to}
            if gen
            else None
        ),
        "population": found.population,
        "centre": (
            {"latitude": found.centre_lat, "longitude": found.centre_lng} if found.centre_lat is not None else None
        ),
        "neighbours": [_ward_ref(n) for n in selectors.neighbouring_wards(found)],
        "clusters": [_cluster_ref(c) for c in found.clusters.order_by("name")],
        "team": (
            {
                "force": nb.force.slug,
                "id": nb.code,
                "name": nb.name,
                "contact_details": {k: str(v) for k, v in (nb.contact_details or {}).items() if v},
                "url_force": nb.url_force or None,
                "people": [{"name": p.name, "rank": p.rank, "is_demo": p.is_demo} for p in selectors.team(nb)],
            }
            if nb
            else None
        ),
        "nearest_front_counter": (
            {
                "name": counter.station.name,
                "address": counter.station.address,
                "postcode": counter.station.postcode,
                "latitude": counter.station.latitude,
                "longitude": counter.station.longitude,
                "distance_km": round(counter.distance_km, 3),
                "opening_hours": counter.station.opening_hours or {},
                "is_demo": counter.station.is_demo,
            }
            if counter
            else None
        ),
        "boundary": _geometry(found),
        "url": reverse("areas:ward", args=[found.gss_code]),
        "is_demo": found.is_demo,
    }


@router.get("wards/{code}/boundary", response={200: Feature, 404: Message})
@access.public
def ward_boundary(request, code: str, generation: str | None = None):
    """A ward's boundary as a GeoJSON Feature (WGS84)."""
    found = selectors.ward_by_code(code, generation)
    if found is None:
        return _no_ward(code)
    return _feature(found)


@router.get("boroughs", response=list[BoroughRef])
@access.public
def boroughs(request):
    """London boroughs in force today."""
    return [_borough_ref(b) for b in Borough.objects.current().select_related("force").order_by("name")]


def _no_borough(code: str) -> Status:
    return Status(
        404, {"detail": f'There is no borough with the code "{code[:20]}". Borough codes look like E09000001.'}
    )


@router.get("boroughs/{code}", response={200: BoroughOut, 404: Message})
@access.public
def borough(request, code: str):
    """A borough with its current wards and its clusters."""
    found = selectors.borough_by_code(code)
    if found is None:
        return _no_borough(code)
    return {
        **_borough_ref(found),
        "wards": [_ward_ref(w) for w in selectors.borough_wards(found)],
        "clusters": [_cluster_ref(c) for c in found.clusters.order_by("name")],
    }


@router.get("boroughs/{code}/wards.geojson", response={200: FeatureCollection, 404: Message})
@access.public
def borough_wards_geojson(request, code: str):
    """A borough's current wards as a GeoJSON FeatureCollection."""
    found = selectors.borough_by_code(code)
    if found is None:
        return _no_borough(code)
    return {"type": "FeatureCollection", "features": [_feature(w) for w in selectors.borough_wards(found)]}


@router.get("clusters", response=list[ClusterRef])
@access.public
def clusters(request):
    """Clusters of wards that meet as one panel."""
    return [_cluster_ref(c) for c in Cluster.objects.order_by("name")]


def _no_cluster(slug: str) -> Status:
    return Status(404, {"detail": f'There is no cluster called "{slug[:40]}". GET /api/v1/clusters lists them.'})


@router.get("clusters/{slug}", response={200: ClusterOut, 404: Message})
@access.public
def cluster(request, slug: str):
    """A cluster and its wards."""
    found = selectors.cluster_by_slug(slug)
    if found is None:
        return _no_cluster(slug)
    return {
        **_cluster_ref(found),
        "description": found.description,
        "borough": {"code": found.borough.gss_code, "name": found.borough.name} if found.borough else None,
        "wards": [_ward_ref(w) for w in selectors.cluster_wards(found)],
        "url": reverse("areas:cluster", args=[found.slug]),
    }


@router.get("clusters/{slug}/wards.geojson", response={200: FeatureCollection, 404: Message})
@access.public
def cluster_wards_geojson(request, slug: str):
    """A cluster's wards as a GeoJSON FeatureCollection."""
    found = selectors.cluster_by_slug(slug)
    if found is None:
        return _no_cluster(slug)
    return {"type": "FeatureCollection", "features": [_feature(w) for w in selectors.cluster_wards(found)]}
