"""Counting real residents once: unverified accounts cannot move the verified result, and no
output lets anyone link a ballot to a person."""

from __future__ import annotations

import itertools
import json
import re
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection, models, transaction
from django.urls import reverse
from django.utils import timezone

from openward.accounts.models import Role, User
from openward.areas.models import Neighbourhood
from openward.core.models import AuditEvent
from openward.priorities import services
from openward.priorities.models import Ballot, Demographics, Participation, PopulationGroup, Priority
from openward.priorities.results import NotPublished, consultation_results, free_text
from tests.personas import make_resident, make_staff, sign_in


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


def test_twenty_unverified_accounts_cannot_swing_the_verified_result(client, consultation, concerns, ward):
    verified = []
    for i in range(15):
        voter = make_resident(ward=ward, level=2)
        first, second = ("burglary", "drugs") if i < 10 else ("drugs", "burglary")
        services.cast_ballot(voter, consultation, [concerns[first].pk, concerns[second].pk])
        verified.append(voter)
    _close(consultation)
    before = consultation_results(consultation)
    assert before.verified is not None
    assert before.verified.rows[0].concern.slug == "burglary"
    assert before.verified.rows[0].points == 10 * 3 + 5 * 2

    consultation.closes_at = timezone.now() + timedelta(days=1)
    consultation.save()
    for _ in range(20):  # sock puppets: email confirmed with a postcode in the ward (level 1), address never verified
        puppet = make_resident(ward=ward, level=1)
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
    # One headline: the verified result, the others beside it, and why only 15 of 35 count as verified.
    assert "Among the 15 verified respondents, the top concern is <strong>Burglary</strong>" in page
    assert (
        "Among the 20 other respondents, whose address is not verified, the top concern is speeding and road safety"
        in page
    )
    assert "15 of the 35 people who took part were verified" in page
    assert after.others.respondents == 20 and after.others.rows[0].concern.slug == "road-safety"
    api = client.get(f"/api/v1/priorities/consultations/{consultation.pk}/results").json()
    assert api["headline"]["based_on"] == "verified" and api["headline"]["top_concern"] == "burglary"
    assert (api["headline"]["verified_respondents"], api["headline"]["other_respondents"]) == (15, 20)
    assert api["others"]["concerns"][0]["concern"] == "road-safety"


def test_small_groups_are_not_broken_down(consultation, concerns, ward):
    for i in range(12):
        voter = make_resident(ward=ward, level=2 if i < 3 else 1)
        services.cast_ballot(
            voter, consultation, [concerns["burglary"].pk], demographics={"age_band": "16-29" if i < 4 else "45-64"}
        )
    _close(consultation)
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


def test_ballot_tables_hold_nothing_that_names_or_orders_voters():
    for model in (Ballot, Demographics, Participation):
        for f in model._meta.get_fields():
            assert not isinstance(f, models.DateTimeField | models.DateField), f"{model.__name__}.{f.name}"
            if f.is_relation and f.related_model is not None:
                assert f.related_model.__name__ not in {"User", "AuditEvent"}, f"{model.__name__}.{f.name}"
        assert not isinstance(model._meta.pk, models.AutoField | models.BigAutoField), model.__name__
    # Who took part and what they chose share nothing but the consultation.
    assert {f.name for f in Ballot._meta.get_fields()} & {f.name for f in Participation._meta.get_fields()} == {
        "consultation"
    }


# How the rows sit on disk, read as someone with a copy of the database files would.
def physical_order(model) -> list:
    """Primary keys in the order the database stores the rows: what a copy of its files shows."""
    table, pk = connection.ops.quote_name(model._meta.db_table), connection.ops.quote_name(model._meta.pk.column)
    if connection.vendor == "postgresql":
        sql = f"SELECT {pk} FROM {table} ORDER BY ctid"
    else:
        # NOT INDEXED: a scan of the table itself, not of an index that happens to cover the column.
        sql = f"SELECT {pk} FROM {table} NOT INDEXED"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [model._meta.pk.to_python(row[0]) for row in cursor.fetchall()]


