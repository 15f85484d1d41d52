"""The demo area's priorities: census-like profiles, a closed consultation with results, three open
priorities with actions and one reviewed priority with before and after figures.

Runs after the crime step, so baselines and reviews come from the demo crime records. Everything
is marked `is_demo`; running it again replaces what it made before.
"""

from __future__ import annotations

import secrets
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import TextIO

import numpy as np
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from openward.areas.models import Ward
from openward.core import demo
from openward.engagement.models import Event

from . import evidence, services
from .models import (
    AgeBand,
    Ballot,
    Concern,
    Consultation,
    Demographics,
    Ethnicity,
    Participation,
    PopulationGroup,
    Priority,
)
from .results import consultation_results
from .vocabulary import load_concerns

# Shares a London ward might have (16+): the demo profile is drawn around these.
AGE_SHARES = {AgeBand.A16_29: 0.27, AgeBand.A30_44: 0.31, AgeBand.A45_64: 0.27, AgeBand.A65: 0.15}
ETHNICITY_SHARES = {
    Ethnicity.WHITE: 0.55,
    Ethnicity.MIXED: 0.06,
    Ethnicity.ASIAN: 0.19,
    Ethnicity.BLACK: 0.14,
    Ethnicity.OTHER: 0.06,
}
# Respondents skew older and whiter than residents, as consultations usually do.
RESPONDENT_AGE = {AgeBand.A16_29: 0.10, AgeBand.A30_44: 0.22, AgeBand.A45_64: 0.38, AgeBand.A65: 0.30}
RESPONDENT_ETHNICITY = {
    Ethnicity.WHITE: 0.72,
    Ethnicity.MIXED: 0.04,
    Ethnicity.ASIAN: 0.12,
    Ethnicity.BLACK: 0.08,
    Ethnicity.OTHER: 0.04,
}
# Enough that every census group weighted holds at least 10 respondents (results.MIN_GROUP).
DEMO_BALLOTS = 600
DEMO_SOURCE = "Generated for the demo area: not census figures"


def _profile(ward: Ward, rng: np.random.Generator) -> None:
    adults = int(rng.integers(7000, 12000))
    for dimension, shares in (("age", AGE_SHARES), ("ethnicity", ETHNICITY_SHARES)):
        jittered = np.array(list(shares.values())) * rng.uniform(0.8, 1.2, len(shares))
        counts = np.round(jittered / jittered.sum() * adults).astype(int)
        for group, n in zip(shares, counts, strict=True):
            PopulationGroup.objects.update_or_create(
                ward=ward,
                dimension=dimension,
                group=group,
                defaults={"count": int(n), "source": DEMO_SOURCE, "is_demo": True},
            )


def _ballots(consultation: Consultation, concerns: list[Concern], rng: np.random.Generator) -> None:
    # A popularity per concern, so the result has a clear shape; verified voters differ a little.
    popularity = rng.dirichlet(np.linspace(3, 0.5, len(concerns)))
    ages, groups = list(RESPONDENT_AGE), list(RESPONDENT_ETHNICITY)
    register, ballots, answers = [], [], []
    for i in range(DEMO_BALLOTS):
        picks = rng.choice(len(concerns), size=int(rng.integers(1, 4)), replace=False, p=popularity)
        ranked = [concerns[j] for j in picks] + [None] * (3 - len(picks))
        # Demo respondents are not people: their register rows and receipts are made up.
        key = salted_hmac("openward.priorities.demo", f"{consultation.pk}:{i}", algorithm="sha256").hexdigest()
        register.append(Participation(voter_key=key, consultation=consultation))
        ballot = Ballot(
            consultation=consultation,
            receipt_hash=services.receipt_hash(key, secrets.token_urlsafe(18)),
            level=int(rng.choice(3, p=[0.35, 0.45, 0.20])),
            first=ranked[0],
            second=ranked[1],
            third=ranked[2],
        )
        ballots.append(ballot)
        if rng.random() < 0.85:
            answers.append(
                Demographics(
                    ballot=ballot,
                    age_band=ages[rng.choice(len(ages), p=list(RESPONDENT_AGE.values()))],
                    ethnicity=groups[rng.choice(len(groups), p=list(RESPONDENT_ETHNICITY.values()))],
                    relationship="live" if rng.random() < 0.8 else "work",
                )
            )
    Participation.objects.bulk_create(register)
    Ballot.objects.bulk_create(ballots)
    Demographics.objects.bulk_create(answers)


