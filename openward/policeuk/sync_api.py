"""`GET /api/v1/police-uk/synced-months`: which force-months `sync_policeuk` has stored, from where, when."""

from __future__ import annotations

from datetime import datetime

from ninja import Router, Schema

from openward.core import access

from .models import SyncedMonth

router = Router(tags=["police.uk sync"])


class SyncedMonthOut(Schema):
    force: str
    month: str
    source: str
    synced_at: datetime


@router.get("/police-uk/synced-months", response=list[SyncedMonthOut], summary="Force-months synced from police.uk")
@access.public
def synced_months(request, force: str | None = None):
    """Newest first; `force` (a police.uk force id) narrows them to one force."""
    months = SyncedMonth.objects.select_related("force").order_by("-month", "force__slug")
    if force:
        months = months.filter(force__slug=force[:64])
    return [
        {"force": m.force.slug, "month": f"{m.month:%Y-%m}", "source": m.source, "synced_at": m.synced_at}
        for m in months
    ]
