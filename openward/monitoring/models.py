"""A borough's stop-and-search Community Monitoring Group: its monthly review samples, the review of
each sampled stop, the force's grounds text, the published summary, the force's response and actions.

Who is in the group, and what each may do. Members hold one of three roles for the group's borough
(accounts.RoleGrant, so each is a staff role behind the second factor, audited when granted):

- chair: draws the month's sample, reviews stops, publishes the summary, records and completes actions,
  adds and removes members by email (`members.py`), and schedules and writes up the group's meetings
  (engagement events of the kind "monitoring group meeting" in its borough, `meetings.py`);
- reviewer: reviews sampled stops and reads every member's review, so the group can discuss them;
- force liaison: the police member who supplies what only the force holds. The liaison sees the sampled
  stops, adds the grounds text (pasted, or a CSV file of references and grounds, `grounds.py`) and writes
  the force's response to a published summary. The liaison never sees reviewers' answers or concerns: the
  group reviews the force's use of its powers, so the force learns the group's view from the published
  summary, as everyone does (the charter's "regular reviews" are the group's, not the force's).

A site administrator appoints a group's first chair; the borough's police leads cannot grant or remove
these roles (accounts.permissions.MONITORING_ROLES). What reviewers write and the grounds text the force
supplies are for the group only: no public page, download or API shows them; the published summary gives
counts and shares, never a record.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from openward.areas.models import Borough
from openward.crime.models import Stop


class MonitoringGroup(models.Model):
    borough = models.OneToOneField(Borough, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)

    def __str__(self) -> str:
        return self.name


class ReviewSample(models.Model):
    """The stops of one month drawn for review: stratified by ethnic group and legislation, from a recorded seed."""

    group = models.ForeignKey(MonitoringGroup, on_delete=models.CASCADE, related_name="samples")
    month = models.DateField()
    size = models.PositiveIntegerField()
    seed = models.BigIntegerField()
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    drawn_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    force_response = models.TextField(blank=True, help_text="The force's written response, published with the summary.")

    class Meta:
        ordering = ["-month"]
        constraints = [models.UniqueConstraint(fields=["group", "month"], name="one_sample_per_group_month")]


class SampledStop(models.Model):
    sample = models.ForeignKey(ReviewSample, on_delete=models.CASCADE, related_name="stops")
    stop = models.ForeignKey(Stop, on_delete=models.PROTECT, related_name="+")
    stratum = models.CharField(max_length=200)
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["position"]

    @property
    def number(self) -> int:
        """The stop's number in its sample, from 1, as the pages show it."""
        return self.position + 1

    @property
    def reference(self) -> str:
        """How the group and the force name this stop: its sample's month and its number, "2024-12 stop 7"
        (police.uk publishes no reference for a stop, and each group draws one sample a month). Words, not
        a code like 2024-12-007, so a spreadsheet never turns it into a date."""
        return f"{self.sample.month:%Y-%m} stop {self.number}"


class Answer(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    UNCLEAR = "unclear", "Cannot tell"


class StopReview(models.Model):
    """One member's review of one sampled stop. `concerns` is for the group only."""

    sampled = models.OneToOneField(SampledStop, on_delete=models.CASCADE, related_name="review")
    grounds_clear = models.CharField(max_length=8, choices=Answer.choices)
    video_seen = models.CharField(max_length=8, choices=Answer.choices)
    outcome_proportionate = models.CharField(max_length=8, choices=Answer.choices)
    concerns = models.TextField(blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(auto_now=True)


class GroundsText(models.Model):
    """Grounds for a search as the force supplied them to the group: never published. Pasted on the
    sample's page, or read from a CSV file (`from_file` is then its name; the run is in core.ImportRun)."""

    sampled = models.ForeignKey(SampledStop, on_delete=models.CASCADE, related_name="grounds")
    text = models.TextField()
    from_file = models.CharField(max_length=100, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)


class Action(models.Model):
    """Something the group or the force agreed to do after a review, tracked to completion (public)."""

    sample = models.ForeignKey(ReviewSample, on_delete=models.CASCADE, related_name="actions")
    what = models.CharField(max_length=500)
    owner = models.CharField(max_length=200)
    done_on = models.DateField(null=True, blank=True)
