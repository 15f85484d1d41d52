"""police.uk-compatible forces endpoints (see docs/POLICEUK_API.md): forces, a force, its senior people."""

from __future__ import annotations

import re

from ninja import Router, Status

from openward.areas.models import Force, TeamMember
from openward.core import access

from ..schemas import ForceDetail, ForceRef, Message, Person

router = Router()

FORCE_ID_RE = re.compile(r"^[a-z0-9-]{1,64}$")


def force_or_none(force_id: str) -> Force | None:
    """The force with a police.uk id; None for an unknown or malformed id."""
    if not FORCE_ID_RE.match(force_id or ""):
        return None
    return Force.objects.filter(slug=force_id).first()


def unknown_force(force_id: str) -> Status:
    return Status(404, {"detail": f'There is no force with the id "{force_id[:64]}". GET /api/forces lists them.'})


def person(member: TeamMember) -> dict:
    return {
        "name": member.name,
        "rank": member.rank,
        "bio": member.bio or None,
        "contact_details": {k: str(v) for k, v in (member.contact_details or {}).items() if v},
    }


@router.get("forces", response=list[ForceRef], summary="All forces (except British Transport Police)")
@access.public
def forces(request):
    return [{"id": slug, "name": name} for slug, name in Force.objects.filter(listed=True).values_list("slug", "name")]


@router.get("forces/{force_id}", response={200: ForceDetail, 404: Message}, summary="A force")
@access.public
def force_detail(request, force_id: str):
    force = force_or_none(force_id)
    if force is None:
        return unknown_force(force_id)
    return {
        "id": force.slug,
        "name": force.name,
        "description": force.description or None,
        "url": force.url or None,
        "telephone": force.telephone or None,
        "engagement_methods": [
            {"url": m.get("url") or "", "description": m.get("description"), "title": m.get("title") or ""}
            for m in force.engagement_methods or []
            if isinstance(m, dict)
        ],
    }


@router.get("forces/{force_id}/people", response={200: list[Person], 404: Message}, summary="A force's senior officers")
@access.public
def force_people(request, force_id: str):
    force = force_or_none(force_id)
    if force is None:
        return unknown_force(force_id)
    return [person(m) for m in TeamMember.objects.filter(force=force, neighbourhood__isnull=True)]
