"""Audit log and import runs: the records every other app writes to."""

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """One staff action or staff view of personal data; never updated, never deleted."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=80, db_index=True)
    target_type = models.CharField(max_length=80, blank=True)
    target_id = models.CharField(max_length=80, blank=True)
    ward_code = models.CharField(max_length=9, blank=True, db_index=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_type}:{self.target_id}"


class ImportRun(models.Model):
    """One run of an importer: what it read, what it did, what was wrong."""

    class Status(models.TextChoices):
        COMMITTED = "committed"
        DRY_RUN = "dry-run"
        FAILED = "failed"

    importer = models.CharField(max_length=80, db_index=True)
    source = models.CharField(max_length=500)
    sha256 = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    counts = models.JSONField(default=dict, blank=True)
    problems = models.JSONField(default=list, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.importer} {self.status} {self.started_at:%Y-%m-%d %H:%M}"
