"""A person's verification level for a ward, from the residents work (openward.verification).

The one place priorities asks about verification, so the rest of the app does not depend on
how residents are verified.
"""

from __future__ import annotations


def level_for(user, ward) -> int:
    """The verification level (0, 1 or 2) `user` holds for `ward`; 0 for anyone not signed in.

    Until the verification app's model is on main, everyone signed in counts as level 0
    (email only): consultations open to level 0 work, and verified results stay empty.
    """
    if not getattr(user, "is_authenticated", False):
        return 0
    return 0


def level_for_any(user, wards) -> int:
    """The highest level `user` holds in any of `wards` (a cluster consultation covers several)."""
    return max((level_for(user, w) for w in wards), default=0)
