"""Events through the API: list, read, publish, change and cancel one; register, give up a place, answer
an offered place."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import Schema, Status

from openward.areas.selectors import ward_or_404
from openward.core import access
from openward.core.api_refusals import refusals_as_400
from openward.core.bounds import one_of

from .. import places
from ..models import Event, Registration
from ..services import events as events_services
from ..services import registrations as registrations_services
from .common import Places, router


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
    event = events_services.schedule_event(
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
    return Status(201, EventOut.from_event(event))


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
    changes = events_services.change_event(request.user, get_object_or_404(Event, pk=pk), **fields)
    return {"event": EventOut.from_event(Event.objects.get(pk=pk)), "changes": changes}


class CancelIn(Schema):
    reason: str


@router.post("/engagement/events/{pk}/cancel", response=EventOut, summary="Cancel an event")
@access.role(*places.EVENT_ROLES, area=places.of_event)
def cancel_event(request, pk: int, payload: CancelIn):
    event = events_services.cancel_event(request.user, get_object_or_404(Event, pk=pk), payload.reason)
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
    r = registrations_services.register_for_event(
        request.user, get_object_or_404(Event, pk=pk), share_name=payload.share_name
    )
    return _registration(r)


@router.delete("/engagement/events/{pk}/registration", response=RegistrationOut, summary="Give up a place")
@access.signed_in
def cancel_registration(request, pk: int):
    r = get_object_or_404(Registration, event_id=pk, user=request.user)
    return _registration(registrations_services.cancel_registration(request.user, r))


class OfferIn(Schema):
    token: str
    accept: bool = True


@router.post("/engagement/offers", response=RegistrationOut, summary="Accept or decline an offered place")
@access.public
@refusals_as_400(ValidationError)
def answer_offer(request, payload: OfferIn):
    r = (
        registrations_services.accept_offer(payload.token)
        if payload.accept
        else registrations_services.decline_offer(payload.token)
    )
    return _registration(r)
