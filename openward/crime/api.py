"""Open Ward's own API for crime (mounted under /api/v1/ by openward/api.py): the analytics behind the pages."""

from ninja import Router, Status

from openward.core import access, deadline

from .analytics.cache import cached
from .analytics.export import summary_dict
from .analytics.scope import (
    ScopeError,
    UnknownForce,
    borough_scope,
    check_force,
    cluster_scope,
    force_scope,
    polygon_scope,
    ward_scope,
)
from .analytics.summary import crime_summary
from .schemas import Problem, SummaryOut

router = Router(tags=["crime"])

RESPONSES = {200: SummaryOut, 400: Problem, 404: Problem, 503: Problem}


def _summary(key: str, make_scope, force: str | None, bad_status: int = 404):
    def compute():
        scope = make_scope()
        check_force(force)
        return summary_dict(crime_summary(scope, force or None))

    try:
        with deadline.limit():
            return Status(200, cached(f"api|{key}|{force}", compute))
    except deadline.DeadlineExceeded as exc:
        return Status(503, {"detail": str(exc)})
    except UnknownForce as exc:
        return Status(400, {"detail": str(exc)})
    except ScopeError as exc:
        return Status(bad_status, {"detail": str(exc)})


@router.get("/crime/wards/{code}", response=RESPONSES, summary="Crime summary for a ward")
@access.public
def ward_summary(request, code: str, force: str | None = None, generation: str | None = None):
    """Rolling 12 months against the previous 12 (with exact p-value and rate-ratio interval), by category and force."""
    return _summary(f"ward|{code}|{generation}", lambda: ward_scope(code, generation), force)


@router.get("/crime/boroughs/{code}", response=RESPONSES, summary="Crime summary for a borough")
@access.public
def borough_summary(request, code: str, force: str | None = None):
    return _summary(f"borough|{code}", lambda: borough_scope(code), force)


@router.get("/crime/clusters/{slug}", response=RESPONSES, summary="Crime summary for a cluster of wards")
@access.public
def cluster_summary(request, slug: str, force: str | None = None):
    return _summary(f"cluster|{slug}", lambda: cluster_scope(slug), force)


@router.get("/crime/forces/{slug}", response=RESPONSES, summary="Crime summary for a police force's records")
@access.public
def force_summary(request, slug: str):
    return _summary(f"force|{slug}", lambda: force_scope(slug), None)


@router.get("/crime/area", response=RESPONSES, summary="Crime summary for a drawn polygon")
@access.public
def area_summary(request, poly: str, force: str | None = None):
    """`poly` as police.uk writes it: lat,lng:lat,lng:… (closed automatically; at most about 10 km across)."""
    return _summary(f"polygon|{poly}", lambda: polygon_scope(poly), force, bad_status=400)
