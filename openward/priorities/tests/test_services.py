"""Casting ballots, setting and reviewing priorities, through the real services."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from openward.core.models import AuditEvent
from openward.crime.tests.factories import add_crimes
from openward.priorities import services
from openward.priorities.models import Ballot, Concern, Priority, Review
from openward.priorities.services import Refused
from tests.personas import make_resident, verify


@pytest.fixture
def consultation(ward, panel_chair, concerns, open_window):
    return services.create_consultation(
        panel_chair,
        ward=ward,
        title="Station Ward priorities 2026",
        opens_at=open_window[0],
        closes_at=open_window[1],
        concerns=concerns.values(),
    )


def test_mugging_is_a_synonym_for_street_robbery_and_theft_from_the_person(concerns):
    (concern,) = Concern.objects.matching("Mugging")
    assert concern.slug == "street-robbery-and-theft"
    assert set(concern.crime_categories) == {"robbery", "theft-from-the-person"}


def test_one_ballot_per_person_changeable_until_close_with_the_voters_own_receipt(consultation, concerns, ward):
    voter, neighbour = make_resident(ward=ward), make_resident(ward=ward)
    receipt = services.cast_ballot(voter, consultation, [concerns["burglary"].pk, concerns["drugs"].pk])
    neighbours_receipt = services.cast_ballot(neighbour, consultation, [concerns["drugs"].pk])
    with pytest.raises(Refused, match="already taken part"):
        services.cast_ballot(voter, consultation, [concerns["violence"].pk])
    # A receipt is bound to its voter: someone else's is no use, even to another voter.
    with pytest.raises(Refused, match="already taken part"):
        services.cast_ballot(voter, consultation, [concerns["violence"].pk], receipt=neighbours_receipt)
    again = services.cast_ballot(
        voter, consultation, [concerns["violence"].pk], demographics={"age_band": "30-44"}, receipt=receipt
    )
    assert again == receipt
    assert sorted(b.ranked_ids() for b in Ballot.objects.filter(consultation=consultation)) == sorted(
        [[concerns["violence"].pk], [concerns["drugs"].pk]]
    )
    ballot = Ballot.objects.get(first=concerns["violence"])
    assert ballot.demographics.age_band == "30-44"
    assert services.has_voted(voter, consultation) and consultation.participations.count() == 2


def test_ballot_refused_when_closed_and_nothing_changes(consultation, concerns, ward, db_snapshot):
    voter = make_resident(ward=ward)
    services.cast_ballot(voter, consultation, [concerns["burglary"].pk])
    consultation.closes_at = timezone.now() - timedelta(seconds=1)
    consultation.save()
    before = db_snapshot()
    with pytest.raises(Refused, match="closed"):
        services.cast_ballot(voter, consultation, [concerns["drugs"].pk])
    assert Ballot.objects.get().first_id == concerns["burglary"].pk
    assert db_snapshot() == before


def test_ballot_refused_when_a_concern_is_ranked_twice(consultation, concerns, ward):
    with pytest.raises(Refused, match="more than once"):
        services.cast_ballot(make_resident(ward=ward), consultation, [concerns["drugs"].pk, concerns["drugs"].pk])
    assert not Ballot.objects.exists()


def test_ballot_refused_below_the_consultation_level(consultation, concerns, ward):
    consultation.min_level = 2
    consultation.save()
    voter = make_resident(ward=ward, level=1)
    with pytest.raises(Refused, match="you are at level 1"):
        services.cast_ballot(voter, consultation, [concerns["drugs"].pk])
    verify(voter, ward, level=2)
    services.cast_ballot(voter, consultation, [concerns["drugs"].pk])
    assert Ballot.objects.get().level == 2


def test_people_from_elsewhere_and_unconfirmed_people_cannot_vote(consultation, concerns, ward, other_ward):
    # Level 2 in the next ward counts for nothing here: levels are per ward.
    with pytest.raises(Refused, match="add Station Ward on your wards page"):
        services.cast_ballot(make_resident(ward=other_ward, level=2), consultation, [concerns["drugs"].pk])
    with pytest.raises(Refused, match="Confirm your email address"):
        services.cast_ballot(make_resident(ward=ward, level=0), consultation, [concerns["drugs"].pk])
    assert not Ballot.objects.exists()


def test_casting_a_ballot_writes_no_audit_row_naming_the_voter(consultation, concerns, ward):
    voter = make_resident(ward=ward)
    services.cast_ballot(voter, consultation, [concerns["drugs"].pk])
    assert not AuditEvent.objects.filter(actor=voter).exists()


def _priority(actor, ward, concerns, n=0, **kw):
    return services.set_priority(
        actor,
        ward,
        statement=f"Priority {n}",
        agreed_on=kw.pop("agreed_on", date(2025, 6, 10)),
        review_on=date(2025, 12, 10),
        concern=kw.pop("concern", concerns["burglary"]),
        **kw,
    )


def test_a_fourth_open_priority_is_refused_and_nothing_changes(panel_chair, ward, concerns, db_snapshot):
    for n in range(3):
        _priority(panel_chair, ward, concerns, n)
    before = db_snapshot()
    with pytest.raises(Refused, match="already has 3 open priorities"):
        _priority(panel_chair, ward, concerns, 4)
    assert Priority.objects.filter(ward=ward).count() == 3
    assert db_snapshot() == before


def test_the_database_refuses_a_fourth_open_slot(panel_chair, ward, concerns):
    from django.db import IntegrityError, transaction

    first = _priority(panel_chair, ward, concerns)
    with pytest.raises(IntegrityError), transaction.atomic():
        Priority.objects.create(
            ward=ward,
            statement="x",
            agreed_on=date(2025, 1, 1),
            review_on=date(2025, 2, 1),
            slot=first.slot,
            evidence="x",
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Priority.objects.create(
            ward=ward, statement="x", agreed_on=date(2025, 1, 1), review_on=date(2025, 2, 1), slot=4, evidence="x"
        )


def test_baseline_and_review_figures_equal_counts_from_the_crimes_created(
    client, officer, panel_chair, ward, other_ward, concerns
):
    robbery = concerns["street-robbery-and-theft"]
    created = []  # (ward, category, month, count): every crime this test creates

    def add(w, slug, month, n):
        add_crimes(w, slug, month, n)
        created.append((w, slug, month, n))

    for year in (2024, 2025):
        for month in range(1, 13):
            m = date(year, month, 1)
            add(ward, "robbery", m, month % 4 + year - 2022)
            add(ward, "theft-from-the-person", m, month % 3 + 1)
            add(ward, "burglary", m, 7)  # another category
            add(other_ward, "robbery", m, 9)  # another ward
    add(ward, "robbery", date(2025, 12, 1), 50)  # the review month itself

    def expected(start, end):
        cats = {"robbery", "theft-from-the-person"}
        return sum(n for w, slug, m, n in created if w == ward and slug in cats and start <= m <= end)

    priority = _priority(panel_chair, ward, concerns, concern=robbery, agreed_on=date(2025, 6, 10))
    # Baseline: the 12 whole months before the agreement month.
    assert (priority.baseline_start, priority.baseline_end) == (date(2024, 6, 1), date(2025, 5, 1))
    assert priority.baseline_count == expected(date(2024, 6, 1), date(2025, 5, 1))

    # Reviewed in December: after = July–November (5 months, the latest before the review month);
    # before = the 5 months ending May. June, the agreement month, is in neither.
    review = services.review_priority(officer, priority, outcome="achieved", reviewed_on=date(2025, 12, 5))
    before, after = expected(date(2025, 1, 1), date(2025, 5, 1)), expected(date(2025, 7, 1), date(2025, 11, 1))
    assert (review.before_start, review.before_end) == (date(2025, 1, 1), date(2025, 5, 1))
    assert (review.after_start, review.after_end) == (date(2025, 7, 1), date(2025, 11, 1))
    assert (review.before_count, review.after_count) == (before, after)
    assert review.rate_ratio == pytest.approx(after / before)
    priority.refresh_from_db()
    assert priority.status == "achieved" and priority.slot is None
    actions = list(AuditEvent.objects.filter(target_id=str(priority.pk)).values_list("action", flat=True))
    assert sorted(actions) == ["priorities.priority.review", "priorities.priority.set"]
    page = client.get(f"/priorities/{priority.pk}/").content.decode()
    assert f'<td class="num">{before}</td>' in page and f'<td class="num">{after}</td>' in page
    assert "January 2025 to May 2025" in page and "July 2025 to November 2025" in page
    assert "exact Poisson comparison" in page


def test_carried_over_priority_continues_in_the_freed_slot(officer, panel_chair, ward, concerns):
    for n in range(3):
        _priority(panel_chair, ward, concerns, n, concern=concerns["road-safety"])
    first = Priority.objects.order_by("id").first()
    services.review_priority(officer, first, outcome="carried_over", reviewed_on=date(2025, 12, 1))
    carried = Priority.objects.get(carried_from=first)
    assert carried.status == "open" and carried.statement == first.statement
    assert Priority.objects.open().count() == 3
    assert Review.objects.get(priority=first).before_count is None  # no crime category: no figures


def test_action_refused_in_the_future(officer, panel_chair, ward, concerns):
    p = _priority(panel_chair, ward, concerns)
    with pytest.raises(Refused, match="future"):
        services.record_action(officer, p, taken_on=timezone.localdate() + timedelta(days=2), description="Patrols")
    services.record_action(officer, p, taken_on=date(2025, 7, 1), description="Patrols")
    assert p.latest_action().description == "Patrols"


@pytest.mark.parametrize("outcome", ["achieved", "not_achieved", "carried_over"])
def test_a_priority_can_be_reviewed_before_new_crime_data_and_the_page_says_so(
    client, officer, panel_chair, ward, concerns, outcome
):
    """Data up to September 2025, agreed in October: no month since, yet each outcome is allowed, without figures."""
    for month in range(1, 10):
        add_crimes(ward, "burglary", date(2025, month, 1), 4)
    priority = _priority(panel_chair, ward, concerns, agreed_on=date(2025, 10, 20))
    assert priority.baseline_count == 4 * 9  # October 2024 to September 2025 holds January to September
    said = services.data_for_review(priority, date(2025, 11, 18))
    assert said.startswith("Recorded crime is published up to September 2025, and this priority was agreed on")
    review = services.review_priority(panel_chair, priority, outcome=outcome, reviewed_on=date(2025, 11, 18))
    assert (review.before_count, review.after_count, review.p_value) == (None, None, None)
    priority.refresh_from_db()
    assert priority.status == outcome and priority.slot is None
    assert Priority.objects.filter(carried_from=priority).exists() == (outcome == "carried_over")
    page = client.get(f"/priorities/{priority.pk}/").content.decode()
    assert "No whole month of recorded crime had been published since the priority was agreed" in page
    words = {"achieved": "achieved", "not_achieved": "not achieved", "carried_over": "carried over"}[outcome]
    assert f"reviewed: {words}</li>" in page and "_" not in page.split("<h2>History</h2>")[1].split("</ul>")[0]


def test_review_with_figures_says_what_it_compares(officer, panel_chair, ward, concerns):
    for month in range(1, 13):
        add_crimes(ward, "burglary", date(2025, month, 1), 4)
    priority = _priority(panel_chair, ward, concerns, agreed_on=date(2025, 6, 10))
    assert services.data_for_review(priority, date(2025, 11, 18)) == (
        "Recorded crime is published up to December 2025. The review compares July 2025 to October 2025 with the "
        "same number of months before the priority was agreed (February 2025 to May 2025)."
    )
    # The review itself compares exactly the months it said, with their figures.
    review = services.review_priority(panel_chair, priority, outcome="achieved", reviewed_on=date(2025, 11, 18))
    months = [f"{d:%B %Y}" for d in (review.before_start, review.before_end, review.after_start, review.after_end)]
    assert months == ["February 2025", "May 2025", "July 2025", "October 2025"]
    assert (review.before_count, review.after_count) == (4 * 4, 4 * 4) and review.p_value is not None
