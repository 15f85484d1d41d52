"""Subscriptions and the delivery ledger.

Every email goes through the ledger: one Delivery row per (notice, subscriber), unique, written
before anything is sent. A worker claims rows, sends them over one SMTP connection and marks
each row sent as soon as the server accepts the message. See services.py for the guarantee.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from openward.areas.models import Ward


class SubscriberQuerySet(models.QuerySet):
    def receiving(self):
        return self.filter(unsubscribed_at__isnull=True)


class Subscriber(models.Model):
    """An email address that gets notices. One-click unsubscribe stops every email to it."""

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", "As soon as they are published"
        WEEKLY = "weekly", "A weekly digest"

    email = models.EmailField(unique=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="subscriber"
    )
    frequency = models.CharField(max_length=12, choices=Frequency.choices, default=Frequency.IMMEDIATE)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(default=False)

    objects = SubscriberQuerySet.as_manager()

    def __str__(self) -> str:
        return self.email

    @property
    def is_receiving(self) -> bool:
        return self.unsubscribed_at is None


class Subscription(models.Model):
    """Notices for a ward, optionally only on some topics (no topics: everything for the ward)."""

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="subscriptions")
    ward = models.ForeignKey(Ward, on_delete=models.CASCADE, related_name="+")
    topics = models.ManyToManyField("engagement.Topic", blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["subscriber", "ward"], name="one_subscription_per_ward")]


class Notice(models.Model):
    """Something to email: a bulletin, an event notice, a reminder, a place offer, an answer, a digest."""

    class Kind(models.TextChoices):
        BULLETIN = "bulletin", "Bulletin"
        EVENT = "event", "Event notice"
        REMINDER = "reminder", "Event reminder"
        PLACE_OFFER = "place_offer", "Place offered"
        ANSWER = "answer", "Answer to a reply"
        DIGEST = "digest", "Weekly digest"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    # The engagement object it is about (bulletin, event, registration, reply); empty for digests.
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    key = models.CharField(max_length=120, unique=True, help_text="Natural key: one notice per thing to tell.")
    subject = models.CharField(max_length=250)
    detail = models.TextField(blank=True, help_text="What changed, for a notice about a change or a cancellation.")
    created_at = models.DateTimeField(default=timezone.now)
    fanned_out_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.subject


class Delivery(models.Model):
    """One recipient of one notice: written before sending, claimed, then marked sent."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Claimed by a worker"
        RETRY = "retry", "Failed, will be retried"
        SENT = "sent", "Sent"
        FAILED = "failed", "Given up"
        SKIPPED = "skipped", "Not sent (unsubscribed)"

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    claim = models.CharField(max_length=32, blank=True, db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["notice", "subscriber"], name="one_delivery_per_recipient")]
        indexes = [models.Index(fields=["notice", "status"])]


def topic_model():
    """The topics a subscription may narrow to: whatever model Subscription.topics names (engagement's
    Topic), found through the relation so this app imports no other app's models."""
    return Subscription._meta.get_field("topics").related_model
