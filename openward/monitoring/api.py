"""Monitoring groups under /api/v1/: published summaries for anyone; samples for the group's members."""

import datetime as dt

from ninja import Router, Schema, Status

from openward.accounts.models import Role
from openward.core import access

from . import services
from .models import MonitoringGroup, ReviewSample
from .summary import summary_dict

router = Router(tags=["monitoring"])
MEMBERS = access.role(Role.MONITORING_GROUP, area=access.borough_from("borough_code"))


class Problem(Schema):
    detail: str


class SampleIn(Schema):
    month: dt.date
    size: int
    seed: int | None = None


def _group(code):
    return MonitoringGroup.objects.select_related("borough").filter(borough__gss_code=code).first()


@router.get(
    "/monitoring/boroughs/{borough_code}/summaries",
    response={200: list[dict], 404: Problem},
    summary="Published review summaries",
)
@access.public
def summaries(request, borough_code: str):
    group = _group(borough_code)
    if group is None:
        return Status(404, {"detail": f"There is no monitoring group for {borough_code[:20]}."})
    return Status(200, [summary_dict(s) for s in group.samples.filter(published_at__isnull=False)])


@router.post(
    "/monitoring/boroughs/{borough_code}/samples",
    response={201: dict, 400: Problem, 404: Problem},
    summary="Draw a review sample",
)
@MEMBERS
def draw(request, borough_code: str, payload: SampleIn):
    group = _group(borough_code)
    if group is None:
        return Status(404, {"detail": f"There is no monitoring group for {borough_code[:20]}."})
    try:
        sample = services.draw_sample(request.user, group, payload.month, payload.size, payload.seed)
    except services.MonitoringError as exc:
        return Status(400, {"detail": str(exc)})
    return Status(
        201, {"id": sample.pk, "seed": sample.seed, "stops": list(sample.stops.values_list("stop_id", flat=True))}
    )


@router.get(
    "/monitoring/boroughs/{borough_code}/samples/{pk}",
    response={200: dict, 404: Problem},
    summary="A sample, for its group",
)
@MEMBERS
def sample(request, borough_code: str, pk: int):
    found = ReviewSample.objects.filter(pk=pk, group__borough__gss_code=borough_code).first()
    if found is None:
        return Status(404, {"detail": f"There is no sample {pk} here."})
    return Status(
        200,
        summary_dict(found)
        | {
            "stops": [
                {
                    "stop": s.stop_id,
                    "stratum": s.stratum,
                    "review": {"grounds_clear": s.review.grounds_clear, "concerns": s.review.concerns}
                    if hasattr(s, "review")
                    else None,
                    "grounds": [g.text for g in s.grounds.all()],
                }
                for s in found.stops.select_related("review").prefetch_related("grounds")
            ]
        },
    )
