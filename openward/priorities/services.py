"""Writes for priorities: each is one atomic service that names its actor and (except ballots) audits."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from openward.areas.geo import generation_for, successor
from openward.core.audit import record
from openward.engagement.models import Event

from . import eligibility, evidence
from .models import (
    MAX_OPEN_PRIORITIES,
    AgeBand,
    Ballot,
    Concern,
    Consultation,
    Demographics,
    Ethnicity,
    Level,
    Participation,
    Priority,
    PriorityAction,
    Relationship,
    Review,
)
from .results import published_results
from .stats import compare_counts

# How many months of recorded crime before agreement make a priority's baseline.
BASELINE_MONTHS = 12
# A carried-over priority is reviewed again about six months on, as panels commonly meet quarterly.
CARRY_OVER_REVIEW_DAYS = 182


class Refused(ValueError):
    """The request cannot be carried out; the message says why and what to do."""


def voter_key(user, consultation) -> str:
    """Keyed hash of (person, consultation): enforces one ballot each without recording who cast which."""
    # A dedicated key: rotating SECRET_KEY must not let everyone vote again in open consultations.
    return salted_hmac(
        "openward.priorities.ballot", f"{consultation.pk}:{user.pk}", secret=settings.BALLOT_KEY, algorithm="sha256"
    ).hexdigest()


def receipt_hash(key: str, receipt: str) -> str:
    """What a ballot stores of its receipt: bound to the voter, so a receipt is no use to anyone else."""
    return hashlib.sha256(f"{key}:{receipt}".encode()).hexdigest()


def _ward_code(area) -> str:
    return getattr(area, "gss_code", "") or ""


@transaction.atomic
def create_consultation(
    actor,
    *,
    title: str,
    opens_at: datetime,
    closes_at: datetime,
    concerns,
    ward=None,
    cluster=None,
    min_level: int = Level.EMAIL,
    question: str = "",
    allow_free_text: bool = True,
    ask_demographics: bool = True,
    is_demo: bool = False,
) -> Consultation:
    """Open a consultation for a ward or a cluster between two dates."""
    if (ward is None) == (cluster is None):
        raise Refused("Choose either a ward or a cluster for the consultation.")
    if closes_at <= opens_at:
        raise Refused("The closing date must be after the opening date.")
    concerns = list(concerns)
    if len(concerns) < 2:
        raise Refused("Offer at least two concerns to choose from.")
    consultation = Consultation.objects.create(
        ward=ward,
        cluster=cluster,
        title=title.strip(),
        question=question.strip() or Consultation._meta.get_field("question").default,
        opens_at=opens_at,
        closes_at=closes_at,
        min_level=min_level,
        allow_free_text=allow_free_text,
        ask_demographics=ask_demographics,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        is_demo=is_demo,
    )
    consultation.concerns.set(concerns)
    record(actor, "priorities.consultation.create", consultation, ward_code=_ward_code(ward), title=consultation.title)
    return consultation


def _check_choices(consultation: Consultation, choices: list) -> list[Concern]:
    ids = [int(c) for c in choices if c not in (None, "")]
    if not ids:
        raise Refused("Choose at least one concern as your first choice.")
    if len(ids) > 3:
        raise Refused("Choose at most three concerns.")
    if len(set(ids)) != len(ids):
        raise Refused("You ranked the same concern more than once. Choose a different concern for each place.")
    offered = {c.pk: c for c in consultation.concerns.all()}
    unknown = [i for i in ids if i not in offered]
    if unknown:
        raise Refused("One of your choices is not offered in this consultation. Choose from the list.")
    return [offered[i] for i in ids]


def _check_demographics(answers: dict) -> dict:
    allowed = {"age_band": AgeBand.values, "ethnicity": Ethnicity.values, "relationship": Relationship.values}
    clean = {}
    for field, values in allowed.items():
        value = (answers or {}).get(field) or ""
        if value and value not in values:
            raise Refused(f"“{value}” is not one of the answers for {field.replace('_', ' ')}. Choose from the list.")
        clean[field] = value
    return clean


def why_cannot_vote(user, consultation: Consultation) -> tuple[str | None, int]:
    """Why `user` cannot vote in `consultation` now (None if they can), and their level there."""
    if not getattr(user, "is_authenticated", False):
        return "Sign in to take part.", 0
    status = consultation.status()
    if status == "upcoming":
        return f"This consultation opens on {timezone.localtime(consultation.opens_at):%-d %B %Y}.", 0
    if status == "closed":
        return "This consultation has closed, so ballots can no longer be cast or changed.", 0
    wards = consultation.wards()
    level = eligibility.level_for_any(user, wards)
    if level >= consultation.min_level:
        return None, level
    needed = (
        f"This consultation is open to people at verification level {consultation.min_level} "
        f"({Level(consultation.min_level).label}) or above in {consultation.area.name}"
    )
    if not eligibility.is_member_of_any(user, wards):
        names = " or ".join(w.name for w in wards)
        return f"{needed}. If you live, work or study there, add {names} on your wards page to take part.", level
    if not user.is_confirmed:
        return f"{needed}. Confirm your email address (open the link we sent you) to take part.", level
    next_step = "Verify your address to take part." if consultation.min_level == Level.ADDRESS else ""
    return f"{needed}; you are at level {level} ({Level(level).label}). {next_step}".strip(), level


@transaction.atomic
def cast_ballot(
    user, consultation: Consultation, choices: list, *, other_text: str = "", demographics=None, receipt: str = ""
) -> str:
    """Record a person's ranked choices, or change them with their receipt; returns the receipt.

    The receipt is the only thing that leads back to the ballot, and only the voter gets it:
    the server keeps a hash of it bound to the voter, so nobody holding the database and
    BALLOT_KEY can tell which ballot is whose.
    """
    problem, level = why_cannot_vote(user, consultation)
    if problem:
        raise Refused(problem)
    concerns = _check_choices(consultation, choices)
    answers = _check_demographics(demographics) if consultation.ask_demographics else {}
    other_text = (other_text or "").strip()[:300] if consultation.allow_free_text else ""
    ranked = concerns + [None] * (3 - len(concerns))
    choice_fields = {"level": level, "first": ranked[0], "second": ranked[1], "third": ranked[2]}
    key = voter_key(user, consultation)
    # No audit row: an audit row naming the voter, with its time, could be matched to a ballot.
    if Participation.objects.select_for_update().filter(voter_key=key).exists():
        ballot = None
        if receipt:
            ballot = consultation.ballots.select_for_update().filter(receipt_hash=receipt_hash(key, receipt)).first()
        if ballot is None:
            raise Refused(
                "You have already taken part. Your choices can be changed only with the receipt you got when you "
                "voted (the browser you voted from keeps it): nothing on our side records which ballot is yours."
            )
        Ballot.objects.filter(pk=ballot.pk).update(other_text=other_text, **choice_fields)
        Demographics.objects.filter(ballot=ballot).delete()
    else:
        receipt = secrets.token_urlsafe(18)
        try:
            with transaction.atomic():
                Participation.objects.create(voter_key=key, consultation=consultation)
        except IntegrityError as exc:
            raise Refused("Your ballot was already being recorded; reload the page to see it.") from exc
        ballot = Ballot.objects.create(
            consultation=consultation, receipt_hash=receipt_hash(key, receipt), other_text=other_text, **choice_fields
        )
    if any(answers.values()):
        Demographics.objects.create(ballot=ballot, **answers)
    return receipt


def has_voted(user, consultation: Consultation) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and Participation.objects.filter(voter_key=voter_key(user, consultation)).exists()
    )


@transaction.atomic
def close_consultation(actor, consultation: Consultation) -> Consultation:
    """Close a consultation now, before its closing date."""
    now = timezone.now()
    if consultation.is_closed(now):
        raise Refused("This consultation has already closed.")
    if not consultation.is_open(now):
        raise Refused("This consultation has not opened yet; change its dates instead.")
    consultation.closes_at = now
    consultation.save(update_fields=["closes_at"])
    record(actor, "priorities.consultation.close", consultation, ward_code=_ward_code(consultation.ward))
    return consultation


def full_message(ward) -> str:
    return (
        f"{ward.name} already has {MAX_OPEN_PRIORITIES} open priorities, the most a ward can have. Review one as "
        "achieved or not achieved before setting another (a priority carried over stays open)."
    )


def _free_slot(ward) -> int | None:
    taken = set(Priority.objects.for_ward(ward).open().values_list("slot", flat=True))
    return next((s for s in range(1, MAX_OPEN_PRIORITIES + 1) if s not in taken), None)


def _consultation_evidence(consultation: Consultation | None, concern: Concern | None) -> str:
    if consultation is None or concern is None:
        return ""
    results = published_results(consultation)
    headline = results.headline
    row = headline.row_for(concern.pk) if headline else None
    if headline is None or row is None:
        return f"Chosen in the consultation “{consultation.title}”."
    return (
        f"Ranked {row.rank} of {len(headline.rows)} by {headline.label.lower()} in “{consultation.title}” "
        f"({row.points:.0f} points; first choice of {row.first:.0f} of {headline.respondents:.0f})."
    )


def _check_agreeing_meeting(meeting, ward, agreed_on: date) -> None:
    """A priority is agreed at a panel meeting covering the ward, held on the day it was agreed."""
    from django.utils import timezone

    if meeting.kind not in Event.PANEL_KINDS:
        raise Refused(f"“{meeting.title}” is not a panel meeting; priorities are agreed at ward or cluster panels.")
    if not Event.objects.for_ward(ward).filter(pk=meeting.pk).exists():
        raise Refused(f"“{meeting.title}” is not a meeting for {ward.name}. Choose one of the ward's panel meetings.")
    if meeting.status == Event.Status.CANCELLED or meeting.starts_at > timezone.now():
        raise Refused(f"“{meeting.title}” has not taken place; choose the meeting where the priority was agreed.")
    held_on = timezone.localdate(meeting.starts_at)
    if held_on != agreed_on:
        raise Refused(
            f"“{meeting.title}” was held on {held_on:%-d %B %Y}, not on {agreed_on:%-d %B %Y} when the priority "
            "was agreed. Choose the meeting that agreed it, or correct the date."
        )


@transaction.atomic
def set_priority(
    actor,
    ward,
    *,
    statement: str,
    agreed_on: date,
    review_on: date,
    concern: Concern | None = None,
    consultation: Consultation | None = None,
    meeting=None,
    meeting_ref: str = "",
    evidence_note: str = "",
    carried_from: Priority | None = None,
    is_demo: bool = False,
) -> Priority:
    """Agree a ward priority at a panel meeting, with its evidence and baseline; at most three open."""
    statement = (statement or "").strip()
    if not statement:
        raise Refused("Write the priority as a statement, e.g. “Reduce phone snatching near the station”.")
    if review_on <= agreed_on:
        raise Refused("The review date must be after the date the priority was agreed.")
    if consultation is not None and ward not in consultation.wards():
        raise Refused("That consultation is not for this ward.")
    if consultation is not None and not consultation.is_closed():
        # Evidence is published: citing an open consultation would publish its running result.
        raise Refused(
            f"“{consultation.title}” is still open, and its results stay secret until it closes on "
            f"{timezone.localtime(consultation.closes_at):%-d %B %Y}. Cite it once it has closed."
        )
    if meeting is not None:
        _check_agreeing_meeting(meeting, ward, agreed_on)
    # Lock the ward's open priorities so two panels saving at once cannot both take the last slot.
    list(Priority.objects.select_for_update().for_ward(ward).open())
    slot = _free_slot(ward)
    if slot is None:
        raise Refused(full_message(ward))
    categories = list(concern.crime_categories) if concern else []
    priority = Priority(
        ward=ward,
        statement=statement,
        concern=concern,
        crime_categories=categories,
        consultation=consultation,
        meeting=meeting,
        meeting_ref=meeting_ref.strip(),
        agreed_on=agreed_on,
        review_on=review_on,
        slot=slot,
        carried_from=carried_from,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        is_demo=is_demo,
    )
    parts = []
    if categories:
        agreed_month = evidence.month_start(agreed_on)
        priority.baseline_start = evidence.add_months(agreed_month, -BASELINE_MONTHS)
        priority.baseline_end = evidence.add_months(agreed_month, -1)
        priority.baseline_count = evidence.crime_count(
            [ward], categories, priority.baseline_start, priority.baseline_end
        )
        parts.append(
            f"{priority.baseline_count} recorded {evidence.noun(categories)} "
            f"({', '.join(evidence.category_names(categories))}) in the {BASELINE_MONTHS} months "
            f"{priority.baseline_start:%B %Y} to {priority.baseline_end:%B %Y}."
        )
    parts.append(_consultation_evidence(consultation, concern))
    parts.append(evidence_note.strip())
    priority.evidence = " ".join(p for p in parts if p) or "Agreed by the panel."
    try:
        with transaction.atomic():
            priority.save()
    except IntegrityError as exc:
        raise Refused(full_message(ward)) from exc
    record(
        actor,
        "priorities.priority.set",
        priority,
        ward_code=ward.gss_code,
        statement=priority.statement,
        baseline_count=priority.baseline_count,
        meeting_id=priority.meeting_id,
        meeting_ref=priority.meeting_ref,
    )
    return priority


@transaction.atomic
def record_action(
    actor, priority: Priority, *, taken_on: date, description: str, is_demo: bool = False
) -> PriorityAction:
    """Record something the team did about an open priority, on a date."""
    description = (description or "").strip()
    if not description:
        raise Refused("Describe what was done.")
    if priority.status != Priority.Status.OPEN:
        raise Refused("This priority has been reviewed; record actions against the priority that carried it over.")
    if taken_on > timezone.localdate():
        raise Refused("The date of an action cannot be in the future.")
    if taken_on < priority.agreed_on:
        raise Refused(f"The action's date is before the priority was agreed ({priority.agreed_on:%-d %B %Y}).")
    action = PriorityAction.objects.create(
        priority=priority,
        taken_on=taken_on,
        description=description,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        is_demo=is_demo,
    )
    record(
        actor,
        "priorities.action.record",
        priority,
        ward_code=priority.ward.gss_code,
        action_id=action.pk,
        taken_on=taken_on.isoformat(),
        description=description,
    )
    return action


def data_for_review(priority: Priority, reviewed_on: date | None = None) -> str:
    """What recorded crime there is to review `priority` with, in words (shown before and after reviewing)."""
    reviewed_on = reviewed_on or timezone.localdate()
    if not priority.crime_categories:
        return "This priority has no matching crime category, so the review rests on the panel's judgement."
    latest = evidence.latest_month([priority.ward])
    if latest is None:
        return (
            f"No recorded crime is loaded for {priority.ward.name}, so there are no figures to compare: "
            "the review rests on the panel's judgement."
        )
    periods = review_periods(priority, reviewed_on)
    if periods is None:
        return (
            f"Recorded crime is published up to {latest:%B %Y}, and this priority was agreed on "
            f"{priority.agreed_on:%-d %B %Y}: no whole month of figures since then yet, so the review rests on "
            "the panel's judgement. It can still be carried over, or called achieved or not achieved."
        )
    before_start, before_end, after_start, after_end = periods
    return (
        f"Recorded crime is published up to {latest:%B %Y}. The review compares {after_start:%B %Y} to "
        f"{after_end:%B %Y} with the same number of months before the priority was agreed "
        f"({before_start:%B %Y} to {before_end:%B %Y})."
    )


def review_periods(priority: Priority, reviewed_on: date) -> tuple[date, date, date, date] | None:
    """Matching before and after periods (whole months), or None when no month of data follows agreement.

    After: from the month after the agreement month up to the month before the review (or the
    latest month with data, if earlier). Before: as many months, ending the month before the
    agreement month. The agreement month itself is in neither.
    """
    agreed_month = evidence.month_start(priority.agreed_on)
    after_start = evidence.add_months(agreed_month, 1)
    after_end = evidence.add_months(evidence.month_start(reviewed_on), -1)
    latest = evidence.latest_month([priority.ward])
    if latest is not None and latest < after_end:
        after_end = latest
    if after_end < after_start:
        return None
    months = evidence.months_between(after_start, after_end)
    before_end = evidence.add_months(agreed_month, -1)
    before_start = evidence.add_months(agreed_month, -months)
    return before_start, before_end, after_start, after_end


REVIEW_OUTCOMES = (Priority.Status.ACHIEVED, Priority.Status.NOT_ACHIEVED, Priority.Status.CARRIED_OVER)


@transaction.atomic
def review_priority(
    actor, priority: Priority, *, outcome: str, note: str = "", reviewed_on: date | None = None, is_demo: bool = False
) -> Review:
    """Review a priority: before and after figures over matching periods, and its new status."""
    reviewed_on = reviewed_on or timezone.localdate()
    if priority.status != Priority.Status.OPEN:
        raise Refused("This priority has already been reviewed.")
    if outcome not in REVIEW_OUTCOMES:
        raise Refused("Choose an outcome: achieved, not achieved or carried over.")
    if reviewed_on <= priority.agreed_on:
        raise Refused("A review must come after the priority was agreed.")
    review = Review(
        priority=priority,
        reviewed_on=reviewed_on,
        outcome=outcome,
        note=(note or "").strip(),
        reviewed_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    # Without a month of data since agreement the panel may still decide (carry it over, or call it
    # achieved or not on what it knows); the review then holds no figures and its page says why.
    periods = review_periods(priority, reviewed_on) if priority.crime_categories else None
    if periods is not None:
        review.before_start, review.before_end, review.after_start, review.after_end = periods
        wards, cats = [priority.ward], priority.crime_categories
        review.before_count = evidence.crime_count(wards, cats, review.before_start, review.before_end)
        review.after_count = evidence.crime_count(wards, cats, review.after_start, review.after_end)
        months = evidence.months_between(review.after_start, review.after_end)
        comparison = compare_counts(review.before_count, review.after_count, months, months)
        review.rate_ratio, review.ratio_low, review.ratio_high = (
            comparison.rate_ratio,
            comparison.ratio_low,
            comparison.ratio_high,
        )
        review.p_value = comparison.p_value
    review.save()
    old_status = priority.status
    priority.status = outcome
    priority.slot = None
    priority.save(update_fields=["status", "slot"])
    record(
        actor,
        "priorities.priority.review",
        priority,
        ward_code=priority.ward.gss_code,
        from_status=old_status,
        to_status=outcome,
        before_count=review.before_count,
        after_count=review.after_count,
        note=review.note,
    )
    if outcome == Priority.Status.CARRIED_OVER:
        set_priority(
            actor,
            priority.ward,
            statement=priority.statement,
            agreed_on=reviewed_on,
            review_on=reviewed_on + timedelta(days=CARRY_OVER_REVIEW_DAYS),
            concern=priority.concern,
            consultation=priority.consultation,
            meeting_ref=priority.meeting_ref,
            evidence_note=f"Carried over from the priority agreed on {priority.agreed_on:%-d %B %Y}.",
            carried_from=priority,
            is_demo=is_demo or priority.is_demo,
        )
    return review


@transaction.atomic
def remap_priorities(generation, *, actor=None) -> dict:
    """After a new ward generation is imported: move each open priority on an older ward to its successor
    (the same code, or the new ward holding most of it) in a free slot; flag the rest for the team to
    re-agree (the priority's page and the API say why)."""
    counts = {"moved": 0, "flagged": 0}
    stale = Priority.objects.open().exclude(ward__generation=generation).select_related("ward")
    for priority in stale.select_for_update(of=("self",)).order_by("pk"):
        old = priority.ward
        found = successor(old, generation)
        slot = None
        if found.ward is not None:
            taken = Priority.objects.open().filter(ward=found.ward, slot=priority.slot).exists()
            slot = _free_slot(found.ward) if taken else priority.slot
        if found.ward is None or slot is None:
            reason = found.reason if found.ward is None else f"{found.ward.name} already has its open priorities"
            if not priority.needs_review:
                Priority.objects.filter(pk=priority.pk).update(
                    needs_review=True, review_reason=f"Ward boundaries changed: {reason}"[:300]
                )
                record(actor, "priority.flagged", priority, ward_code=old.gss_code)
            counts["flagged"] += 1
            continue
        Priority.objects.filter(pk=priority.pk).update(
            ward=found.ward, slot=slot, remapped_from=old.gss_code, needs_review=False, review_reason=""
        )
        record(actor, "priority.remapped", priority, ward_code=found.ward.gss_code, old_ward=old.gss_code)
        counts["moved"] += 1
    return counts


def remap_after_boundary_import(sender, generation, **kwargs) -> dict | None:
    """When the generation in force today is imported, move open priorities onto it (or flag them)."""
    if generation_for() != generation:
        return None  # an older (or future) pattern: priorities stay on today's wards
    return remap_priorities(generation)
