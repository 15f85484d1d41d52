"""Writes: record a commitment, review it. Each is atomic, names its actor and writes an audit row."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from openward.areas.models import Borough, Ward
from openward.core import audit
from openward.crime.models import CrimeCategory

from . import evidence
from .measure import measure
from .models import Commitment, Review, Status


class CommitmentError(ValueError):
    """The commitment or review cannot be recorded as given; the message says what to change."""


def _check_measure(measure_kind, categories, direction, ward, borough, every_borough=False) -> None:
    if measure_kind not in Commitment.Measure.values:
        raise CommitmentError("Choose how it is measured: from crime data, front counters, replies or evidence.")
    if ward is not None and ward.borough_id != borough.pk:
        raise CommitmentError(f"{ward.name} is not in {borough.name}. Choose one of its wards, or none.")
    if every_borough and measure_kind != Commitment.Measure.FRONT_COUNTER:
        raise CommitmentError('Only a front-counter commitment is measured "in every borough"; leave that unticked.')
    if measure_kind == Commitment.Measure.FRONT_COUNTER and ward is not None:
        raise CommitmentError("Front counters are measured for a whole borough: leave the ward empty.")
    if every_borough and borough.force_id is None:
        raise CommitmentError(f"{borough.name} has no police force loaded, so its force's boroughs are not known.")
    if measure_kind == Commitment.Measure.CRIME:
        if not categories:
            raise CommitmentError("Choose at least one crime category to measure it by.")
        known = set(CrimeCategory.objects.filter(slug__in=categories).values_list("slug", flat=True))
        unknown = [c for c in categories if c not in known]
        if unknown:
            raise CommitmentError(f"Unknown crime category: {', '.join(unknown)[:80]}. Use police.uk's categories.")
        if direction not in Commitment.Direction.values:
            raise CommitmentError("Say whether the commitment is for crime to go down or up.")


@transaction.atomic
def record_commitment(
    actor,
    borough: Borough,
    *,
    text: str,
    source: str,
    owner: str,
    owner_kind: str,
    made_on: dt.date,
    measure_kind: str,
    categories: list[str] | None = None,
    direction: str = "",
    target_percent: float | None = None,
    ward: Ward | None = None,
    source_url: str = "",
    every_borough: bool = False,
) -> Commitment:
    """Record a public commitment for a borough (or a ward in it) and how it will be measured."""
    if not text.strip() or not source.strip() or not owner.strip():
        raise CommitmentError("Give the commitment's words, where it was said and who made it.")
    if target_percent is not None and not 0 <= target_percent <= 100:
        raise CommitmentError("A target change is a percentage between 0 and 100.")
    _check_measure(measure_kind, categories or [], direction, ward, borough, every_borough)
    crime = measure_kind == Commitment.Measure.CRIME
    with_target = measure_kind in (Commitment.Measure.CRIME, Commitment.Measure.REPLIES)
    commitment = Commitment.objects.create(
        text=text.strip(),
        source=source.strip(),
        source_url=source_url,
        owner=owner.strip(),
        owner_kind=owner_kind,
        made_on=made_on,
        borough=borough,
        ward=ward,
        measure=measure_kind,
        every_borough=every_borough,
        categories=list(categories or []) if crime else [],
        direction=direction if crime else "",
        target_percent=target_percent if with_target else None,
        created_by=actor,
    )
    audit.record(actor, "commitment.recorded", commitment, borough=borough.gss_code)
    return commitment


@transaction.atomic
def review_commitment(
    actor,
    commitment: Commitment,
    *,
    reviewed_on: dt.date,
    status: str = "",
    reason: str = "",
    evidence_source: str = "",
    evidence_file=None,
) -> Review:
    """Record a dated review: from data the status is computed; from evidence the reviewer gives it, with
    the evidence's source and, if they have it, the file itself (published with the review)."""
    try:
        checked = evidence.check_evidence(evidence_file) if evidence_file else None
    except evidence.EvidenceRefused as exc:
        raise CommitmentError(str(exc)) from None
    if checked and not evidence_source.strip():
        raise CommitmentError(f"Say where {checked.name} comes from (who published it, and when).")
    if commitment.is_measured:
        found = measure(commitment, on=reviewed_on)
        status, reason, figures = found.status, found.reason, found.as_dict()
    else:
        if status not in Status.values:
            raise CommitmentError("Choose the status the evidence shows: on track, not on track or can't tell yet.")
        if not reason.strip() or not evidence_source.strip():
            raise CommitmentError("Say why, and name the evidence and where it comes from.")
        figures = {}
    review = Review.objects.create(
        commitment=commitment,
        reviewed_on=reviewed_on,
        status=status,
        reason=reason.strip()[:1000],
        figures=figures,
        evidence_source=evidence_source.strip()[:300],
        reviewed_by=actor,
    )
    audit.record(actor, "commitment.reviewed", commitment, status=status, evidence_file=checked is not None)
    if checked:
        # Last: the file goes to storage only once everything else in the review is written.
        evidence.attach(actor, review, checked)
    return review
