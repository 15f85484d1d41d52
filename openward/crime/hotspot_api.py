"""Open Ward's hot-spot API (mounted under /api/v1/): ranking, Gi*, concentration and stability."""

from __future__ import annotations

from ninja import Field, Query, Router, Schema, Status

from openward.core import access, deadline

from .analytics.hotspot_export import hotspots_dict, period_dict
from .analytics.scope import (
    ScopeError,
    UnknownForce,
    borough_scope,
    cluster_scope,
    force_scope,
    polygon_scope,
    ward_scope,
)
from .hotspot_views import cached_demand, cached_hot_spots
from .schemas import Problem

router = Router(tags=["hot spots"])


class PeriodOut(Schema):
    first: str
    last: str
    label: str


class AreaRef(Schema):
    kind: str
    code: str
    name: str


class CellOut(Schema):
    key: str = Field(..., description="150 m British National Grid cell: E<easting ÷ 150>N<northing ÷ 150>.")
    latitude: float
    longitude: float
    count: int | None = Field(..., description="Crimes in the cell; null when fewer than 10.")
    count_shown: str
    harm: float | None
    gi_z: float | None
    gi_q: float | None = Field(..., description="Benjamini–Hochberg adjusted two-sided p-value of Gi*.")
    kind: str = Field(..., description='"hot", "cold" or "" (not significant at the 5% false discovery rate).')
    harm_hot_q: float | None = Field(
        ..., description="BH-adjusted Gi* p-value on harm for a high-harm cell (1 otherwise)."
    )
    previous_count: int | None


class PointOut(Schema):
    latitude: float
    longitude: float
    street: str
    count: int | None
    count_shown: str
    harm: float | None


class ConcentrationOut(Schema):
    places: str
    of: int
    top_fraction: float
    top_places: int
    crime_share: float | None
    harm_share: float | None


class StabilityOut(Schema):
    previous_period: str
    previous_top_cells: int
    still_top: int
    share: float | None


class SourceRef(Schema):
    name: str
    url: str
    licence: str
    snap_point_caveat: str


class HotSpotsOut(Schema):
    area: AreaRef
    force: str | None
    period: PeriodOut | None
    crimes: int | None
    crimes_shown: str
    harm: float | None
    harm_shown: str = Field(..., description='The harm total, or "not available (no sourced weight for …)".')
    method: str
    region_note: str
    gi_note: str
    gi_harm_note: str
    cells_in_area: int
    hot_cells: int
    cold_cells: int
    cells: list[CellOut] = Field(..., description="Every cell with a crime or a significant Gi*, busiest first.")
    snap_points: list[PointOut]
    concentration: list[ConcentrationOut]
    stability: StabilityOut | None
    source: SourceRef
    is_demo: bool


RESPONSES = {200: HotSpotsOut, 400: Problem, 404: Problem, 503: Problem}


def _answer(key, make_scope, first, last, force, bad_status=404):
    try:
        with deadline.limit():
            return Status(200, hotspots_dict(cached_hot_spots(key, make_scope, first, last, force)))
    except deadline.DeadlineExceeded as exc:
        return Status(503, {"detail": str(exc)})
    except UnknownForce as exc:
        return Status(400, {"detail": str(exc)})
    except ScopeError as exc:
        return Status(bad_status if str(exc).startswith("There is no") else 400, {"detail": str(exc)})


FROM = Query(None, alias="from", description="First month, YYYY-MM (default: 11 months before `to`).")


@router.get("/hotspots/wards/{code}", response=RESPONSES, summary="Hot spots in a ward")
@access.public
def ward_hot_spots(request, code: str, first: str | None = FROM, to: str | None = None, force: str | None = None):
    """Cells and snap points ranked by crime and harm, Gi* with FDR, concentration and stability."""
    return _answer(f"ward|{code}", lambda: ward_scope(code), first, to, force)


@router.get("/hotspots/boroughs/{code}", response=RESPONSES, summary="Hot spots in a borough")
@access.public
def borough_hot_spots(request, code: str, first: str | None = FROM, to: str | None = None, force: str | None = None):
    return _answer(f"borough|{code}", lambda: borough_scope(code), first, to, force)


@router.get("/hotspots/clusters/{slug}", response=RESPONSES, summary="Hot spots in a cluster of wards")
@access.public
def cluster_hot_spots(request, slug: str, first: str | None = FROM, to: str | None = None, force: str | None = None):
    return _answer(f"cluster|{slug}", lambda: cluster_scope(slug), first, to, force)


@router.get("/hotspots/forces/{slug}", response=RESPONSES, summary="Hot spots in a force's records")
@access.public
def force_hot_spots(request, slug: str, first: str | None = FROM, to: str | None = None):
    return _answer(f"force|{slug}", lambda: force_scope(slug), first, to, None)


@router.get("/hotspots/area", response=RESPONSES, summary="Hot spots in a drawn polygon")
@access.public
def area_hot_spots(request, poly: str, first: str | None = FROM, to: str | None = None, force: str | None = None):
    """`poly` as police.uk writes it (lat,lng:lat,lng:…); at most about 10 km across; edges must not cross."""
    return _answer(
        f"polygon|{poly}",
        lambda: polygon_scope(poly, require_simple=True),
        first,
        to,
        force,
        bad_status=400,
    )


class WardDemandOut(Schema):
    code: str
    name: str
    crimes: int | None
    crimes_shown: str
    harm: float | None
    harm_shown: str
    officers: int | None = Field(..., description="People listed in the ward's neighbourhood team; null if not loaded.")
    crimes_per_officer: float | None
    harm_per_officer: float | None


class DemandOut(Schema):
    borough: str
    code: str
    period: PeriodOut | None
    ranked_by: str
    notes: list[str]
    wards: list[WardDemandOut]


@router.get(
    "/demand/boroughs/{code}",
    response={200: DemandOut, 400: Problem, 404: Problem},
    summary="Crime and harm per officer, ward by ward, in a borough",
)
@access.public
def borough_demand(request, code: str, first: str | None = FROM, to: str | None = None):
    """Where an officer of the ward's team meets the most harm (or, without harm weights, the most crime)."""
    try:
        demand = cached_demand(code, first, to)
    except ScopeError as exc:
        return Status(404 if str(exc).startswith("There is no") else 400, {"detail": str(exc)})
    return Status(
        200,
        {
            "borough": demand.borough,
            "code": demand.code,
            "period": None if demand.period is None else period_dict(demand.period),
            "ranked_by": demand.ranked_by,
            "notes": demand.notes,
            "wards": [
                {
                    "code": w.code,
                    "name": w.name,
                    "crimes": None if w.crimes < 10 else w.crimes,
                    "crimes_shown": w.crimes_shown,
                    "harm": w.harm.total,
                    "harm_shown": w.harm.shown,
                    "officers": w.officers,
                    "crimes_per_officer": w.crimes_per_officer,
                    "harm_per_officer": w.harm_per_officer,
                }
                for w in demand.wards
            ],
        },
    )
