"""Public commitments by a force, borough or panel, how each is measured, and its dated reviews.

A commitment measured from crime data names its area (a borough, or a ward in it), the police.uk
categories and the direction (and optionally a target change); its status is computed from the
same figures the crime pages show (`measure.py`). Two more are measured from what Open Ward holds:
front counters open around the clock, from the stations' opening hours, in the borough or in every
borough of its force (`counters.py`); and replies answered within 7 days, from the team's replies in
the ward or borough (`replies.py`). One measured from evidence has its status set at each review,
from the evidence named there. Reviews are kept: the history is public.
"""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.urls import reverse

from openward.areas.models import Borough, Ward


class Status(models.TextChoices):
    ON_TRACK = "on-track", "On track"
    NOT_ON_TRACK = "not-on-track", "Not on track"
    CANT_TELL = "cant-tell", "Can't tell yet"


class Commitment(models.Model):
    class OwnerKind(models.TextChoices):
        FORCE = "force", "Police force"
        BOROUGH = "borough", "Borough (BCU or council)"
        PANEL = "panel", "Ward panel or Safer Neighbourhood Board"

    class Measure(models.TextChoices):
        CRIME = "crime", "From crime data"
        FRONT_COUNTER = "front-counter", "From front-counter opening hours (open 24 hours, 7 days)"
        REPLIES = "replies", "From replies answered within 7 days"
        EVIDENCE = "evidence", "From evidence given at each review"

    MEASURED = (Measure.CRIME, Measure.FRONT_COUNTER, Measure.REPLIES)

    class Direction(models.TextChoices):
        DOWN = "down", "Down"
        UP = "up", "Up"

    text = models.TextField(help_text='What was promised, in the owner\'s words, e.g. "Burglary will come down".')
    source = models.CharField(max_length=300, help_text="Where it was said (document, meeting, date).")
    source_url = models.URLField(blank=True)
    owner = models.CharField(max_length=200, help_text="Who made it, e.g. Central West BCU.")
    owner_kind = models.CharField(max_length=10, choices=OwnerKind.choices)
    made_on = models.DateField()
    borough = models.ForeignKey(Borough, on_delete=models.PROTECT, related_name="+")
    ward = models.ForeignKey(Ward, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    measure = models.CharField(max_length=16, choices=Measure.choices)
    every_borough = models.BooleanField(
        default=False, help_text="Front counters: measured in every borough of the borough's force, not this one only."
    )
    categories = models.JSONField(default=list, blank=True, help_text="police.uk category slugs (crime measure).")
    direction = models.CharField(max_length=4, choices=Direction.choices, blank=True)
    target_percent = models.FloatField(
        null=True,
        blank=True,
        help_text="Crime: the change promised, in %, e.g. 10 for down 10% (empty: any change). Replies: the share "
        "promised an answer within 7 days, in % (empty: every reply).",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-made_on", "-pk"]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def area_name(self) -> str:
        if self.every_borough:
            return f"every borough of {self.borough.force.name}" if self.borough.force_id else "every borough"
        return self.ward.name if self.ward_id else self.borough.name

    @property
    def is_measured(self) -> bool:
        """Is its status worked out from data (rather than given at each review from evidence)?"""
        return self.measure in self.MEASURED


class Review(models.Model):
    """A dated review of a commitment: the status then, the reason, and the figures or evidence behind it."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices)
    reason = models.CharField(max_length=1000)
    figures = models.JSONField(default=dict, blank=True)
    evidence_source = models.CharField(max_length=300, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reviewed_on", "-pk"]


def evidence_path(instance: Evidence, filename: str) -> str:
    """Where a file is stored: a random name under commitments/evidence/ (what it was called is kept apart)."""
    return f"commitments/evidence/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()[:6]}"


class Evidence(models.Model):
    """A file a review rests on (a PDF, a CSV file or an image), its source being the review's evidence_source.

    Stored through Django's default storage (STORAGES["default"]: the file system under var/ unless set to
    object storage) and served only by `views.evidence_file`, which serves the evidence of a review (public,
    as the review is) and nothing else: uploaded files are never served straight from storage.
    """

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=evidence_path, max_length=200)
    file_name = models.CharField(max_length=150, help_text="The name it was uploaded with, for downloads.")
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def get_absolute_url(self) -> str:
        return reverse("commitments:evidence", args=[self.pk])

    @property
    def kind(self) -> str:
        """The kind of file in words: "PDF", "CSV", "PNG image"."""
        return KINDS_IN_WORDS.get(self.content_type, "file")


KINDS_IN_WORDS = {
    "application/pdf": "PDF",
    "text/csv": "CSV",
    "image/png": "PNG image",
    "image/jpeg": "JPEG image",
    "image/gif": "GIF image",
    "image/webp": "WebP image",
}
