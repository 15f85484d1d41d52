"""Volunteering tasks: publish one, sign up and withdraw, and report what was done. Each write is atomic
and audited."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from openward.core import audit

from ..models import VolunteerReport, VolunteerSignup, VolunteerTask


@transaction.atomic
def create_volunteer_task(actor, **fields) -> VolunteerTask:
    """Publish a volunteering task."""
    task = VolunteerTask(created_by=actor, **fields)
    task.full_clean()
    task.save()
    audit.record(actor, "engagement.create_volunteer_task", task, ward_code=task.ward.gss_code)
    return task


@transaction.atomic
def sign_up_to_volunteer(user, task: VolunteerTask, *, confirms_vetting: bool = False) -> VolunteerSignup:
    """Take a volunteering place, confirming the vetting the task needs."""
    task = VolunteerTask.objects.select_for_update().get(pk=task.pk)
    if task.status != VolunteerTask.Status.OPEN:
        raise ValidationError("This task is not open for sign-up.")
    if task.starts_at < timezone.now():
        raise ValidationError("This task has already started, so sign-up is closed.")
    if task.vetting != VolunteerTask.Vetting.NONE and not confirms_vetting:
        raise ValidationError(f"This task needs: {task.get_vetting_display()}. Confirm you hold it to sign up.")
    signup = VolunteerSignup.objects.filter(task=task, user=user).first()
    if signup and signup.status == VolunteerSignup.Status.SIGNED_UP:
        return signup
    if task.places_left() <= 0:
        raise ValidationError("All the places on this task are taken.")
    if signup is None:
        signup = VolunteerSignup(task=task, user=user)
    signup.status = VolunteerSignup.Status.SIGNED_UP
    signup.confirms_vetting = confirms_vetting
    signup.save()
    audit.record(user, "engagement.volunteer", signup, ward_code=task.ward.gss_code)
    return signup


@transaction.atomic
def withdraw_from_volunteering(user, signup: VolunteerSignup) -> VolunteerSignup:
    """Give a volunteering place back."""
    signup.status = VolunteerSignup.Status.CANCELLED
    signup.save(update_fields=["status"])
    audit.record(user, "engagement.withdraw_volunteering", signup, ward_code=signup.task.ward.gss_code)
    return signup


@transaction.atomic
def report_volunteering(
    actor, task: VolunteerTask, *, volunteers: int, hours: Decimal, findings: str
) -> VolunteerReport:
    """Record what the volunteers did: hours and what was found or done."""
    if task.starts_at > timezone.now():
        raise ValidationError("Report on a task once it has taken place.")
    if hours is None or hours < 0 or volunteers is None or volunteers < 0:
        raise ValidationError("Hours and the number of volunteers must be zero or more.")
    if not findings.strip():
        raise ValidationError("Say what was found or done.")
    report, _ = VolunteerReport.objects.update_or_create(
        task=task,
        defaults={"volunteers": volunteers, "hours": hours, "findings": findings.strip(), "submitted_by": actor},
    )
    task.status = VolunteerTask.Status.COMPLETED
    task.save(update_fields=["status"])
    audit.record(actor, "engagement.report_volunteering", report, ward_code=task.ward.gss_code, hours=str(hours))
    return report
