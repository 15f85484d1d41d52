"""Meeting records through the API: write one (minutes by topic slug), minutes topics, actions, and a
place's published records and open actions."""

import json
from datetime import date

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import Field, Schema
from ninja.errors import HttpError

from openward.core import access
from openward.core.api_refusals import refusals_as_400
from openward.core.bounds import Id, one_of

from .. import exports, places, selectors
from ..models import Action, Attendance, Event, MeetingRecord, Topic
from ..services import records as records_services
from ..services import replies as replies_services
from .common import router


class AttendanceIn(Schema):
    role: one_of(Attendance.Role)
    name: str = Field("", max_length=120)
    agreed_to_be_named: bool = False


class RecordIn(Schema):
    summary: str = ""
    minutes: dict[str, str] = {}  # topic slug -> summary
    attendance: list[AttendanceIn] | None = None
    publish: bool = False


@router.put("/engagement/events/{pk}/record", summary="Write or correct a meeting record (minutes by topic slug)")
@access.role(*places.RECORD_ROLES, area=places.of_event)
@refusals_as_400(ValidationError)
def write_record(request, pk: int, payload: RecordIn):
    event = get_object_or_404(Event, pk=pk)
    topics = {t.slug: t for t in Topic.objects.filter(slug__in=payload.minutes)}
    unknown = set(payload.minutes) - set(topics)
    if unknown:
        raise HttpError(
            400, f"Unknown topics: {', '.join(sorted(unknown))}. See /api/v1/engagement/events/{pk}/topics."
        )
    record = records_services.write_meeting_record(
        request.user,
        event,
        summary=payload.summary,
        minutes={topics[s]: text for s, text in payload.minutes.items()},
        attendance=[a.dict() for a in payload.attendance] if payload.attendance is not None else None,
        publish=payload.publish,
    )
    return exports.record_as_dict(record)


class TopicOut(Schema):
    slug: str
    name: str
    is_standard: bool
    meetings: str = Field(
        ...,
        description="For a standard topic, the meetings it is offered to: panels (ward and cluster panels and the "
        "team's other meetings), monitoring (stop and search monitoring group meetings) or all.",
    )


@router.get("/engagement/topics", response=list[TopicOut], summary="Minutes topics")
@access.public
def list_topics(request):
    return list(Topic.objects.all())


@router.get(
    "/engagement/events/{pk}/topics", response=list[TopicOut], summary="The topics a meeting's record is written under"
)
@access.public
def event_topics(request, pk: int):
    return list(selectors.topics_for(get_object_or_404(Event, pk=pk)))


class ActionIn(Schema):
    what: str
    owner: str = Field(..., max_length=200)
    due_date: date | None = None
    priority_id: Id | None = Field(None, description="A priority of the meeting's ward (or of a ward inside its area).")


@router.post("/engagement/records/{pk}/actions", summary="Add an action to the register")
@access.role(*places.RECORD_ROLES, area=places.of_record)
@refusals_as_400(ValidationError)
def add_action(request, pk: int, payload: ActionIn):
    action = records_services.agree_action(request.user, get_object_or_404(MeetingRecord, pk=pk), **payload.dict())
    return exports.action_as_dict(action)


class ActionStatusIn(Schema):
    status: one_of(Action.Status)
    note: str = ""


@router.patch("/engagement/actions/{pk}", summary="Move an action on")
@access.role(*places.RECORD_ROLES, area=places.of_action)
@refusals_as_400(ValidationError)
def update_action(request, pk: int, payload: ActionStatusIn):
    action = records_services.update_action(request.user, get_object_or_404(Action, pk=pk), **payload.dict())
    return exports.action_as_dict(action)


@router.get("/engagement/places/{kind}/{key}/records", summary="Every published meeting record of a place (export)")
@access.public
def place_records(request, kind: str, key: str):
    return json.loads(exports.records_json(places.area_by(kind, key)))


@router.get("/engagement/places/{kind}/{key}/actions", summary="Open actions in a place, rolled up by ward and cluster")
@access.public
def place_actions(request, kind: str, key: str):
    area = places.area_by(kind, key)
    return {
        "place": str(area.name),
        "open": [exports.action_as_dict(a) for a in selectors.open_actions(area)],
        "by_place": [
            {"place": str(r["place"].name), "open": r["open"], "overdue": r["overdue"]}
            for r in selectors.open_actions_by_place(area)
        ],
        "replies": replies_services.reply_figures(area),
    }
