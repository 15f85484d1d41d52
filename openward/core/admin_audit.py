"""The Django admin held to the rules the site's own pages follow: every write recorded in the audit log
(who, what, which fields), and opening a list or a record that shows personal data recorded as the site's
own pages record it (e.g. "roles.viewed")."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.db import models

from . import audit


class AuditedAdmin(admin.ModelAdmin):
    """A ModelAdmin whose adds, changes and deletions are audited, and, when `shows_personal_data`, whose list
    and record pages are audited when opened."""

    shows_personal_data = False
    # One labelled date-and-time box instead of Django's split pair, whose date box has no label of its own.
    formfield_overrides = {
        models.DateTimeField: {
            "form_class": forms.DateTimeField,
            "widget": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }
    }

    def _label(self) -> str:
        return self.model._meta.label_lower

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        if self.shows_personal_data and request.method == "GET" and response.status_code == 200:
            audit.record(request.user, "admin.list-viewed", None, model=self._label())
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if self.shows_personal_data and request.method == "GET" and response.status_code == 200:
            obj = self.get_object(request, unquote(object_id))
            audit.record(request.user, "admin.viewed", obj, model=self._label())
        return response

    def save_model(self, request, obj, form, change):
        # The fields whose stored values differ, read from the database (a form's changed_data also names JSON
        # fields submitted unchanged); no values, which may be personal.
        before = type(obj)._default_manager.filter(pk=obj.pk).values().first() if change else None
        super().save_model(request, obj, form, change)
        changed = []
        if before is not None:
            after = type(obj)._default_manager.filter(pk=obj.pk).values().first() or {}
            changed = sorted(name for name, value in after.items() if before.get(name) != value)
        audit.record(request.user, "admin.changed" if change else "admin.added", obj, fields=changed)

    def delete_model(self, request, obj):
        audit.record(request.user, "admin.deleted", obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        audit.record_many(request.user, "admin.deleted", [(obj, "", {}) for obj in queryset])
        super().delete_queryset(request, queryset)


class ReadOnlyAdmin(AuditedAdmin):
    """Shown in the admin, changed only through the site's own pages and their audited services."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
