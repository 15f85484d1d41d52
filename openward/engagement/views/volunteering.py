"""Volunteering: the list of tasks, one task, signing up and withdrawing, publishing a task and reporting it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from openward.accounts.permissions import has_role
from openward.areas.selectors import ward_or_404
from openward.core import access

from .. import forms, places
from ..models import VolunteerSignup, VolunteerTask
from ..services import volunteering as volunteering_services
from .common import errors_text


@access.public
def volunteering_list(request):
    tasks = VolunteerTask.objects.filter(status=VolunteerTask.Status.OPEN).select_related("ward")
    ward = None
    if request.GET.get("ward"):
        ward = ward_or_404(request.GET["ward"])
        tasks = tasks.filter(ward=ward)
    return render(request, "engagement/volunteering_list.html", {"tasks": tasks, "ward": ward})


@access.public
def volunteer_task(request, pk):
    task = get_object_or_404(VolunteerTask.objects.select_related("ward"), pk=pk)
    signup = None
    if request.user.is_authenticated:
        signup = task.signups.filter(user=request.user, status=VolunteerSignup.Status.SIGNED_UP).first()
    can_manage = has_role(request.user, places.EVENT_ROLES, task.ward)
    return render(
        request,
        "engagement/volunteer_task.html",
        {
            "task": task,
            "signup": signup,
            "can_manage": can_manage,
            "signup_form": forms.VolunteerSignupForm(),
            "report_form": forms.VolunteerReportForm(),
            "report": getattr(task, "report", None),
            "signups": task.signups.filter(status=VolunteerSignup.Status.SIGNED_UP).select_related("user")
            if can_manage
            else None,
        },
    )


@access.signed_in
@require_POST
def volunteer_sign_up(request, pk):
    task = get_object_or_404(VolunteerTask, pk=pk)
    form = forms.VolunteerSignupForm(request.POST)
    form.is_valid()
    try:
        volunteering_services.sign_up_to_volunteer(
            request.user, task, confirms_vetting=form.cleaned_data.get("confirms_vetting", False)
        )
    except ValidationError as exc:
        messages.error(request, errors_text(exc))
    else:
        messages.success(request, "Thank you: you are signed up.")
    return redirect("engagement:volunteer-task", pk=pk)


@access.signed_in
@require_POST
def volunteer_withdraw(request, pk):
    signup = get_object_or_404(VolunteerSignup, task_id=pk, user=request.user)
    volunteering_services.withdraw_from_volunteering(request.user, signup)
    messages.success(request, "You are no longer signed up.")
    return redirect("engagement:volunteer-task", pk=pk)


@access.role(*places.EVENT_ROLES, area=places.from_kwargs)
def volunteer_task_new(request, kind, key):
    ward = places.area_by(kind, key)
    if kind != "ward":
        raise Http404("Volunteering tasks are set up for a ward.")
    form = forms.VolunteerTaskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            task = volunteering_services.create_volunteer_task(request.user, ward=ward, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, errors_text(exc))
        else:
            messages.success(request, "The task is published.")
            return redirect("engagement:volunteer-task", pk=task.pk)
    return render(request, "engagement/volunteer_task_form.html", {"form": form, "ward": ward})


@access.role(*places.EVENT_ROLES, area=places.of_volunteer_task)
@require_POST
def volunteer_report(request, pk):
    task = get_object_or_404(VolunteerTask, pk=pk)
    form = forms.VolunteerReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the number of volunteers, the hours and what was found or done.")
    else:
        try:
            volunteering_services.report_volunteering(request.user, task, **form.cleaned_data)
            messages.success(request, "Report saved.")
        except ValidationError as exc:
            messages.error(request, errors_text(exc))
    return redirect("engagement:volunteer-task", pk=pk)
