"""Boundary changes: move each person to the ward of the new generation their postcode is in, or flag them."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from openward.areas.geo import generation_for
from openward.core import audit

from .models import Membership
from .places import PostcodeNotInWard, ward_for_postcode


@dataclass
class RemapReport:
    moved: int = 0
    merged: int = 0
    flagged: int = 0
    unchanged: int = 0
    flagged_ids: list[int] = field(default_factory=list)


@transaction.atomic
def remap_memberships(generation, *, actor=None) -> RemapReport:
    """Re-map every membership not in `generation` by its postcode; flag those that cannot be placed."""
    report = RemapReport()
    stale = Membership.objects.exclude(ward__generation=generation).select_related("ward", "user")
    for membership in stale.select_for_update(of=("self",)):
        old_code = membership.ward.gss_code
        try:
            if not membership.postcode:
                raise PostcodeNotInWard("no postcode is known for this membership")
            _, ward = ward_for_postcode(membership.postcode, generation=generation)
        except (PostcodeNotInWard, ValueError) as exc:
            if not membership.needs_review:
                membership.needs_review = True
                membership.review_reason = f"Ward {old_code} changed in {generation}: {exc}"[:300]
                membership.save(update_fields=["needs_review", "review_reason"])
                audit.record(actor, "membership.flagged", membership, ward_code=old_code, generation=generation.slug)
            report.flagged += 1
            report.flagged_ids.append(membership.pk)
            continue
        twin = Membership.objects.filter(user=membership.user, ward=ward).exclude(pk=membership.pk).first()
        if twin is not None:
            # The person already follows the new ward: keep its row, carry verifications over.
            membership.grants.update(membership=twin)
            membership.letters.update(membership=twin)
            twin.is_home = twin.is_home or membership.is_home
            twin.remapped_from = old_code
            twin.save(update_fields=["is_home", "remapped_from"])
            membership.delete()
            audit.record(actor, "membership.merged", twin, ward_code=ward.gss_code, old_ward=old_code)
            report.merged += 1
            continue
        membership.ward = ward
        membership.remapped_from = old_code
        membership.save(update_fields=["ward", "remapped_from"])
        audit.record(actor, "membership.remapped", membership, ward_code=ward.gss_code, old_ward=old_code)
        report.moved += 1
    report.unchanged = Membership.objects.filter(ward__generation=generation).count() - report.moved - report.merged
    return report


def remap_after_boundary_import(sender, generation, **kwargs) -> RemapReport | None:
    """When the generation in force today is imported, move everyone onto it (or flag them)."""

    if generation_for() != generation:
        return None  # an older (or future) pattern: memberships stay on today's wards
    return remap_memberships(generation)
