"""The staff home's priorities panels: priorities due for review and consultations open or closing."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from openward.accounts.permissions import has_role, role_grants
from openward.core import staff_home
from openward.core.staff_home import Item, Panel
from openward.engagement.places import wards_for

from .models import Consultation, Priority
from .selectors import PANEL_ROLES

SHOWN = 10
REVIEW_SOON = timedelta(days=28)


def _wards(user):
    return [g.ward for g in role_grants(user).filter(role__in=PANEL_ROLES, ward__isnull=False).select_related("ward")]


def priorities_due(user, today):
    if not has_role(user, PANEL_ROLES):
        return None
    due = (
        Priority.objects.open()
        .filter(ward__in=wards_for(user, PANEL_ROLES))
        .select_related("ward")
        .order_by("review_on", "pk")
    )
    items = []
    for priority in due[:SHOWN]:
        when = date_format(priority.review_on, "j F Y")
        if priority.review_on < today:
            note = f"review was due {when}, {staff_home.days_ago(priority.review_on, today)}"
        else:
            note = f"review due {when}, {staff_home.in_days(priority.review_on, today)}"
        # Due within four weeks: straight to the review form; later ones to the priority's page.
        page = "priorities:review" if priority.review_on <= today + REVIEW_SOON else "priorities:priority"
        items.append(Item(f"{priority.statement} ({priority.ward.name})", reverse(page, args=[priority.pk]), note))
    links = [
        Item(f"Set a priority in {ward.name}", reverse("priorities:priority-new", args=[ward.gss_code]))
        for ward in dict.fromkeys(_wards(user))
    ]
    return Panel(
        "priorities",
        "Priorities due for review",
        items,
        "There are no open priorities in your places. Set one from a consultation's results.",
        links=links,
    )


def consultations(user, today):
    if not has_role(user, PANEL_ROLES):
        return None
    now = timezone.now()
    wards = wards_for(user, PANEL_ROLES)
    running = (
        Consultation.objects.filter(Q(ward__in=wards) | Q(cluster__wards__in=wards), closes_at__gt=now)
        .distinct()
        .order_by("closes_at", "pk")
    )
    items = []
    for consultation in running[:SHOWN]:
        if consultation.opens_at > now:
            note = f"opens {date_format(timezone.localtime(consultation.opens_at), 'j F Y')}"
        else:
            closes = timezone.localdate(consultation.closes_at)
            note = f"open; closes {date_format(closes, 'j F Y')}, {staff_home.in_days(closes, today)}"
        items.append(Item(consultation.title, reverse("priorities:consultation", args=[consultation.pk]), note))
    links = [
        Item(f"New consultation in {ward.name}", reverse("priorities:consultation-new-ward", args=[ward.gss_code]))
        for ward in dict.fromkeys(_wards(user))
    ]
    return Panel(
        "consultations",
        "Consultations open and closing",
        items,
        "No consultation is open or about to open in your places.",
        links=links,
    )


staff_home.register(order=60, panel=priorities_due)
staff_home.register(order=70, panel=consultations)
