"""Meeting records: attendance, minutes by topic and the actions agreed. Published records and their
actions are kept for good: they can be corrected, never deleted."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from .events import Event
from .places import KeptForGood, Place, within_q
from .topics import Topic


class MeetingRecord(models.Model):
    """What happened at a meeting: attendance, minutes by topic and the actions agreed."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    event = models.OneToOneField(Event, on_delete=models.PROTECT, related_name="record")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    summary = models.TextField(blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def delete(self, *args, **kwargs):
        if self.status == self.Status.PUBLISHED:
            raise KeptForGood("A published meeting record is kept for good; correct it instead.")
        return super().delete(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class AttendanceRole(models.TextChoices):
    RESIDENT = "resident", "Resident"
    BUSINESS = "business", "Business or worker"
    PANEL = "panel", "Panel member"
    OFFICER = "officer", "Police officer"
    PCSO = "pcso", "PCSO"
    COUNCILLOR = "councillor", "Councillor"
    PARTNER = "partner", "Partner agency"
    OTHER = "other", "Other"


class Attendance(models.Model):
    """One person at a meeting; the name is kept only when they agreed to be named."""

    Role = AttendanceRole

    record = models.ForeignKey(MeetingRecord, on_delete=models.PROTECT, related_name="attendance")
    role = models.CharField(max_length=16, choices=Role.choices)
    name = models.CharField(max_length=120, blank=True)
    agreed_to_be_named = models.BooleanField(default=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        # Published records are kept for good and every listing of their place renders each role's
        # label: an unknown role must never reach the table.
        constraints = [
            models.CheckConstraint(condition=models.Q(role__in=AttendanceRole.values), name="attendance_role_known")
        ]

    def save(self, *args, **kwargs):
        if not self.agreed_to_be_named:
            self.name = ""
        super().save(*args, **kwargs)


class MinuteEntry(models.Model):
    """The minutes' summary for one topic."""

    record = models.ForeignKey(MeetingRecord, on_delete=models.PROTECT, related_name="minutes")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="+")
    summary = models.TextField()

    class Meta:
        ordering = ["topic__position", "topic__name"]
        constraints = [models.UniqueConstraint(fields=["record", "topic"], name="one_minute_per_topic")]


class ActionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=Action.OPEN)

    def overdue(self, on=None):
        return self.open().filter(due_date__lt=on or timezone.localdate())

    def within(self, area):
        return self.filter(within_q(area)).distinct()

    def published(self):
        return self.filter(record__status=MeetingRecord.Status.PUBLISHED)

    def delete(self):
        if self.filter(record__status=MeetingRecord.Status.PUBLISHED).exists():
            raise KeptForGood("Actions of a published meeting record are kept for good.")
        return super().delete()


class Action(Place):
    """An action agreed at a meeting: what, who, by when, and how it stands."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    OPEN = (Status.OPEN, Status.IN_PROGRESS)

    record = models.ForeignKey(MeetingRecord, on_delete=models.PROTECT, related_name="actions")
    what = models.TextField()
    owner = models.CharField(max_length=200, help_text="Who does it (a role or a name they agreed to).")
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    status_note = models.TextField(blank=True)
    # The ward priority this action serves, once the priorities app exists (its primary key).
    priority_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.what[:80]

    def delete(self, *args, **kwargs):
        if self.record.is_published:
            raise KeptForGood("Actions of a published meeting record are kept for good.")
        return super().delete(*args, **kwargs)

    @property
    def is_overdue(self) -> bool:
        return self.status in self.OPEN and self.due_date is not None and self.due_date < timezone.localdate()
