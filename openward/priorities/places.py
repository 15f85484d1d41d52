"""Which place a priorities request is about, for access rules (`area=` in openward.core.access).

Each area function carries `area_kind` and `sample(place)` (URL kwargs pointing at a place) so
the authorisation matrix test can try every role in the right place and in the wrong one.
"""

from __future__ import annotations

from datetime import timedelta

from django.shortcuts import get_object_or_404
from django.utils import timezone

from openward.areas.models import Cluster, Ward
from openward.areas.selectors import ward_or_404

from .models import MAX_OPEN_PRIORITIES, Consultation, Priority


def ward_area(request, gss_code, **kwargs):
    return ward_or_404(gss_code)


def cluster_area(request, cluster_slug, **kwargs):
    return get_object_or_404(Cluster, slug=cluster_slug)


def consultation_area(request, consultation_id, **kwargs):
    return get_object_or_404(Consultation.objects.select_related("ward", "cluster"), pk=consultation_id).area


def priority_area(request, priority_id, **kwargs):
    return get_object_or_404(Priority.objects.select_related("ward"), pk=priority_id).ward


def _sample_consultation(ward: Ward) -> dict:
    now = timezone.now()
    c = Consultation.objects.create(
        ward=ward, title="Sample", opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=1)
    )
    return {"consultation_id": c.pk}


def _sample_priority(ward: Ward) -> dict:
    taken = set(Priority.objects.for_ward(ward).open().values_list("slot", flat=True))
    slot = next((s for s in range(1, MAX_OPEN_PRIORITIES + 1) if s not in taken), None)
    today = timezone.localdate()
    p = Priority.objects.create(
        ward=ward,
        statement="Sample",
        agreed_on=today - timedelta(days=30),
        review_on=today + timedelta(days=30),
        slot=slot,
        status=Priority.Status.OPEN if slot else Priority.Status.ACHIEVED,
        evidence="Sample",
    )
    return {"priority_id": p.pk}


ward_area.area_kind, ward_area.sample = "ward", lambda ward: {"gss_code": ward.gss_code}
cluster_area.area_kind, cluster_area.sample = "cluster", lambda cluster: {"cluster_slug": cluster.slug}
consultation_area.area_kind, consultation_area.sample = "ward", _sample_consultation
priority_area.area_kind, priority_area.sample = "ward", _sample_priority
