"""Consultations, secret ballots, census profiles and ward priorities with their actions and reviews.

Ballot secrecy (docs/ballot-secrecy.md): who took part and what they chose are kept in two
tables with nothing in common. `Participation` holds a keyed hash of (person, consultation),
so one person casts one ballot; `Ballot` holds the choices and the voter's verification level,
and nothing derived from the person: its only link back is a hash of a random receipt that
only the voter holds, so only the voter can change it. Both tables (and the demographic
answers) are keyed by random or keyed values, hold no timestamps, and are stored on SQLite
in key order (WITHOUT ROWID), so neither an id nor a row's position follows who voted when.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from openward.areas.models import Cluster, Ward


class ConcernQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def matching(self, text: str):
        """Concerns whose name, slug or a synonym matches `text` ("mugging" → street robbery and theft)."""
        needle = " ".join(text.lower().split())
        if not needle:
            return self.none()
        ids = [
            c.pk
            for c in self.active()
            if needle in c.name.lower() or needle == c.slug or any(needle == s.lower() for s in c.synonyms)
        ]
        return self.filter(pk__in=ids)


class Concern(models.Model):
    """A concern in the controlled vocabulary, its synonyms, and the police.uk categories it maps to."""

    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=120)
    description = models.CharField(max_length=300, blank=True)
    synonyms = models.JSONField(default=list, blank=True, help_text='Words people use: ["mugging", "phone snatching"].')
    crime_categories = models.JSONField(
        default=list, blank=True, help_text="police.uk category slugs this concern maps to; empty if none fits."
    )
    is_active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)

    objects = ConcernQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Level(models.IntegerChoices):
    """Verification levels, as openward.verification defines them (per person, per ward)."""

    UNCONFIRMED = 0, "Not confirmed"
    EMAIL = 1, "Email confirmed, postcode in the ward"
    ADDRESS = 2, "Address verified"


class ConsultationQuerySet(models.QuerySet):
    def for_ward(self, ward):
        return self.filter(Q(ward=ward) | Q(cluster__wards=ward)).distinct()

    def open(self, now=None):
        now = now or timezone.now()
        return self.filter(opens_at__lte=now, closes_at__gt=now)

    def closed(self, now=None):
        return self.filter(closes_at__lte=now or timezone.now())


class Consultation(models.Model):
    """'What should your team focus on?' for a ward or a cluster, open between two dates."""

    ward = models.ForeignKey(Ward, null=True, blank=True, on_delete=models.PROTECT, related_name="consultations")
    cluster = models.ForeignKey(Cluster, null=True, blank=True, on_delete=models.PROTECT, related_name="consultations")
    title = models.CharField(max_length=200)
    question = models.CharField(max_length=300, default="What should your neighbourhood team focus on?")
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    min_level = models.PositiveSmallIntegerField(
        choices=Level.choices, default=Level.EMAIL, help_text="Lowest verification level that may vote."
    )
    concerns = models.ManyToManyField(Concern, related_name="consultations")
    allow_free_text = models.BooleanField(default=True)
    ask_demographics = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(default=False)

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(ward__isnull=False) & Q(cluster__isnull=True))
                | (Q(ward__isnull=True) & Q(cluster__isnull=False)),
                name="consultation_for_one_ward_or_cluster",
            ),
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="consultation_closes_after_opening"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def area(self):
        return self.ward or self.cluster

    def wards(self) -> list[Ward]:
        return [self.ward] if self.ward_id else list(self.cluster.wards.all())

    def status(self, now=None) -> str:
        now = now or timezone.now()
        if now < self.opens_at:
            return "upcoming"
        return "open" if now < self.closes_at else "closed"

    def is_open(self, now=None) -> bool:
        return self.status(now) == "open"

    def is_closed(self, now=None) -> bool:
        return self.status(now) == "closed"


def _random_id() -> uuid.UUID:
    return uuid.uuid4()


class Participation(models.Model):
    """That a person took part in a consultation (the marked register), never what they chose."""

    # HMAC of (person, consultation) under BALLOT_KEY: the primary key, so rows sit in hash order.
    voter_key = models.CharField(primary_key=True, max_length=64, editable=False)
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="participations")


class Ballot(models.Model):
    """One person's ranked choices (up to three) in one consultation. Holds nothing that names them."""

    id = models.UUIDField(primary_key=True, default=_random_id, editable=False)
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="ballots")
    # sha256 of (voter key, receipt): only someone holding the voter's random receipt can find it.
    receipt_hash = models.CharField(max_length=64, unique=True, editable=False)
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    first = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="+")
    second = models.ForeignKey(Concern, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    third = models.ForeignKey(Concern, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    other_text = models.CharField(max_length=300, blank=True, help_text="Anything else, in the voter's words.")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(first=models.F("second")) & ~Q(first=models.F("third")) & ~Q(second=models.F("third")),
                name="ballot_ranks_each_concern_once",
            ),
            models.CheckConstraint(
                condition=Q(third__isnull=True) | Q(second__isnull=False), name="ballot_ranks_in_order"
            ),
        ]

    def ranked_ids(self) -> list[int]:
        return [i for i in (self.first_id, self.second_id, self.third_id) if i is not None]


