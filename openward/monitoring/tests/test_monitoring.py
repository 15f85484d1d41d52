"""Monitoring groups: the review sample is reproducible from its seed and stratified, a sample larger
than the month is refused changing nothing, and reviewers' notes and grounds text never appear on any
public page, export or API response, whoever asks (a secrecy walk over every page and API operation)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import Counter

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from openward.accounts.models import Role
from openward.core import access
from openward.core.models import AuditEvent
from openward.monitoring import services
from openward.monitoring.grounds import import_grounds
from openward.monitoring.models import MonitoringGroup, ReviewSample
from openward.monitoring.services import MonitoringError, month_stops, stratified_sample
from tests.personas import make_staff, sign_in

pytestmark = pytest.mark.django_db

MONTH = dt.date(2024, 12, 1)
NOTE = "REVIEWER-SECRET-NOTE 7731 named a bystander"
GROUNDS = "FORCE-GROUNDS-SECRET 4410 smell of cannabis from the driver"


def test_the_sample_is_reproducible_from_its_seed_and_stratified(group, chair):
    sample = services.draw_sample(chair, group, MONTH, 20, seed=987654)
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
    chair_api = Client()
    sign_in(chair_api, chair)
    made = chair_api.post(
        f"/api/v1/monitoring/boroughs/{group.borough.gss_code}/samples",
        {"month": "2024-11-01", "size": 1},
        content_type="application/json",
    )
    assert made.status_code == 400 and "0 stops loaded for November 2024" in made.json()["detail"]


def test_a_sample_larger_than_the_month_is_refused_and_changes_nothing(group, chair, db_snapshot, client):
    sign_in(client, chair)
    before = db_snapshot()
    with pytest.raises(MonitoringError, match="has 78 stops loaded for December 2024, fewer than the 79 asked for"):
        services.draw_sample(chair, group, MONTH, 79)
    page = client.post(f"/monitoring/boroughs/{group.borough.gss_code}/work/", {"month": "2024-12", "size": "79"})
    assert page.status_code == 400 and "fewer than the 79 asked for" in page.content.decode()
    assert db_snapshot() == before


def test_numbers_and_ids_that_are_not_numbers_get_a_message_and_change_nothing(group, chair, db_snapshot, client):
    sign_in(client, chair)
    sample = services.draw_sample(chair, group, MONTH, 2, seed=1)
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


def grounds_file(rows: list[tuple[str, str]], name: str = "grounds.csv") -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["reference", "grounds"])
    writer.writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode(), content_type="text/csv")


def reviewed_and_published(group, chair, reviewer=None, liaison=None) -> ReviewSample:
    """The December sample drawn by the chair; the liaison gives the grounds (half pasted, half in a CSV
    file), the reviewer reviews every stop, the chair publishes and records an action."""
    reviewer, liaison = reviewer or chair, liaison or chair
    sample = services.draw_sample(chair, group, MONTH, 12, seed=42)
    with pytest.raises(MonitoringError, match="12 of the 12 sampled stops are not reviewed yet"):
        services.publish_summary(chair, sample)
    stops = list(sample.stops.all())
    for i, sampled in enumerate(stops[:6]):
        services.add_grounds(liaison, sampled, f"{GROUNDS} #{i}")
    uploaded = grounds_file([(s.reference, f"{GROUNDS} #{i}") for i, s in enumerate(stops) if i >= 6])
    assert import_grounds(liaison, sample, uploaded).counts["stops_with_grounds"] == 6
    for i, sampled in enumerate(stops):
        services.review_stop(
            reviewer,
            sampled,
            grounds_clear="yes" if i % 3 else "no",
            video_seen="yes",
            outcome_proportionate="unclear",
            concerns=f"{NOTE} #{i}",
        )
    services.publish_summary(chair, sample)
    services.record_force_response(liaison, sample, "The borough will brief officers on recording grounds.")
    action = services.add_action(chair, sample, "Brief every response team on grounds", "Superintendent")
    services.complete_action(chair, action, dt.date(2025, 1, 20))
    return sample


def test_the_published_summary_gives_figures_only(group, chair, client):
    sample = reviewed_and_published(group, chair)
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


MEMBER_EMAIL = "cmg-member-secret@example.org"


def test_secrecy_walk_reviewers_notes_and_grounds_text_only_on_the_groups_own_pages(group, chair, reviewer, liaison):
    """Every page and API operation, as ten people: reviewers' notes only where the chair and reviewers
    work, grounds text (pasted and uploaded) only there and for the force liaison, members' emails only on
    the chair's members page, and nothing of it anywhere else, for anyone."""
    sample = reviewed_and_published(group, chair, reviewer, liaison)
    ward = sample.stops.first().stop.ward
    make_staff(Role.MONITORING_REVIEWER, group.borough, email=MEMBER_EMAIL)
    other_borough = type(group.borough).objects.create(gss_code="E09000099", name="Otherborough", slug="otherborough")
    MonitoringGroup.objects.create(borough=other_borough, name="Other group")
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
        "analyst": make_staff(Role.ANALYST, None, email="analyst@example.org"),
        "another group's chair": make_staff(Role.MONITORING_CHAIR, other_borough, email="other@example.org"),
        "another group's liaison": make_staff(Role.MONITORING_LIAISON, other_borough, email="other2@example.org"),
        "this group's liaison": liaison,
        "this group's reviewer": reviewer,
        "this group's chair": chair,
    }
    code = group.borough.gss_code
    private_page = f"/monitoring/boroughs/{code}/samples/{sample.pk}/"
    private_api = f"/api/v1/monitoring/boroughs/{code}/samples/{sample.pk}"
    members_page, members_api = f"/monitoring/boroughs/{code}/members/", f"/api/v1/monitoring/boroughs/{code}/members"
    own_data = {"/accounts/my-data.json", "/api/v1/me/data"}
    expected = {
        "this group's chair": ({private_page, private_api}, {private_page, private_api}, {members_page, members_api}),
        # The reviewer wrote the notes: their own "download my data" holds them too.
        "this group's reviewer": ({private_page, private_api} | own_data, {private_page, private_api}, set()),
        "this group's liaison": (set(), {private_page, private_api}, set()),
    }
    for name, person in personas.items():
        client = Client()
        if person is not None:
            sign_in(client, person)
        bodies = walk(client, kwargs)
        assert len(bodies) > 40
        notes = {url for url, body in bodies.items() if NOTE[:25] in body}
        grounds = {url for url, body in bodies.items() if GROUNDS[:25] in body}
        emails = {url for url, body in bodies.items() if MEMBER_EMAIL in body}
        # A page asked again with ?format=csv is the same page (the walk asks every page both ways).
        seen = tuple({url.removesuffix("?format=csv") for url in found} for found in (notes, grounds, emails))
        assert seen == expected.get(name, (set(), set(), set())), name
    # The walk is real: the chair's sample page shows both the notes and the grounds from the file.
    chair_client = Client()
    sign_in(chair_client, chair)
    page = chair_client.get(private_page).content.decode()
    assert f"{NOTE} #0" in page and f"{GROUNDS} #11" in page
    # The audit log records who did what, never the words.
    assert not any(NOTE[:25] in str(e.data) or GROUNDS[:25] in str(e.data) for e in AuditEvent.objects.all())
