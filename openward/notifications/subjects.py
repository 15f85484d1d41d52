"""What a notice is about, registered by the app that owns it, so notifications imports no other app.

A notice names its subject by kind and object id. The app that owns that kind of object registers,
in its AppConfig.ready(), how to describe it in an email and (for broadcasts) which subscriptions
hear of it:

    subjects.register(Notice.Kind.BULLETIN, context=bulletin_context, subscriptions=bulletin_subscriptions,
                      reply_kind="bulletin")
    subjects.register_digest(digest_items)
    subjects.register_job("Offers lapsed", expire_lapsed_offers)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Subject:
    kind: str
    # The email template's context for the notice's object (absolute URLs included).
    context: Callable[[Any], dict]
    # Broadcast kinds: the Subscription queryset whose subscribers hear of it; None for one-to-one notices.
    subscriptions: Callable[[Any], Any] | None = None
    # The kind of item a subscriber may reply to by link ("bulletin", "event"), or None.
    reply_kind: str | None = None


_subjects: dict[str, Subject] = {}
_digest: list[Callable[[Any, Any], dict | None]] = []
_jobs: dict[str, Callable[[], int]] = {}


def register(
    kind: str,
    *,
    context: Callable[[Any], dict],
    subscriptions: Callable[[Any], Any] | None = None,
    reply_kind: str | None = None,
) -> None:
    _subjects[str(kind)] = Subject(str(kind), context, subscriptions, reply_kind)


def register_digest(items: Callable[[Any, Any], dict | None]) -> None:
    """`items(subscriber, notice)`: the weekly digest's items for one subscriber, or None when there are none."""
    if items not in _digest:
        _digest.append(items)


def subject(kind: str) -> Subject:
    try:
        return _subjects[str(kind)]
    except KeyError:
        raise LookupError(f"No app has registered notices of kind {kind!r}.") from None


def digest_items(subscriber, notice) -> dict | None:
    found: dict = {}
    for items in _digest:
        found |= items(subscriber, notice) or {}
    return found or None


def broadcast_kinds() -> set[str]:
    return {kind for kind, s in _subjects.items() if s.subscriptions is not None}


def register_job(label: str, job: Callable[[], int]) -> None:
    """A scheduled job run_notification_jobs runs every few minutes; it returns how many things it did."""
    _jobs[label] = job


def jobs() -> list[tuple[str, Callable[[], int]]]:
    return list(_jobs.items())