class AgeBand(models.TextChoices):
    A16_29 = "16-29", "16 to 29"
    A30_44 = "30-44", "30 to 44"
    A45_64 = "45-64", "45 to 64"
    A65 = "65+", "65 or over"


class Ethnicity(models.TextChoices):
    """The five high-level census 2011 ethnic groups."""

    WHITE = "white", "White"
    MIXED = "mixed", "Mixed or multiple ethnic groups"
    ASIAN = "asian", "Asian or Asian British"
    BLACK = "black", "Black, African, Caribbean or Black British"
    OTHER = "other", "Other ethnic group"


class Relationship(models.TextChoices):
    LIVE = "live", "I live here"
    WORK = "work", "I work or study here"
    BUSINESS = "business", "I run a business here"
    VISIT = "visit", "I visit often"


class Demographics(models.Model):
    """Optional answers about the respondent, kept apart from the choices, for representativeness only."""

    id = models.UUIDField(primary_key=True, default=_random_id, editable=False)
    # The one link weighting needs: which answers go with which choices. Nothing links to the person.
    ballot = models.OneToOneField(Ballot, on_delete=models.CASCADE, related_name="demographics")
    age_band = models.CharField(max_length=8, choices=AgeBand.choices, blank=True)
    ethnicity = models.CharField(max_length=8, choices=Ethnicity.choices, blank=True)
    relationship = models.CharField(max_length=10, choices=Relationship.choices, blank=True)


class PopulationGroup(models.Model):
    """How many residents aged 16 or over a ward has in one census group (age band or ethnic group)."""

    class Dimension(models.TextChoices):
        AGE = "age", "Age"
        ETHNICITY = "ethnicity", "Ethnic group"

    ward = models.ForeignKey(Ward, on_delete=models.CASCADE, related_name="population_groups")
    dimension = models.CharField(max_length=12, choices=Dimension.choices)
    group = models.CharField(max_length=8)
    count = models.PositiveIntegerField()
    source = models.CharField(max_length=300, help_text="Where the figure comes from and how it was derived.")
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["ward", "dimension", "group"]
        constraints = [models.UniqueConstraint(fields=["ward", "dimension", "group"], name="population_group_once")]


class PriorityQuerySet(models.QuerySet):
    def for_ward(self, ward):
        return self.filter(ward=ward)

    def for_wards(self, wards):
        return self.filter(ward__in=wards)

    def open(self):
        return self.filter(status=Priority.Status.OPEN)


MAX_OPEN_PRIORITIES = 3


