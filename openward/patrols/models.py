"""Patrol plans for hot spots, the visits a team records, and the places each plan names.

A plan belongs to a ward or a cluster and names up to 20 places: 150 m grid cells (keys as in
crime.analytics.hotspots), each with the reason it was chosen. police.uk publishes no times of
day, so a plan's hours are what the team knows, in its own words (`hours_note`).

Visits hold who, where, when and how long: staff data, shown only to the area's staff; the
public and the panel see totals and the evaluation.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from openward.areas.models import Cluster, Ward

MAX_PLACES = 20


class PatrolPlanQuerySet(models.QuerySet):
    def for_ward(self, ward):
        return self.filter(Q(ward=ward) | Q(cluster__wards=ward)).distinct()


class PatrolPlan(models.Model):
    """Visits to chosen hot spots between two dates, at a dosage, for a ward or a cluster."""

    ward = models.ForeignKey(Ward, null=True, blank=True, on_delete=models.PROTECT, related_name="patrol_plans")
    cluster = models.ForeignKey(Cluster, null=True, blank=True, on_delete=models.PROTECT, related_name="patrol_plans")
    title = models.CharField(max_length=200)
    starts_on = models.DateField()
    ends_on = models.DateField()
    minutes_min = models.PositiveSmallIntegerField(default=10)
    minutes_max = models.PositiveSmallIntegerField(default=15)
    visits_per_week = models.PositiveSmallIntegerField(default=3, help_text="Per place.")
    hours_note = models.TextField(
        blank=True, help_text="When to visit, from what the team knows: police.uk has no times of day."
    )
    priorities = models.ManyToManyField(
        "priorities.Priority", blank=True, related_name="patrol_plans", help_text="Ward priorities citing this plan."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(default=False)

    objects = PatrolPlanQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(ward__isnull=False) & Q(cluster__isnull=True))
                | (Q(ward__isnull=True) & Q(cluster__isnull=False)),
                name="patrol_plan_for_one_ward_or_cluster",
            ),
            models.CheckConstraint(condition=Q(ends_on__gt=models.F("starts_on")), name="patrol_plan_ends_after_start"),
            models.CheckConstraint(
                condition=Q(minutes_min__gte=1) & Q(minutes_max__gte=models.F("minutes_min")),
                name="patrol_plan_dosage_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def area(self):
        return self.ward or self.cluster

    def wards(self) -> list[Ward]:
        return [self.ward] if self.ward_id else list(self.cluster.wards.all())


class PlanPlace(models.Model):
    """One place in a plan: a 150 m grid cell, where it is, and why it was chosen."""

    plan = models.ForeignKey(PatrolPlan, on_delete=models.CASCADE, related_name="places")
    cell_key = models.CharField(max_length=24)
    latitude = models.FloatField()
    longitude = models.FloatField()
    label = models.CharField(max_length=200, blank=True, help_text="e.g. the busiest street in the cell.")
    reason = models.CharField(max_length=300)
    crimes_before = models.PositiveIntegerField(default=0, help_text="Crimes in the 12 months before the plan.")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "cell_key"], name="plan_place_once")]

    def __str__(self) -> str:
        return self.label or self.cell_key


class Visit(models.Model):
    """A patrol visit to one place of a plan: who, when, for how long."""

    plan = models.ForeignKey(PatrolPlan, on_delete=models.CASCADE, related_name="visits")
    place = models.ForeignKey(PlanPlace, on_delete=models.CASCADE, related_name="visits")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField()
    minutes = models.PositiveSmallIntegerField()
    note = models.CharField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(minutes__gte=1), name="visit_lasts_a_minute_or_more")]
