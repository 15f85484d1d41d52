"""Open Ward's own API for notifications (mounted under /api/v1/ by openward/api.py)."""

from ninja import Router, Schema
from ninja.errors import HttpError

from openward.areas.selectors import ward_or_404
from openward.core import access

from . import services, tokens
from .models import Subscriber, topic_model

router = Router(tags=["notifications"])


class ReviewOut(Schema):
    ward: str
    reason: str


class PreferencesOut(Schema):
    email: str
    receiving: bool
    frequency: str
    wards: list[str]
    topics: list[str]
    # Subscriptions whose ward changed in a boundary review with no clear successor: choose the new ward.
    review: list[ReviewOut] = []


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
        "review": [{"ward": s.ward.gss_code, "reason": s.review_reason} for s in subscriptions if s.needs_review],
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
    wards = [ward_or_404(code) for code in payload.wards]
    topics = list(topic_model().objects.offered_in([w.pk for w in wards]).filter(slug__in=payload.topics))
    if len(topics) != len(set(payload.topics)):
        unknown = sorted(set(payload.topics) - {t.slug for t in topics})
        raise HttpError(
            400,
            f"Not a topic of these wards' panels: {', '.join(u[:80] for u in unknown[:10])}. A ward's topics are "
            "the standard ones (/api/v1/engagement/topics) and its panel's (/api/v1/engagement/events/{id}/topics).",
        )
    subscriber = services.subscriber_for(request.user.email, request.user)
    services.update_preferences(
        subscriber,
        frequency=payload.frequency,
        wards=wards,
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
