"""Meeting records: attendance by role (names only with agreement), minutes by topic, the action register,
roll-ups per cluster and borough, exports, and no deletion of what was published."""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from openward.engagement.models import Action, Event, KeptForGood, MeetingRecord, Topic
from openward.engagement.services import events as events_services
from openward.engagement.services import records as records_services
from tests.personas import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def past_meeting(make_event):
    return make_event(starts_at=timezone.now() - timedelta(days=2))


def test_chair_writes_record_through_the_page(past_meeting, panel_chair, resident, client):
    theft = Topic.objects.get(slug="theft")
    fraud = Topic.objects.get(slug="fraud")
    url = reverse("engagement:record-edit", args=[past_meeting.pk])
    sign_in(client, resident)
    assert client.get(url).status_code == 403
    sign_in(client, panel_chair)
    response = client.post(
        url,
        {
            "summary": "Quarterly panel.",
            f"topic_{theft.pk}": "Phone snatches up near the station.",
            f"topic_{fraud.pk}": "Courier fraud against older residents.",
            "count_resident": "7",
            "count_officer": "2",
            "count_councillor": "1",
            "named": "councillor: Jo Bloggs",
            "publish": "on",
        },
    )
    record = MeetingRecord.objects.get(event=past_meeting)
    assert response.status_code == 302
    assert record.is_published
    page = client.get(reverse("engagement:record", args=[record.pk])).content.decode()
    assert "10 people." in page
    assert "Resident: 7" in page and "Police officer: 2" in page and "Councillor: 1" in page
    assert "Jo Bloggs" in page
    assert record.attendance.exclude(name="").count() == 1
    assert [m.topic.slug for m in record.minutes.all()] == ["theft", "fraud"]
    client.logout()
    assert "Courier fraud" in client.get(reverse("engagement:record", args=[record.pk])).content.decode()


def test_names_kept_only_when_agreed(past_meeting, officer):
    record = records_services.write_meeting_record(
        officer,
        past_meeting,
        attendance=[
            {"role": "resident", "name": "Secret Person", "agreed_to_be_named": False},
            {"role": "resident", "name": "Open Person", "agreed_to_be_named": True},
        ],
    )
    assert sorted(record.attendance.values_list("name", flat=True)) == ["", "Open Person"]


def test_draft_record_is_not_public(past_meeting, officer, client):
    record = records_services.write_meeting_record(officer, past_meeting, summary="Draft words nobody has agreed")
    assert client.get(reverse("engagement:record", args=[record.pk])).status_code == 404
    code = past_meeting.ward.gss_code
    for url in (
        reverse("engagement:event", args=[past_meeting.pk]),
        f"/api/v1/engagement/places/ward/{code}/records",
        reverse("engagement:area-records", args=["ward", code]),
    ):
        response = client.get(url)
        assert response.status_code == 200 and "Draft words" not in response.content.decode(), url


def test_panel_adds_topic(past_meeting, panel_chair, client):
    sign_in(client, panel_chair)
    client.post(reverse("engagement:topic-add", args=[past_meeting.pk]), {"name": "Moped crime"})
    topic = Topic.objects.get(name="Moped crime")
    assert topic.added_for_ward == past_meeting.ward and not topic.is_standard
    assert f"topic_{topic.pk}" in client.get(reverse("engagement:record-edit", args=[past_meeting.pk])).content.decode()


def test_published_records_and_actions_are_never_deleted(past_meeting, officer):
    record = records_services.write_meeting_record(officer, past_meeting, publish=True)
    action = records_services.agree_action(officer, record, what="Patrol", owner="PC A")
    with pytest.raises(KeptForGood):
        record.delete()
    with pytest.raises(KeptForGood):
        action.delete()
    with pytest.raises(KeptForGood):
        Action.objects.all().delete()
    assert MeetingRecord.objects.count() == 1 and Action.objects.count() == 1


def test_record_cannot_be_written_before_the_meeting(make_event, officer):
    with pytest.raises(ValidationError, match="once the meeting has started"):
        records_services.write_meeting_record(officer, make_event())


