"""The staff home's monitoring panel: each member sees their group, the sample under review and how many of
its stops are left, the next group meeting, the open actions and a summary awaiting the force's response,
each one click away; a draft meeting record's action only for the chair; nobody else gets the panel."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from openward.accounts.models import Role
from openward.areas.models import Borough
from openward.engagement.models import Action as MeetingAction
from openward.engagement.models import Event, MeetingRecord
from openward.engagement.services import events as engagement_events
from openward.monitoring import services
from openward.monitoring.models import Action, Answer, ReviewSample
from tests.personas import make_staff, sign_in

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 18, 10, 30, tzinfo=dt.UTC)  # conftest's pinned clock


def work_of(user) -> dict:
    client = Client()
    sign_in(client, user)
    return client, {p["key"]: p for p in client.get("/api/v1/me/work").json()}


def texts(panel):
    return [(i["text"], i["note"]) for i in panel["items"]]


@pytest.fixture
def month_of_work(group, chair):
    """November 2024 published three days ago with an open and a done action and no force response;
    December 2024 drawn (4 stops), one reviewed; a meeting next week; a meeting held with a draft record."""
    november = ReviewSample.objects.create(
        group=group, month=dt.date(2024, 11, 1), size=0, seed=5, drawn_by=chair, published_at=NOW - dt.timedelta(days=3)
    )
    Action.objects.create(sample=november, what="Ask for body-worn video", owner="Force liaison")
    Action.objects.create(sample=november, what="Already done", owner="Chair", done_on=dt.date(2026, 11, 17))
    december = services.draw_sample(chair, group, dt.date(2024, 12, 1), 4, seed=11)
    services.review_stop(
        chair, december.stops.first(), grounds_clear=Answer.YES, video_seen=Answer.NO, outcome_proportionate=Answer.YES
    )
    meeting = engagement_events.schedule_event(
        chair,
        notify=False,
        kind=Event.Kind.MONITORING_GROUP,
        borough=group.borough,
        title="December review meeting",
        address="Borough Hall",
        starts_at=dt.datetime(2026, 11, 25, 19, 0, tzinfo=dt.UTC),
    )
    held = Event.objects.create(
        kind=Event.Kind.MONITORING_GROUP,
        borough=group.borough,
        title="October meeting",
        address="Borough Hall",
        starts_at=NOW - dt.timedelta(days=20),
    )
    draft = MeetingRecord.objects.create(event=held)
    MeetingAction.objects.create(
        record=draft,
        borough=group.borough,
        what="Write to the borough commander",
        owner="Chair",
        due_date=dt.date(2026, 12, 1),
    )
    return {"november": november, "december": december, "meeting": meeting, "held": held}


def test_the_chair_sees_the_months_work_each_one_click_away(group, chair, month_of_work):
    client, panels = work_of(chair)
    assert list(panels) == ["places", "monitoring"]
    code, work = group.borough.gss_code, month_of_work
    assert texts(panels["monitoring"]) == [
        (group.name, "you are its chair; 2 open actions"),
        ("Review sample for December 2024", "3 of 4 stops left to review"),
        ("Next meeting: December review meeting", "25 November 2026, 19:00, in 7 days"),
        ("Ask for body-worn video", "Force liaison; after the November 2024 review"),
        ("Write to the borough commander", "Chair; agreed at a meeting, due 1 December 2026"),
        ("Force response awaited: November 2024 summary", "published 15 November 2026, 3 days ago"),
    ]
    assert [i["url"] for i in panels["monitoring"]["items"]] == [
        f"/monitoring/boroughs/{code}/work/",
        f"/monitoring/boroughs/{code}/samples/{work['december'].pk}/",
        f"/monitoring/boroughs/{code}/meetings/{work['meeting'].pk}/",
        f"/monitoring/boroughs/{code}/samples/{work['november'].pk}/",
        f"/monitoring/boroughs/{code}/meetings/{work['held'].pk}/",
        f"/monitoring/boroughs/{code}/samples/{work['november'].pk}/",
    ]
    page = client.get("/accounts/staff/").content.decode()
    assert "Stop-and-search monitoring" in page
    for item in panels["monitoring"]["items"]:
        assert f'href="{item["url"]}"' in page
        assert client.get(item["url"]).status_code == 200, item


def test_a_reviewer_and_the_liaison_see_the_group_without_the_chairs_draft(group, reviewer, liaison, month_of_work):
    for member, word in ((reviewer, "reviewer"), (liaison, "force liaison")):
        client, panels = work_of(member)
        shown = texts(panels["monitoring"])
        assert shown[0] == (group.name, f"you are its {word}; 1 open action")
        assert ("Review sample for December 2024", "3 of 4 stops left to review") in shown
        assert "Write to the borough commander" not in [text for text, _ in shown]
        urls = [i["url"] for i in panels["monitoring"]["items"]]
        assert f"/engagement/events/{month_of_work['meeting'].pk}/" in urls
        for url in urls:
            assert client.get(url).status_code == 200, (member.email, url)


def test_once_the_month_is_published_and_answered_nothing_is_awaited(group, chair, month_of_work):
    december = month_of_work["december"]
    for sampled in december.stops.filter(review__isnull=True):
        services.review_stop(
            chair, sampled, grounds_clear=Answer.YES, video_seen=Answer.YES, outcome_proportionate=Answer.YES
        )
    services.publish_summary(chair, december)
    services.record_force_response(chair, december, "The force has read the summary.")
    services.record_force_response(chair, month_of_work["november"], "Noted.")
    _, panels = work_of(chair)
    shown = texts(panels["monitoring"])
    assert ("Review sample for December 2024", "every stop reviewed; published 18 November 2026") in shown
    assert not [text for text, _ in shown if text.startswith("Force response awaited")]


def test_nobody_else_gets_the_panel_and_a_borough_without_a_group_says_so(group, db):
    officer = make_staff(Role.BOROUGH_LEAD, group.borough, email="lead@met.example")
    assert "monitoring" not in work_of(officer)[1]
    elsewhere = Borough.objects.create(gss_code="E09000099", name="Elsewhere", slug="elsewhere")
    lonely = make_staff(Role.MONITORING_CHAIR, elsewhere, email="lonely.chair@example.org")
    panel = work_of(lonely)[1]["monitoring"]
    assert panel["items"] == [] and "No monitoring group has been set up" in panel["empty"]


def test_a_member_starts_at_the_staff_home(group, reviewer):
    client = Client()
    sign_in(client, reviewer)
    assert client.get("/accounts/staff/").status_code == 200
