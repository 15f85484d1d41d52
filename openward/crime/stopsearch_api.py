"""Stop and search by ethnicity (disproportionality and outcome parity), under /api/v1/."""

from ninja import Router, Status

from openward.core import access, deadline

from .analytics.disproportionality_export import as_dict
from .analytics.scope import ScopeError, borough_scope, force_scope, ward_scope
from .schemas import Problem
from .stopsearch_views import cached_disproportionality

router = Router(tags=["stop and search"])

RESPONSES = {200: dict, 404: Problem, 503: Problem}


def _answer(key, make_scope):
    try:
        with deadline.limit():
            return Status(200, as_dict(cached_disproportionality(key, make_scope)))
    except deadline.DeadlineExceeded as exc:
        return Status(503, {"detail": str(exc)})
    except ScopeError as exc:
        return Status(404, {"detail": str(exc)})


@router.get("/stop-search/wards/{code}", response=RESPONSES, summary="Stop and search by ethnicity in a ward")
@access.public
def ward_disproportionality(request, code: str):
    """Searches per 1,000 people by ethnic group, rate ratio to White (exact 95% interval), outcomes, trend."""
    return _answer(f"ward|{code}", lambda: ward_scope(code))


@router.get("/stop-search/boroughs/{code}", response=RESPONSES, summary="Stop and search by ethnicity in a borough")
@access.public
def borough_disproportionality(request, code: str):
    return _answer(f"borough|{code}", lambda: borough_scope(code))


@router.get("/stop-search/forces/{slug}", response=RESPONSES, summary="Stop and search by ethnicity for a force")
@access.public
def force_disproportionality(request, slug: str):
    return _answer(f"force|{slug}", lambda: force_scope(slug))
