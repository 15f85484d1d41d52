"""Which place a patrols request is about, for access rules (`area=` in openward.core.access)."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import get_object_or_404

from openward.areas.models import Cluster
from openward.areas.selectors import ward_or_404

from .models import PatrolPlan, PlanPlace


def ward_area(request, gss_code, **kwargs):
    return ward_or_404(gss_code)


def cluster_area(request, cluster_slug, **kwargs):
    return get_object_or_404(Cluster, slug=cluster_slug)


def plan_area(request, plan_id, **kwargs):
    return get_object_or_404(PatrolPlan.objects.select_related("ward", "cluster"), pk=plan_id).area


def _sample_plan(ward) -> dict:
    plan = PatrolPlan.objects.create(
        ward=ward, title="Sample", starts_on=dt.date(2024, 1, 1), ends_on=dt.date(2024, 3, 31)
    )
    PlanPlace.objects.create(plan=plan, cell_key="E3548N1210", latitude=51.5, longitude=-0.1, reason="Sample")
    return {"plan_id": plan.pk}


ward_area.area_kind, ward_area.sample = "ward", lambda ward: {"gss_code": ward.gss_code}
cluster_area.area_kind, cluster_area.sample = "cluster", lambda cluster: {"cluster_slug": cluster.slug}
plan_area.area_kind, plan_area.sample = "ward", _sample_plan
