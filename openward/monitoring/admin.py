"""Site administrators set up a borough's monitoring group here, then appoint its first chair on the
borough's roles page; the chair runs the group from its own pages."""

from django.contrib import admin

from openward.core.admin_audit import AuditedAdmin

from .models import MonitoringGroup


@admin.register(MonitoringGroup)
class MonitoringGroupAdmin(AuditedAdmin):
    list_display = ["name", "borough"]
    raw_id_fields = ["borough"]
