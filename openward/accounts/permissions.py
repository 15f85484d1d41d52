"""Role checks scoped to places: a ward role covers its ward; a cluster or borough role covers their wards."""

from __future__ import annotations

from collections.abc import Iterable

from openward.areas.models import Borough, Cluster, Ward

from .models import Role, RoleGrant


def has_role(user, roles: Iterable[str], area=None) -> bool:
    """Does `user` hold one of `roles` for `area` (a Ward, Cluster, Borough, or None = anywhere)?"""
    if not getattr(user, "is_authenticated", False):
        return False
    roles = set(roles)
    grants = RoleGrant.objects.active().filter(user=user)
    if grants.filter(role=Role.SITE_ADMIN).exists():
        return True
    grants = grants.filter(role__in=roles)
    if area is None:
        return grants.exists()
    if isinstance(area, Ward):
        return grants.filter(models_q_for_ward(area)).exists()
    if isinstance(area, Cluster):
        return (
            grants.filter(cluster=area).exists()
            or (area.borough_id is not None and grants.filter(borough_id=area.borough_id).exists())
            or grants.filter(ward__isnull=True, cluster__isnull=True, borough__isnull=True).exists()
        )
    if isinstance(area, Borough):
        return (
            grants.filter(borough=area).exists()
            or grants.filter(ward__isnull=True, cluster__isnull=True, borough__isnull=True).exists()
        )
    raise TypeError(f"has_role() does not know areas of type {type(area).__name__}")


def models_q_for_ward(ward: Ward):
    from django.db.models import Q

    return (
        Q(ward=ward)
        | Q(cluster__wards=ward)
        | Q(borough_id=ward.borough_id)
        | Q(ward__isnull=True, cluster__isnull=True, borough__isnull=True)
    )
