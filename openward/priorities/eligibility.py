"""A person's verification level for a ward, from the residents work (openward.verification).

The one place priorities asks about verification, so the rest of the app does not depend on
how residents are verified.
"""

from __future__ import annotations

from django.apps import apps


def _membership_model():
    try:
        return apps.get_model("verification", "Membership")
    except LookupError:
        return None


def level_for(user, ward) -> int:
    """The verification level (0, 1 or 2) `user` holds for `ward`; 0 without a membership there."""
    if not getattr(user, "is_authenticated", False):
        return 0
    membership = _membership_model()
    if membership is None:
        # The verification app's model is not installed yet: nobody is verified.
        return 0
    level = membership.objects.with_level().filter(user=user, ward=ward).values_list("current_level", flat=True).first()
    return int(level or 0)


def level_for_any(user, wards) -> int:
    """The highest level `user` holds in any of `wards` (a cluster consultation covers several)."""
    return max((level_for(user, w) for w in wards), default=0)
