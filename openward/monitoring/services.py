"""Writes for a monitoring group: draw a sample, review a stop, add grounds text, publish, respond, act.

Each is atomic, names its actor and writes an audit row (without the words reviewers or the force wrote).
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from openward.core import audit
from openward.crime.analytics.disproportionality import ethnic_group
from openward.crime.analytics.scope import borough_scope
from openward.crime.models import Stop

from .models import Action, Answer, GroundsText, MonitoringGroup, ReviewSample, SampledStop, StopReview

MAX_SAMPLE = 500


class MonitoringError(ValueError):
    """The request cannot be carried out as given; the message says what to change."""


def month_stops(group: MonitoringGroup, month: dt.date) -> list[tuple[int, str]]:
    """(stop id, stratum) for the borough's stops of one month, in id order."""
    stops = Stop.objects.filter(borough_scope(group.borough.gss_code).placed_q(), month=month).order_by("pk")
    return [
        (pk, f"{ethnic_group(eth)}|{leg or 'not recorded'}")
        for pk, eth, leg in stops.values_list("pk", "self_defined_ethnicity", "legislation")
    ]


def stratified_sample(rows: list[tuple[int, str]], size: int, seed: int) -> list[tuple[int, str]]:
    """`size` rows drawn from strata in proportion to their size (largest remainders), each stratum
    sampled with random.Random(seed): the same rows and seed always give the same sample."""
    strata: dict[str, list[int]] = defaultdict(list)
    for pk, stratum in rows:
        strata[stratum].append(pk)
    total = len(rows)
    quotas = {s: size * len(pks) / total for s, pks in strata.items()}
    take = {s: int(q) for s, q in quotas.items()}
    for s in sorted(quotas, key=lambda s: (-(quotas[s] - take[s]), s))[: size - sum(take.values())]:
        take[s] += 1
    rng = random.Random(seed)
    out = []
    for s in sorted(strata):
        out += [(pk, s) for pk in sorted(rng.sample(strata[s], take[s]))]
    return out


@transaction.atomic
def draw_sample(actor, group: MonitoringGroup, month: dt.date, size: int, seed: int | None = None) -> ReviewSample:
    """Draw the month's review sample (a new seed is chosen and recorded unless one is given)."""
    month = month.replace(day=1)
    if ReviewSample.objects.filter(group=group, month=month).exists():
        raise MonitoringError(f"The {month:%B %Y} sample is already drawn; each month has one sample.")
    if not 1 <= size <= MAX_SAMPLE:
        raise MonitoringError(f"A sample has between 1 and {MAX_SAMPLE} stops.")
    rows = month_stops(group, month)
    if size > len(rows):
        raise MonitoringError(
            f"{group.borough.name} has {len(rows)} stops loaded for {month:%B %Y}, fewer than the {size} asked for. "
            "Choose a smaller sample."
        )
    seed = secrets.randbelow(2**31) if seed is None else seed
    sample = ReviewSample.objects.create(group=group, month=month, size=size, seed=seed, drawn_by=actor)
    SampledStop.objects.bulk_create(
        SampledStop(sample=sample, stop_id=pk, stratum=stratum, position=i)
        for i, (pk, stratum) in enumerate(stratified_sample(rows, size, seed))
    )
    audit.record(actor, "monitoring.sample-drawn", sample, size=size, seed=seed)
    return sample


@transaction.atomic
def review_stop(
    actor, sampled: SampledStop, *, grounds_clear, video_seen, outcome_proportionate, concerns=""
) -> StopReview:
    """Record (or replace) the group's review of one sampled stop."""
    for value in (grounds_clear, video_seen, outcome_proportionate):
        if value not in Answer.values:
            raise MonitoringError("Answer each question: yes, no or cannot tell.")
    if sampled.sample.published_at:
        raise MonitoringError("The summary of this sample is published; its reviews can no longer change.")
    review, _ = StopReview.objects.update_or_create(
        sampled=sampled,
        defaults={
            "grounds_clear": grounds_clear,
            "video_seen": video_seen,
            "outcome_proportionate": outcome_proportionate,
            "concerns": concerns.strip(),
            "reviewer": actor,
        },
    )
    audit.record(actor, "monitoring.stop-reviewed", sampled.sample)
    return review


@transaction.atomic
def add_grounds(actor, sampled: SampledStop, text: str) -> GroundsText:
    """Keep the grounds the force supplied for one sampled stop (for the group's eyes only)."""
    if not text.strip():
        raise MonitoringError("Paste the grounds text the force supplied.")
    grounds = GroundsText.objects.create(sampled=sampled, text=text.strip(), uploaded_by=actor)
    audit.record(actor, "monitoring.grounds-added", sampled.sample)
    return grounds


@transaction.atomic
def publish_summary(actor, sample: ReviewSample) -> ReviewSample:
    """Publish the sample's summary (figures only) once every sampled stop is reviewed."""
    missing = sample.stops.filter(review__isnull=True).count()
    if missing:
        raise MonitoringError(f"{missing} of the {sample.size} sampled stops are not reviewed yet.")
    sample.published_at = timezone.now()
    sample.save(update_fields=["published_at"])
    audit.record(actor, "monitoring.summary-published", sample)
    return sample


@transaction.atomic
def record_force_response(actor, sample: ReviewSample, text: str) -> ReviewSample:
    if not sample.published_at:
        raise MonitoringError("The force responds to a published summary; publish it first.")
    if not text.strip():
        raise MonitoringError("Paste the force's written response.")
    sample.force_response = text.strip()
    sample.save(update_fields=["force_response"])
    audit.record(actor, "monitoring.force-responded", sample)
    return sample


@transaction.atomic
def add_action(actor, sample: ReviewSample, what: str, owner: str) -> Action:
    if not what.strip() or not owner.strip():
        raise MonitoringError("Say what will be done and who will do it.")
    action = Action.objects.create(sample=sample, what=what.strip(), owner=owner.strip())
    audit.record(actor, "monitoring.action-added", sample)
    return action


@transaction.atomic
def complete_action(actor, action: Action, done_on: dt.date) -> Action:
    action.done_on = done_on
    action.save(update_fields=["done_on"])
    audit.record(actor, "monitoring.action-completed", action.sample)
    return action
