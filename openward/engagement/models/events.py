"""Events and meetings the public can come to, their agendas, people's places at them, and each person's
private calendar link."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .places import Place, covering_q, within_q


class EventQuerySet(models.QuerySet):
    def for_ward(self, ward):
        return self.filter(covering_q(ward)).distinct()

    def within(self, area):
        return self.filter(within_q(area)).distinct()

    def upcoming(self):
        return self.filter(starts_at__gte=timezone.now()).order_by("starts_at")

    def past(self):
        return self.filter(starts_at__lt=timezone.now()).order_by("-starts_at")

    def scheduled(self):
        return self.filter(status=Event.Status.SCHEDULED)


class Event(Place):
    """A meeting or event the public can come to."""

    class Kind(models.TextChoices):
        WARD_PANEL = "ward_panel", "Ward panel meeting"
        CLUSTER_PANEL = "cluster_panel", "Cluster panel meeting"
        SNB = "snb", "Safer Neighbourhood Board"
        STREET_BRIEFING = "street_briefing", "Street briefing"
        SURGERY = "surgery", "Surgery"
        STALL = "stall", "Crime prevention stall"
        # Held by a borough's stop-and-search monitoring group, whose chair runs it (openward/monitoring).
        MONITORING_GROUP = "monitoring_group", "Stop and search monitoring group meeting"

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        ONLINE = "online", "Online"
        HYBRID = "hybrid", "In person and online"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"

    PANEL_KINDS = (Kind.WARD_PANEL, Kind.CLUSTER_PANEL, Kind.SNB)

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=24, choices=Kind.choices)
    mode = models.CharField(max_length=12, choices=Mode.choices, default=Mode.IN_PERSON)
    description = models.TextField(blank=True)
    address = models.CharField(max_length=300, blank=True)
    online_link = models.URLField(blank=True, help_text="Shown only to people registered.")
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True, help_text="Empty: no limit.")
    contact_details = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SCHEDULED)
    cancelled_reason = models.CharField(max_length=300, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    is_demo = models.BooleanField(default=False)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(ward__isnull=False, cluster__isnull=True, borough__isnull=True)
                    | Q(ward__isnull=True, cluster__isnull=False, borough__isnull=True)
                    | Q(ward__isnull=True, cluster__isnull=True, borough__isnull=False)
                ),
                name="event_has_one_place",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("engagement:event", args=[self.pk])

    @property
    def is_past(self) -> bool:
        return self.starts_at < timezone.now()

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_panel(self) -> bool:
        return self.kind in self.PANEL_KINDS

    def places_taken(self) -> int:
        return self.registrations.filter(status__in=Registration.HOLDING).count()

    def places_left(self) -> int | None:
        if self.capacity is None:
            return None
        return max(0, self.capacity - self.places_taken())


class AgendaItem(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=300)
    notes = models.TextField(blank=True)
    carried_action = models.ForeignKey("Action", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Registration(models.Model):
    """A person's RSVP: a confirmed place, a place on the waiting list, or a place offered to them."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", "Place confirmed"
        WAITING = "waiting", "On the waiting list"
        OFFERED = "offered", "Place offered"
        CANCELLED = "cancelled", "Cancelled"
        EXPIRED = "expired", "Offer lapsed"

    HOLDING = (Status.CONFIRMED, Status.OFFERED)
    ACTIVE = (Status.CONFIRMED, Status.OFFERED, Status.WAITING)

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="registrations")
    status = models.CharField(max_length=12, choices=Status.choices)
    share_name = models.BooleanField(default=False, help_text="Agreed to be named in the attendance record.")
    created_at = models.DateTimeField(auto_now_add=True)
    waiting_since = models.DateTimeField(null=True, blank=True)
    offer_token = models.CharField(max_length=64, blank=True, db_index=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="one_registration_per_person")]

    def __str__(self) -> str:
        return f"{self.user} – {self.event} ({self.status})"


class CalendarFeed(models.Model):
    """The secret token in a person's own calendar feed URL (reset to revoke)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True, default=new_token)
