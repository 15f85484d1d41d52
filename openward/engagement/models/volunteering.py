"""Volunteering tasks, sign-ups and reports of what was done."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from openward.areas.models import Ward


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
