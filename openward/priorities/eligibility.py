"""A person's verification level for a ward, from openward.verification.

The one place priorities asks about verification, so the rest of the app does not depend on
how residents are verified.
"""

from __future__ import annotations

from openward.verification.models import Membership


def level_for(user, ward) -> int:
    """The verification level (0, 1 or 2) `user` holds for `ward`; 0 without a membership there."""
    if not getattr(user, "is_authenticated", False):
        return 0
    level = Membership.objects.with_level().filter(user=user, ward=ward).values_list("current_level", flat=True).first()
    return int(level or 0)


def level_for_any(user, wards) -> int:
    """The highest level `user` holds in any of `wards` (a cluster consultation covers several)."""
    return max((level_for(user, w) for w in wards), default=0)


def is_member_of_any(user, wards) -> bool:
    """Has `user` joined any of `wards` (at whatever level)?"""
    return getattr(user, "is_authenticated", False) and Membership.objects.filter(user=user, ward__in=wards).exists()
