"""Events and meetings, meeting records (attendance, minutes by topic, actions), bulletins,
replies to the team, and volunteering tasks.

An item belongs to one place: a ward, a cluster or a borough (exactly one is set). Published
meeting records and their actions are kept for good: they can be corrected, never deleted.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from openward.areas.models import Borough, Cluster, Ward


class KeptForGood(Exception):
    """Published records are never deleted."""


class Place(models.Model):
    """An item aimed at exactly one ward, cluster or borough."""

    ward = models.ForeignKey(Ward, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    cluster = models.ForeignKey(Cluster, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    borough = models.ForeignKey(Borough, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True

    @property
    def area(self):
        return self.ward or self.cluster or self.borough

    @property
    def area_name(self) -> str:
        return str(self.area.name) if self.area else ""


def covering_q(ward: Ward, prefix: str = "") -> Q:
    """Items aimed at this ward, a cluster containing it, or its borough."""
    return (
        Q(**{f"{prefix}ward": ward})
        | Q(**{f"{prefix}cluster__wards": ward})
        | Q(**{f"{prefix}borough_id": ward.borough_id})
    )


def within_q(area, prefix: str = "") -> Q:
    """Items aimed at this area or any place inside it (for roll-ups)."""
    if isinstance(area, Ward):
        return Q(**{f"{prefix}ward": area})
    if isinstance(area, Cluster):
        return Q(**{f"{prefix}cluster": area}) | Q(**{f"{prefix}ward__clusters": area})
    return (
        Q(**{f"{prefix}borough": area})
        | Q(**{f"{prefix}ward__borough": area})
        | Q(**{f"{prefix}cluster__borough": area})
    )


class Topic(models.Model):
    """A minutes heading and a topic of interest: the standard list plus topics a panel adds."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    is_standard = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=100)
    added_for_ward = models.ForeignKey(Ward, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    added_for_cluster = models.ForeignKey(Cluster, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


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


class BulletinQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Bulletin.Status.PUBLISHED).order_by("-published_at")

    def for_ward(self, ward):
        return self.filter(Q(wards=ward) | Q(clusters__wards=ward) | Q(boroughs=ward.borough_id)).distinct()

    def for_wards(self, wards):
        """Bulletins whose covered_wards() meet `wards` (ward ids, or a queryset of wards), in one query."""
        return self.filter(Q(wards__in=wards) | Q(clusters__wards__in=wards) | Q(boroughs__wards__in=wards)).distinct()

    def within(self, area):
        if isinstance(area, Ward):
            return self.for_ward(area)
        if isinstance(area, Cluster):
            return self.filter(Q(clusters=area) | Q(wards__clusters=area)).distinct()
        return self.filter(Q(boroughs=area) | Q(wards__borough=area) | Q(clusters__borough=area)).distinct()


class Bulletin(models.Model):
    """News, appeals and crime prevention advice written by officers."""

    class Kind(models.TextChoices):
        NEWS = "news", "News"
        APPEAL = "appeal", "Appeal for information"
        PREVENTION = "prevention", "Crime prevention advice"
        VOLUNTEERS = "volunteers", "Call for volunteers"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        WITHDRAWN = "withdrawn", "Withdrawn"

    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.NEWS)
    summary = models.CharField(max_length=300, blank=True)
    body_html = models.TextField(help_text="Sanitised HTML.")
    body_markdown = models.TextField(blank=True, help_text="What the author wrote, when written in the editor.")
    wards = models.ManyToManyField(Ward, blank=True, related_name="+")
    clusters = models.ManyToManyField(Cluster, blank=True, related_name="+")
    boroughs = models.ManyToManyField(Borough, blank=True, related_name="+")
    topics = models.ManyToManyField(Topic, blank=True, related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    revised_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(default=False)

    objects = BulletinQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("engagement:bulletin", args=[self.pk])

    def areas(self) -> list:
        return [*self.wards.all(), *self.clusters.all(), *self.boroughs.all()]

    def covered_wards(self):
        return Ward.objects.filter(
            Q(pk__in=self.wards.values("pk"))
            | Q(clusters__in=self.clusters.values("pk"))
            | Q(borough__in=self.boroughs.values("pk"))
        ).distinct()


class BulletinImage(models.Model):
    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="images")
    image = models.FileField(upload_to="bulletins/%Y/%m/")
    content_type = models.CharField(max_length=40)
    alt_text = models.CharField(max_length=300, help_text="Describe the image for people who cannot see it.")
    created_at = models.DateTimeField(auto_now_add=True)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("engagement:bulletin-image", args=[self.pk])


class ReplyQuerySet(models.QuerySet):
    def within(self, area):
        return self.filter(within_q(area)).distinct()

    def unanswered(self):
        return self.filter(answered_at__isnull=True)


class Reply(Place):
    """A resident's reply to a bulletin or an event notice; it reaches the team of the item's place."""

    bulletin = models.ForeignKey(Bulletin, null=True, blank=True, on_delete=models.PROTECT, related_name="replies")
    event = models.ForeignKey(Event, null=True, blank=True, on_delete=models.PROTECT, related_name="replies")
    sender_email = models.EmailField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    body = models.TextField()
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    answer = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ReplyQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(bulletin__isnull=False, event__isnull=True) | Q(bulletin__isnull=True, event__isnull=False),
                name="reply_to_one_item",
            )
        ]

    @property
    def item(self):
        return self.bulletin or self.event


class VolunteerTask(models.Model):
    class Kind(models.TextChoices):
        WEAPONS_SWEEP = "weapons_sweep", "Weapons sweep"
        LEAFLETING = "leafleting", "Leafleting"
        STALL = "stall", "Crime prevention stall"
        PROPERTY_MARKING = "property_marking", "Property marking"
        DOOR_KNOCKING = "door_knocking", "Door-knocking"

    class Vetting(models.TextChoices):
        NONE = "none", "None"
        BASIC = "basic", "Basic DBS check"
        ENHANCED = "enhanced", "Enhanced DBS check"
        POLICE = "police", "Police non-police personnel vetting"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CANCELLED = "cancelled", "Cancelled"
        COMPLETED = "completed", "Completed"

    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.TextField(blank=True)
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="+")
    place = models.CharField(max_length=300)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    places = models.PositiveIntegerField()
    vetting = models.CharField(max_length=12, choices=Vetting.choices, default=Vetting.NONE)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return self.title

    def places_left(self) -> int:
        return max(0, self.places - self.signups.filter(status=VolunteerSignup.Status.SIGNED_UP).count())


class VolunteerSignup(models.Model):
    class Status(models.TextChoices):
        SIGNED_UP = "signed_up", "Signed up"
        CANCELLED = "cancelled", "Cancelled"

    task = models.ForeignKey(VolunteerTask, on_delete=models.CASCADE, related_name="signups")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="volunteering")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SIGNED_UP)
    confirms_vetting = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["task", "user"], name="one_signup_per_person")]


class VolunteerReport(models.Model):
    """What the volunteers did: hours given and what was found or done."""

    task = models.OneToOneField(VolunteerTask, on_delete=models.PROTECT, related_name="report")
    volunteers = models.PositiveIntegerField()
    hours = models.DecimalField(max_digits=7, decimal_places=2)
    findings = models.TextField()
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    submitted_at = models.DateTimeField(auto_now_add=True)
