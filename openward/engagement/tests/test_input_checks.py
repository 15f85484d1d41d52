"""Input is checked at the edge before anything is saved: choices, ids and export names.

A meeting record with an unknown attendance role once saved and published broke every page and API
listing of its ward and borough for good; ids out of range or not numbers answered 500.
"""

import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from openward.engagement.models import Action, Attendance, MeetingRecord
from openward.engagement.services import records as records_services
from tests.personas import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def past_meeting(make_event):
    return make_event(starts_at=timezone.now() - timedelta(days=2))


@pytest.fixture
def record(past_meeting, officer):
    return records_services.write_meeting_record(officer, past_meeting, summary="Panel.", publish=True)


def make_priority(ward, statement="Phone snatching near the station"):
    from openward.priorities.models import Priority

    return Priority.objects.create(
        ward=ward,
        statement=statement,
        agreed_on=date(2026, 1, 10),
        review_on=date(2026, 4, 10),
        slot=Priority.objects.filter(ward=ward, status="open").count() + 1,
        evidence="Thefts from the person doubled.",
    )


def listings(client, ward, borough) -> list[int]:
    """Every page and API answer that lists the ward's or borough's records."""
    urls = [
        reverse("engagement:area-records", kwargs={"kind": "ward", "key": ward.gss_code}),
        reverse("engagement:area-records", kwargs={"kind": "borough", "key": borough.slug}),
        reverse("engagement:area-export", kwargs={"kind": "ward", "key": ward.gss_code, "fmt": "json"}),
        reverse("engagement:area-export", kwargs={"kind": "borough", "key": borough.slug, "fmt": "csv"}),
        f"/api/v1/engagement/places/ward/{ward.gss_code}/records",
        f"/api/v1/engagement/places/borough/{borough.slug}/records",
        f"/wards/{ward.gss_code}/",
    ]
    return [client.get(url).status_code for url in urls]


