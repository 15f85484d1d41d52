"""Monitoring groups: the review sample is reproducible from its seed and stratified, a sample larger
than the month is refused changing nothing, and reviewers' notes and grounds text never appear on any
public page, export or API response, whoever asks (a secrecy walk over every page and API operation)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest
from django.test import Client

from openward.accounts.models import Role
from openward.core import access
from openward.core.models import AuditEvent
from openward.crime.tests.test_disproportionality_rules import small_ward
from openward.monitoring import services
from openward.monitoring.models import MonitoringGroup, ReviewSample
from openward.monitoring.services import MonitoringError, month_stops, stratified_sample
from tests.personas import make_staff, sign_in

pytestmark = pytest.mark.django_db

MONTH = dt.date(2024, 12, 1)
NOTE = "REVIEWER-SECRET-NOTE 7731 named a bystander"
GROUNDS = "FORCE-GROUNDS-SECRET 4410 smell of cannabis from the driver"


@pytest.fixture
def group():
    ward = small_ward()  # 78 stops in December 2024: 40 White, 30 Black, 5 Asian, 3 not stated
    return MonitoringGroup.objects.create(borough=ward.borough, name="Testshire Stop and Search Monitoring Group")


@pytest.fixture
def member(group):
    return make_staff(Role.MONITORING_GROUP, group.borough, email="member@example.org")


def test_the_sample_is_reproducible_from_its_seed_and_stratified(group, member):
    sample = services.draw_sample(member, group, MONTH, 20, seed=987654)
    drawn = list(sample.stops.values_list("stop_id", flat=True))
    assert len(drawn) == len(set(drawn)) == 20
    # Drawn again from the recorded seed, the same stops come out, in the same order.
    again = [pk for pk, _ in stratified_sample(month_stops(group, MONTH), 20, sample.seed)]
    assert again == drawn
    # Each stratum gets its share of 20 (largest remainders), worked out here by hand: 40, 30, 5 and 3 of 78.
    strata = Counter(sample.stops.values_list("stratum", flat=True))
    drugs = "Misuse of Drugs Act 1971 (section 23)"
    assert strata == {f"white|{drugs}": 10, f"black|{drugs}": 8, f"asian|{drugs}": 1, f"not-stated|{drugs}": 1}
    other = [pk for pk, _ in stratified_sample(month_stops(group, MONTH), 20, 123)]
    assert other != drawn
    # A new seed is chosen and recorded when none is given.
    member_api = Client()
    sign_in(member_api, member)
    made = member_api.post(
        f"/api/v1/monitoring/boroughs/{group.borough.gss_code}/samples",
        {"month": "2024-11-01", "size": 1},
        content_type="application/json",
    )
    assert made.status_code == 400 and "0 stops loaded for November 2024" in made.json()["detail"]


def test_a_sample_larger_than_the_month_is_refused_and_changes_nothing(group, member, db_snapshot, client):
    sign_in(client, member)
    before = db_snapshot()
    with pytest.raises(MonitoringError, match="has 78 stops loaded for December 2024, fewer than the 79 asked for"):
        services.draw_sample(member, group, MONTH, 79)
    page = client.post(f"/monitoring/boroughs/{group.borough.gss_code}/work/", {"month": "2024-12", "size": "79"})
    assert page.status_code == 400 and "fewer than the 79 asked for" in page.content.decode()
    assert db_snapshot() == before


def test_numbers_and_ids_that_are_not_numbers_get_a_message_and_change_nothing(group, member, db_snapshot, client):
    sign_in(client, member)
    sample = services.draw_sample(member, group, MONTH, 2, seed=1)
    before = db_snapshot()
    work = f"/monitoring/boroughs/{group.borough.gss_code}/work/"
    for size, says in (("abc", "Give the sample size as a number."), ("0", "at least one stop"), ("", "as a number")):
        page = client.post(work, {"month": "2024-12", "size": size})
        assert page.status_code == 400 and says in page.content.decode()
    sample_url = f"/monitoring/boroughs/{group.borough.gss_code}/samples/{sample.pk}/"
    for data, says in (
        ({"do": "grounds", "sampled": "abc", "text": "x"}, "That stop is not in this sample."),
        ({"do": "review", "sampled": str(2**70), "grounds_clear": "yes"}, "That stop is not in this sample."),
        ({"do": "done", "action": "abc"}, "That action is not in this sample."),
    ):
        page = client.post(sample_url, data)
        assert page.status_code == 400 and says in page.content.decode()
    assert db_snapshot() == before


def reviewed_and_published(group, member) -> ReviewSample:
    sample = services.draw_sample(member, group, MONTH, 12, seed=42)
    with pytest.raises(MonitoringError, match="12 of the 12 sampled stops are not reviewed yet"):
        services.publish_summary(member, sample)
    for i, sampled in enumerate(sample.stops.all()):
        services.add_grounds(member, sampled, f"{GROUNDS} #{i}")
        services.review_stop(
            member,
            sampled,
            grounds_clear="yes" if i % 3 else "no",
            video_seen="yes",
            outcome_proportionate="unclear",
            concerns=f"{NOTE} #{i}",
        )
    services.publish_summary(member, sample)
    services.record_force_response(member, sample, "The borough will brief officers on recording grounds.")
    action = services.add_action(member, sample, "Brief every response team on grounds", "Superintendent")
    services.complete_action(member, action, dt.date(2025, 1, 20))
    return sample


def test_the_published_summary_gives_figures_only(group, member, client):
    sample = reviewed_and_published(group, member)
    page = client.get(f"/monitoring/boroughs/{group.borough.gss_code}/").content.decode()
    # 8 of 12 answered yes: fewer than 10, so no share is given.
    assert (
        "Grounds recorded clearly: fewer than 10 of 12 (too few to give a share)" in page
        and "Body-worn video seen: 12 of 12 (100%)" in page
    )
    assert "Outcome proportionate: fewer than 10 of 12" not in page and "Outcome proportionate: 0 of 12 (0%)" in page
    assert "brief officers on recording grounds" in page and "done 20 January 2025" in page
    assert f"Sample seed {sample.seed}" in page
    api = client.get(f"/api/v1/monitoring/boroughs/{group.borough.gss_code}/summaries").json()
    assert api[0]["figures"][1]["shown"] == "12 of 12 (100%)" and api[0]["actions"][0]["done_on"] == "2025-01-20"
    borough_page = client.get(f"/boroughs/{group.borough.gss_code}/").content.decode()
    assert "Published reviews of stop and search in" in borough_page


def fill(endpoint, kwargs) -> str:
    if endpoint.kind == "api":
        return re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: str(kwargs.get(m.group(1), "999999")), endpoint.route)
    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: str(kwargs.get(m.group(2), "1")), endpoint.route)


def walk(client, kwargs) -> dict[str, str]:
    """Every page and API operation that answers GET, asked once; (url -> body)."""
    bodies = {}
    for endpoint in access.endpoints():
        if endpoint.method != "GET":
            continue
        url = fill(endpoint, kwargs)
        response = client.get(url)
        assert response.status_code < 500, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        bodies[url] = body.decode("utf-8", errors="replace")
        if "?format=csv" not in url and endpoint.kind == "page" and response.status_code == 200:
            bodies[url + "?format=csv"] = client.get(url, {"format": "csv"}).content.decode(errors="replace")
    return bodies


def test_secrecy_walk_reviewers_notes_and_grounds_text_only_on_the_groups_own_pages(group, member):
    sample = reviewed_and_published(group, member)
    ward = group.borough and sample.stops.first().stop.ward
    other = MonitoringGroup.objects.create(
        borough=make_staff(Role.RESIDENT, None, email="x@example.org")
        and type(group.borough).objects.create(gss_code="E09000099", name="Otherborough", slug="otherborough"),
        name="Other group",
    )
    kwargs = {
        "pk": sample.pk,
        "borough_code": group.borough.gss_code,
        "code": group.borough.gss_code,
        "gss_code": ward.gss_code,
        "slug": "metropolitan",
        "geography": "local-authority",
    }
    personas = {
        "anyone": None,
        "resident": make_staff(Role.RESIDENT, ward, email="resident@example.org"),
        "officer": make_staff(Role.OFFICER, ward, email="officer@example.org"),
        "borough lead": make_staff(Role.BOROUGH_LEAD, group.borough, email="lead@example.org"),
        "another group's member": make_staff(Role.MONITORING_GROUP, other.borough, email="other@example.org"),
        "this group's member": member,
    }
    private = f"/monitoring/boroughs/{group.borough.gss_code}/samples/{sample.pk}"
    private_api = f"/api/v1/monitoring/boroughs/{group.borough.gss_code}/samples/{sample.pk}"
    for name, person in personas.items():
        client = Client()
        if person is not None:
            sign_in(client, person)
        bodies = walk(client, kwargs)
        assert len(bodies) > 40
        seen = sorted(url for url, body in bodies.items() if NOTE[:25] in body or GROUNDS[:25] in body)
        if name == "this group's member":
            # The walk is real: the group sees both on its own sample page and in the API, and nowhere else
            # but the member's own "download my data" (their own notes, to themselves).
            own_data = {"/accounts/my-data.json", "/accounts/my-data.json?format=csv", "/api/v1/me/data"}
            assert {private_api, private + "/"} <= set(seen), seen
            assert set(seen) <= {private_api, private + "/", private + "/?format=csv"} | own_data, seen
            page = bodies[private + "/"]
            assert NOTE[:25] in page and GROUNDS[:25] in page
        else:
            assert seen == [], (name, seen)
    # The audit log records who did what, never the words.
    assert not any(NOTE[:25] in str(e.data) or GROUNDS[:25] in str(e.data) for e in AuditEvent.objects.all())
