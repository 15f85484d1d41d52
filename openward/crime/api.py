"""Open Ward's own API for crime (mounted under /api/v1/ by openward/api.py): the analytics behind the pages."""

from ninja import Router, Status

from openward.areas.models import Force
from openward.core import access

from .analytics.cache import cached
from .analytics.export import summary_dict
from .analytics.scope import ScopeError, borough_scope, cluster_scope, force_scope, polygon_scope, ward_scope
from .analytics.summary import crime_summary
from .schemas import Problem, SummaryOut

router = Router(tags=["crime"])

RESPONSES = {200: SummaryOut, 400: Problem, 404: Problem}


def _summary(make_scope, force: str | None, bad_status: int = 404):
    try:
        scope = make_scope()
    except ScopeError as exc:
        return Status(bad_status, {"detail": str(exc)})
    if force and not Force.objects.filter(slug=force).exists():
        return Status(400, {"detail": f'There is no police force "{force[:40]}". Leave force empty for all forces.'})
    key = f"api|{scope.kind}|{scope.code}|{getattr(scope.area, 'pk', '')}|{force}"
    return Status(200, cached(key, lambda: summary_dict(crime_summary(scope, force or None))))


@router.get("/crime/wards/{code}", response=RESPONSES, summary="Crime summary for a ward")
@access.public
def ward_summary(request, code: str, force: str | None = None, generation: str | None = None):
    """Rolling 12 months against the previous 12 (with exact p-value and rate-ratio interval), by category and force."""
    return _summary(lambda: ward_scope(code, generation), force)


@router.get("/crime/boroughs/{code}", response=RESPONSES, summary="Crime summary for a borough")
@access.public
def borough_summary(request, code: str, force: str | None = None):
    return _summary(lambda: borough_scope(code), force)


@router.get("/crime/clusters/{slug}", response=RESPONSES, summary="Crime summary for a cluster of wards")
@access.public
def cluster_summary(request, slug: str, force: str | None = None):
    return _summary(lambda: cluster_scope(slug), force)


@router.get("/crime/forces/{slug}", response=RESPONSES, summary="Crime summary for a police force's records")
@access.public
def force_summary(request, slug: str):
    return _summary(lambda: force_scope(slug), None)


@router.get("/crime/area", response=RESPONSES, summary="Crime summary for a drawn polygon")
@access.public
def area_summary(request, poly: str, force: str | None = None):
    """`poly` as police.uk writes it: lat,lng:lat,lng:… (closed automatically; at most about 10 km across)."""
    return _summary(lambda: polygon_scope(poly), force, bad_status=400)
