"""Role checks scoped to places: a ward role covers its ward; a cluster or borough role covers their wards.

Every role check reads a person's grants through `role_grants`, which counts no staff role of the
person signed in on the current request until that request has passed the second factor.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from openward.areas.models import Borough, Cluster, Ward
from openward.core.access import current_request

from .models import STAFF_ROLES, Role, RoleGrant

EVERYWHERE = Q(ward__isnull=True, cluster__isnull=True, borough__isnull=True)


def lacks_second_factor(user) -> bool:
    """Is `user` the person signed in on the request being served, and has that request not passed
    the second factor? (Outside a request, in commands and tasks, nobody lacks it.)"""
    request = current_request()
    if request is None or not getattr(user, "is_authenticated", False):
        return False
    signed_in = getattr(request, "user", None)
    if signed_in is None or not signed_in.is_authenticated or signed_in.pk != user.pk:
        return False
    return not second_factor_ok(request)


def role_grants(user):
    """The person's active grants that count now: none of the staff ones without the second factor."""
    grants = RoleGrant.objects.active().filter(user=user)
    if lacks_second_factor(user):
        grants = grants.exclude(role__in=STAFF_ROLES)
    return grants


def has_role(user, roles: Iterable[str], area=None) -> bool:
    """Does `user` hold one of `roles` for `area` (a Ward, Cluster, Borough, or None = anywhere)?"""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    roles = set(roles)
    # One query for the person's few grants, then decide in Python: this runs on every staff request.
    grants = [
        g
        for g in role_grants(user).values("role", "ward_id", "cluster_id", "borough_id")
        if g["role"] == Role.SITE_ADMIN or g["role"] in roles
    ]
    if any(g["role"] == Role.SITE_ADMIN for g in grants):
        return True
    if area is None:
        return bool(grants)
    if not isinstance(area, Ward | Cluster | Borough):
        raise TypeError(f"has_role() does not know areas of type {type(area).__name__}")
    for g in grants:
        if g["ward_id"] is None and g["cluster_id"] is None and g["borough_id"] is None:
            return True
        if isinstance(area, Ward):
            if g["ward_id"] == area.pk or g["borough_id"] == area.borough_id:
                return True
            if g["cluster_id"] and Cluster.wards.through.objects.filter(cluster_id=g["cluster_id"], ward=area).exists():
                return True
        elif isinstance(area, Cluster):
            if g["cluster_id"] == area.pk or (area.borough_id and g["borough_id"] == area.borough_id):
                return True
        elif g["borough_id"] == area.pk:
            return True
    return False


def models_q_for_ward(ward: Ward):
    return Q(ward=ward) | Q(cluster__wards=ward) | Q(borough_id=ward.borough_id) | EVERYWHERE


def is_staff_person(user) -> bool:
    """Anyone holding a staff role (or the Django staff flag) must use two-factor authentication."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_staff or RoleGrant.objects.active().staff().filter(user=user).exists()


def second_factor_ok(request) -> bool:
    """Has this request passed the second factor: a verified session, or a token minted after one?"""
    token = getattr(request, "api_token", None)
    if token is not None:
        return token.second_factor
    user = request.user
    return bool(getattr(user, "is_verified", None) and user.is_verified())


# Which roles a role may hand out, and where (services.grant_role checks the place).
GRANTABLE_BY_BOROUGH_LEAD = frozenset(
    {
        Role.PANEL_MEMBER,
        Role.PANEL_CHAIR,
        Role.PANEL_VICE_CHAIR,
        Role.OFFICER,
        Role.PCSO,
        Role.SERGEANT,
        Role.INSPECTOR,
    }
)
# A monitoring group scrutinises its borough's police, so the police do not choose its members: a site
# administrator appoints its first chair and its chairs then manage the group, for their borough only.
MONITORING_ROLES = frozenset({Role.MONITORING_CHAIR, Role.MONITORING_REVIEWER, Role.MONITORING_LIAISON})


def can_manage_grant(actor, role: str, place) -> bool:
    """May `actor` grant or revoke `role` at `place` (a Ward, Cluster, Borough or None)?"""
    if has_role(actor, [Role.SITE_ADMIN]):
        return True
    if role in MONITORING_ROLES:
        return isinstance(place, Borough) and has_role(actor, [Role.MONITORING_CHAIR], place)
    if role not in GRANTABLE_BY_BOROUGH_LEAD or place is None:
        return False
    borough = place if isinstance(place, Borough) else getattr(place, "borough", None)
    return borough is not None and has_role(actor, [Role.BOROUGH_LEAD], borough)
