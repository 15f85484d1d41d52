"""The staff home's first panel: the places a person works in, each one click away."""

from __future__ import annotations

from django.urls import reverse

from openward.areas.models import Ward
from openward.core import staff_home
from openward.core.staff_home import Item, Panel

from .models import Role, RoleGrant
from .permissions import role_grants

# The people the staff home is for (a site administrator also sees it).
HOME_ROLES = (
    Role.OFFICER,
    Role.PCSO,
    Role.SERGEANT,
    Role.INSPECTOR,
    Role.PANEL_CHAIR,
    Role.PANEL_VICE_CHAIR,
    Role.BOROUGH_LEAD,
    Role.MONITORING_CHAIR,
    Role.MONITORING_REVIEWER,
    Role.MONITORING_LIAISON,
)


def has_staff_home(user) -> bool:
    """Does this person start at the staff home? Their grants themselves, not has_role: before the second
    factor no staff role counts yet, and the sign-in redirect and the menu ask before it."""
    return RoleGrant.objects.active().filter(user=user, role__in=(*HOME_ROLES, Role.SITE_ADMIN)).exists()


def _place_url(place) -> str:
    if isinstance(place, Ward):
        return reverse("areas:ward", args=[place.gss_code])
    if getattr(place, "gss_code", None):
        return reverse("areas:borough", args=[place.gss_code])
    return reverse("areas:cluster", args=[place.slug])


def your_places(user, today):
    grants = role_grants(user).select_related("ward", "cluster", "borough").order_by("pk")
    items = []
    for grant in grants:
        if grant.role == Role.SITE_ADMIN:
            items.append(Item("Site administrator, everywhere", reverse("areas:boroughs")))
        elif grant.role in HOME_ROLES and grant.place is not None:
            items.append(Item(grant.place.name, _place_url(grant.place), grant.get_role_display()))
    if not items:
        return None
    return Panel("places", "Your places", items, "")


staff_home.register(order=10, panel=your_places)
