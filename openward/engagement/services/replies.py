"""Replies from residents to a bulletin or event, the team's answers, and the share answered within 7 days."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from openward.core import audit
from openward.notifications import services as notifications
from openward.notifications.models import Notice, Subscriber

from .. import selectors
from ..models import Bulletin, Event, Reply
from .common import ward_code


def place_of(item):
    if isinstance(item, Event):
        return {"ward": item.ward, "cluster": item.cluster, "borough": item.borough}
    first = item.wards.first()
    if first:
        return {"ward": first, "cluster": None, "borough": None}
    cluster = item.clusters.first()
    if cluster:
        return {"ward": None, "cluster": cluster, "borough": None}
    return {"ward": None, "cluster": None, "borough": item.boroughs.first()}


@transaction.atomic
def receive_reply(item, *, sender_email: str, body: str, user=None) -> Reply:
    """A resident's reply to a bulletin or an event reaches the team's inbox.

    Only people we know may reply: a signed-in person, or a subscriber still receiving our email.
    """
    email = (sender_email or "").strip().lower()
    body = (body or "").strip()
    if not body:
        raise ValidationError("Write your reply before sending it.")
    if len(body) > 5000:
        raise ValidationError("Keep your reply under 5,000 characters.")
    if isinstance(item, Bulletin) and item.status != Bulletin.Status.PUBLISHED:
        raise ValidationError("This bulletin is no longer published, so it cannot take replies.")
    subscriber = Subscriber.objects.filter(email=email).first()
    known_user = user or get_user_model().objects.filter(email=email).first()
    if subscriber is not None and not subscriber.is_receiving and user is None:
        raise ValidationError(
            f"{email} has unsubscribed, so we cannot take replies from it by email. "
            "Sign in, or subscribe again from the preferences page."
        )
    if subscriber is None and known_user is None:
        raise ValidationError(
            f"We do not know the address {email or '(none given)'}. Reply from the address our email was sent to, "
            "or sign in first."
        )
    reply = Reply.objects.create(
        bulletin=item if isinstance(item, Bulletin) else None,
        event=item if isinstance(item, Event) else None,
        sender_email=email,
        user=known_user,
        body=body,
        **place_of(item),
    )
    audit.record(known_user, "engagement.receive_reply", reply, ward_code=ward_code(reply))
    return reply


@transaction.atomic
def answer_reply(actor, reply: Reply, answer: str) -> Reply:
    """The team answers a reply; the answer is emailed to the resident."""
    answer = answer.strip()
    if not answer:
        raise ValidationError("Write an answer before sending it.")
    reply = Reply.objects.select_for_update().get(pk=reply.pk)
    if reply.answered_at:
        raise ValidationError("This reply has already been answered.")
    reply.answer = answer
    reply.answered_at = timezone.now()
    reply.answered_by = actor
    reply.save(update_fields=["answer", "answered_at", "answered_by"])
    notifications.notify_people(
        Notice.Kind.ANSWER, reply.pk, f"answer:{reply.pk}", f"Re: {reply.item.title}", [reply.sender_email]
    )
    audit.record(actor, "engagement.answer_reply", reply, ward_code=ward_code(reply))
    return reply


SMALL_COUNT = 5


def reply_figures(area, *, now=None) -> dict:
    """Replies received and the share answered within 7 days (the last 12 months; small counts suppressed)."""
    counts = selectors.reply_counts(area, now=now)
    suppressed = counts["received"] < SMALL_COUNT
    return {
        "received": None if suppressed else counts["received"],
        "suppressed": suppressed,
        "answered_within_7_days_share": (
            None if suppressed or counts["settled"] == 0 else round(100 * counts["on_time"] / counts["settled"])
        ),
        "settled": counts["settled"],
    }
