"""Where people live and work: the ward-membership app (verification) registers itself here, so accounts
imports no app that imports it (as core/sections.py does for area pages).

verification's AppConfig.ready() calls `register(...)`; accounts' services call `provider()`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Residence:
    # Postcode text → (Postcode value, Ward); raises InvalidPostcode / PostcodeNotInWard (ValueErrors).
    ward_for_postcode: Callable[[str], tuple[Any, Any]]
    # The relationship to a ward ("lives", "works", …) → None, or the reason it is refused.
    relationship_problem: Callable[[str], str | None]
    # Add a ward to a person: (user, ward, *, postcode, relationship, is_home) → membership.
    join_ward: Callable[..., Any]
    # The email is confirmed: level 1 in a membership (idempotent).
    grant_email_level: Callable[[Any], Any]


_provider: list[Residence] = []
# Retention jobs other apps register: name → job returning how many it erased.
_retention: dict[str, Callable[[], int]] = {}


def register(residence: Residence) -> None:
    _provider[:] = [residence]


def provider() -> Residence:
    if not _provider:
        raise LookupError("No app has registered where people live (openward.verification is not installed).")
    return _provider[0]


def register_retention(name: str, job: Callable[[], int]) -> None:
    _retention[name] = job


def retention_jobs() -> list[tuple[str, Callable[[], int]]]:
    return sorted(_retention.items())
