"""Open Ward's own API for engagement (mounted under /api/v1/ by openward/api.py)."""

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from openward.accounts.permissions import has_role
from openward.areas.selectors import ward_or_404
from openward.core import access
from openward.core.api_refusals import refusals_as_400
from openward.core.bounds import Id, one_of

from . import exports, places, selectors, services
from .models import Action, Attendance, Bulletin, Event, MeetingRecord, Registration, Reply, Topic, VolunteerTask

router = Router(tags=["engagement"])


class EventOut(Schema):
    id: int
    title: str
    type: str
    mode: str
    description: str
    address: str
    start: datetime
    end: datetime | None
    capacity: int | None
    places_left: int | None
    status: str
    place: str
    agenda: list[str]

    @staticmethod
    def from_event(event: Event) -> dict:
        return {
            "id": event.pk,
            "title": event.title,
            "type": event.kind,
            "mode": event.mode,
            "description": event.description,
            "address": event.address,
            "start": event.starts_at,
            "end": event.ends_at,
            "capacity": event.capacity,
            "places_left": event.places_left(),
            "status": event.status,
            "place": event.area_name,
            "agenda": [a.title for a in event.agenda.all()],
        }


# Places at one event or task: enough for a borough-wide meeting, small enough for any column.
Places = Annotated[int, Field(ge=1, le=100_000)]


class EventIn(Schema):
    title: str
    type: one_of(Event.Kind)
    mode: one_of(Event.Mode) = Event.Mode.IN_PERSON.value
    description: str = ""
    address: str = ""
    online_link: str = ""
    start: datetime
    end: datetime | None = None
    capacity: Places | None = None
    agenda: list[str] = []


@router.get("/engagement/events", response=list[EventOut], summary="Upcoming events (optionally for a ward)")
@access.public
def list_events(request, ward: str | None = None):
    events = Event.objects.scheduled().upcoming().select_related("ward", "cluster", "borough")
    if ward:
        events = events.for_ward(ward_or_404(ward))
    return [EventOut.from_event(e) for e in events.prefetch_related("agenda")[:200]]


@router.get("/engagement/events/{pk}", response=EventOut, summary="One event")
@access.public
def get_event(request, pk: int):
    return EventOut.from_event(get_object_or_404(Event, pk=pk))


@router.post(
    "/engagement/places/{kind}/{key}/events",
    response={201: EventOut},
    summary="Publish an event or meeting for a ward (GSS code), cluster or borough (slug)",
)
@access.role(*places.EVENT_ROLES, area=places.from_kwargs)
@refusals_as_400(ValidationError)
def create_event(request, kind: str, key: str, payload: EventIn):
    area = places.area_by(kind, key)
    event = services.schedule_event(
        request.user,
        agenda=payload.agenda,
        **{kind: area},
        title=payload.title,
        kind=payload.type,
        mode=payload.mode,
        description=payload.description,
        address=payload.address,
        online_link=payload.online_link,
        starts_at=payload.start,
        ends_at=payload.end,
        capacity=payload.capacity,
    )
    return 201, EventOut.from_event(event)


class EventChangeIn(Schema):
    """Only the fields given change; registered people are emailed what changed."""

    title: str | None = None
    mode: one_of(Event.Mode) | None = None
    description: str | None = None
    address: str | None = None
    online_link: str | None = None
    start: datetime | None = None
    end: datetime | None = None
    capacity: Places | None = None


class EventChangeOut(Schema):
    event: EventOut
    changes: list[str]


@router.patch("/engagement/events/{pk}", response=EventChangeOut, summary="Change a coming event")
@access.role(*places.EVENT_ROLES, area=places.of_event)
@refusals_as_400(ValidationError)
def change_event(request, pk: int, payload: EventChangeIn):
    names = {"start": "starts_at", "end": "ends_at"}
    fields = {names.get(k, k): v for k, v in payload.dict(exclude_unset=True).items()}
    changes = services.change_event(request.user, get_object_or_404(Event, pk=pk), **fields)
    return {"event": EventOut.from_event(Event.objects.get(pk=pk)), "changes": changes}


class CancelIn(Schema):
    reason: str


@router.post("/engagement/events/{pk}/cancel", response=EventOut, summary="Cancel an event")
@access.role(*places.EVENT_ROLES, area=places.of_event)
def cancel_event(request, pk: int, payload: CancelIn):
    event = services.cancel_event(request.user, get_object_or_404(Event, pk=pk), payload.reason)
    return EventOut.from_event(event)


