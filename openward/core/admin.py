"""Admin for what core runs: the task queue, without the tasks' arguments and results.

A task's arguments can hold personal data and secrets (an email's address and body, with its one-time sign-in
link): django_tasks_db's own admin shows them on each task's page, which would let anyone with admin access sign
in as the person. Here a task shows its name, status and times, and its traceback when it failed.
"""

from django.contrib import admin
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from .admin_audit import AuditedAdmin

HIDDEN = ("args_kwargs", "return_value")


class TaskResultAdmin(AuditedAdmin, DBTaskResultAdmin):
    def get_readonly_fields(self, request, obj=None):
        return [f for f in super().get_readonly_fields(request, obj) if f not in HIDDEN]


if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
admin.site.register(DBTaskResult, TaskResultAdmin)
