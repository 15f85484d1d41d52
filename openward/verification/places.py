"""Postcode → ward for sign-up and verification (switch to areas.selectors once it lands)."""

from __future__ import annotations

from openward.areas.geo import generation_for
from openward.areas.models import Postcode as PostcodeRow
from openward.areas.models import Ward
from openward.core.values import InvalidPostcode, Postcode


class PostcodeNotInWard(ValueError):
    """The postcode is valid but we cannot place it in a ward."""


def ward_for_postcode(text: str, generation=None) -> tuple[Postcode, Ward]:
    """The postcode, normalised, and the ward of the given (default: current) generation it lies in."""
    postcode = Postcode.parse(text)  # raises InvalidPostcode with a message a person can act on
    row = PostcodeRow.objects.filter(compact=postcode.compact).first()
    if row is None:
        raise PostcodeNotInWard(
            f"We could not find {postcode.display} in our postcode list. Check it, or use a nearby postcode."
        )
    if row.terminated:
        raise PostcodeNotInWard(
            f"{postcode.display} is no longer in use (it ended on {row.terminated:%d %B %Y}). "
            "Use your current postcode."
        )
    generation = generation or generation_for()
    ward = None
    # The postcode file's own ward code first; it may name an older generation's ward,
    # so fall back to the point in the generation's boundaries.
    if row.ward_code:
        ward = Ward.objects.select_related("borough").filter(gss_code=row.ward_code, generation=generation).first()
    if ward is None and row.latitude is not None and row.longitude is not None:
        from openward.areas.geo import locate_ward_ids

        ward_id = int(locate_ward_ids([row.latitude], [row.longitude], generation=generation)[0])
        if ward_id:
            ward = Ward.objects.select_related("borough").filter(pk=ward_id).first()
    if ward is None:
        raise PostcodeNotInWard(
            f"{postcode.display} is not in any ward Open Ward covers yet. "
            "If you live, work or study in London, check the postcode; otherwise Open Ward cannot place you."
        )
    return postcode, ward


__all__ = ["InvalidPostcode", "PostcodeNotInWard", "ward_for_postcode"]