def stored_without_rowid(model) -> bool:
    """On SQLite: is the table keyed by its primary key alone, with no rowid counting up?"""
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = %s", [model._meta.db_table])
        row = cursor.fetchone()
    return bool(row) and row[0].upper().rstrip().endswith("WITHOUT ROWID")


def _raw(model) -> list[dict]:
    """Every row of a table as stored, read with SQL as someone with a copy of the database would."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT * FROM "{table}"')
        columns = [c[0] for c in cursor.description]
        rows = {str(model._meta.pk.to_python(r[columns.index(model._meta.pk.column)])): r for r in cursor.fetchall()}
    return [dict(zip(columns, rows[str(pk)], strict=True)) for pk in physical_order(model)]


def test_someone_with_the_database_and_the_key_cannot_tell_who_chose_what(consultation, concerns, ward):
    rankings = list(itertools.permutations([c.pk for c in concerns.values()], 2))[:30]
    voters, chose = [], {}
    for i, ranking in enumerate(rankings):
        voter = make_resident(ward=ward, level=1 + i % 2, display_name=f"Voter {i}")
        services.cast_ballot(voter, consultation, list(ranking), demographics={"age_band": "30-44"})
        voters.append(voter)
        chose[voter.pk] = ranking
    call_command("reorder_ballots")
    _close(consultation)

    # The attacker: every table as stored, and BALLOT_KEY, so every person's voter key.
    register, ballots, answers = _raw(Participation), _raw(Ballot), _raw(Demographics)
    key_of = {services.voter_key(u, consultation): u.pk for u in User.objects.all()}
    # They learn who took part (the marked register), as docs/ballot-secrecy.md says...
    assert sorted(key_of[r["voter_key"]] for r in register) == sorted(chose)
    # ...but no ballot or answer holds anything derived from a person,
    about_people = set(key_of) | {u.email for u in voters} | {u.display_name for u in voters}
    for row in ballots + answers:
        assert not {str(v) for v in row.values()} & about_people, row
    # ...and the order rows are stored in is their random keys' order, not the order of casting,
    ballot_of = {(b["first_id"], b["second_id"]): b["id"] for b in ballots}
    in_cast_order = [ballot_of[chose[v.pk]] for v in voters]
    assert [b["id"] for b in ballots] == sorted(b["id"] for b in ballots) != in_cast_order
    assert [r["voter_key"] for r in register] == sorted(
        key_of_voter for key_of_voter in (r["voter_key"] for r in register)
    )
    assert [str(a["id"]) for a in answers] == sorted(str(a["id"]) for a in answers)
    # ...so pairing the n-th register row with the n-th ballot (what a rowid allowed) is chance:
    # one right in 30 on average; ten or more by chance about once in ten million runs.
    right = sum(
        chose[key_of[r["voter_key"]]] == (b["first_id"], b["second_id"]) for r, b in zip(register, ballots, strict=True)
    )
    assert right < 10
    if connection.vendor == "sqlite":
        for model in (Participation, Ballot, Demographics):
            assert stored_without_rowid(model), model.__name__
            with pytest.raises(OperationalError, match="rowid"), transaction.atomic():
                connection.cursor().execute(f'SELECT rowid FROM "{model._meta.db_table}"')


def test_no_output_links_a_ballot_to_a_person(client, consultation, concerns, ward, officer):
    voters, receipts = [], []
    for i in range(24):
        voter = make_resident(
            ward=ward, level=1 + i % 2, email=f"voter{i:02d}@example.org", display_name=f"Voter Number{i:02d}"
        )
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
        receipts.append(response.json()["receipt"])
        # The voter gets their own receipt back, and nothing else that could identify the ballot.
        assert set(response.json()) == {"detail", "receipt"}
    _close(consultation)

    site_admin = make_staff(Role.SITE_ADMIN, email="admin@example.org", is_staff=True, is_superuser=True)
    outputs = {}
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

    secrets = set(receipts)
    for v in voters:
        secrets |= {v.email, v.display_name, services.voter_key(v, consultation)}
    for b in Ballot.objects.all():
        secrets |= {str(b.pk), b.pk.hex, b.receipt_hash}
    for d in Demographics.objects.all():
        secrets |= {str(d.pk), d.pk.hex}
    for name, text in outputs.items():
        found = [s for s in secrets if s in text]
        assert not found, f"{name} reveals {found[:3]}"
        # No per-voter list: no user ids in a JSON list and no "user" keys.
        assert '"user' not in text and "voter" not in text.lower(), name
    assert not AuditEvent.objects.filter(actor__in=voters).exists()


def _csrf_free(text: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)


def test_nothing_shows_a_running_result_before_close(client, consultation, concerns, ward, cluster, borough, force):
    """The walk: every page, export, API and section, before and after ballots are cast, must not differ."""
    Neighbourhood.objects.create(force=force, code=ward.gss_code, name=ward.name, ward=ward)
    chair = make_staff(Role.PANEL_CHAIR, ward, email="chair2@example.org")
    urls = [
        reverse("priorities:consultation", args=[consultation.pk]),
        reverse("priorities:consultation-csv", args=[consultation.pk]),
        reverse("priorities:ward", args=[ward.gss_code]),
        reverse("priorities:cluster", args=[cluster.slug]),
        reverse("priorities:borough", args=[borough.gss_code]),
        reverse("priorities:priority-new", args=[ward.gss_code]),
        reverse("areas:ward", args=[ward.gss_code]),
        f"/api/v1/priorities/consultations/{consultation.pk}/results",
        f"/api/v1/priorities/consultations/{consultation.pk}",
        f"/api/v1/priorities/consultations?ward={ward.gss_code}",
        f"/api/v1/priorities/wards/{ward.gss_code}",
        f"/api/metropolitan/{ward.gss_code}/priorities",
    ]

    def walk():
        seen = {}
        for who in (None, chair):
            client.logout()
            if who:
                sign_in(client, who)
            for url in urls:
                response = client.get(url)
                seen[(who and who.email, url)] = (response.status_code, _csrf_free(response.content.decode()))
        return seen

    before = walk()
    for i in range(15):
        first = "burglary" if i < 12 else "drugs"
        services.cast_ballot(
            make_resident(ward=ward), consultation, [concerns[first].pk], other_text=f"secret words {i}"
        )
    after = walk()
    changed = [key for key in before if before[key] != after[key]]
    assert not changed, f"a running result shows at {changed}"
    assert before[(None, urls[1])][0] == 404 and before[(None, urls[7])][0] == 409

    # Evidence is published, so a priority cannot cite the open consultation: not by service, page or API.
    with pytest.raises(NotPublished):
        consultation_results(consultation)
    assert free_text(consultation) == []
    with pytest.raises(services.Refused, match="still open"):
        services.set_priority(
            chair,
            ward,
            statement="Burglary",
            agreed_on=date(2025, 1, 1),
            review_on=date(2025, 6, 1),
            concern=concerns["burglary"],
            consultation=consultation,
        )
    sign_in(client, chair)
    body = {"statement": "Burglary", "agreed_on": "2025-01-01", "review_on": "2025-06-01", "concern": "burglary"}
    api = client.post(
        f"/api/v1/priorities/wards/{ward.gss_code}/priorities",
        {**body, "consultation_id": consultation.pk},
        content_type="application/json",
    )
    assert api.status_code == 400 and "still open" in api.json()["detail"]
    page = client.post(
        reverse("priorities:priority-new", args=[ward.gss_code]), {**body, "consultation": consultation.pk}
    )
    assert page.status_code == 400
    assert not Priority.objects.exists()

    # Once closed, the evidence cites the final result.
    _close(consultation)
    priority = services.set_priority(
        chair,
        ward,
        statement="Burglary",
        agreed_on=date(2025, 1, 1),
        review_on=date(2025, 6, 1),
        concern=concerns["burglary"],
        consultation=consultation,
    )
    assert "Ranked 1 of" in priority.evidence and "first choice of 12 of 15" in priority.evidence
