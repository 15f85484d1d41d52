"""What notifications hold about a person (their subscriber address, subscriptions and the emails
sent to it), for export and erasure.

Erasure stops every email at once: the subscriber row stays, unsubscribed and with its address
replaced, so the delivery ledger's counts still add up and no pending email can go out.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from openward.core import personal_data

from .models import Delivery, Subscriber, Subscription


def iso(value):
    return value.isoformat() if value else None


def _subscribers(user):
    # Emails to named people (reminders, place offers) create a subscriber row from the address alone.
    return Subscriber.objects.filter(Q(user=user) | Q(email__iexact=user.email))


def _export(user) -> list[dict]:
    return [
        {
            "email": s.email,
            "frequency": s.frequency,
            "receiving": s.is_receiving,
            "since": iso(s.created_at),
            "wards": [
                {"ward": sub.ward.gss_code, "topics": [t.name for t in sub.topics.all()]}
                for sub in s.subscriptions.select_related("ward").prefetch_related("topics")
            ],
            "emails": [
                {"subject": d.notice.subject, "status": d.status, "sent": iso(d.sent_at)}
                for d in s.deliveries.select_related("notice").order_by("created_at", "pk")
            ],
        }
        for s in _subscribers(user)
    ]


def _erase(user) -> list:
    subscribers = list(_subscribers(user))
    for subscriber in subscribers:
        Subscriber.objects.filter(pk=subscriber.pk).update(
            email=f"erased-{subscriber.pk}@erased.invalid",
            user=None,
            unsubscribed_at=subscriber.unsubscribed_at or timezone.now(),
        )
    Subscription.objects.filter(subscriber__in=subscribers).delete()
    # A refused address comes back in the SMTP error kept on the ledger row.
    Delivery.objects.filter(subscriber__in=subscribers).update(last_error="")
    return subscribers


personal_data.register(
    "subscriptions",
    models=[Subscriber, Subscription, Delivery],
    export=_export,
    erase=_erase,
    order=40,
)
