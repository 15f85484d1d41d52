"""A monitoring group's members: who holds which role for its borough, and the chair adding and removing
them by email. Membership is the role grant itself (accounts.RoleGrant), so access, the second factor,
the audit rows ("role.granted", "role.revoked") and "download my data" are the accounts app's.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from openward.accounts import services as accounts
from openward.accounts.models import RoleGrant, User

from .models import MonitoringGroup
from .roles import CHAIR, LIAISON, MEMBER_ROLES, REVIEWER
from .services import MonitoringError

# The words the pages use for each role, in the order members are listed.
ROLE_WORDS: dict[str, str] = {CHAIR: "Chair", REVIEWER: "Reviewer", LIAISON: "Force liaison"}


@dataclass(frozen=True)
class Member:
    email: str
    role: str
    since: object

    @property
    def role_words(self) -> str:
        return ROLE_WORDS[self.role]


def members(group: MonitoringGroup) -> list[Member]:
    """The people holding a group role for the group's borough, chairs first, then by email."""
    grants = RoleGrant.objects.active().filter(borough=group.borough, role__in=MEMBER_ROLES).select_related("user")
    order = list(ROLE_WORDS)
    found = [Member(g.user.email, g.role, g.granted_at) for g in grants]
    return sorted(found, key=lambda m: (order.index(m.role), m.email))


def _grants_of(group: MonitoringGroup, person: User):
    return RoleGrant.objects.active().filter(user=person, borough=group.borough, role__in=MEMBER_ROLES)


def _person(email: str) -> User:
    email = (email or "").strip()
    if not email:
        raise MonitoringError("Give the person's email address.")
    person = User.objects.filter(email__iexact=email, erased_at__isnull=True).first()
    if person is None:
        raise MonitoringError(
            f"Nobody has an account with the email address {email[:100]}. Ask them to sign up first, then add them."
        )
    return person


def _keep_a_chair(group: MonitoringGroup, person: User) -> None:
    others = RoleGrant.objects.active().filter(borough=group.borough, role=CHAIR).exclude(user=person)
    if _grants_of(group, person).filter(role=CHAIR).exists() and not others.exists():
        raise MonitoringError(
            f"{person.email} is the group's only chair. Make someone else chair first, so the group keeps one."
        )


@transaction.atomic
def add_member(actor, group: MonitoringGroup, email: str, role: str) -> Member:
    """Make the person with `email` a member in `role`; a member given a new role loses the old one."""
    if role not in MEMBER_ROLES:
        raise MonitoringError("Choose the member's role: chair, reviewer or force liaison.")
    person = _person(email)
    current = list(_grants_of(group, person))
    if [g.role for g in current] == [role]:
        raise MonitoringError(f"{person.email} is already the group's {ROLE_WORDS[role].lower()}.")
    if role != CHAIR:
        _keep_a_chair(group, person)
    try:
        for grant in current:
            accounts.revoke_role(actor, grant)
        grant = accounts.grant_role(actor, person, role, group.borough)
    except accounts.RoleError as exc:
        raise MonitoringError(str(exc)) from None
    return Member(person.email, grant.role, grant.granted_at)


@transaction.atomic
def remove_member(actor, group: MonitoringGroup, email: str) -> None:
    """End every group role the person with `email` holds (the group always keeps a chair)."""
    person = _person(email)
    current = list(_grants_of(group, person))
    if not current:
        raise MonitoringError(f"{person.email} is not a member of {group.name}.")
    _keep_a_chair(group, person)
    try:
        for grant in current:
            accounts.revoke_role(actor, grant)
    except accounts.RoleError as exc:
        raise MonitoringError(str(exc)) from None


def role_named(word: str) -> str:
    """The role for what a form or API call says ("chair", "reviewer", "force liaison" or the role's value)."""
    words = {w.lower(): role for role, w in ROLE_WORDS.items()} | {"liaison": LIAISON}
    words |= {str(role): role for role in MEMBER_ROLES}
    return words.get((word or "").strip().lower(), "")