class RegistrationOut(Schema):
    event: int
    status: str
    offer_expires_at: datetime | None
    online_link: str | None


def _registration(r: Registration) -> dict:
    return {
        "event": r.event_id,
        "status": r.status,
        "offer_expires_at": r.offer_expires_at if r.status == Registration.Status.OFFERED else None,
        "online_link": r.event.online_link or None if r.status == Registration.Status.CONFIRMED else None,
    }


class RegisterIn(Schema):
    share_name: bool = False


@router.post(
    "/engagement/events/{pk}/registration", response=RegistrationOut, summary="RSVP (a place or the waiting list)"
)
@access.signed_in
@refusals_as_400(ValidationError)
def register(request, pk: int, payload: RegisterIn):
    r = services.register_for_event(request.user, get_object_or_404(Event, pk=pk), share_name=payload.share_name)
    return _registration(r)


@router.delete("/engagement/events/{pk}/registration", response=RegistrationOut, summary="Give up a place")
@access.signed_in
def cancel_registration(request, pk: int):
    r = get_object_or_404(Registration, event_id=pk, user=request.user)
    return _registration(services.cancel_registration(request.user, r))


class OfferIn(Schema):
    token: str
    accept: bool = True


@router.post("/engagement/offers", response=RegistrationOut, summary="Accept or decline an offered place")
@access.public
@refusals_as_400(ValidationError)
def answer_offer(request, payload: OfferIn):
    r = services.accept_offer(payload.token) if payload.accept else services.decline_offer(payload.token)
    return _registration(r)


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
        raise HttpError(400, f"Unknown topics: {', '.join(sorted(unknown))}. See /api/v1/engagement/topics.")
    record = services.write_meeting_record(
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


@router.get("/engagement/topics", response=list[TopicOut], summary="Minutes topics")
@access.public
def list_topics(request):
    return list(Topic.objects.all())


class ActionIn(Schema):
    what: str
    owner: str = Field(..., max_length=200)
    due_date: date | None = None
    priority_id: Id | None = Field(None, description="A priority of the meeting's ward (or of a ward inside its area).")


@router.post("/engagement/records/{pk}/actions", summary="Add an action to the register")
@access.role(*places.RECORD_ROLES, area=places.of_record)
@refusals_as_400(ValidationError)
def add_action(request, pk: int, payload: ActionIn):
    action = services.agree_action(request.user, get_object_or_404(MeetingRecord, pk=pk), **payload.dict())
    return exports.action_as_dict(action)


class ActionStatusIn(Schema):
    status: one_of(Action.Status)
    note: str = ""


@router.patch("/engagement/actions/{pk}", summary="Move an action on")
@access.role(*places.RECORD_ROLES, area=places.of_action)
@refusals_as_400(ValidationError)
def update_action(request, pk: int, payload: ActionStatusIn):
    action = services.update_action(request.user, get_object_or_404(Action, pk=pk), **payload.dict())
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
        "replies": services.reply_figures(area),
    }


class BulletinOut(Schema):
    id: int
    title: str
    kind: str
    summary: str
    body_html: str
    published_at: datetime | None
    places: list[str]
    topics: list[str]
    images: list[str]


def _bulletin(b: Bulletin) -> dict:
    return {
        "id": b.pk,
        "title": b.title,
        "kind": b.kind,
        "summary": b.summary,
        "body_html": b.body_html,
        "published_at": b.published_at,
        "places": [str(a.name) for a in b.areas()],
        "topics": [t.slug for t in b.topics.all()],
        "images": [i.get_absolute_url() for i in b.images.all()],
    }


@router.get("/engagement/bulletins", response=list[BulletinOut], summary="Published bulletins (optionally for a ward)")
@access.public
def list_bulletins(request, ward: str | None = None):
    bulletins = Bulletin.objects.published()
    if ward:
        bulletins = bulletins.for_ward(ward_or_404(ward))
    return [_bulletin(b) for b in bulletins[:100]]


class BulletinIn(Schema):
    title: str = Field(..., max_length=200)
    kind: one_of(Bulletin.Kind) = Bulletin.Kind.NEWS.value
    summary: str = ""
    body_markdown: str = Field("", description="The text in Markdown (web addresses become links); or body_html.")
    body_html: str = ""
    wards: list[str] = Field([], description="Ward codes; none of wards, clusters or boroughs: all your places.")
    clusters: list[str] = []
    boroughs: list[str] = []
    topics: list[str] = []


