"""Which place a priorities request is about, for access rules (`area=` in openward.core.access)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from openward.areas.models import Cluster
from openward.areas.selectors import ward_or_404

from .models import Consultation, Priority


def ward_area(request, gss_code, **kwargs):
    return ward_or_404(gss_code)


def cluster_area(request, cluster_slug, **kwargs):
    return get_object_or_404(Cluster, slug=cluster_slug)


def consultation_area(request, consultation_id, **kwargs):
    return get_object_or_404(Consultation.objects.select_related("ward", "cluster"), pk=consultation_id).area


def priority_area(request, priority_id, **kwargs):
    return get_object_or_404(Priority.objects.select_related("ward"), pk=priority_id).ward
