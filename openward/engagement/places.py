"""Find the place a request is about (for access rules) and the places a person works in."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from openward.accounts.models import Role
from openward.accounts.permissions import role_grants
from openward.areas.models import Borough, Cluster, Ward
from openward.areas.selectors import ward_or_404

from .models import Action, Bulletin, Event, MeetingRecord, Reply, VolunteerTask, within_q

EVENT_ROLES = (Role.OFFICER, Role.PCSO, Role.PANEL_CHAIR, Role.PANEL_VICE_CHAIR, Role.BOROUGH_LEAD)
RECORD_ROLES = (Role.PANEL_CHAIR, Role.PANEL_VICE_CHAIR, Role.OFFICER, Role.PCSO, Role.BOROUGH_LEAD)
TEAM_ROLES = (Role.OFFICER, Role.PCSO, Role.BOROUGH_LEAD)


def area_by(kind: str, key: str):
    if kind == "ward":
        return ward_or_404(key)
    if kind == "cluster":
        return get_object_or_404(Cluster, slug=key)
    if kind == "borough":
        return get_object_or_404(Borough.objects.filter(Q(slug=key) | Q(gss_code=key.upper())))
    raise Http404("Unknown kind of place.")


def area_kwargs(area) -> dict:
    if isinstance(area, Ward):
        return {"kind": "ward", "key": area.gss_code}
    if isinstance(area, Cluster):
        return {"kind": "cluster", "key": area.slug}
    return {"kind": "borough", "key": area.slug}


def from_kwargs(request, kind=None, key=None, **kwargs):
    return area_by(kind, key)


def of_event(request, pk=None, **kwargs):
    return get_object_or_404(Event, pk=pk).area


def of_record(request, pk=None, **kwargs):
    return get_object_or_404(MeetingRecord.objects.select_related("event"), pk=pk).event.area


def of_action(request, pk=None, **kwargs):
    return get_object_or_404(Action, pk=pk).area


def of_reply(request, pk=None, **kwargs):
    return get_object_or_404(Reply, pk=pk).area


def of_volunteer_task(request, pk=None, **kwargs):
    return get_object_or_404(VolunteerTask, pk=pk).ward


def of_bulletin(request, pk=None, **kwargs):
    """The first place a bulletin is for (a team role there may correct it)."""
    areas = get_object_or_404(Bulletin, pk=pk).areas()
    if not areas:
        raise Http404("This bulletin is for no place.")
    return areas[0]


def grants_q(user, roles, prefix: str = "") -> Q | None:
    """Items within the places where `user` holds one of `roles`; None means everywhere."""
    grants = role_grants(user).select_related("ward", "cluster", "borough")
    q = Q(pk__in=[])
    for grant in grants:
        if grant.role != Role.SITE_ADMIN and grant.role not in roles:
            continue
        place = grant.ward or grant.cluster or grant.borough
        if place is None:
            return None
        q |= within_q(place, prefix)
    return q


def wards_for(user, roles):
    q = grants_q(user, roles)
    if q is None:
        return Ward.objects.current()
    grants = role_grants(user).filter(role__in=roles)
    return (
        Ward.objects.current()
        .filter(
            Q(pk__in=grants.values("ward"))
            | Q(clusters__in=grants.values("cluster"))
            | Q(borough__in=grants.values("borough"))
        )
        .distinct()
    )


def clusters_for(user, roles):
    grants = role_grants(user)
    if grants.filter(Q(role=Role.SITE_ADMIN) | Q(role__in=roles, ward=None, cluster=None, borough=None)).exists():
        return Cluster.objects.all()
    grants = grants.filter(role__in=roles)
    return Cluster.objects.filter(Q(pk__in=grants.values("cluster")) | Q(borough__in=grants.values("borough")))


def boroughs_for(user, roles):
    grants = role_grants(user)
    if grants.filter(Q(role=Role.SITE_ADMIN) | Q(role__in=roles, ward=None, cluster=None, borough=None)).exists():
        return Borough.objects.all()
    return Borough.objects.filter(pk__in=grants.filter(role__in=roles).values("borough"))


def own_places(user, roles) -> tuple[list, list, list]:
    """The wards, clusters and boroughs `user` holds one of `roles` for, as granted (not expanded)."""
    grants = role_grants(user).filter(role__in=roles).select_related("ward", "cluster", "borough").order_by("pk")
    wards = list(dict.fromkeys(g.ward for g in grants if g.ward_id))
    clusters = list(dict.fromkeys(g.cluster for g in grants if g.cluster_id))
    boroughs = list(dict.fromkeys(g.borough for g in grants if g.borough_id))
    return wards, clusters, boroughs
