"""Postcode → ward for sign-up, verification and boundary re-mapping."""

from __future__ import annotations

from openward.areas import selectors
from openward.areas.models import Postcode as PostcodeRow
from openward.areas.models import Ward
from openward.core.values import InvalidPostcode, Postcode, PostcodeNotInWard


def ward_for_postcode(text: str, generation=None) -> tuple[Postcode, Ward]:
    """The postcode, normalised, and its ward in the current generation (or the one given)."""
    if generation is None:
        try:
            found = selectors.postcode_lookup(text)
        except selectors.PostcodeInvalid as exc:
            raise InvalidPostcode(str(exc)) from None
        except selectors.PostcodeLookupError as exc:
            raise PostcodeNotInWard(str(exc)) from None
        ward = Ward.objects.by_code(found.ward_code)
        if ward is None:
            raise PostcodeNotInWard(f"{found.postcode.display} is in no ward we know.")
        return found.postcode, ward
    return _ward_in_generation(Postcode.parse(text), generation)


def _ward_in_generation(postcode: Postcode, generation) -> tuple[Postcode, Ward]:
    """Re-mapping after a boundary change: the postcode file's ward code if it names a ward of
    `generation`, else the ward of `generation` containing the postcode's point."""
    row = PostcodeRow.objects.filter(compact=postcode.compact).first()
    if row is None:
        raise PostcodeNotInWard(f"{postcode.display} is not in our postcode list any more.")
    ward = Ward.objects.by_code(row.ward_code, generation) if row.ward_code else None
    if ward is None and row.latitude is not None and row.longitude is not None:
        ward = Ward.objects.covering(row.latitude, row.longitude, generation=generation).first()
    if ward is None:
        raise PostcodeNotInWard(f"{postcode.display} is in no ward of {generation}.")
    return postcode, ward


__all__ = ["InvalidPostcode", "PostcodeNotInWard", "ward_for_postcode"]
