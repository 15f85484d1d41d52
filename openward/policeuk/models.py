"""What `sync_policeuk` has done, so a run that stopped half-way carries on where it stopped."""

from __future__ import annotations

from django.db import models

from openward.areas.models import Force
from openward.core.models import ImportRun


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
