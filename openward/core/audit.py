"""Write audit rows. Services call `record` inside their transaction."""

from __future__ import annotations

from typing import Any

from .models import AuditEvent


def record(actor, action: str, target=None, *, ward_code: str = "", **data: Any) -> AuditEvent:
    """Record that `actor` did `action` to `target` (a model instance or None)."""
    target_type = target_id = ""
    if target is not None:
        target_type = target._meta.label_lower
        target_id = str(target.pk)
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=target_type,
        target_id=target_id,
        ward_code=ward_code,
        data=data,
    )


def record_many(actor, action: str, entries) -> None:
    """Record `action` once per (target, ward_code, data) in `entries`, in a few inserts (for set-based services)."""
    actor = actor if getattr(actor, "is_authenticated", False) else None
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                actor=actor,
                action=action,
                target_type=target._meta.label_lower,
                target_id=str(target.pk),
                ward_code=ward_code,
                data=data,
            )
            for target, ward_code, data in entries
        ],
        batch_size=500,
    )
