"""Admin for the vocabulary and consultations. Ballots and demographic answers are deliberately absent."""

from django.contrib import admin
from django.utils import timezone

from openward.core.admin_audit import AuditedAdmin

from .models import Concern, Consultation, PopulationGroup


@admin.register(Concern)
class ConcernAdmin(AuditedAdmin):
    list_display = ("name", "slug", "crime_categories", "is_active", "position")
    # Not list_editable: the admin's inputs in a list have no labels (axe, in tests/test_crawl.py); each concern's
    # own page changes them.
    search_fields = ("name", "slug", "synonyms")


@admin.register(Consultation)
class ConsultationAdmin(AuditedAdmin):
    shows_personal_data = True  # who created it
    list_display = ("title", "ward", "cluster", "opens_at", "closes_at", "min_level")
    readonly_fields = ("created_by", "created_at")

    def get_readonly_fields(self, request, obj=None):
        # Once open, moving the dates would let someone close it, read the running result and reopen it.
        if obj is not None and obj.opens_at <= timezone.now():
            return (*self.readonly_fields, "opens_at", "closes_at", "min_level")
        return self.readonly_fields


@admin.register(PopulationGroup)
class PopulationGroupAdmin(AuditedAdmin):
    list_display = ("ward", "dimension", "group", "count", "source")
    list_filter = ("dimension",)