class Priority(models.Model):
    """A ward policing priority agreed at a panel meeting, with its evidence and review date."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ACHIEVED = "achieved", "Achieved"
        NOT_ACHIEVED = "not_achieved", "Not achieved"
        CARRIED_OVER = "carried_over", "Carried over"

    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="priorities")
    statement = models.CharField(max_length=300, help_text='e.g. "Reduce phone snatching around the station".')
    concern = models.ForeignKey(Concern, null=True, blank=True, on_delete=models.SET_NULL, related_name="priorities")
    crime_categories = models.JSONField(default=list, blank=True, help_text="police.uk categories measured, if any.")
    consultation = models.ForeignKey(
        Consultation, null=True, blank=True, on_delete=models.SET_NULL, related_name="priorities"
    )
    meeting = models.ForeignKey(
        "engagement.Event",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="priorities_agreed",
        help_text="The panel meeting, held in Open Ward, that agreed it.",
    )
    # For meetings recorded elsewhere: a link or reference.
    meeting_ref = models.CharField(
        max_length=300,
        blank=True,
        help_text="The panel meeting that agreed it, if not in Open Ward: a link or reference.",
    )
    agreed_on = models.DateField()
    review_on = models.DateField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    # A new ward generation was imported and the ward has no clear successor: the team re-agrees it.
    needs_review = models.BooleanField(default=False)
    review_reason = models.CharField(max_length=300, blank=True)
    remapped_from = models.CharField(max_length=9, blank=True, help_text="The old ward's code, after a re-map.")
    # 1–3 while open, empty after; unique per ward among open priorities, so the database holds the limit.
    slot = models.PositiveSmallIntegerField(null=True, blank=True)
    baseline_start = models.DateField(null=True, blank=True)
    baseline_end = models.DateField(null=True, blank=True)
    baseline_count = models.PositiveIntegerField(null=True, blank=True)
    evidence = models.TextField(help_text="Why this priority: the figures behind it, in words.")
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_into"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(default=False)

    objects = PriorityQuerySet.as_manager()

    class Meta:
        ordering = ["-agreed_on", "-id"]
        verbose_name_plural = "priorities"
        constraints = [
            models.UniqueConstraint(
                fields=["ward", "slot"], condition=Q(status="open"), name="three_open_priority_slots_per_ward"
            ),
            models.CheckConstraint(
                condition=(Q(status="open") & Q(slot__gte=1) & Q(slot__lte=MAX_OPEN_PRIORITIES))
                | (~Q(status="open") & Q(slot__isnull=True)),
                name="open_priorities_hold_a_slot",
            ),
            models.CheckConstraint(condition=Q(review_on__gt=models.F("agreed_on")), name="review_after_agreement"),
        ]

    def __str__(self) -> str:
        return self.statement

    def latest_action(self):
        # Sorted in Python so a prefetched `actions` is used as is.
        return max(self.actions.all(), key=lambda a: (a.taken_on, a.pk), default=None)


class PriorityAction(models.Model):
    """Something the neighbourhood team did about a priority, on a date."""

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="actions")
    taken_on = models.DateField()
    description = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["-taken_on", "-id"]


class Review(models.Model):
    """A priority's review: recorded crime before and after over matching periods, and the decision."""

    priority = models.OneToOneField(Priority, on_delete=models.CASCADE, related_name="review")
    reviewed_on = models.DateField()
    before_start = models.DateField(null=True, blank=True)
    before_end = models.DateField(null=True, blank=True)
    before_count = models.PositiveIntegerField(null=True, blank=True)
    after_start = models.DateField(null=True, blank=True)
    after_end = models.DateField(null=True, blank=True)
    after_count = models.PositiveIntegerField(null=True, blank=True)
    rate_ratio = models.FloatField(null=True, blank=True)
    ratio_low = models.FloatField(null=True, blank=True)
    ratio_high = models.FloatField(null=True, blank=True)
    p_value = models.FloatField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=Priority.Status.choices)
    note = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def comparison(self):
        """The exact comparison of the before and after counts, or None without crime figures."""
        from .evidence import months_between
        from .stats import compare_counts

        if self.before_count is None or self.after_start is None:
            return None
        months = months_between(self.after_start, self.after_end)
        return compare_counts(self.before_count, self.after_count, months, months)