def _checked_areas(request, payload) -> dict:
    """The places named by code, each checked: the caller holds a team role there (else 403)."""
    areas = {
        "wards": [places.area_by("ward", c) for c in payload.wards],
        "clusters": [places.area_by("cluster", c) for c in payload.clusters],
        "boroughs": [places.area_by("borough", c) for c in payload.boroughs],
    }
    for area in [a for group in areas.values() for a in group]:
        if not has_role(request.user, places.TEAM_ROLES, area):
            raise HttpError(403, f"You do not have a team role for {area.name}.")
    return areas


@router.post(
    "/engagement/bulletins", response={201: BulletinOut}, summary="Publish a bulletin (emailed to subscribers)"
)
@access.role(*places.TEAM_ROLES)
@refusals_as_400(ValidationError)
def create_bulletin(request, payload: BulletinIn):
    areas = _checked_areas(request, payload)
    topics = list(Topic.objects.filter(slug__in=payload.topics))
    bulletin = services.publish_bulletin(
        request.user,
        title=payload.title,
        kind=payload.kind,
        summary=payload.summary,
        body_html=payload.body_html,
        body_markdown=payload.body_markdown,
        topics=topics,
        **areas,
    )
    return 201, _bulletin(bulletin)


class BulletinRevisionIn(Schema):
    title: str = Field(..., max_length=200)
    kind: one_of(Bulletin.Kind) = Bulletin.Kind.NEWS.value
    summary: str = Field("", max_length=300)
    body_markdown: str
    wards: list[str] = []
    clusters: list[str] = []
    boroughs: list[str] = []
    topics: list[str] = []


@router.put("/engagement/bulletins/{pk}", response=BulletinOut, summary="Correct a published bulletin (no new email)")
@access.role(*places.TEAM_ROLES, area=places.of_bulletin)
@refusals_as_400(ValidationError)
def revise_bulletin(request, pk: int, payload: BulletinRevisionIn):
    areas = _checked_areas(request, payload)
    bulletin = services.revise_bulletin(
        request.user,
        get_object_or_404(Bulletin, pk=pk),
        title=payload.title,
        kind=payload.kind,
        summary=payload.summary,
        body_markdown=payload.body_markdown,
        topics=list(Topic.objects.filter(slug__in=payload.topics)),
        **areas,
    )
    return _bulletin(bulletin)


class ReplyIn(Schema):
    item: Literal["bulletin", "event"]
    id: Id
    body: str


class ReplyOut(Schema):
    id: int
    item: str
    item_id: int
    sender_email: str
    body: str
    received_at: datetime
    answer: str
    answered_at: datetime | None


def _reply(r: Reply) -> dict:
    return {
        "id": r.pk,
        "item": "bulletin" if r.bulletin_id else "event",
        "item_id": r.bulletin_id or r.event_id,
        "sender_email": r.sender_email,
        "body": r.body,
        "received_at": r.received_at,
        "answer": r.answer,
        "answered_at": r.answered_at,
    }


@router.post("/engagement/replies", response={201: ReplyOut}, summary="Reply to a bulletin or event")
@access.signed_in
@refusals_as_400(ValidationError)
def create_reply(request, payload: ReplyIn):
    """A question or comment for the team, read in working hours. Not for reporting crime: in an emergency
    call 999; otherwise call 101 or report online at https://www.police.uk/pu/contact-us/report/; to stay
    anonymous, Crimestoppers on 0800 555 111."""
    model = {"bulletin": Bulletin, "event": Event}[payload.item]
    item = get_object_or_404(model, pk=payload.id)
    reply = services.receive_reply(item, sender_email=request.user.email, body=payload.body, user=request.user)
    return 201, _reply(reply)


@router.get("/engagement/inbox", response=list[ReplyOut], summary="Replies to your team")
@access.role(*places.TEAM_ROLES)
def inbox(request, unanswered: bool = True):
    replies = selectors.inbox_for(request.user)
    if unanswered:
        replies = replies.unanswered()
    return [_reply(r) for r in replies[:200]]


class AnswerIn(Schema):
    answer: str


@router.post("/engagement/replies/{pk}/answer", response=ReplyOut, summary="Answer a reply (emailed to the resident)")
@access.role(*places.TEAM_ROLES, area=places.of_reply)
@refusals_as_400(ValidationError)
def answer(request, pk: int, payload: AnswerIn):
    reply = services.answer_reply(request.user, get_object_or_404(Reply, pk=pk), payload.answer)
    return _reply(reply)


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
    services.sign_up_to_volunteer(request.user, task, confirms_vetting=payload.confirms_vetting)
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
    services.report_volunteering(request.user, task, **payload.dict())
    task.refresh_from_db()
    return _task(task)
