"""police.uk-compatible `GET {force}/{neighbourhood}/priorities`, from Open Ward's ward priorities.

The shape follows data.police.uk: `issue` (HTML), `issue-date` and `action-date` as naive ISO
datetimes with hyphenated keys, `action` the latest recorded action. For the Met the
neighbourhood id is the ward's GSS code. Priorities `sync_policeuk` copied from police.uk for the
neighbourhood (SyncedPriority) are listed with them, as the source gave them. Mounted before the
generic neighbourhood routes (see __init__.py).
"""

from datetime import date, datetime, time

from django.utils.html import escape
from ninja import Field, Router, Schema

from openward.core import access
from openward.priorities.models import Priority

from ..models import SyncedPriority
from ..schemas import Message
from .engagement import naive
from .neighbourhoods import neighbourhood_or_error

router = Router()


class PoliceUkPriority(Schema):
    issue: str | None
    issue_date: str = Field(..., alias="issue-date")
    action: str | None
    action_date: str | None = Field(None, alias="action-date")


def naive_iso(day: date) -> str:
    return datetime.combine(day, time.min).isoformat()


def as_policeuk(priority: Priority) -> dict:
    action = priority.latest_action()
    return {
        "issue": f"<p>{escape(priority.statement)}</p>",
        "issue-date": naive_iso(priority.agreed_on),
        "action": f"<p>{escape(action.description)}</p>" if action else None,
        "action-date": naive_iso(action.taken_on) if action else None,
    }


@router.get(
    "{force_id}/{neighbourhood_id}/priorities",
    response={200: list[PoliceUkPriority], 404: Message},
    by_alias=True,
    summary="Neighbourhood priorities (police.uk format)",
)
@access.public
def neighbourhood_priorities(request, force_id: str, neighbourhood_id: str):
    """Priorities for a neighbourhood, newest first: the ward's own and those synced from police.uk for the
    neighbourhood; 404 for an unknown force or neighbourhood."""
    neighbourhood, error = neighbourhood_or_error(force_id, neighbourhood_id)
    if error:
        return error
    own = []
    if neighbourhood.ward_id is not None:
        priorities = Priority.objects.for_ward(neighbourhood.ward).prefetch_related("actions")
        own = [as_policeuk(p) for p in priorities.order_by("-agreed_on", "-id")]
    synced = [synced_as_policeuk(p) for p in SyncedPriority.objects.for_neighbourhood(neighbourhood)]
    # A stable sort: own ones first on the same day, each list in its own order.
    return sorted(own + synced, key=lambda p: p["issue-date"], reverse=True)


def synced_as_policeuk(priority: SyncedPriority) -> dict:
    """As the source listed it."""
    return {
        "issue": priority.issue or None,
        "issue-date": naive(priority.issue_date),
        "action": priority.action or None,
        "action-date": naive(priority.action_date),
    }
