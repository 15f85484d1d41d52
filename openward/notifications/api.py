"""Open Ward's own API for notifications (mounted under /api/v1/ by openward/api.py)."""

from ninja import Router, Schema
from ninja.errors import HttpError

from openward.areas.selectors import ward_or_404
from openward.core import access

from . import services, tokens
from .models import Subscriber, topic_model

router = Router(tags=["notifications"])


class PreferencesOut(Schema):
    email: str
    receiving: bool
    frequency: str
    wards: list[str]
    topics: list[str]


class PreferencesIn(Schema):
    receiving: bool = True
    frequency: str = "immediate"
    wards: list[str] = []
    topics: list[str] = []


def _out(subscriber: Subscriber) -> dict:
    subscriptions = list(subscriber.subscriptions.select_related("ward").prefetch_related("topics"))
    return {
        "email": subscriber.email,
        "receiving": subscriber.is_receiving,
        "frequency": subscriber.frequency,
        "wards": [s.ward.gss_code for s in subscriptions],
        "topics": sorted({t.slug for s in subscriptions for t in s.topics.all()}),
    }


@router.get("/notifications/preferences", response=PreferencesOut, summary="Your email preferences")
@access.signed_in
def get_preferences(request):
    return _out(services.subscriber_for(request.user.email, request.user))


@router.put("/notifications/preferences", response=PreferencesOut, summary="Set your wards, topics and frequency")
@access.signed_in
def put_preferences(request, payload: PreferencesIn):
    if payload.frequency not in Subscriber.Frequency.values:
        raise HttpError(400, f"frequency must be one of {', '.join(Subscriber.Frequency.values)}.")
    topics = list(topic_model().objects.filter(slug__in=payload.topics))
    if len(topics) != len(set(payload.topics)):
        raise HttpError(400, "Unknown topic; see /api/v1/engagement/topics.")
    subscriber = services.subscriber_for(request.user.email, request.user)
    services.update_preferences(
        subscriber,
        frequency=payload.frequency,
        wards=[ward_or_404(code) for code in payload.wards],
        topics=topics,
        receiving=payload.receiving,
        actor=request.user,
    )
    return _out(subscriber)


class UnsubscribeIn(Schema):
    token: str


@router.post("/notifications/unsubscribe", summary="Unsubscribe with the token from an email (idempotent)")
@access.public
def unsubscribe(request, payload: UnsubscribeIn):
    try:
        subscriber = Subscriber.objects.filter(pk=tokens.subscriber_id_from(payload.token)).first()
    except tokens.BadToken as exc:
        raise HttpError(400, f"{exc} Nothing has been changed.") from exc
    if subscriber is None:
        raise HttpError(404, "We cannot find this subscription. Nothing has been changed.")
    services.unsubscribe(subscriber)
    return {"email": subscriber.email, "receiving": False}
