"""What each member of a monitoring group may do (the roles are described in models.py), in one table.

Pages and API operations let any member in (`MEMBER_RULE`), then ask `may(user, group, what)` for each
thing they show or do; a member asking for something their role does not allow gets a 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from openward.accounts.models import Role
from openward.accounts.permissions import has_role
from openward.core import access

CHAIR = Role.MONITORING_CHAIR
REVIEWER = Role.MONITORING_REVIEWER
LIAISON = Role.MONITORING_LIAISON
MEMBER_ROLES = (CHAIR, REVIEWER, LIAISON)

MEMBER_RULE = access.role(*MEMBER_ROLES, area=access.borough_from("borough_code"))
CHAIR_RULE = access.role(CHAIR, area=access.borough_from("borough_code"))

MAY = {
    "draw": (CHAIR,),
    "review": (CHAIR, REVIEWER),
    "see reviews": (CHAIR, REVIEWER),
    "add grounds": (CHAIR, LIAISON),
    "publish": (CHAIR,),
    "respond": (CHAIR, LIAISON),
    "record actions": (CHAIR,),
    "manage members": (CHAIR,),
    "run meetings": (CHAIR,),
}

# Said when a member asks for what their role does not allow.
REFUSED = {
    "draw": "Only the group's chair draws a sample.",
    "review": "Only the chair and reviewers review stops.",
    "see reviews": "Only the chair and reviewers see the group's reviews.",
    "add grounds": "Only the force liaison and the chair add grounds text.",
    "publish": "Only the group's chair publishes a summary.",
    "respond": "Only the force liaison and the chair record the force's response.",
    "record actions": "Only the group's chair records actions.",
    "manage members": "Only the group's chair adds and removes members.",
    "run meetings": "Only the group's chair schedules and writes up its meetings.",
}


def held(user, group) -> set[str]:
    """The group roles `user` holds for the group's borough (a site administrator holds them all)."""
    return {role for role in MEMBER_ROLES if has_role(user, [role], group.borough)}


def allowed(user, group) -> set[str]:
    """Everything `user` may do in `group`, e.g. for templates: `"publish" in can`."""
    roles = held(user, group)
    return {what for what, allowed_roles in MAY.items() if roles & set(allowed_roles)}


def may(user, group, what: str) -> bool:
    """May `user` do `what` (a key of MAY) in `group`?"""
    return has_role(user, MAY[what], group.borough)


def require(user, group, what: str) -> None:
    """Refuse (403, saying who may) unless `user` may do `what` in `group`."""
    if not may(user, group, what):
        raise PermissionDenied(REFUSED[what])
