"""Replies through the API: reply to a bulletin or event, the team's inbox, answer a reply."""

from datetime import datetime
from typing import Literal

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import Schema, Status

from openward.core import access
from openward.core.api_refusals import refusals_as_400
from openward.core.bounds import Id

from .. import places, selectors
from ..models import Bulletin, Event, Reply
from ..services import replies as replies_services
from .common import router


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
    reply = replies_services.receive_reply(item, sender_email=request.user.email, body=payload.body, user=request.user)
    return Status(201, _reply(reply))


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
    reply = replies_services.answer_reply(request.user, get_object_or_404(Reply, pk=pk), payload.answer)
    return _reply(reply)
