"""Counting real residents once: unverified accounts cannot move the verified result, and no
output lets anyone link a ballot to a person."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import models
from django.urls import reverse
from django.utils import timezone

from openward.accounts.models import Role
from openward.core.models import AuditEvent
from openward.priorities import services
from openward.priorities.models import Ballot, Demographics, PopulationGroup
from openward.priorities.results import consultation_results

from .conftest import grant, make_resident, make_user, sign_in


@pytest.fixture
def consultation(ward, panel_chair, concerns, open_window):
    return services.create_consultation(
        panel_chair,
        ward=ward,
        title="Station Ward 2026",
        opens_at=open_window[0],
        closes_at=open_window[1],
        concerns=concerns.values(),
    )


def _close(consultation):
    consultation.closes_at = timezone.now() - timedelta(seconds=1)
    consultation.save()


def _rows(result):
    return [(r.concern.slug, r.rank, r.points, r.first, r.mentions) for r in result.rows]


def test_twenty_unverified_accounts_cannot_swing_the_verified_result(client, consultation, concerns, levels, ward):
    verified = []
    for i in range(15):
        voter = make_user()
        levels[(voter.pk, ward.pk)] = 2
        first, second = ("burglary", "drugs") if i < 10 else ("drugs", "burglary")
        services.cast_ballot(voter, consultation, [concerns[first].pk, concerns[second].pk])
        verified.append(voter)
    before = consultation_results(consultation)
    assert before.verified is not None
    assert before.verified.rows[0].concern.slug == "burglary"
    assert before.verified.rows[0].points == 10 * 3 + 5 * 2

    for _ in range(20):  # sock puppets: email confirmed with a postcode in the ward (level 1), address never verified
        puppet = make_user()
        levels[(puppet.pk, ward.pk)] = 1
        services.cast_ballot(puppet, consultation, [concerns["road-safety"].pk])
    _close(consultation)
    after = consultation_results(consultation)

    assert _rows(after.verified) == _rows(before.verified)
    assert after.verified.respondents == 15
    assert Ballot.objects.filter(level=1).count() == 20 and Ballot.objects.filter(level=2).count() == 15
    assert after.overall.respondents == 35
    assert after.overall.rows[0].concern.slug == "road-safety"
    assert after.overall.rows[0].points == 60
    road = next(d for d in after.differences() if d["concern"].slug == "road-safety")
    assert road["all_rank"] == 1 and road["verified_rank"] > 2
    assert road["all_share"] == pytest.approx(60 / (60 + 40 + 35))

    page = client.get(reverse("priorities:consultation", args=[consultation.pk])).content.decode()
    assert "All respondents compared with verified respondents" in page
    assert "Verified respondents: 15 respondents" in page and "All respondents: 35 respondents" in page


def test_small_groups_are_not_broken_down(consultation, concerns, levels, ward):
    for i in range(12):
        voter = make_resident(ward, level=2 if i < 3 else 1)
        services.cast_ballot(
            voter, consultation, [concerns["burglary"].pk], demographics={"age_band": "16-29" if i < 4 else "45-64"}
        )
    PopulationGroup.objects.bulk_create(
        [
            PopulationGroup(ward=ward, dimension="age", group=g, count=100, source="test")
            for g in ("16-29", "30-44", "45-64", "65+")
        ]
        + [
            PopulationGroup(ward=ward, dimension="ethnicity", group=g, count=100, source="test")
            for g in ("white", "black")
        ]
    )
    results = consultation_results(consultation)
    assert results.overall is not None and results.verified is None  # 3 verified: too few to show
    young = next(g for g in results.representativeness if g.group == "16-29")
    assert young.respondents is None and young.respondent_share is None  # 4 people: not counted out
    older = next(g for g in results.representativeness if g.group == "45-64")
    assert older.respondents is None  # 8 people: also hidden
    assert {g.label for g in results.representativeness if g.under_represented} >= {"30 to 44", "65 or over"}


def test_ballot_table_holds_nothing_that_names_or_orders_voters():
    for model in (Ballot, Demographics):
        for f in model._meta.get_fields():
            assert not isinstance(f, models.DateTimeField | models.DateField), f"{model.__name__}.{f.name}"
            if f.is_relation and f.related_model is not None:
                assert f.related_model.__name__ not in {"User", "AuditEvent"}, f"{model.__name__}.{f.name}"
    assert isinstance(Ballot._meta.pk, models.UUIDField)


def test_no_output_links_a_ballot_to_a_person(client, consultation, concerns, levels, ward, officer):
    voters = []
    for i in range(24):
        voter = make_user(f"voter{i:02d}@example.org", display_name=f"Voter Number{i:02d}")
        levels[(voter.pk, ward.pk)] = 1 + i % 2
        choice = ["burglary", "drugs", "violence"][i % 3]
        demographics = {
            "age_band": ["16-29", "30-44", "45-64", "65+"][i % 4],
            "ethnicity": "white",
            "relationship": "live",
        }
        sign_in(client, voter)
        response = client.post(
            f"/api/v1/priorities/consultations/{consultation.pk}/ballot",
            json.dumps({"choices": [choice], **demographics}),
            content_type="application/json",
        )
        voters.append(voter)
        assert response.status_code == 200
        vote_response = response.content.decode()
    _close(consultation)

    # Ballot ids are random: their order is not the order in which people voted (or signed up).
    keys_in_cast_order = [services.voter_key(v, consultation) for v in voters]
    keys_in_id_order = list(Ballot.objects.order_by("id").values_list("voter_key", flat=True))
    assert keys_in_id_order != keys_in_cast_order

    site_admin = grant(make_user("admin@example.org", is_staff=True, is_superuser=True), Role.SITE_ADMIN)
    outputs = {"vote response": vote_response}
    for who, user in (("anonymous", None), ("officer", officer), ("site admin", site_admin)):
        client.logout()
        if user:
            sign_in(client, user)
        for name, url in {
            "page": reverse("priorities:consultation", args=[consultation.pk]),
            "csv": reverse("priorities:consultation-csv", args=[consultation.pk]),
            "ward page": reverse("priorities:ward", args=[ward.gss_code]),
            "api results": f"/api/v1/priorities/consultations/{consultation.pk}/results",
            "api consultation": f"/api/v1/priorities/consultations/{consultation.pk}",
            "api consultations": f"/api/v1/priorities/consultations?ward={ward.gss_code}",
            "api ward": f"/api/v1/priorities/wards/{ward.gss_code}",
        }.items():
            response = client.get(url)
            assert response.status_code == 200, (who, name)
            outputs[f"{who} {name}"] = response.content.decode()

    secrets = set()
    for v in voters:
        secrets |= {v.email, v.display_name, services.voter_key(v, consultation)}
    for b in Ballot.objects.all():
        secrets |= {str(b.pk), b.pk.hex}
    for d in Demographics.objects.all():
        secrets |= {str(d.pk), d.pk.hex}
    for name, text in outputs.items():
        found = [s for s in secrets if s in text]
        assert not found, f"{name} reveals {found[:3]}"
        # No per-voter list: no user ids in a JSON list and no "user" keys.
        assert '"user' not in text and "voter" not in text.lower(), name
    assert not AuditEvent.objects.filter(actor__in=voters).exists()
