"""Patrol pages: make a plan from suggested hot spots, record visits from a phone, see the evaluation."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from openward.accounts.models import Role
from openward.accounts.permissions import has_role
from openward.core import access
from openward.crime.analytics.scope import ScopeError, cluster_scope, scope_for_ward
from openward.crime.hotspot_views import cached_hot_spots
from openward.priorities.models import Priority

from . import services
from .evaluation import evaluate
from .forms import CiteForm, PlanForm, VisitForm
from .models import PatrolPlan
from .places import cluster_area, plan_area, ward_area

PLAN_ROLES = (Role.SERGEANT, Role.INSPECTOR)
VISIT_ROLES = (Role.OFFICER, Role.PCSO, Role.SERGEANT, Role.INSPECTOR)
# Plans say where the police will be: shown to the area's panel and team, not published.
VIEW_ROLES = (
    Role.PANEL_MEMBER,
    Role.PANEL_CHAIR,
    Role.PANEL_VICE_CHAIR,
    Role.OFFICER,
    Role.PCSO,
    Role.SERGEANT,
    Role.INSPECTOR,
    Role.BOROUGH_LEAD,
)
CITE_ROLES = (Role.PANEL_CHAIR, Role.PANEL_VICE_CHAIR, Role.SERGEANT, Role.INSPECTOR)
SUGGESTIONS = 20


def suggestions(hot_spots) -> list[tuple[str, str, str]]:
    """(cell key, label, reason) for the busiest cells, hot spots first marked as such."""
    out = []
    period = hot_spots.period.label if hot_spots.period else ""
    for cell in hot_spots.by_count[:SUGGESTIONS]:
        why = f"{cell.count_shown} crimes, {period}"
        if cell.kind == "hot":
            why += f"; a significant hot spot (Gi*, q = {cell.q:.3f})"
        out.append((cell.key, f"{cell.key}: {why}", why))
    return out


def _new_plan(request, *, ward=None, cluster=None, key: str, make_scope):
    area = ward or cluster
    try:
        spots = cached_hot_spots(key, make_scope, None, None, None)
    except ScopeError as exc:
        return render(request, "crime/problem.html", {"message": str(exc)}, status=400)
    wards = [ward] if ward else list(cluster.wards.all())
    priorities = Priority.objects.for_wards(wards).open()
    form = PlanForm(suggestions(spots), priorities, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.create_plan(
                request.user,
                hot_spots=spots,
                places=form.chosen_places(),
                ward=ward,
                cluster=cluster,
                title=data["title"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                minutes_min=data["minutes_min"],
                minutes_max=data["minutes_max"],
                visits_per_week=data["visits_per_week"],
                hours_note=data["hours_note"],
                priorities=data["priorities"],
            )
        except services.Refused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Patrol plan made.")
            return redirect("patrols:plan", plan_id=plan.pk)
    context = {"form": form, "area": area, "hot_spots": spots}
    return render(request, "patrols/plan_form.html", context, status=400 if form.errors else 200)


@access.role(*PLAN_ROLES, area=ward_area)
def plan_new_for_ward(request, gss_code):
    ward = ward_area(request, gss_code)
    return _new_plan(request, ward=ward, key=f"ward|{ward.gss_code}", make_scope=lambda: scope_for_ward(ward))


@access.role(*PLAN_ROLES, area=cluster_area)
def plan_new_for_cluster(request, cluster_slug):
    cluster = cluster_area(request, cluster_slug)
    return _new_plan(
        request, cluster=cluster, key=f"cluster|{cluster.slug}", make_scope=lambda: cluster_scope(cluster.slug)
    )


@access.role(*VIEW_ROLES, area=plan_area)
def plan_detail(request, plan_id):
    plan = get_object_or_404(PatrolPlan.objects.select_related("ward", "cluster"), pk=plan_id)
    area = plan.area
    places = plan.places.annotate(n_visits=Count("visits"), minutes=Sum("visits__minutes"))
    can_record = has_role(request.user, VISIT_ROLES, area)
    wards = plan.wards()
    context = {
        "plan": plan,
        "places": places,
        "totals": plan.visits.aggregate(n=Count("pk"), minutes=Sum("minutes")),
        "evaluation": evaluate(plan),
        "can_record": can_record,
        "visits": plan.visits.select_related("place", "officer")[:50] if can_record else [],
        "cited_by": plan.priorities.select_related("ward"),
        "can_cite": has_role(request.user, CITE_ROLES, area),
        "open_priorities": Priority.objects.for_wards(wards).open().exclude(patrol_plans=plan),
    }
    return render(request, "patrols/plan.html", context)


@access.role(*VISIT_ROLES, area=plan_area)
def visit_new(request, plan_id):
    plan = get_object_or_404(PatrolPlan.objects.select_related("ward", "cluster"), pk=plan_id)
    now = timezone.localtime()
    form = VisitForm(plan, request.POST or None, initial={"day": now.date(), "time": now.strftime("%H:%M")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        started = timezone.make_aware(dt.datetime.combine(data["day"], data["time"]))
        try:
            services.record_visit(
                request.user,
                plan,
                place=plan.places.get(pk=data["place"]),
                started_at=started,
                minutes=data["minutes"],
                note=data["note"],
            )
        except services.Refused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Visit recorded.")
            return redirect("patrols:visit-new", plan_id=plan.pk)
    return render(request, "patrols/visit_form.html", {"form": form, "plan": plan}, status=400 if form.errors else 200)


# The access check comes first, so a refused person is refused whatever the method.
@access.role(*CITE_ROLES, area=plan_area)
@require_POST
def cite(request, plan_id):
    plan = get_object_or_404(PatrolPlan, pk=plan_id)
    form = CiteForm(request.POST, plan=plan)
    if not form.is_valid():
        messages.error(request, "Choose one of the ward's priorities.")
    else:
        priority = form.cleaned_data["priority"]
        try:
            services.cite_plan(request.user, priority, plan)
        except services.Refused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"The priority “{priority.statement}” now cites this plan.")
    return redirect("patrols:plan", plan_id=plan.pk)
