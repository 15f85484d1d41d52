"""Meetings some other app runs through pages of its own (a monitoring group's chair runs the group's
meetings from the group's pages): that app registers, for a kind of event, a function giving the address
of its page for one meeting to a person who may run it there, or None. The public event page links it, so
those organisers reach the meeting's record form from the meeting itself; engagement imports no such app.

    organisers.register(Event.Kind.MONITORING_GROUP, chair_page)   # chair_page(user, event) -> str | None
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_pages: dict[str, Callable[[Any, Any], str | None]] = {}


def register(kind: str, page: Callable[[Any, Any], str | None]) -> None:
    _pages[kind] = page


def page_for(user, event) -> str | None:
    """Where `user` runs `event` outside engagement's own organiser pages, if anywhere."""
    page = _pages.get(event.kind)
    if page is None or not user.is_authenticated:
        return None
    return page(user, event)