def test_rollup_per_cluster_and_borough_and_exports(make_event, officer, ward, other_ward, cluster, borough, client):
    from openward.priorities.models import Priority

    today = timezone.localdate()
    priority = Priority.objects.create(
        ward=ward,
        statement="Phone snatching",
        agreed_on=today,
        review_on=today + timedelta(days=90),
        slot=1,
        evidence="x",
    )
    m1 = make_event(starts_at=timezone.now() - timedelta(days=20))
    r1 = records_services.write_meeting_record(officer, m1, publish=True)
    records_services.agree_action(
        officer, r1, what="A1, with comma", owner="PC A", due_date=today - timedelta(days=1), priority_id=priority.pk
    )
    records_services.agree_action(officer, r1, what="A2", owner="PC B", due_date=today + timedelta(days=5))
    done = records_services.agree_action(officer, r1, what="A3", owner="PC C")
    records_services.update_action(officer, done, status="done", note="Finished")
    m2 = events_services.schedule_event(
        officer,
        notify=False,
        allow_past=True,
        ward=other_ward,
        title="Aldgate panel",
        kind=Event.Kind.WARD_PANEL,
        address="Aldgate",
        starts_at=timezone.now() - timedelta(days=10),
    )
    r2 = records_services.write_meeting_record(officer, m2, publish=True)
    records_services.agree_action(officer, r2, what="B1", owner="PCSO D", due_date=today - timedelta(days=2))
    m3 = events_services.schedule_event(
        officer,
        notify=False,
        allow_past=True,
        cluster=cluster,
        title="Cluster panel",
        kind=Event.Kind.CLUSTER_PANEL,
        address="Guildhall",
        starts_at=timezone.now() - timedelta(days=5),
    )
    r3 = records_services.write_meeting_record(officer, m3, publish=True)
    records_services.agree_action(officer, r3, what="C1", owner="Inspector")
    # A draft record's actions are not public yet.
    m4 = make_event(starts_at=timezone.now() - timedelta(days=1))
    records_services.agree_action(officer, records_services.write_meeting_record(officer, m4), what="Draft", owner="X")

    data = client.get(f"/api/v1/engagement/places/borough/{borough.slug}/actions").json()
    assert sorted(a["what"] for a in data["open"]) == ["A1, with comma", "A2", "B1", "C1"]
    by_place = {row["place"]: (row["open"], row["overdue"]) for row in data["by_place"]}
    assert by_place == {"Aldersgate": (2, 1), "Aldgate": (1, 1), "North cluster": (1, 0)}
    cluster_data = client.get(f"/api/v1/engagement/places/cluster/{cluster.slug}/actions").json()
    assert len(cluster_data["open"]) == 4

    page = client.get(reverse("engagement:area-records", args=["cluster", cluster.slug])).content.decode()
    assert "Open actions by place" in page and "Aldgate" in page

    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(reverse("engagement:area-export", args=["ward", "E05009288", "csv"])).content.decode()
            )
        )
    )
    assert [r["what"] for r in rows] == ["A1, with comma", "A2", "A3"]
    assert rows[0]["priority_id"] == str(priority.pk) and rows[0]["overdue"] == "True" and rows[2]["status"] == "done"
    exported = json.loads(client.get(reverse("engagement:area-export", args=["ward", "E05009288", "json"])).content)
    assert [r["event"]["title"] for r in exported["records"]] == ["Aldersgate ward panel"]
    assert len(exported["records"][0]["actions"]) == 3


def test_api_writes_record_and_actions(past_meeting, panel_chair, resident, client):
    sign_in(client, resident)
    url = f"/api/v1/engagement/events/{past_meeting.pk}/record"
    assert client.put(url, {}, content_type="application/json").status_code == 403
    sign_in(client, panel_chair)
    r = client.put(
        url,
        {
            "summary": "ok",
            "minutes": {"drugs": "Dealing on the estate"},
            "publish": True,
            "attendance": [{"role": "resident"}, {"role": "officer", "name": "PC X", "agreed_to_be_named": True}],
        },
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["minutes"] == [{"topic": "Drugs", "summary": "Dealing on the estate"}]
    assert body["attendance"]["by_role"] == {"Resident": 1, "Police officer": 1}
    bad = client.put(url, {"minutes": {"no-such-topic": "x"}}, content_type="application/json")
    assert bad.status_code == 400 and "no-such-topic" in bad.json()["detail"]
    a = client.post(
        f"/api/v1/engagement/records/{body['id']}/actions",
        {"what": "Test purchase op", "owner": "PC X", "due_date": "2030-01-01"},
        content_type="application/json",
    ).json()
    r = client.patch(
        f"/api/v1/engagement/actions/{a['id']}", {"status": "in_progress"}, content_type="application/json"
    )
    assert r.json()["status"] == "in_progress"
