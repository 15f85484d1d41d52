"""The group's roles: what the chair, a reviewer and the force liaison each may see and do, and the chair
adding, changing and removing members by email (never a database id), the group always keeping a chair."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from openward.accounts import services as accounts
from openward.accounts.models import Role, RoleGrant, User
from openward.core.models import AuditEvent
from openward.monitoring import members, services
from openward.monitoring.models import StopReview
from openward.monitoring.services import MonitoringError
from tests.personas import make_staff, sign_in

pytestmark = pytest.mark.django_db

MONTH = dt.date(2024, 12, 1)
NOTE = "REVIEWER-NOTE-4521 the search seemed rushed"


def person(email: str) -> User:
    """Someone with a confirmed account and no role yet."""
    return User.objects.create_user(email=email, email_confirmed_at=timezone.now())


def client_for(person) -> Client:
    client = Client()
    sign_in(client, person)
    return client


def group_roles(group) -> dict[str, str]:
    grants = RoleGrant.objects.active().filter(borough=group.borough, role__in=members.ROLE_WORDS)
    return {g.user.email: g.role for g in grants.select_related("user")}


def test_each_role_does_only_its_part_of_the_work(group, chair, reviewer, liaison):
    code = group.borough.gss_code
    as_chair, as_reviewer, as_liaison = client_for(chair), client_for(reviewer), client_for(liaison)
    work = f"/monitoring/boroughs/{code}/work/"
    # Only the chair draws.
    for person in (as_reviewer, as_liaison):
        refused = person.post(work, {"month": "2024-12", "size": "3"})
        assert refused.status_code == 403 and not group.samples.exists()
    assert as_chair.post(work, {"month": "2024-12", "size": "3"}).status_code == 302
    sample = group.samples.get()
    first = sample.stops.first()
    url = f"/monitoring/boroughs/{code}/samples/{sample.pk}/"
    review = {"do": "review", "sampled": first.pk, "grounds_clear": "no", "video_seen": "yes"}
    review |= {"outcome_proportionate": "yes", "concerns": NOTE}
    # Reviewers review; the liaison may not, nor publish, nor record actions.
    assert as_liaison.post(url, review).status_code == 403 and not StopReview.objects.exists()
    assert as_reviewer.post(url, review).status_code == 302 and StopReview.objects.get().concerns == NOTE
    for do in ("publish", "action"):
        assert as_liaison.post(url, {"do": do, "what": "x", "owner": "y"}).status_code == 403
        assert as_reviewer.post(url, {"do": do, "what": "x", "owner": "y"}).status_code == 403
    # The liaison adds grounds; a reviewer may not.
    assert as_reviewer.post(url, {"do": "grounds", "sampled": first.pk, "text": "Smelt cannabis"}).status_code == 403
    assert as_liaison.post(url, {"do": "grounds", "sampled": first.pk, "text": "Smelt cannabis"}).status_code == 302
    # The liaison sees the stops and grounds, never the reviews or the group's figures before publication.
    page = as_liaison.get(url).content.decode()
    assert "Smelt cannabis" in page and "2024-12 stop 1" in page
    assert NOTE not in page and "Save review" not in page and "Grounds recorded clearly:" not in page
    api = as_liaison.get(f"/api/v1/monitoring/boroughs/{code}/samples/{sample.pk}").json()
    assert api["figures"] == [] and all("review" not in stop for stop in api["stops"])
    assert api["stops"][0]["grounds"] == ["Smelt cannabis"]
    reviewer_api = as_reviewer.get(f"/api/v1/monitoring/boroughs/{code}/samples/{sample.pk}").json()
    assert reviewer_api["stops"][0]["review"]["concerns"] == NOTE
    assert as_reviewer.get(url).content.decode().count(NOTE) == 1
    # After publication the liaison writes the force's response and sees the published figures.
    for sampled in sample.stops.all()[1:]:
        services.review_stop(reviewer, sampled, grounds_clear="yes", video_seen="yes", outcome_proportionate="yes")
    assert as_reviewer.post(url, {"do": "publish"}).status_code == 403
    assert as_chair.post(url, {"do": "publish"}).status_code == 302
    assert as_liaison.post(url, {"do": "respond", "text": "We will retrain."}).status_code == 302
    page = as_liaison.get(url).content.decode()
    assert "Grounds recorded clearly: fewer than 10 of fewer than 10" in page and NOTE not in page
    sample.refresh_from_db()
    assert sample.force_response == "We will retrain."
    # Only the chair manages members and meetings.
    for person in (as_reviewer, as_liaison):
        assert person.get(f"/monitoring/boroughs/{code}/members/").status_code == 403
        assert person.get(f"/monitoring/boroughs/{code}/meetings/").status_code == 403


def test_the_chair_adds_changes_and_removes_members_by_email(group, chair, client, db_snapshot):
    code = group.borough.gss_code
    newcomer = person("Newcomer@Example.org")
    sign_in(client, chair)
    url = f"/monitoring/boroughs/{code}/members/"
    added = client.post(url, {"do": "add", "email": "  NEWCOMER@example.org ", "role": Role.MONITORING_REVIEWER})
    assert added.status_code == 302
    assert group_roles(group) == {"chair@example.org": "monitoring_chair", "newcomer@example.org": "monitoring_group"}
    page = client.get(url).content.decode()
    assert "newcomer@example.org" in page and "Reviewer" in page
    # The same person given another role holds only the new one.
    assert client.post(url, {"do": "add", "email": newcomer.email, "role": Role.MONITORING_LIAISON}).status_code == 302
    assert group_roles(group)["newcomer@example.org"] == "monitoring_liaison"
    assert RoleGrant.objects.filter(user=newcomer).count() == 2  # the reviewer's grant is kept, revoked
    # Refusals say what to do and change nothing (the page shown again records that members were viewed).
    before, events = db_snapshot(), AuditEvent.objects.count()
    for data, says in (
        ({"do": "add", "email": "nobody@example.org", "role": Role.MONITORING_REVIEWER}, "Ask them to sign up first"),
        (
            {"do": "add", "email": newcomer.email, "role": Role.MONITORING_LIAISON},
            "already the group&#x27;s force liaison",
        ),
        ({"do": "add", "email": newcomer.email, "role": "site_admin"}, "choose their role"),
        ({"do": "remove", "email": "nobody@example.org"}, "Ask them to sign up first"),
        ({"do": "add", "email": chair.email, "role": Role.MONITORING_REVIEWER}, "the group&#x27;s only chair"),
        ({"do": "remove", "email": chair.email}, "the group&#x27;s only chair"),
    ):
        refused = client.post(url, data)
        assert refused.status_code == 400 and says in refused.content.decode(), data
    after = db_snapshot()
    assert {k: v for k, v in after.items() if k != "core.AuditEvent"} == {
        k: v for k, v in before.items() if k != "core.AuditEvent"
    }
    assert set(AuditEvent.objects.all()[: AuditEvent.objects.count() - events].values_list("action", flat=True)) == {
        "monitoring.members-viewed"
    }
    assert client.post(url, {"do": "remove", "email": newcomer.email}).status_code == 302
    assert "newcomer@example.org" not in group_roles(group)
    assert client.post(url, {"do": "remove", "email": newcomer.email}).status_code == 400  # not a member now
    # Each change is audited by the accounts app, naming who did it.
    changes = AuditEvent.objects.filter(action__in=("role.granted", "role.revoked"), actor=chair)
    assert [e.action for e in changes.order_by("pk")] == [
        "role.granted",
        "role.revoked",
        "role.granted",
        "role.revoked",
    ]


def test_members_through_the_api(group, chair):
    code = group.borough.gss_code
    person("second@example.org")
    api = client_for(chair)
    url = f"/api/v1/monitoring/boroughs/{code}/members"
    made = api.post(url, {"email": "second@example.org", "role": "chair"}, content_type="application/json")
    assert made.status_code == 201 and made.json()["role"] == "chair"
    bad = api.post(url, {"email": "second@example.org", "role": "boss"}, content_type="application/json")
    assert bad.status_code == 400 and "chair, reviewer or force liaison" in bad.json()["detail"]
    listed = api.get(url).json()
    assert [(m["email"], m["role"]) for m in listed] == [
        ("chair@example.org", "chair"),
        ("second@example.org", "chair"),
    ]
    # With a second chair the first may step down.
    assert api.delete(f"{url}?email=chair@example.org").status_code == 204
    assert group_roles(group) == {"second@example.org": "monitoring_chair"}


def test_police_leads_neither_appoint_nor_see_the_groups_members(group, chair):
    lead = make_staff(Role.BOROUGH_LEAD, group.borough, email="lead@example.org")
    admin = make_staff(Role.SITE_ADMIN, None, email="admin@example.org")
    candidate = person("candidate@example.org")
    with pytest.raises(accounts.RoleError):
        accounts.grant_role(lead, candidate, Role.MONITORING_REVIEWER, group.borough)
    with pytest.raises(accounts.RoleError):
        accounts.revoke_role(lead, RoleGrant.objects.get(user=chair))
    roles_page = client_for(lead).get(f"/accounts/roles/{group.borough.gss_code}/").content.decode()
    assert "chair@example.org" not in roles_page
    # A site administrator appoints a chair, who then manages the group; a chair elsewhere cannot.
    accounts.grant_role(admin, candidate, Role.MONITORING_CHAIR, group.borough)
    other = type(group.borough).objects.create(gss_code="E09000098", name="Elsewhere", slug="elsewhere")
    elsewhere = make_staff(Role.MONITORING_CHAIR, other, email="elsewhere@example.org")
    with pytest.raises(accounts.RoleError):
        accounts.grant_role(elsewhere, person("x@example.org"), Role.MONITORING_REVIEWER, group.borough)
    with pytest.raises(MonitoringError, match="not a member"):
        members.remove_member(candidate, group, "x@example.org")