def test_an_unknown_attendance_role_is_refused_and_nothing_is_saved(past_meeting, panel_chair, client, ward, borough):
    sign_in(client, panel_chair)
    response = client.put(
        f"/api/v1/engagement/events/{past_meeting.pk}/record",
        {"summary": "ok", "publish": True, "attendance": [{"role": "resident"}, {"role": "wizard"}]},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "wizard" in str(response.json()["detail"]) or "resident" in str(response.json()["detail"])
    assert not MeetingRecord.objects.filter(event=past_meeting).exists()
    assert Attendance.objects.count() == 0
    assert listings(client, ward, borough) == [200] * 7


def test_the_service_refuses_an_unknown_role_before_writing(past_meeting, officer):
    with pytest.raises(ValidationError, match="wizard"):
        records_services.write_meeting_record(officer, past_meeting, attendance=[{"role": "wizard"}], publish=True)
    assert not MeetingRecord.objects.filter(event=past_meeting).exists()


def test_the_database_refuses_an_unknown_role(record):
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(record=record, role="wizard")


def test_records_with_every_known_role_list_everywhere(record, officer, client, ward, borough):
    records_services.write_meeting_record(
        officer, record.event, attendance=[{"role": r} for r in Attendance.Role.values]
    )
    assert listings(client, ward, borough) == [200] * 7
    body = client.get(f"/api/v1/engagement/places/ward/{ward.gss_code}/records").json()
    assert body["records"][0]["attendance"]["total"] == len(Attendance.Role.values)


@pytest.mark.parametrize("bad", [-1, 0, 2**63, 10**30, "abc"])
def test_action_priority_ids_out_of_range_are_refused_by_the_api(record, officer, client, bad):
    sign_in(client, officer)
    response = client.post(
        f"/api/v1/engagement/records/{record.pk}/actions",
        {"what": "Patrols", "owner": "PC X", "priority_id": bad},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert Action.objects.count() == 0


def test_an_action_serves_only_a_priority_of_its_own_ward(record, officer, client, ward, other_ward):
    mine, theirs = make_priority(ward), make_priority(other_ward)
    sign_in(client, officer)
    url = f"/api/v1/engagement/records/{record.pk}/actions"
    for priority_id in (theirs.pk, theirs.pk + mine.pk + 100):
        response = client.post(
            url, {"what": "Patrols", "owner": "PC X", "priority_id": priority_id}, content_type="application/json"
        )
        assert response.status_code == 400
        assert f"no priority {priority_id} in Aldersgate" in response.json()["detail"]
    assert Action.objects.count() == 0
    ok = client.post(url, {"what": "Patrols", "owner": "PC X", "priority_id": mine.pk}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["priority_id"] == mine.pk
    assert Action.objects.get().priority_id == mine.pk


@pytest.mark.parametrize("bad", ["abc", "-1", "9223372036854775808", "1e3", "99999"])
def test_the_action_form_refuses_anything_but_a_listed_priority_with_a_message(record, officer, client, ward, bad):
    make_priority(ward)
    sign_in(client, officer)
    response = client.post(
        reverse("engagement:action-add", args=[record.pk]), {"what": "Patrols", "owner": "PC X", "priority": bad}
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Choose one of the ward&#x27;s open priorities, or none of them." in page
    assert Action.objects.count() == 0


def test_the_action_form_picks_the_wards_priorities_by_title_never_another_wards(
    record, officer, client, ward, other_ward
):
    mine = make_priority(ward)
    theirs = make_priority(other_ward)
    sign_in(client, officer)
    page = client.get(reverse("engagement:record", args=[record.pk])).content.decode()
    options = re.findall(
        r'<option value="(\d*)"[^>]*>([^<]+)</option>', page.split('name="priority"')[1].split("</select>")[0]
    )
    assert options == [("", "None of them"), (str(mine.pk), f"{mine.statement} (Aldersgate)")]
    response = client.post(
        reverse("engagement:action-add", args=[record.pk]),
        {"what": "Patrols", "owner": "PC X", "priority": str(theirs.pk)},
        follow=True,
    )
    assert "Choose one of the ward&#x27;s open priorities" in response.content.decode()
    assert Action.objects.count() == 0
    client.post(
        reverse("engagement:action-add", args=[record.pk]),
        {"what": "Patrols", "owner": "PC X", "priority": str(mine.pk), "due_date": "2026-12-01"},
    )
    assert Action.objects.get().priority_id == mine.pk
    page = client.get(reverse("engagement:record", args=[record.pk])).content.decode()
    assert f"Serves the priority: {mine.statement}" in page


def test_a_cluster_meeting_action_may_serve_a_priority_of_a_ward_in_the_cluster(officer, cluster, other_ward):
    from openward.engagement.models import Event

    event = Event.objects.create(
        cluster=cluster,
        title="Cluster panel",
        kind=Event.Kind.CLUSTER_PANEL,
        address="Hall",
        starts_at=timezone.now() - timedelta(days=1),
    )
    meeting = records_services.write_meeting_record(officer, event, publish=True)
    priority = make_priority(other_ward)
    action = records_services.agree_action(officer, meeting, what="Patrols", owner="PC X", priority_id=priority.pk)
    assert action.priority_id == priority.pk


@pytest.mark.parametrize(
    "payload",
    [
        {"status": "finished"},
        {"status": "open", "note": 5},
    ],
)
def test_action_status_must_be_one_of_the_list(record, officer, client, payload):
    action = records_services.agree_action(officer, record, what="Patrols", owner="PC X")
    sign_in(client, officer)
    response = client.patch(f"/api/v1/engagement/actions/{action.pk}", payload, content_type="application/json")
    assert response.status_code == 422
    action.refresh_from_db()
    assert action.status == Action.Status.OPEN


@pytest.mark.parametrize(
    "payload",
    [
        {"volunteers": 2**63, "hours": "3", "findings": "x"},
        {"volunteers": -1, "hours": "3", "findings": "x"},
        {"volunteers": 2, "hours": "1e30", "findings": "x"},
        {"volunteers": 2, "hours": "1.234", "findings": "x"},
    ],
)
def test_volunteering_report_figures_are_bounded(officer, ward, client, payload):
    from openward.engagement.models import VolunteerTask

    task = VolunteerTask.objects.create(
        ward=ward,
        title="Sweep",
        kind="weapons_sweep",
        place="Park",
        starts_at=timezone.now() - timedelta(days=1),
        places=3,
    )
    sign_in(client, officer)
    response = client.put(f"/api/v1/engagement/volunteering/{task.pk}/report", payload, content_type="application/json")
    assert response.status_code == 422
    assert not hasattr(VolunteerTask.objects.get(pk=task.pk), "report")


def test_event_choices_and_capacity_are_checked_by_the_schema(officer, ward, client):
    sign_in(client, officer)
    url = f"/api/v1/engagement/places/ward/{ward.gss_code}/events"
    base = {"title": "Surgery", "type": "surgery", "address": "Library", "start": "2030-01-01T10:00:00Z"}
    for change in ({"type": "rave"}, {"mode": "telepathy"}, {"capacity": 0}, {"capacity": 2**63}):
        response = client.post(url, base | change, content_type="application/json")
        assert response.status_code == 422, change
    assert client.post(url, base | {"capacity": 40}, content_type="application/json").status_code == 201


def test_replies_name_their_item_kind_and_a_bounded_id(resident, client):
    sign_in(client, resident)
    for change in ({"item": "priority"}, {"id": 2**63}, {"id": -5}):
        payload = {"item": "event", "id": 1, "body": "Hello"} | change
        assert client.post("/api/v1/engagement/replies", payload, content_type="application/json").status_code == 422


# Exports


@pytest.mark.parametrize(
    "fmt",
    ["csv%0d%0aSet-Cookie:%20x=1", 'csv"; filename=evil.exe', "exe", "CSV", "csv%00"],
)
def test_an_export_format_other_than_csv_or_json_is_not_found(record, client, ward, fmt):
    response = client.get(f"/engagement/places/ward/{ward.gss_code}/records.{fmt}")
    assert response.status_code == 404
    assert "Content-Disposition" not in response


@pytest.mark.parametrize("key", ["e05009288", "E05009288"])
def test_the_export_file_name_is_made_on_the_server(record, client, key):
    for fmt in ("csv", "json"):
        response = client.get(f"/engagement/places/ward/{key}/records.{fmt}")
        assert response.status_code == 200
        assert response["Content-Disposition"] == f'attachment; filename="openward-aldersgate-meeting-records.{fmt}"'


def test_a_borough_export_is_named_after_its_slug(record, client, borough):
    response = client.get(f"/engagement/places/borough/{borough.gss_code.lower()}/records.csv")
    assert response["Content-Disposition"] == 'attachment; filename="openward-city-of-london-meeting-records.csv"'


def test_the_openapi_schema_lists_each_choice_field_with_its_own_values():
    """Two enum classes both called Kind once shared one component, so events showed bulletin kinds."""
    from openward.api import api
    from openward.engagement.models import Bulletin, Event

    schemas = api.get_openapi_schema()["components"]["schemas"]
    assert schemas["EventIn"]["properties"]["type"]["enum"] == Event.Kind.values
    assert schemas["EventIn"]["properties"]["mode"]["enum"] == Event.Mode.values
    assert schemas["BulletinIn"]["properties"]["kind"]["enum"] == Bulletin.Kind.values
    assert schemas["AttendanceIn"]["properties"]["role"]["enum"] == Attendance.Role.values
    assert schemas["ActionStatusIn"]["properties"]["status"]["enum"] == Action.Status.values


@pytest.mark.parametrize("volunteers", ["9223372036854775808", "-1", "lots"])
def test_the_volunteering_report_form_bounds_its_figures(officer, ward, client, volunteers):
    from openward.engagement.models import VolunteerTask

    task = VolunteerTask.objects.create(
        ward=ward,
        title="Sweep",
        kind="weapons_sweep",
        place="Park",
        starts_at=timezone.now() - timedelta(days=1),
        places=3,
    )
    sign_in(client, officer)
    response = client.post(
        reverse("engagement:volunteer-report", args=[task.pk]),
        {"volunteers": volunteers, "hours": "2", "findings": "Two knives found"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Give the number of volunteers, the hours and what was found or done." in response.content.decode()
    assert not hasattr(VolunteerTask.objects.get(pk=task.pk), "report")


def test_the_action_form_reads_the_open_priorities_in_one_query(record, ward, django_assert_num_queries):
    from openward.engagement import forms, selectors

    make_priority(ward)
    make_priority(ward, "Speeding on the high street")
    event = record.event
    with django_assert_num_queries(1):
        form = forms.ActionForm(priorities=selectors.priorities_for_actions(event))
        listed = str(form["priority"])
    assert listed.count("<option") == 3  # "None of them" and the ward's two, each with its ward's name
    assert listed.count("(Aldersgate)") == 2
    no_priorities = forms.ActionForm(priorities=selectors.priorities_for_actions(event).none())
    assert "priority" not in no_priorities.fields
