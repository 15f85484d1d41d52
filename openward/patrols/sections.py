"""Patrol sections: hot spots and plans on ward and cluster pages, plans and their evaluation on a priority's page."""

from __future__ import annotations

from openward.accounts.permissions import has_role
from openward.core import sections

from .evaluation import evaluate
from .models import PatrolPlan
from .views import PLAN_ROLES, VIEW_ROLES


def _area_context(area, request, kind: str, plans):
    user = getattr(request, "user", None)
    # Anonymous visitors get the hot-spot link only, at no query cost.
    if user is None or not user.is_authenticated or not has_role(user, VIEW_ROLES, area):
        return {"kind": kind, "plans": None, "can_plan": False}
    return {
        "kind": kind,
        "plans": list(plans.prefetch_related("priorities")[:10]),
        "can_plan": has_role(user, PLAN_ROLES, area),
    }


def ward_context(ward, request):
    return _area_context(ward, request, "ward", PatrolPlan.objects.filter(ward=ward))


def cluster_context(cluster, request):
    return _area_context(cluster, request, "cluster", PatrolPlan.objects.filter(cluster=cluster))


def priority_context(priority, request):
    """Plans the priority cites, each with its evaluation (aggregate figures only, no places)."""
    plans = list(priority.patrol_plans.all())
    if not plans:
        return None
    user = getattr(request, "user", None)
    can_see_plans = bool(user and user.is_authenticated and has_role(user, VIEW_ROLES, priority.ward))
    return {"plans": [(plan, evaluate(plan)) for plan in plans], "can_see_plans": can_see_plans}


sections.register("ward", order=35, template="patrols/section.html", context=ward_context)
sections.register("cluster", order=35, template="patrols/section.html", context=cluster_context)


def borough_context(borough, request):
    return {"kind": "borough", "plans": None, "can_plan": False}


sections.register("borough", order=35, template="patrols/section.html", context=borough_context)
sections.register("priority", order=10, template="patrols/priority_section.html", context=priority_context)
