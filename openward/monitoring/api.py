"""Monitoring groups under /api/v1/: published summaries and meetings for anyone; samples, grounds files,
members and meetings for the group's members, each as their role allows (roles.py)."""

import datetime as dt
from typing import Annotated

from django.core.exceptions import ValidationError
from django.urls import reverse
from ninja import Field, File, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from openward.core import access, audit
from openward.core.api_refusals import refusals_as_400
from openward.core.bounds import one_of
from openward.core.importers.base import ImportFailed
from openward.engagement import exports as engagement_exports
from openward.engagement import selectors as engagement_selectors
from openward.engagement.models import Event, MeetingRecord
from openward.engagement.services import records as engagement_records

from . import grounds, meetings, members, roles, services
from .models import MonitoringGroup, ReviewSample
from .summary import summary_dict

router = Router(tags=["monitoring"])


class Problem(Schema):
    detail: str


class Problems(Schema):
    detail: str
    problems: list[str]


class SampleIn(Schema):
    month: dt.date
    size: int
    seed: int | None = None


class MemberIn(Schema):
    email: str
    role: str


class MemberOut(Schema):
    email: str
    role: str
    since: dt.datetime


class MeetingIn(Schema):
    title: str
    mode: one_of(Event.Mode) = Event.Mode.IN_PERSON.value
    description: str = ""
    address: str = ""
    online_link: str = ""
    start: dt.datetime
    end: dt.datetime | None = None
    capacity: Annotated[int, Field(ge=1, le=100_000)] | None = None
    agenda: list[str] = []


class MeetingRecordIn(Schema):
    summary: str = ""
    minutes: dict[str, str] = Field(
        {},
        description="Topic slug -> what was said under it. The meeting's topics (the group's own): "
        "/api/v1/engagement/events/{id}/topics.",
    )
    publish: bool = False


class MeetingActionIn(Schema):
    what: str = Field(..., min_length=1, max_length=500)
    owner: str = Field(..., min_length=1, max_length=200)
    due_date: dt.date | None = None


class MeetingOut(Schema):
    id: int
    title: str
    start: dt.datetime
    status: str
    url: str
    record_url: str | None


def _group(code: str) -> MonitoringGroup:
    """The borough's monitoring group; a 404 saying there is none otherwise."""
    group = MonitoringGroup.objects.select_related("borough").filter(borough__gss_code=code).first()
    if group is None:
        raise HttpError(404, f"There is no monitoring group for {code[:20]}.")
    return group


def _sample(code: str, pk: int) -> ReviewSample:
    """One of the borough's group's samples; a 404 saying there is none otherwise."""
    found = ReviewSample.objects.filter(pk=pk, group__borough__gss_code=code).select_related("group").first()
    if found is None:
        raise HttpError(404, f"There is no sample {pk} here.")
    return found


@router.get(
    "/monitoring/boroughs/{borough_code}/summaries",
    response={200: list[dict], 404: Problem},
    summary="Published review summaries",
)
@access.public
def summaries(request, borough_code: str):
    group = _group(borough_code)
    return Status(200, [summary_dict(s) for s in group.samples.filter(published_at__isnull=False)])


@router.post(
    "/monitoring/boroughs/{borough_code}/samples",
    response={201: dict, 400: Problem, 404: Problem},
    summary="Draw a review sample (the group's chair)",
)
@roles.CHAIR_RULE
@refusals_as_400(services.MonitoringError, ValidationError)
def draw(request, borough_code: str, payload: SampleIn):
    group = _group(borough_code)
    sample = services.draw_sample(request.user, group, payload.month, payload.size, payload.seed)
    return Status(
        201, {"id": sample.pk, "seed": sample.seed, "stops": list(sample.stops.values_list("stop_id", flat=True))}
    )


def _stop_dict(sampled, see_reviews: bool) -> dict:
    out = {
        "reference": sampled.reference,
        "stop": sampled.stop_id,
        "stratum": sampled.stratum,
        "grounds": [g.text for g in sampled.grounds.all()],
    }
    if see_reviews:
        review = getattr(sampled, "review", None)
        out["review"] = (
            None
            if review is None
            else {
                "grounds_clear": review.grounds_clear,
                "video_seen": review.video_seen,
                "outcome_proportionate": review.outcome_proportionate,
                "concerns": review.concerns,
            }
        )
    return out


@router.get(
    "/monitoring/boroughs/{borough_code}/samples/{pk}",
    response={200: dict, 404: Problem},
    summary="A sample, for its group (the force liaison gets no reviews, nor figures before publication)",
)
@roles.MEMBER_RULE
def sample(request, borough_code: str, pk: int):
    found = _sample(borough_code, pk)
    see_reviews = roles.may(request.user, found.group, "see reviews")
    stops = found.stops.select_related("sample").prefetch_related("grounds")
    if see_reviews:
        stops = stops.select_related("review")
    out = summary_dict(found)
    if not see_reviews and not found.published_at:
        out["figures"] = []
    return Status(200, out | {"stops": [_stop_dict(s, see_reviews) for s in stops]})


