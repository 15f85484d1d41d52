"""Reads for priorities pages, sections and APIs."""

from __future__ import annotations

from django.db.models import Prefetch, Q

from openward.accounts.models import Role
from openward.accounts.permissions import has_role
from openward.areas.models import Ward

from .models import Consultation, Priority, PriorityAction

PANEL_ROLES = (Role.PANEL_CHAIR, Role.PANEL_VICE_CHAIR, Role.OFFICER, Role.BOROUGH_LEAD)
ACTION_ROLES = (Role.OFFICER, Role.PCSO, Role.BOROUGH_LEAD)


def priorities_for(wards):
    """Priorities of `wards` with their actions and review, ready to list (open first, newest first)."""
    return (
        Priority.objects.for_wards(wards)
        .select_related("ward", "concern", "review", "consultation")
        .prefetch_related(Prefetch("actions", queryset=PriorityAction.objects.order_by("-taken_on", "-id")))
        .order_by("-status", "-agreed_on", "-id")
    )


def anything_for(wards) -> bool:
    """Do these wards have any priority or consultation (theirs or their clusters')? One query."""
    ids = [w.pk for w in wards] if isinstance(wards, list | tuple) else wards.values("pk")
    return (
        Ward.objects.filter(pk__in=ids)
        .filter(Q(priorities__isnull=False) | Q(consultations__isnull=False) | Q(clusters__consultations__isnull=False))
        .exists()
    )


def you_said_we_did(wards) -> dict:
    """Open and reviewed priorities and consultations for a set of wards."""
    wards = list(wards)
    priorities = list(priorities_for(wards))
    consultations = (
        Consultation.objects.filter(Q(ward__in=wards) | Q(cluster__wards__in=wards))
        .select_related("ward", "cluster")
        .distinct()
    )
    return {
        "open_priorities": [p for p in priorities if p.status == Priority.Status.OPEN],
        "past_priorities": [p for p in priorities if p.status != Priority.Status.OPEN],
        "consultations": list(consultations),
    }


def can_manage(user, area) -> bool:
    return has_role(user, PANEL_ROLES, area)


def can_record_actions(user, area) -> bool:
    return has_role(user, ACTION_ROLES, area)