def _reset(wards) -> None:
    Priority.objects.filter(ward__in=wards, is_demo=True).update(carried_from=None)
    Priority.objects.filter(ward__in=wards, is_demo=True).delete()
    Consultation.objects.filter(ward__in=wards, is_demo=True).delete()


ACTIONS = [
    "Weekly high-visibility patrols at the times the data shows most offences.",
    "Crime prevention stall outside the station with property marking.",
    "Joint operation with the council's street wardens.",
]


@transaction.atomic
def load_demo_priorities(workdir: Path, stdout: TextIO) -> None:
    """Generate and load the demo area's consultation, priorities, actions and review."""
    rng = np.random.default_rng(demo.DEMO_SEED + 50)
    wards = list(Ward.objects.filter(is_demo=True).order_by("gss_code"))
    if not wards:
        raise demo.NothingToLoad("there are no demo wards to set priorities for; run the areas step first.")
    _reset(wards)
    for ward in wards:
        _profile(ward, rng)
    ward = wards[0]
    # The data migration loads the vocabulary, but a database flushed since (tests do) has none.
    load_concerns(Concern)
    concerns = list(Concern.objects.active())
    today = timezone.localdate()
    latest = evidence.latest_month([ward])
    # Dates follow the demo crime data (a fixed window), so before and after periods hold crimes.
    anchor = evidence.add_months(latest, 1) if latest else evidence.month_start(today)
    opened = timezone.make_aware(datetime.combine(evidence.add_months(anchor, -9), time(9)))
    consultation = services.create_consultation(
        None,
        ward=ward,
        title=f"What should the {ward.name} team focus on?",
        opens_at=opened,
        closes_at=opened + timedelta(days=28),
        concerns=concerns,
        is_demo=True,
    )
    _ballots(consultation, concerns, rng)
    results = consultation_results(consultation)
    ranked = [r.concern for r in (results.verified or results.overall).rows]
    recorded = evidence.counts_by_category([ward], evidence.add_months(anchor, -24), anchor)
    with_data = [c for c in ranked if sum(recorded.get(k, 0) for k in c.crime_categories)] or [
        c for c in ranked if c.crime_categories
    ]

    agreed = (opened + timedelta(days=35)).date()
    reviewed = agreed + timedelta(days=200)
    if latest:
        reviewed = min(reviewed, anchor + timedelta(days=3))
    first = services.set_priority(
        None,
        ward,
        statement=f"Reduce {with_data[0].name.lower()}",
        agreed_on=agreed,
        review_on=reviewed,
        concern=with_data[0],
        consultation=consultation,
        meeting_ref=f"Ward panel meeting, {agreed:%-d %B %Y}",
        is_demo=True,
    )
    services.record_action(None, first, taken_on=agreed + timedelta(days=14), description=ACTIONS[0], is_demo=True)
    periods = services.review_periods(first, reviewed)
    fell = periods and evidence.crime_count([ward], first.crime_categories, *periods[2:]) < evidence.crime_count(
        [ward], first.crime_categories, *periods[:2]
    )
    services.review_priority(
        None,
        first,
        outcome="achieved" if fell else "not_achieved",
        reviewed_on=reviewed,
        note="The panel looked at the before and after figures and the actions taken.",
        is_demo=True,
    )
    # The current priorities were agreed at the ward's latest panel meeting (the engagement demo step's).
    meeting = (
        Event.objects.for_ward(ward)
        .filter(kind=Event.Kind.WARD_PANEL, starts_at__lte=timezone.now(), starts_at__date__gte=reviewed)
        .exclude(status=Event.Status.CANCELLED)
        .order_by("-starts_at")
        .first()
    )
    agreed_now = timezone.localdate(meeting.starts_at) if meeting else reviewed
    for n, concern in enumerate([c for c in ranked if c != with_data[0]][:3]):
        p = services.set_priority(
            None,
            ward,
            statement=f"Tackle {concern.name.lower()}",
            agreed_on=agreed_now,
            review_on=agreed_now + timedelta(days=182),
            concern=concern,
            consultation=consultation,
            meeting=meeting,
            meeting_ref="" if meeting else f"Ward panel meeting, {agreed_now:%-d %B %Y}",
            is_demo=True,
        )
        services.record_action(
            None, p, taken_on=min(today, agreed_now + timedelta(days=10 + n)), description=ACTIONS[n], is_demo=True
        )
    stdout.write(f"  {ward.name}: consultation with {DEMO_BALLOTS} ballots, 4 priorities (1 reviewed)")


demo.register("priorities", order=50, step=load_demo_priorities)