@router.post(
    "/monitoring/boroughs/{borough_code}/samples/{pk}/grounds",
    response={201: dict, 400: Problems, 404: Problem},
    summary="Upload the force's grounds as CSV (columns reference and grounds; all or nothing)",
)
@roles.MEMBER_RULE
def upload_grounds(request, borough_code: str, pk: int, file: File[UploadedFile]):
    found = _sample(borough_code, pk)
    roles.require(request.user, found.group, "add grounds")
    try:
        run = grounds.import_grounds(request.user, found, file)
    except ImportFailed as exc:
        return Status(
            400, {"detail": "Nothing was added: the file has problems.", "problems": list(map(str, exc.problems))}
        )
    return Status(
        201,
        {
            "stops_with_grounds": run.counts.get("stops_with_grounds", 0),
            "rows_without_grounds": run.counts.get("rows_without_grounds", 0),
        },
    )


@router.get(
    "/monitoring/boroughs/{borough_code}/members",
    response={200: list[MemberOut], 404: Problem},
    summary="The group's members (its chair)",
)
@roles.CHAIR_RULE
def list_members(request, borough_code: str):
    group = _group(borough_code)
    audit.record(request.user, "monitoring.members-viewed", group, borough=group.borough.gss_code)
    return Status(
        200, [{"email": m.email, "role": m.role_words.lower(), "since": m.since} for m in members.members(group)]
    )


@router.post(
    "/monitoring/boroughs/{borough_code}/members",
    response={201: MemberOut, 400: Problem, 404: Problem},
    summary="Add a member, or change a member's role: chair, reviewer or force liaison (its chair)",
)
@roles.CHAIR_RULE
@refusals_as_400(services.MonitoringError, ValidationError)
def add_member(request, borough_code: str, payload: MemberIn):
    group = _group(borough_code)
    added = members.add_member(request.user, group, payload.email, members.role_named(payload.role))
    return Status(201, {"email": added.email, "role": added.role_words.lower(), "since": added.since})


@router.delete(
    "/monitoring/boroughs/{borough_code}/members",
    response={204: None, 400: Problem, 404: Problem},
    summary="Remove a member, named by email (its chair)",
)
@roles.CHAIR_RULE
@refusals_as_400(services.MonitoringError, ValidationError)
def remove_member(request, borough_code: str, email: str):
    group = _group(borough_code)
    members.remove_member(request.user, group, email)
    return Status(204, None)


def _meeting_out(event) -> dict:
    record = getattr(event, "record", None)
    published = record is not None and record.is_published
    return {
        "id": event.pk,
        "title": event.title,
        "start": event.starts_at,
        "status": event.status,
        "url": event.get_absolute_url(),
        "record_url": reverse("engagement:record", args=[record.pk]) if published else None,
    }


@router.get(
    "/monitoring/boroughs/{borough_code}/meetings",
    response={200: list[MeetingOut], 404: Problem},
    summary="The group's meetings (engagement events in its borough)",
)
@access.public
def list_meetings(request, borough_code: str):
    group = _group(borough_code)
    return Status(200, [_meeting_out(e) for e in meetings.group_meetings(group)])


@router.post(
    "/monitoring/boroughs/{borough_code}/meetings",
    response={201: MeetingOut, 400: Problem, 404: Problem},
    summary="Schedule a meeting of the group (its chair)",
)
@roles.CHAIR_RULE
@refusals_as_400(services.MonitoringError, ValidationError)
def schedule_meeting(request, borough_code: str, payload: MeetingIn):
    group = _group(borough_code)
    data = payload.dict()
    event = meetings.schedule_meeting(
        request.user, group, agenda=data.pop("agenda"), starts_at=data.pop("start"), ends_at=data.pop("end"), **data
    )
    return Status(201, _meeting_out(event))


def _meeting(group: MonitoringGroup, pk: int) -> Event:
    """One of the group's meetings; a 404 saying there is none otherwise."""
    event = meetings.group_meetings(group).filter(pk=pk).first()
    if event is None:
        raise HttpError(404, f"The group has no meeting {pk}.")
    return event


@router.put(
    "/monitoring/boroughs/{borough_code}/meetings/{pk}/record",
    response={200: dict, 400: Problem, 404: Problem},
    summary="Write or correct a meeting's record, minutes by the group's topics (its chair)",
)
@roles.CHAIR_RULE
@refusals_as_400(ValidationError)
def write_meeting_record(request, borough_code: str, pk: int, payload: MeetingRecordIn):
    event = _meeting(_group(borough_code), pk)
    topics = {t.slug: t for t in engagement_selectors.topics_for(event)}
    unknown = sorted(set(payload.minutes) - set(topics))
    if unknown:
        raise HttpError(
            400,
            f"Not a topic of this meeting's record: {', '.join(u[:40] for u in unknown)}. "
            f"Its topics: {', '.join(topics)}.",
        )
    record = engagement_records.write_meeting_record(
        request.user,
        event,
        summary=payload.summary,
        minutes={topics[slug]: text for slug, text in payload.minutes.items()},
        publish=payload.publish,
    )
    return Status(200, engagement_exports.record_as_dict(record))


@router.post(
    "/monitoring/boroughs/{borough_code}/meetings/{pk}/actions",
    response={201: dict, 400: Problem, 404: Problem},
    summary="Add an action agreed at one of the group's meetings (its chair)",
)
@roles.CHAIR_RULE
@refusals_as_400(ValidationError)
def add_meeting_action(request, borough_code: str, pk: int, payload: MeetingActionIn):
    event = _meeting(_group(borough_code), pk)
    record = MeetingRecord.objects.filter(event=event).first()
    if record is None:
        raise HttpError(400, "Write the meeting's record first: actions are agreed at a meeting held.")
    action = engagement_records.agree_action(request.user, record, **payload.dict())
    return Status(201, engagement_exports.action_as_dict(action))
