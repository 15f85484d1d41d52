"""Published meeting records, exportable for good: JSON (everything) and CSV (the action register)."""

from __future__ import annotations

import io
import json

from openward.core import csvsafe

from . import selectors
from .models import Action


def record_as_dict(record) -> dict:
    event = record.event
    attendance = selectors.attendance_summary(record)
    return {
        "id": record.pk,
        "event": {
            "id": event.pk,
            "title": event.title,
            "type": event.kind,
            "start": event.starts_at.isoformat(),
            "place": event.area_name,
        },
        "published_at": record.published_at.isoformat() if record.published_at else None,
        "summary": record.summary,
        "attendance": {
            "total": attendance["total"],
            "by_role": dict(attendance["by_role"]),
            "named": [{"role": r, "name": n} for r, n in attendance["named"]],
        },
        "minutes": [{"topic": m.topic.name, "summary": m.summary} for m in record.minutes.select_related("topic")],
        "actions": [action_as_dict(a) for a in record.actions.all()],
    }


def action_as_dict(action: Action) -> dict:
    return {
        "id": action.pk,
        "what": action.what,
        "owner": action.owner,
        "due_date": action.due_date.isoformat() if action.due_date else None,
        "status": action.status,
        "status_note": action.status_note,
        "overdue": action.is_overdue,
        "priority_id": action.priority_id,
        "place": action.area_name,
        "meeting_record_id": action.record_id,
    }


def records_json(area) -> str:
    records = [record_as_dict(r) for r in selectors.published_records(area)]
    return json.dumps({"place": str(area.name), "records": records}, indent=2)


CSV_FIELDS = [
    "meeting_record_id",
    "meeting",
    "meeting_start",
    "id",
    "what",
    "owner",
    "due_date",
    "status",
    "status_note",
    "overdue",
    "priority_id",
    "place",
]


def actions_csv(area) -> str:
    out = io.StringIO()
    writer = csvsafe.dict_writer(out, CSV_FIELDS)
    writer.writeheader()
    for record in selectors.published_records(area):
        for action in record.actions.all():
            writer.writerow(
                action_as_dict(action)
                | {"meeting": record.event.title, "meeting_start": record.event.starts_at.isoformat()}
            )
    return out.getvalue()
