"""police.uk-compatible engagement endpoints (see docs/POLICEUK_API.md): `{force}/{id}/events`.

Open Ward's own events of the neighbourhood's ward and the events `sync_policeuk` copied from police.uk
for the neighbourhood (SyncedEvent) answer together, as a police.uk client expects one list.
"""

from django.http import Http404
from django.utils import timezone
from ninja import Router, Schema

from openward.areas.models import Neighbourhood
from openward.core import access
from openward.engagement.models import Event

from ..models import SyncedEvent

router = Router()

TYPES = {
    Event.Kind.WARD_PANEL: "meeting",
    Event.Kind.CLUSTER_PANEL: "meeting",
    Event.Kind.SNB: "meeting",
    Event.Kind.STREET_BRIEFING: "meeting",
    Event.Kind.SURGERY: "meeting",
    Event.Kind.STALL: "other",
}


class PoliceUkEvent(Schema):
    contact_details: dict[str, str]
    description: str | None
    title: str
    address: str | None
    type: str | None
    start_date: str
    end_date: str | None


def naive(value):
    """police.uk gives local wall-clock times without an offset: "2016-09-17T12:00:00"."""
    return timezone.localtime(value).replace(tzinfo=None, microsecond=0).isoformat() if value else None


@router.get("/{force}/{neighbourhood}/events", response=list[PoliceUkEvent], summary="Neighbourhood events (police.uk)")
@access.public
def neighbourhood_events(request, force: str, neighbourhood: str):
    """Events to come: the ward's own, and those synced from police.uk for the neighbourhood, by start."""
    nbhd = Neighbourhood.objects.filter(force__slug=force, code=neighbourhood).select_related("ward").first()
    if nbhd is None:
        raise Http404("Unknown force or neighbourhood.")
    now = timezone.now()
    own = []
    if nbhd.ward is not None:
        own = [
            (e.starts_at, 0, e.pk, as_policeuk(e))
            for e in Event.objects.for_ward(nbhd.ward).scheduled().filter(starts_at__gte=now).order_by("starts_at")
        ]
    synced = [
        (e.starts_at, 1, e.position, synced_as_policeuk(e))
        for e in SyncedEvent.objects.for_neighbourhood(nbhd).not_ended(now)
    ]
    return [answer for *_, answer in sorted(own + synced, key=lambda t: t[:3])]


def as_policeuk(e: Event) -> dict:
    return {
        "contact_details": {k: str(v) for k, v in (e.contact_details or {}).items()},
        "description": e.description or None,
        "title": e.title,
        "address": e.address or ("Online" if e.mode == Event.Mode.ONLINE else None),
        "type": TYPES.get(e.kind, "meeting"),
        "start_date": naive(e.starts_at),
        "end_date": naive(e.ends_at),
    }


def synced_as_policeuk(e: SyncedEvent) -> dict:
    """As the source listed it."""
    return {
        "contact_details": dict(e.contact_details),
        "description": e.description or None,
        "title": e.title,
        "address": e.address or None,
        "type": e.type or None,
        "start_date": naive(e.starts_at),
        "end_date": naive(e.ends_at),
    }
