"""The staff home: each role sees what is waiting in its own places, oldest replies first, on the page and
through the API; residents have none."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from openward.accounts.models import Role
from openward.engagement.models import Action, Event, MeetingRecord, Reply, VolunteerSignup, VolunteerTask
from openward.priorities.models import Consultation, Priority
from tests.personas import make_resident, make_staff, sign_in

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 18)  # the pinned clock's day (conftest.PINNED_NOW)


def fill(places):
    """Work waiting in Abbey (ward_a), and the same in Common (ward_b), which an Abbey officer must not see."""
    now = timezone.now()
    made = {}
    for ward in (places.ward_a, places.ward_b):
        past = Event.objects.create(
            ward=ward, title=f"{ward.name} panel, October", kind="ward_panel", starts_at=now - timedelta(days=30)
        )
        written = Event.objects.create(
            ward=ward, title=f"{ward.name} panel, September", kind="ward_panel", starts_at=now - timedelta(days=60)
        )
        record = MeetingRecord.objects.create(event=written, status="published", published_at=now)
        Action.objects.create(
            record=record,
            ward=ward,
            what=f"Fix the lights in {ward.name}",
            owner="Council",
            due_date=TODAY - timedelta(days=12),
        )
        Action.objects.create(
            record=record, ward=ward, what="Not due yet", owner="PCSO", due_date=TODAY + timedelta(days=12)
        )
        Event.objects.create(
            ward=ward, title=f"{ward.name} street briefing", kind="street_briefing", starts_at=now + timedelta(days=3)
        )
        for days, text in ((2, "newer"), (9, "older")):
            Reply.objects.create(
                event=past, ward=ward, sender_email="r@example.org", body=text, received_at=now - timedelta(days=days)
            )
        Reply.objects.create(
            event=past,
            ward=ward,
            sender_email="r@example.org",
            body="done",
            received_at=now - timedelta(days=20),
            answer="Thanks",
            answered_at=now,
        )
        Priority.objects.create(
            ward=ward,
            statement=f"Reduce bike theft in {ward.name}",
            agreed_on=TODAY - timedelta(days=170),
            review_on=TODAY + timedelta(days=5),
            evidence="Figures",
            slot=1,
        )
        Priority.objects.create(
            ward=ward,
            statement="Later review",
            agreed_on=TODAY - timedelta(days=10),
            review_on=TODAY + timedelta(days=170),
            evidence="Figures",
            slot=2,
        )
        Consultation.objects.create(
            ward=ward,
            title=f"What should {ward.name} focus on?",
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=6),
        )
        task = VolunteerTask.objects.create(
            ward=ward,
            title=f"Leafleting in {ward.name}",
            kind="leafleting",
            place="High street",
            starts_at=now + timedelta(days=4),
            places=4,
        )
        VolunteerSignup.objects.create(task=task, user=make_resident(f"v-{ward.slug}@example.org", ward))
        made[ward.slug] = {"past": past, "task": task}
    return made


def texts(panel):
    return [(i["text"], i["note"]) for i in panel["items"]]


def test_an_officer_sees_their_places_work_oldest_reply_first_and_nothing_from_elsewhere(client, places):
    fill(places)
    officer = make_staff(Role.OFFICER, places.ward_a)
    sign_in(client, officer)
    panels = {p["key"]: p for p in client.get("/api/v1/me/work").json()}
    assert list(panels) == [
        "places",
        "replies",
        "meetings",
        "records",
        "actions",
        "priorities",
        "consultations",
        "bulletins",
        "volunteering",
    ]
    assert texts(panels["places"]) == [("Abbey", "Neighbourhood officer")]
    assert texts(panels["replies"]) == [
        ("Reply to “Abbey panel, October”", "received 9 November 2026, 9 days ago"),
        ("Reply to “Abbey panel, October”", "received 16 November 2026, 2 days ago"),
    ]
    assert texts(panels["meetings"]) == [("Abbey street briefing", "21 November 2026, in 3 days")]
    assert texts(panels["records"]) == [("Record of Abbey panel, October", "held 19 October 2026, 30 days ago")]
    assert texts(panels["actions"]) == [("Fix the lights in Abbey", "Council; due 6 November 2026, 12 days ago")]
    assert texts(panels["priorities"]) == [
        ("Reduce bike theft in Abbey (Abbey)", "review due 23 November 2026, in 5 days"),
        ("Later review (Abbey)", "review due 7 May 2027, in 170 days"),
    ]
    # Due soon: straight to the review form; later: the priority's page.
    assert [i["url"].rstrip("/").rsplit("/", 1)[-1] for i in panels["priorities"]["items"]][0] == "review"
    assert not panels["priorities"]["items"][1]["url"].endswith("/review/")
    assert texts(panels["consultations"]) == [
        ("What should Abbey focus on?", "open; closes 24 November 2026, in 6 days")
    ]
    assert texts(panels["volunteering"]) == [("Leafleting in Abbey", "1 of 4 places taken; 22 November 2026")]
    assert [i["text"] for i in panels["volunteering"]["links"]] == ["New volunteering task in Abbey"]
    assert [i["text"] for i in panels["meetings"]["links"]] == ["New event in Abbey"]
    page = client.get("/accounts/staff/").content.decode()
    for panel in panels.values():
        for item in panel["items"]:
            assert f'href="{item["url"]}"' in page
    assert "Common" not in page and 'href="/accounts/staff/">Your work</a>' in page


def test_a_panel_chair_sees_meetings_records_and_priorities_but_not_the_team_inbox(client, places):
    fill(places)
    chair = make_staff(Role.PANEL_CHAIR, places.ward_a)
    sign_in(client, chair)
    keys = [p["key"] for p in client.get("/api/v1/me/work").json()]
    assert keys == ["places", "meetings", "records", "actions", "priorities", "consultations", "volunteering"]
    page = client.get("/accounts/staff/").content.decode()
    assert "Set a priority in Abbey" in page and "New consultation in Abbey" in page and "Open the inbox" not in page


def test_a_borough_lead_sees_every_ward_of_the_borough(client, places):
    fill(places)
    lead = make_staff(Role.BOROUGH_LEAD, places.borough_a)
    sign_in(client, lead)
    panels = {p["key"]: p for p in client.get("/api/v1/me/work").json()}
    assert texts(panels["places"]) == [("Northbury", "Borough lead")]
    assert [t for t, _ in texts(panels["actions"])] == ["Fix the lights in Abbey"]
    # Things to start from: an event in the borough; volunteering tasks belong to a ward, so none here.
    assert [i["text"] for i in panels["meetings"]["links"]] == ["New event in Northbury"]
    assert panels["volunteering"]["links"] == []


def test_residents_have_no_staff_home_and_staff_land_on_it_after_two_factor(client, places):
    resident = make_resident("res@example.org", places.ward_a)
    sign_in(client, resident)
    assert client.get("/accounts/staff/").status_code == 403
    assert client.get("/api/v1/me/work").status_code == 403
    assert "Your work" not in client.get("/accounts/profile/").content.decode()


def test_demo_staff_land_on_a_staff_home_with_real_items(client, places, settings, tmp_path):
    import io

    from openward.accounts.demo_data import email
    from openward.areas.models import Ward
    from openward.engagement import demo_data as engagement_demo
    from openward.verification.demo_data import load_people

    Ward.objects.filter(pk__in=[places.ward_a.pk, places.ward_b.pk]).update(is_demo=True)
    load_people(io.StringIO())
    engagement_demo.generate_and_load(tmp_path, io.StringIO())
    settings.DEBUG = True
    expected = {
        "officer": {"replies", "meetings", "records", "actions", "volunteering", "bulletins"},
        "panel-chair": {"meetings", "records", "actions", "volunteering"},
        "borough-lead": {"replies", "meetings", "records", "actions", "volunteering", "bulletins"},
    }
    for person, filled in expected.items():
        client.logout()
        response = client.post("/accounts/demo/", {"email": email(person)})
        assert response["Location"] == "/accounts/staff/", person
        panels = {p["key"]: p for p in client.get("/api/v1/me/work").json()}
        assert {k for k, p in panels.items() if p["items"] and k != "places"} >= filled, person
        replies = [i["note"] for i in panels.get("replies", {"items": []})["items"]]
        ages = [int(n.split(", ")[1].split()[0]) for n in replies]
        assert ages == sorted(ages, reverse=True), "oldest reply first"
