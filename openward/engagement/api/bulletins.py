"""Bulletins through the API: list, publish and correct."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import Field, Schema, Status
from ninja.errors import HttpError

from openward.accounts.permissions import has_role
from openward.areas.selectors import ward_or_404
from openward.core import access
from openward.core.api_refusals import refusals_as_400
from openward.core.bounds import one_of

from .. import places
from ..models import Bulletin, Topic
from ..services import bulletins as bulletins_services
from .common import router


class BulletinOut(Schema):
    id: int
    title: str
    kind: str
    summary: str
    body_html: str
    published_at: datetime | None
    places: list[str]
    topics: list[str]
    images: list[str]


def _bulletin(b: Bulletin) -> dict:
    return {
        "id": b.pk,
        "title": b.title,
        "kind": b.kind,
        "summary": b.summary,
        "body_html": b.body_html,
        "published_at": b.published_at,
        "places": [str(a.name) for a in b.areas()],
        "topics": [t.slug for t in b.topics.all()],
        "images": [i.get_absolute_url() for i in b.images.all()],
    }


@router.get("/engagement/bulletins", response=list[BulletinOut], summary="Published bulletins (optionally for a ward)")
@access.public
def list_bulletins(request, ward: str | None = None):
    bulletins = Bulletin.objects.published()
    if ward:
        bulletins = bulletins.for_ward(ward_or_404(ward))
    return [_bulletin(b) for b in bulletins[:100]]


class BulletinIn(Schema):
    title: str = Field(..., max_length=200)
    kind: one_of(Bulletin.Kind) = Bulletin.Kind.NEWS.value
    summary: str = Field("", max_length=300)
    body_markdown: str = Field("", description="The text in Markdown (web addresses become links); or body_html.")
    body_html: str = ""
    wards: list[str] = Field([], description="Ward codes; none of wards, clusters or boroughs: all your places.")
    clusters: list[str] = []
    boroughs: list[str] = []
    topics: list[str] = []


@router.post(
    "/engagement/bulletins", response={201: BulletinOut}, summary="Publish a bulletin (emailed to subscribers)"
)
@access.role(*places.TEAM_ROLES)
@refusals_as_400(ValidationError)
def create_bulletin(request, payload: BulletinIn):
    bulletin = bulletins_services.publish_bulletin(request.user, _bulletin_fields(request, payload))
    return Status(201, _bulletin(bulletin))


class BulletinRevisionIn(Schema):
    title: str = Field(..., max_length=200)
    kind: one_of(Bulletin.Kind) = Bulletin.Kind.NEWS.value
    summary: str = Field("", max_length=300)
    body_markdown: str
    wards: list[str] = []
    clusters: list[str] = []
    boroughs: list[str] = []
    topics: list[str] = []


def _bulletin_fields(request, payload: BulletinIn | BulletinRevisionIn) -> bulletins_services.BulletinFields:
    """The payload as the bulletin services take it: places named by code, each checked (the caller holds a
    team role there, else 403), and topics by slug."""
    areas = {
        "wards": [places.area_by("ward", c) for c in payload.wards],
        "clusters": [places.area_by("cluster", c) for c in payload.clusters],
        "boroughs": [places.area_by("borough", c) for c in payload.boroughs],
    }
    for area in [a for group in areas.values() for a in group]:
        if not has_role(request.user, places.TEAM_ROLES, area):
            raise HttpError(403, f"You do not have a team role for {area.name}.")
    topics = list(Topic.objects.filter(slug__in=payload.topics))
    if unknown := sorted(set(payload.topics) - {t.slug for t in topics}):
        raise HttpError(
            400, f"Unknown topics: {', '.join(u[:80] for u in unknown[:10])}. See /api/v1/engagement/topics."
        )
    return bulletins_services.BulletinFields.of({**payload.dict(), **areas, "topics": topics})


@router.put("/engagement/bulletins/{pk}", response=BulletinOut, summary="Correct a published bulletin (no new email)")
@access.role(*places.TEAM_ROLES, area=places.of_bulletin)
@refusals_as_400(ValidationError)
def revise_bulletin(request, pk: int, payload: BulletinRevisionIn):
    bulletin = get_object_or_404(Bulletin, pk=pk)
    return _bulletin(bulletins_services.revise_bulletin(request.user, bulletin, _bulletin_fields(request, payload)))
