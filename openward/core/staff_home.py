"""Panels that apps add to the staff home, so the page (in accounts) imports none of them.

An app registers a panel in a `staff_home` module (imported at start-up by core.hooks):

    staff_home.register(order=20, panel=replies_waiting)

`panel(user, today)` returns a Panel for that person, or None when the panel is not for them
(their roles do not cover it). A Panel with no items still shows, saying there is nothing to do,
so a person can tell "nothing waiting" from "not shown to you". The page and the API read the
same panels.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Item:
    text: str
    url: str
    note: str = ""  # in words: "waiting 12 days", "due 3 December 2026, 5 days ago"


@dataclass(frozen=True)
class Panel:
    key: str
    heading: str
    items: list[Item]
    empty: str  # what to say when there is nothing
    more: Item | None = None  # the full list, when the panel shows only the first few
    links: list[Item] = field(default_factory=list)  # things to start from here


@dataclass(frozen=True)
class Registration:
    order: int
    panel: Callable[..., Panel | None]


_registry: list[Registration] = []


def register(*, order: int, panel: Callable[..., Panel | None]) -> None:
    if any(r.panel is panel for r in _registry):
        return
    _registry.append(Registration(order, panel))
    _registry.sort(key=lambda r: r.order)


def panels_for(user, today: date) -> list[Panel]:
    """The panels this person sees, in order."""
    return [p for r in _registry if (p := r.panel(user, today)) is not None]


def days_ago(when: date, today: date) -> str:
    """'today', 'yesterday', '12 days ago'."""
    days = (today - when).days
    if days <= 0:
        return "today"
    return "yesterday" if days == 1 else f"{days} days ago"


def in_days(when: date, today: date) -> str:
    """'today', 'tomorrow', 'in 5 days'."""
    days = (when - today).days
    if days <= 0:
        return "today"
    return "tomorrow" if days == 1 else f"in {days} days"
