"""What each app holds about a person, and how to export and erase it (a registry, like sections.py).

An app that stores personal data registers it in its `personal_data` hook module, so the
accounts app can export or erase a person without importing every app:

    personal_data.register("replies", models=[Reply], export=export_replies, erase=erase_replies)

`export(user)` returns JSON-ready data for "Download my data". `erase(user)` removes or blanks
what the app holds about the person, inside the erasure transaction and before the account
itself is blanked (so the person's email can still be matched), and returns the rows audit
events may point at; those events keep their action, time and place but lose their data.
`tests/test_conventions.py` fails when a model with personal fields is in no registration.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Model, Q

from .models import AuditEvent


@dataclass(frozen=True)
class Holder:
    name: str
    models: tuple[type[Model], ...]
    export: Callable[[Model], object]
    erase: Callable[[Model], Iterable[Model] | None]
    order: int


_registry: dict[str, Holder] = {}


def register(
    name: str,
    *,
    models: Iterable[type[Model]],
    export: Callable[[Model], object],
    erase: Callable[[Model], Iterable[Model] | None],
    order: int = 50,
) -> None:
    """Declare the `models` holding a person's data, with how to export and erase them."""
    _registry[name] = Holder(name, tuple(models), export, erase, order)


def holders() -> list[Holder]:
    return sorted(_registry.values(), key=lambda h: (h.order, h.name))


def export(user) -> dict:
    """Everything every app holds about `user`, JSON-ready, one key per registration."""
    return {holder.name: holder.export(user) for holder in holders()}


def erase(user) -> None:
    """Run every app's eraser, then blank the data of the audit events about what they erased."""
    touched: list[Model] = []
    for holder in holders():
        touched += list(holder.erase(user) or [])
    about = Q(target_type=user._meta.label_lower, target_id=str(user.pk))
    for row in touched:
        about |= Q(target_type=row._meta.label_lower, target_id=str(row.pk))
    # Who did what and when stays (the log is for accountability); what it said about the person goes.
    AuditEvent.objects.filter(about).update(data={"erased": True})
