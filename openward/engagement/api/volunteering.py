"""Volunteering through the API: open tasks, sign up, report what was done."""

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import Field, Schema

from openward.areas.selectors import ward_or_404
from openward.core import access
from openward.core.api_refusals import refusals_as_400

from .. import places
from ..models import VolunteerTask
from ..services import volunteering as volunteering_services
from .common import router


class VolunteerTaskOut(Schema):
    id: int
    title: str
    kind: str
    ward: str
    place: str
    start: datetime
    end: datetime | None
    places: int
    places_left: int
    vetting: str
    status: str


def _task(t: VolunteerTask) -> dict:
    return {
        "id": t.pk,
        "title": t.title,
        "kind": t.kind,
        "ward": t.ward.gss_code,
        "place": t.place,
        "start": t.starts_at,
        "end": t.ends_at,
        "places": t.places,
        "places_left": t.places_left(),
        "vetting": t.vetting,
        "status": t.status,
    }


@router.get("/engagement/volunteering", response=list[VolunteerTaskOut], summary="Open volunteering tasks")
@access.public
def list_tasks(request, ward: str | None = None):
    tasks = VolunteerTask.objects.filter(status=VolunteerTask.Status.OPEN).select_related("ward")
    if ward:
        tasks = tasks.filter(ward=ward_or_404(ward))
    return [_task(t) for t in tasks[:200]]


class SignupIn(Schema):
    confirms_vetting: bool = False


@router.post("/engagement/volunteering/{pk}/signup", response=VolunteerTaskOut, summary="Sign up to a task")
@access.signed_in
@refusals_as_400(ValidationError)
def sign_up(request, pk: int, payload: SignupIn):
    task = get_object_or_404(VolunteerTask, pk=pk)
    volunteering_services.sign_up_to_volunteer(request.user, task, confirms_vetting=payload.confirms_vetting)
    return _task(task)


class ReportIn(Schema):
    volunteers: int = Field(..., ge=0, le=100_000)
    hours: Decimal = Field(..., ge=0, max_digits=7, decimal_places=2)
    findings: str


@router.put("/engagement/volunteering/{pk}/report", response=VolunteerTaskOut, summary="Report what was done")
@access.role(*places.EVENT_ROLES, area=places.of_volunteer_task)
@refusals_as_400(ValidationError)
def report(request, pk: int, payload: ReportIn):
    task = get_object_or_404(VolunteerTask, pk=pk)
    volunteering_services.report_volunteering(request.user, task, **payload.dict())
    task.refresh_from_db()
    return _task(task)
