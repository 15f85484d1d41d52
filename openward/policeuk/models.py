"""What `sync_policeuk` has stored: the force-months it imported (so a stopped run carries on where it
stopped), and the events and priorities police.uk lists for each neighbourhood."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from openward.areas.models import Force, Neighbourhood
from openward.core.models import ImportRun
from openward.engagement.html import as_plain_paragraphs


class SyncedMonth(models.Model):
    """One force-month whose crime and stop-and-search data a sync imported (through PoliceUkImporter).

    Written in the same transaction as the import, so it exists exactly when the month is stored:
    a sync killed mid-month leaves no row, and the next run fetches that month again.
    """

    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="First day of the month.")
    source = models.CharField(max_length=500, help_text="The API base URL or archive URL it came from.")
    import_run = models.ForeignKey(ImportRun, null=True, on_delete=models.SET_NULL, related_name="+")
    synced_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["force", "month"]
        constraints = [models.UniqueConstraint(fields=["force", "month"], name="synced_month_once")]

    def __str__(self) -> str:
        return f"{self.force.slug} {self.month:%Y-%m}"


class SyncedQuerySet(models.QuerySet):
    def for_ward(self, ward):
        """Those of the neighbourhoods tied to the ward (a force may tie several to one ward)."""
        return self.filter(neighbourhood__ward=ward)

    def for_neighbourhood(self, neighbourhood):
        return self.filter(neighbourhood=neighbourhood)


class SyncedEventQuerySet(SyncedQuerySet):
    def not_ended(self, now=None):
        """Events still to come or under way: police.uk lists some that last for days."""
        now = now or timezone.now()
        return self.filter(Q(ends_at__gte=now) | Q(ends_at__isnull=True, starts_at__gte=now))


class SyncedEvent(models.Model):
    """An event police.uk lists for a neighbourhood, as the last sync read it (GET {force}/{id}/events).

    Kept apart from engagement's Event: Open Ward's staff did not write it and cannot change or cancel
    it, nobody registers for it, and the next sync replaces it with what police.uk then lists.
    """

    neighbourhood = models.ForeignKey(Neighbourhood, on_delete=models.CASCADE, related_name="synced_events")
    position = models.PositiveIntegerField(help_text="Its place in police.uk's list.")
    title = models.TextField()
    description = models.TextField(blank=True, help_text="May contain HTML, as on police.uk.")
    address = models.TextField(blank=True)
    type = models.CharField(max_length=100, blank=True, help_text='As police.uk gives it, e.g. "meeting".')
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    contact_details = models.JSONField(default=dict, blank=True)
    source_url = models.CharField(max_length=500, help_text="The police.uk-compatible address it was read from.")
    synced_at = models.DateTimeField(help_text="When a sync last read it there.")

    objects = SyncedEventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "position"]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%Y-%m-%d}, from police.uk)"

    @property
    def text(self) -> str:
        """The description's HTML as plain paragraphs (police.uk's HTML is never shown as HTML here)."""
        return as_plain_paragraphs(self.description)


class SyncedPriority(models.Model):
    """A priority police.uk lists for a neighbourhood (GET {force}/{id}/priorities), as the last sync read it.

    Kept apart from priorities' Priority: a panel's own priorities keep their rules (at most three open,
    evidence, review), and these count against none of them.
    """

    neighbourhood = models.ForeignKey(Neighbourhood, on_delete=models.CASCADE, related_name="synced_priorities")
    position = models.PositiveIntegerField(help_text="Its place in police.uk's list.")
    issue = models.TextField(blank=True, help_text="HTML, as on police.uk.")
    issue_date = models.DateTimeField()
    action = models.TextField(blank=True, help_text="HTML, as on police.uk.")
    action_date = models.DateTimeField(null=True, blank=True)
    source_url = models.CharField(max_length=500, help_text="The police.uk-compatible address it was read from.")
    synced_at = models.DateTimeField(help_text="When a sync last read it there.")

    objects = SyncedQuerySet.as_manager()

    class Meta:
        ordering = ["-issue_date", "position"]
        verbose_name_plural = "synced priorities"

    def __str__(self) -> str:
        return f"{self.neighbourhood.code} priority of {self.issue_date:%Y-%m-%d} (from police.uk)"

    @property
    def text(self) -> str:
        """The issue's HTML as plain paragraphs (police.uk's HTML is never shown as HTML here)."""
        return as_plain_paragraphs(self.issue)

    @property
    def action_text(self) -> str:
        return as_plain_paragraphs(self.action)
