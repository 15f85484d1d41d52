"""The whole flow through pages and the API: consult, vote, close, set priorities, act, review."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from ninja.testing import TestClient

from openward.accounts.models import Role
from openward.areas.models import Neighbourhood
from openward.crime.tests.factories import add_crimes
from openward.policeuk.api import priorities as policeuk
from openward.priorities import services
from openward.priorities.models import Ballot, Consultation, Demographics, Priority
from tests.personas import make_person, make_resident, make_staff, sign_in


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


def test_every_priorities_view_declares_an_access_rule():
    from openward.priorities.urls import urlpatterns

    missing = [p.name for p in urlpatterns if not hasattr(p.callback, "access_rule")]
    assert not missing


def test_panel_chair_creates_a_consultation_through_the_page(client, panel_chair, ward, concerns):
    sign_in(client, panel_chair)
    url = reverse("priorities:consultation-new-ward", args=[ward.gss_code])
    assert client.get(url).status_code == 200
    today = timezone.localdate()
    response = client.post(
        url,
        {
            "title": "Summer 2026",
            "question": "What should we focus on?",
            "opens_on": today.isoformat(),
            "closes_on": (today + timedelta(days=14)).isoformat(),
            "min_level": "0",
            "concerns": [concerns["burglary"].pk, concerns["drugs"].pk],
            "allow_free_text": "on",
        },
    )
    consultation = Consultation.objects.get(title="Summer 2026")
    assert response.status_code == 302
    assert set(consultation.concerns.values_list("slug", flat=True)) == {"burglary", "drugs"}


def test_a_resident_cannot_create_a_consultation(client, ward, concerns):
    sign_in(client, make_person())
    url = reverse("priorities:consultation-new-ward", args=[ward.gss_code])
    assert client.get(url).status_code == 403
    today = timezone.localdate()
    form = {"title": "Mine", "opens_on": today.isoformat(), "closes_on": (today + timedelta(days=14)).isoformat()}
    assert client.post(url, form | {"min_level": "0", "concerns": [concerns["drugs"].pk]}).status_code == 403
    assert not Consultation.objects.exists()


def test_signed_out_voter_is_sent_to_sign_in(client, consultation):
    response = client.get(reverse("priorities:vote", args=[consultation.pk]))
    assert response.status_code == 302 and "sign-in" in response["Location"]


def test_vote_through_the_page_and_bad_input_is_explained(client, consultation, concerns, ward):
    voter = make_resident(ward=ward)
    sign_in(client, voter)
    url = reverse("priorities:vote", args=[consultation.pk])
    assert client.get(url).status_code == 200
    twice = client.post(url, {"first": concerns["drugs"].pk, "second": concerns["drugs"].pk})
    assert twice.status_code == 400
    assert "more than once" in twice.content.decode()
    assert not Ballot.objects.exists()
    ok = client.post(url, {"first": concerns["drugs"].pk, "second": concerns["burglary"].pk, "age_band": "16-29"})
    assert ok.status_code == 302
    ballot = Ballot.objects.get()
    assert ballot.ranked_ids() == [concerns["drugs"].pk, concerns["burglary"].pk]
    assert ballot.demographics.age_band == "16-29"
    page = client.get(reverse("priorities:consultation", args=[consultation.pk])).content.decode()
    assert "Change your choices" in page
    # The receipt cookie lets this browser change the ballot...
    changed = client.post(url, {"first": concerns["violence"].pk})
    assert changed.status_code == 302
    assert Ballot.objects.get().ranked_ids() == [concerns["violence"].pk] and not Demographics.objects.exists()
    # ...and another browser, signed in as the same person, cannot: nothing else finds the ballot.
    elsewhere = Client()
    sign_in(elsewhere, voter)
    assert "only from the browser you voted from" in elsewhere.get(url).content.decode()
    refused = elsewhere.post(url, {"first": concerns["drugs"].pk})
    assert refused.status_code == 400 and "already taken part" in refused.content.decode()
    assert Ballot.objects.get().ranked_ids() == [concerns["violence"].pk]


def test_api_vote_refused_when_closed(client, consultation, concerns, ward):
    voter = make_resident(ward=ward)
    sign_in(client, voter)
    consultation.closes_at = timezone.now() - timedelta(minutes=1)
    consultation.save()
    response = client.post(
        f"/api/v1/priorities/consultations/{consultation.pk}/ballot",
        json.dumps({"choices": ["drugs"]}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "closed" in response.json()["detail"]
    assert not Ballot.objects.exists()


def test_api_vote_signed_out_is_401(client, consultation):
    response = client.post(
        f"/api/v1/priorities/consultations/{consultation.pk}/ballot",
        json.dumps({"choices": ["drugs"]}),
        content_type="application/json",
    )
    assert response.status_code == 401 and response.json()["detail"]
    assert not Ballot.objects.exists()


def test_api_vote_unknown_concern(client, consultation, ward):
    sign_in(client, make_resident(ward=ward))
    response = client.post(
        f"/api/v1/priorities/consultations/{consultation.pk}/ballot",
        json.dumps({"choices": ["aliens"]}),
        content_type="application/json",
    )
    assert response.status_code == 400 and "Unknown concern" in response.json()["detail"]
    assert not Ballot.objects.exists()


def test_concerns_api_finds_synonyms(client, concerns):
    response = client.get("/api/v1/priorities/concerns", {"q": "mugging"})
    assert [c["slug"] for c in response.json()] == ["street-robbery-and-theft"]


def test_priority_lifecycle_through_the_api(client, ward, panel_chair, officer, concerns):
    sign_in(client, panel_chair)
    body = {"statement": "Tackle burglary", "agreed_on": "2025-03-01", "review_on": "2025-09-01", "concern": "burglary"}
    ids = []
    for n in range(3):
        r = client.post(
            f"/api/v1/priorities/wards/{ward.gss_code}/priorities",
            {**body, "statement": f"P{n}"},
            content_type="application/json",
        )
        assert r.status_code == 201, r.content
        ids.append(r.json()["id"])
    fourth = client.post(f"/api/v1/priorities/wards/{ward.gss_code}/priorities", body, content_type="application/json")
    assert fourth.status_code == 400 and "already has 3 open priorities" in fourth.json()["detail"]
    assert Priority.objects.count() == 3

    # A panel chair may not record officers' actions; an officer may.
    assert (
        client.post(
            f"/api/v1/priorities/{ids[0]}/actions",
            {"taken_on": "2025-04-01", "description": "x"},
            content_type="application/json",
        ).status_code
        == 403
    )
    sign_in(client, officer)
    r = client.post(
        f"/api/v1/priorities/{ids[0]}/actions",
        {"taken_on": "2025-04-02", "description": "Weekly patrols on Station Road"},
        content_type="application/json",
    )
    assert r.status_code == 201
    r = client.post(
        f"/api/v1/priorities/{ids[0]}/review",
        {"outcome": "achieved", "reviewed_on": "2025-09-02"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["status"] == "achieved"
    listed = client.get(f"/api/v1/priorities/wards/{ward.gss_code}").json()
    assert {p["status"] for p in listed} == {"open", "achieved"}


def test_officer_of_another_ward_cannot_act(client, ward, other_ward, panel_chair, concerns, db_snapshot):
    p = services.set_priority(panel_chair, ward, statement="x", agreed_on=date(2025, 1, 1), review_on=date(2025, 6, 1))
    stranger = make_staff(Role.OFFICER, other_ward)
    sign_in(client, stranger)
    before = db_snapshot()
    assert client.get(reverse("priorities:action-new", args=[p.pk])).status_code == 403
    assert (
        client.post(
            f"/api/v1/priorities/{p.pk}/actions",
            {"taken_on": "2025-02-01", "description": "x"},
            content_type="application/json",
        ).status_code
        == 403
    )
    assert db_snapshot() == before, "no action recorded and the priority unchanged"


def test_pages_render_for_ward_cluster_borough_and_priority(
    client, ward, cluster, borough, panel_chair, officer, concerns
):
    p = services.set_priority(
        panel_chair,
        ward,
        statement="Reduce phone snatching",
        agreed_on=date(2025, 1, 10),
        review_on=date(2025, 7, 1),
        concern=concerns["street-robbery-and-theft"],
        meeting_ref="https://example.org/meetings/1",
    )
    services.record_action(officer, p, taken_on=date(2025, 2, 1), description="Plain-clothes patrols")
    for url in (
        reverse("priorities:ward", args=[ward.gss_code]),
        reverse("priorities:cluster", args=[cluster.slug]),
        reverse("priorities:borough", args=[borough.gss_code]),
        reverse("priorities:priority", args=[p.pk]),
    ):
        page = client.get(url).content.decode()
        assert "Reduce phone snatching" in page and "Plain-clothes patrols" in page, url


def test_policeuk_priorities_have_hyphenated_naive_dates(ward, force, panel_chair, officer):
    Neighbourhood.objects.create(force=force, code=ward.gss_code, name=ward.name, ward=ward)
    p = services.set_priority(
        panel_chair, ward, statement="Burglary <b>", agreed_on=date(2025, 1, 10), review_on=date(2025, 7, 1)
    )
    services.record_action(officer, p, taken_on=date(2025, 2, 3), description="Leaflets")
    services.record_action(officer, p, taken_on=date(2025, 3, 4), description="Patrols")
    api = TestClient(policeuk.router)
    body = api.get(f"/metropolitan/{ward.gss_code}/priorities").json()
    assert body == [
        {
            "issue": "<p>Burglary &lt;b&gt;</p>",
            "issue-date": "2025-01-10T00:00:00",
            "action": "<p>Patrols</p>",
            "action-date": "2025-03-04T00:00:00",
        }
    ]
    unknown = api.get("/metropolitan/E05000000/priorities")
    assert unknown.status_code == 404 and "no neighbourhood" in unknown.json()["detail"]
    assert api.get(f"/nowhere/{ward.gss_code}/priorities").status_code == 404


def test_ward_page_queries_do_not_grow_with_priorities(
    client, ward, panel_chair, officer, concerns, django_assert_max_num_queries
):
    def add(n):
        p = services.set_priority(
            panel_chair, ward, statement=f"P{n}", agreed_on=date(2025, 1, 1), review_on=date(2025, 6, 1)
        )
        services.record_action(officer, p, taken_on=date(2025, 2, 1), description="Patrol")
        services.review_priority(officer, p, outcome="achieved", reviewed_on=date(2025, 6, 2))

    add(0)
    url = reverse("priorities:ward", args=[ward.gss_code])
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for n in range(1, 6):
        add(n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_ward_section_shows_priorities_and_latest_results(
    rf, ward, cluster, borough, panel_chair, concerns, open_window
):
    from django.template.loader import render_to_string

    from openward.core import sections

    consultation = services.create_consultation(
        panel_chair,
        ward=ward,
        title="Spring",
        opens_at=open_window[0],
        closes_at=open_window[1],
        concerns=concerns.values(),
    )
    for _ in range(12):
        services.cast_ballot(make_resident(ward=ward), consultation, [concerns["drugs"].pk, concerns["burglary"].pk])
    consultation.closes_at = timezone.now() - timedelta(seconds=1)
    consultation.save()
    services.set_priority(
        panel_chair, ward, statement="Close the drug market", agreed_on=date(2025, 1, 1), review_on=date(2025, 6, 1)
    )
    request = rf.get("/")
    for kind, area in (("ward", ward), ("cluster", cluster), ("borough", borough)):
        (section,) = [
            s for s in sections.render_context(kind, area, request) if s["template"] == "priorities/section.html"
        ]
        html = render_to_string(section["template"], section["context"], request=request)
        assert "Close the drug market" in html and "Drug dealing and drug use" in html, kind
        assert '<td class="num">36</td>' in html  # 12 first choices x 3 points


def test_panel_sees_free_text_alphabetically_with_matched_concerns(client, consultation, concerns, panel_chair, ward):
    for text in ["zebra crossing", "mugging near the shops", "", "", "", "", "", "", "", "", ""]:
        services.cast_ballot(make_resident(ward=ward), consultation, [concerns["drugs"].pk], other_text=text)
    consultation.closes_at = timezone.now() - timedelta(seconds=1)
    consultation.save()
    url = reverse("priorities:consultation", args=[consultation.pk])
    assert "mugging near the shops" not in client.get(url).content.decode()
    sign_in(client, panel_chair)
    page = client.get(url).content.decode()
    assert page.index("mugging near the shops") < page.index("zebra crossing")
    assert "Street robbery and theft from the person" in page


def test_cluster_consultation_lets_people_from_any_of_its_wards_take_part(
    cluster, other_ward, panel_chair, concerns, open_window
):
    borough_lead = make_staff(Role.BOROUGH_LEAD, cluster.borough)
    consultation = services.create_consultation(
        borough_lead,
        cluster=cluster,
        title="Cluster",
        opens_at=open_window[0],
        closes_at=open_window[1],
        concerns=concerns.values(),
        min_level=2,
    )
    services.cast_ballot(make_resident(ward=other_ward, level=2), consultation, [concerns["drugs"].pk])
    assert Ballot.objects.get().level == 2


def test_the_ward_page_embeds_you_said_we_did(client, ward, panel_chair):
    services.set_priority(
        panel_chair, ward, statement="Safer station forecourt", agreed_on=date(2025, 2, 1), review_on=date(2025, 8, 1)
    )
    page = client.get(reverse("areas:ward", args=[ward.gss_code])).content.decode()
    assert "Priorities: you said, we did" in page and "Safer station forecourt" in page


@pytest.mark.parametrize(
    "body, message",
    [
        ({"choices": []}, "at least one"),
        ({"choices": ["drugs", "burglary", "violence", "weapons"]}, "at most three"),
        ({"choices": ["drugs"], "age_band": "12-15"}, "not one of the answers"),
    ],
)
def test_api_ballot_bad_input_is_explained_and_changes_nothing(client, consultation, ward, body, message, db_snapshot):
    sign_in(client, make_resident(ward=ward))
    before = db_snapshot()
    response = client.post(
        f"/api/v1/priorities/consultations/{consultation.pk}/ballot", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 400 and message in response.json()["detail"]
    assert db_snapshot() == before, "no ballot, demographics or voter record"


def test_vote_before_opening_is_refused(client, ward, panel_chair, concerns):
    now = timezone.now()
    c = services.create_consultation(
        panel_chair,
        ward=ward,
        title="Later",
        opens_at=now + timedelta(days=2),
        closes_at=now + timedelta(days=9),
        concerns=concerns.values(),
    )
    sign_in(client, make_resident(ward=ward))
    response = client.post(reverse("priorities:vote", args=[c.pk]), {"first": concerns["drugs"].pk})
    assert response.status_code == 400 and "opens on" in response.content.decode()
    assert not Ballot.objects.exists()


@pytest.mark.parametrize(
    "body, message",
    [
        ({"statement": "x", "agreed_on": "2025-03-01", "review_on": "2025-02-01"}, "review date must be after"),
        ({"statement": "  ", "agreed_on": "2025-03-01", "review_on": "2025-09-01"}, "Write the priority"),
        ({"statement": "x", "agreed_on": "2025-03-01", "review_on": "2025-09-01", "concern": "ufo"}, "Unknown concern"),
        (
            {"statement": "x", "agreed_on": "2025-03-01", "review_on": "2025-09-01", "consultation_id": 999},
            "no consultation",
        ),
    ],
)
def test_api_priority_bad_input_is_explained(client, ward, panel_chair, body, message):
    sign_in(client, panel_chair)
    response = client.post(
        f"/api/v1/priorities/wards/{ward.gss_code}/priorities", body, content_type="application/json"
    )
    assert response.status_code == 400 and message in response.json()["detail"]
    assert not Priority.objects.exists()


def test_review_bad_outcome_and_second_review_are_refused(client, ward, panel_chair):
    p = services.set_priority(panel_chair, ward, statement="x", agreed_on=date(2025, 1, 1), review_on=date(2025, 6, 1))
    sign_in(client, panel_chair)
    url = f"/api/v1/priorities/{p.pk}/review"
    bad = client.post(url, {"outcome": "forgotten"}, content_type="application/json")
    assert bad.status_code == 400 and "Choose an outcome" in bad.json()["detail"]
    assert (
        client.post(
            url, {"outcome": "not_achieved", "reviewed_on": "2025-06-02"}, content_type="application/json"
        ).status_code
        == 200
    )
    again = client.post(url, {"outcome": "achieved"}, content_type="application/json")
    assert again.status_code == 400 and "already been reviewed" in again.json()["detail"]
    p.refresh_from_db()
    assert p.status == "not_achieved"


def test_fourth_priority_through_the_page_is_explained(client, ward, panel_chair):
    for n in range(3):
        services.set_priority(
            panel_chair, ward, statement=f"P{n}", agreed_on=date(2025, 1, 1), review_on=date(2025, 6, 1)
        )
    sign_in(client, panel_chair)
    response = client.post(
        reverse("priorities:priority-new", args=[ward.gss_code]),
        {"statement": "Fourth", "agreed_on": "2025-02-01", "review_on": "2025-08-01"},
    )
    assert response.status_code == 400
    assert "already has 3 open priorities" in response.content.decode()
    assert not Priority.objects.filter(statement="Fourth").exists()


def test_api_ballot_needs_the_csrf_token_from_a_browser(consultation, concerns, ward):
    browser = Client(enforce_csrf_checks=True)
    sign_in(browser, make_resident(ward=ward))
    url = f"/api/v1/priorities/consultations/{consultation.pk}/ballot"
    forged = browser.post(url, '{"choices": ["drugs"]}', content_type="text/plain")
    assert forged.status_code == 403
    assert not Ballot.objects.exists()
    browser.get(reverse("priorities:vote", args=[consultation.pk]))  # sets the csrftoken cookie
    token = browser.cookies["csrftoken"].value
    ok = browser.post(url, '{"choices": ["drugs"]}', content_type="application/json", headers={"X-CSRFToken": token})
    assert ok.status_code == 200
    assert Ballot.objects.count() == 1


@pytest.mark.parametrize(
    "level, says",
    [
        (None, "add Station Ward on your wards page"),
        (0, "Confirm your email address"),
        (1, "you are at level 1 (Email confirmed, postcode in the ward)"),
    ],
)
def test_vote_page_says_up_front_who_may_take_part(client, consultation, ward, other_ward, level, says):
    consultation.min_level = 2
    consultation.save()
    # A person with no membership here has one elsewhere: levels are per ward.
    voter = make_resident(ward=other_ward, level=2) if level is None else make_resident(ward=ward, level=level)
    sign_in(client, voter)
    page = client.get(reverse("priorities:vote", args=[consultation.pk])).content.decode()
    assert says in page and "level 2 (Address verified) or above" in page


def test_section_is_left_out_where_there_is_nothing_and_shown_for_a_cluster_consultation(
    rf, ward, other_ward, cluster, panel_chair, concerns, open_window, django_assert_num_queries
):
    from openward.priorities.sections import ward_context

    with django_assert_num_queries(1):
        assert ward_context(ward, rf.get("/")) is None
    services.create_consultation(
        panel_chair,
        cluster=cluster,
        title="Cluster say",
        opens_at=open_window[0],
        closes_at=open_window[1],
        concerns=concerns.values(),
    )
    context = ward_context(other_ward, rf.get("/"))
    assert [c.title for c in context["open_consultations"]] == ["Cluster say"]


def test_api_says_what_data_there_is_and_reviews_without_new_months(client, ward, panel_chair, concerns):
    for month in range(1, 10):
        add_crimes(ward, "burglary", date(2026, month, 1), 3)
    sign_in(client, panel_chair)
    body = {"statement": "Tackle burglary", "agreed_on": "2026-10-20", "review_on": "2027-04-20", "concern": "burglary"}
    created = client.post(f"/api/v1/priorities/wards/{ward.gss_code}/priorities", body, content_type="application/json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    said = client.get(f"/api/v1/priorities/{pk}").json()["data_for_review"]
    assert said == services.data_for_review(Priority.objects.get(pk=pk))
    assert said.startswith(
        "Recorded crime is published up to September 2026, and this priority was agreed on 20 October"
    )
    r = client.post(
        f"/api/v1/priorities/{pk}/review",
        {"outcome": "not_achieved", "note": "No change seen"},
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "not_achieved" and r.json()["review"]["before_count"] is None
    assert r.json()["data_for_review"] is None


def test_the_review_form_says_what_data_there_is_and_the_action_form_says_nothing(
    client, ward, panel_chair, officer, concerns
):
    for month in range(1, 10):
        add_crimes(ward, "burglary", date(2026, month, 1), 3)
    priority = services.set_priority(
        panel_chair,
        ward,
        statement="Tackle burglary",
        agreed_on=date(2026, 10, 20),
        review_on=date(2027, 4, 20),
        concern=concerns["burglary"],
    )
    sign_in(client, panel_chair)
    review = client.get(f"/priorities/{priority.pk}/review/")
    assert review.status_code == 200
    notice = f'<p class="notice">{escape(services.data_for_review(priority))}</p>'
    assert "Recorded crime is published up to September 2026" in notice and notice in review.content.decode()
    # A review refused by the form shows the same words again.
    refused = client.post(f"/priorities/{priority.pk}/review/", {"outcome": "", "reviewed_on": "2026-11-18"})
    assert refused.status_code == 400 and notice in refused.content.decode()
    sign_in(client, officer)
    action = client.get(f"/priorities/{priority.pk}/actions/new/")
    assert action.status_code == 200 and '<p class="notice">' not in action.content.decode()
