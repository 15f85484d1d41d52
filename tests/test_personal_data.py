"""Download my data and delete my account, across every app.

The fixture person has a row in every table that can hold a person (the conventions test keeps
that list whole); after erasure a scan of every column of every table finds none of their
email, name, postcodes, address or words.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from openward.accounts import services as accounts
from openward.accounts.models import ApiToken, Consent, EmailLink, Purpose, Role, RoleGrant, User
from openward.commitments.models import Commitment, Evidence, Review
from openward.core import personal_data
from openward.core.models import AuditEvent
from openward.crime.tests.factories import StopFactory
from openward.engagement.models import (
    Attendance,
    CalendarFeed,
    Event,
    Registration,
    Reply,
    VolunteerSignup,
    VolunteerTask,
)
from openward.engagement.services import bulletins, registrations
from openward.engagement.services import events as engagement_events
from openward.engagement.services import records as engagement_records
from openward.engagement.services import replies as engagement_replies
from openward.engagement.services import volunteering as engagement_volunteering
from openward.monitoring.models import GroundsText, MonitoringGroup, ReviewSample, SampledStop, StopReview
from openward.notifications import services as notifications
from openward.notifications.models import Delivery, Subscriber, Subscription
from openward.patrols.models import PatrolPlan, PlanPlace, Visit
from openward.priorities import services as priorities
from openward.priorities.models import Ballot, Concern, Participation
from openward.verification import services as verification
from openward.verification.models import AddressLetter, InPersonReference, Membership, VerificationGrant
from tests.personas import make_places, make_resident, make_staff, sign_in

EMAIL = "ada.lovelace@example.org"
NAME = "Ada Lovelace"
ADDRESS = "12 Analytical Engine Row"
REPLY = "The lamp on Babbage Close has been out for weeks"
TOKEN_NAME = "difference engine script"
# Everything that would say who she was, in any column of any table.
NEEDLES = [EMAIL, "ada.lovelace", NAME, "Lovelace", "N19QZ", "N1 9QZ", "N19QY", ADDRESS, "Analytical", REPLY, "Babbage"]
NEEDLES.append(TOKEN_NAME)
# The postcode list is reference data about places: it holds every postcode, hers among them.
REFERENCE = {("areas_postcode", "compact")}


def every_value_in_the_database():
    """(table, column, text) for every non-empty value in every table of the database."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')
            columns = [c[0] for c in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if value is not None:
                        yield table, column, value.decode(errors="ignore") if isinstance(value, bytes) else str(value)


def found(needles) -> set[tuple[str, str, str]]:
    return {
        (table, column, needle)
        for table, column, value in every_value_in_the_database()
        for needle in needles
        if needle.lower() in value.lower() and (table, column) not in REFERENCE
    }


class World:
    """Ada, with a row in every table that can hold a person, and the people and places around her."""

    def __init__(self, after_commit):
        now = timezone.now()
        self.places = places = make_places()
        ward = places.ward_a
        self.officer = make_staff(Role.OFFICER, ward)
        self.admin = make_staff(Role.SITE_ADMIN, None)
        self.neighbour = make_resident("neighbour@example.org", ward)
        ada = self.ada = make_resident(EMAIL, ward, postcode=places.postcode_a)
        User.objects.filter(pk=ada.pk).update(display_name=NAME, first_name="Ada", last_name="Lovelace")
        ada.refresh_from_db()

        # Accounts: consents, a sign-in link, a token, a role (with its authenticator), an admin's change.
        for purpose in Purpose:
            accounts.set_consent(ada, purpose, True)
        # Queued through the database task backend (make run's), which keeps the address and text.
        with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
            with after_commit(execute=True):
                accounts.request_sign_in(email=EMAIL)
        accounts.create_api_token(ada, TOKEN_NAME, second_factor=False)
        accounts.grant_role(self.admin, ada, Role.PANEL_MEMBER, ward)
        from django_otp.plugins.otp_totp.models import TOTPDevice

        TOTPDevice.objects.create(user=ada, name="Ada's phone", confirmed=True)
        LogEntry.objects.create(
            user=self.admin,
            content_type=ContentType.objects.get_for_model(User),
            object_id=str(ada.pk),
            object_repr=str(ada),
            action_flag=CHANGE,
            change_message="Changed display name.",
        )

        # Verification: a second ward, a letter to her address, an in-person reference.
        verification.join_ward(ada, places.ward_a2, postcode=places.postcode_a2, relationship="works")
        home = Membership.objects.get(user=ada, ward=ward)
        verification.request_letter(ada, home, address=ADDRESS, postcode="N1 9QZ", recipient=NAME)
        verification.issue_in_person_reference(ada, home)

        # Notifications: subscribed before the bulletin goes out, so the ledger has a row for her.
        notifications.subscribe(ada, ward)
        self.neighbour_subscriber = notifications.subscribe(self.neighbour, ward)

        # Engagement: a place at a full event (the neighbour waits), a named attendance at a past
        # meeting, a calendar feed, a reply answered by name, a volunteering place.
        self.event = engagement_events.schedule_event(
            self.officer,
            ward=ward,
            title="Abbey ward panel",
            kind=Event.Kind.WARD_PANEL,
            address="Abbey community hall",
            starts_at=now + timedelta(days=7),
            capacity=1,
            notify=False,
        )
        registrations.register_for_event(ada, self.event, share_name=True)
        self.waiting = registrations.register_for_event(self.neighbour, self.event)
        past = engagement_events.schedule_event(
            self.officer,
            ward=ward,
            title="Abbey street briefing",
            kind=Event.Kind.STREET_BRIEFING,
            address="Abbey Road",
            starts_at=now - timedelta(days=2),
            notify=False,
            allow_past=True,
        )
        engagement_records.write_meeting_record(
            self.officer,
            past,
            summary="Street lighting",
            attendance=[{"role": Attendance.Role.RESIDENT, "name": NAME, "agreed_to_be_named": True, "user": ada}],
            publish=True,
        )
        CalendarFeed.objects.create(user=ada)
        self.bulletin = bulletins.publish_bulletin(
            self.officer,
            bulletins.BulletinFields(
                title="Lights out in Abbey", body_html="<p>Report broken lamps.</p>", wards=[ward]
            ),
        )
        reply = engagement_replies.receive_reply(self.bulletin, sender_email=EMAIL, body=REPLY, user=ada)
        engagement_replies.answer_reply(self.officer, reply, f"Thank you, {NAME}: reported to the council.")
        self.task = engagement_volunteering.create_volunteer_task(
            self.officer,
            ward=ward,
            title="Leafleting Abbey Road",
            kind=VolunteerTask.Kind.LEAFLETING,
            place="Abbey Road",
            starts_at=now + timedelta(days=3),
            places=1,
        )
        engagement_volunteering.sign_up_to_volunteer(ada, self.task)
        # A refused address comes back in the SMTP error the ledger keeps (as the worker records it).
        Delivery.objects.filter(subscriber__user=ada).update(last_error=f"SMTPRecipientsRefused: {{'{EMAIL}': 550}}")

        # Patrols: a plan she drew up and a visit she made, with her note (as a special constable might).
        plan = PatrolPlan.objects.create(
            ward=ward,
            title="Abbey evenings",
            starts_on=now.date(),
            ends_on=now.date() + timedelta(days=28),
            hours_note="Evenings, after the Analytical Society meets",
            created_by=ada,
        )
        spot = PlanPlace.objects.create(plan=plan, cell_key="c1", latitude=51.5, longitude=-0.1, reason="busiest cell")
        Visit.objects.create(
            plan=plan, place=spot, officer=ada, recorded_by=ada, started_at=now, minutes=12, note=f"Met {NAME} there"
        )

        # Monitoring: as a member of the borough's community monitoring group she reviewed a sampled
        # stop (her concerns name a colleague) and added the force's grounds text to it.
        group = MonitoringGroup.objects.create(borough=ward.borough, name="Northbury CMG")
        sample = ReviewSample.objects.create(group=group, month=now.date().replace(day=1), size=1, seed=7, drawn_by=ada)
        sampled = SampledStop.objects.create(
            sample=sample, stop=StopFactory(ward=ward), stratum="White / PACE", position=1
        )
        StopReview.objects.create(
            sampled=sampled,
            grounds_clear="yes",
            video_seen="no",
            outcome_proportionate="yes",
            concerns="Ask Babbage about the video",
            reviewer=ada,
        )
        GroundsText.objects.create(
            sampled=sampled,
            text="Smell of cannabis reported by officer",
            uploaded_by=ada,
            from_file="lovelace-grounds.csv",
        )

        # Commitments: she attached a file of evidence to a commitment's review (its name names her).
        commitment = Commitment.objects.create(
            text="A 24/7 front counter in every borough",
            source="A New Met for London",
            owner="Metropolitan Police Service",
            owner_kind=Commitment.OwnerKind.FORCE,
            made_on=now.date(),
            borough=ward.borough,
            measure=Commitment.Measure.EVIDENCE,
        )
        review = Review.objects.create(
            commitment=commitment,
            reviewed_on=now.date(),
            status="cant-tell",
            reason="Hours not published",
            evidence_source="Met website",
        )
        Evidence.objects.create(
            review=review,
            file="commitments/evidence/0123456789abcdef.pdf",
            file_name="Lovelace front counter survey.pdf",
            content_type="application/pdf",
            size=1200,
            sha256="0" * 64,
            uploaded_by=ada,
        )

        # Priorities: she takes part in a consultation (her choices are anonymous by design).
        self.consultation = priorities.create_consultation(
            self.officer,
            ward=ward,
            title="Abbey priorities",
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=7),
            concerns=Concern.objects.all()[:3],
        )
        priorities.cast_ballot(ada, self.consultation, [Concern.objects.first().pk], demographics={"age_band": "65+"})


@pytest.fixture
def world(db, django_capture_on_commit_callbacks):
    # Emails and fan-out run after commit, as they do outside a test transaction.
    with django_capture_on_commit_callbacks(execute=True):
        return World(django_capture_on_commit_callbacks)


def _wards(d):
    return d["verification"]["wards"]


# Where each table that can hold a person shows up in her download (one entry per model).
IN_DOWNLOAD = {
    User: lambda d: d["account"]["email"] == EMAIL and d["account"]["display_name"] == NAME,
    Consent: lambda d: {c["purpose"] for c in d["account"]["consents"]} == {"notifications", "research"},
    EmailLink: lambda d: [link["purpose"] for link in d["account"]["email_links"]] == ["sign_in"],
    ApiToken: lambda d: [t["name"] for t in d["account"]["api_tokens"]] == [TOKEN_NAME],
    RoleGrant: lambda d: (
        [(r["role"], r["place"]) for r in d["account"]["roles"]] == [("panel_member", "Abbey (Northbury)")]
    ),
    Membership: lambda d: (
        {(m["ward"], m["postcode"]) for m in _wards(d)} == {("E05000901", "N19QZ"), ("E05000902", "N19QY")}
    ),
    VerificationGrant: lambda d: any(g["method"] == "email_postcode" for g in _wards(d)[0]["verifications"]),
    AddressLetter: lambda d: [a["address"] for m in _wards(d) for a in m["letters"]] == [ADDRESS],
    InPersonReference: lambda d: sum(len(m["in_person_references"]) for m in _wards(d)) == 1,
    Registration: lambda d: [r["event"] for r in d["engagement"]["event_registrations"]] == ["Abbey ward panel"],
    CalendarFeed: lambda d: d["engagement"]["calendar_feed"].endswith(f"{CalendarFeed.objects.get().token}.ics"),
    Attendance: lambda d: d["engagement"]["meetings_attended"][0]["named_as"] == NAME,
    Reply: lambda d: [(r["reply"], r["from"]) for r in d["engagement"]["replies"]] == [(REPLY, EMAIL)],
    VolunteerSignup: lambda d: [s["task"] for s in d["engagement"]["volunteering"]] == ["Leafleting Abbey Road"],
    Subscriber: lambda d: [s["email"] for s in d["subscriptions"]] == [EMAIL],
    Subscription: lambda d: d["subscriptions"][0]["wards"] == [{"ward": "E05000901", "topics": []}],
    Delivery: lambda d: (
        {e["subject"] for e in d["subscriptions"][0]["emails"]} == {"Lights out in Abbey", "Re: Lights out in Abbey"}
    ),
    PatrolPlan: lambda d: [p["plan"] for p in d["patrols"]["plans_made"]] == ["Abbey evenings"],
    Visit: lambda d: [(v["minutes"], v["made_by_you"]) for v in d["patrols"]["visits"]] == [(12, True)],
    Participation: lambda d: [c["consultation"] for c in d["consultations"]] == ["Abbey priorities"],
    StopReview: lambda d: [r["concerns"] for r in d["monitoring"]["reviews"]] == ["Ask Babbage about the video"],
    GroundsText: lambda d: d["monitoring"]["grounds_added"] == 1,
    Evidence: lambda d: (
        [e["file_name"] for e in d["commitments"]["evidence_uploaded"]] == ["Lovelace front counter survey.pdf"]
    ),
    AuditEvent: lambda d: {"api_token.created", "engagement.receive_reply"} <= {e["action"] for e in d["activity"]},
}


def test_the_download_checks_cover_every_table_that_can_hold_a_person():
    registered = {model for holder in personal_data.holders() for model in holder.models}
    assert registered == set(IN_DOWNLOAD)


def test_download_my_data_includes_every_table_that_holds_the_person(client, world):
    sign_in(client, world.ada)
    response = client.get("/accounts/my-data.json")
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    missing = [model.__name__ for model, check in IN_DOWNLOAD.items() if not check(data)]
    assert not missing, f"not in the download: {missing}"
    assert client.get("/api/v1/me/data").json() == data


def test_erasure_leaves_nothing_of_the_person_in_any_table(client, world):
    # The scan does see her everywhere while the account lives (all but the typed "N1 9QZ").
    before = found(NEEDLES)
    assert {needle for _, _, needle in before} == set(NEEDLES) - {"N1 9QZ"}
    assert {table for table, _, _ in before} >= {
        "accounts_user",
        "verification_addressletter",
        "engagement_reply",
        "engagement_attendance",
        "notifications_subscriber",
        "notifications_delivery",
        "core_auditevent",
        "django_admin_log",
        "django_tasks_database_dbtaskresult",
    }
    ballots = Ballot.objects.count()
    sign_in(client, world.ada)
    refused = client.post("/accounts/delete/", {"confirm": "nope"})
    assert refused.status_code == 400 and User.objects.get(pk=world.ada.pk).erased_at is None

    assert client.post("/accounts/delete/", {"confirm": "delete"}).status_code == 302
    assert found(NEEDLES) == set()

    # Contributions stay, anonymous: the ballot counts, the reply's dates count, the past meeting's attendance counts.
    ada = User.objects.get(pk=world.ada.pk)
    assert ada.erased_at and not ada.is_active and ada.email.endswith("@erased.invalid")
    assert Ballot.objects.count() == ballots and not Participation.objects.exists()
    reply = Reply.objects.get()
    assert reply.body == "" and reply.sender_email == "" and reply.answered_at is not None
    assert Attendance.objects.get().name == "" and Attendance.objects.get().user == ada
    # Her place at the full event went to the neighbour waiting; her volunteering place is free again.
    world.waiting.refresh_from_db()
    assert world.waiting.status == Registration.Status.OFFERED
    assert VolunteerSignup.objects.get(user=ada).status == VolunteerSignup.Status.CANCELLED
    assert world.task.places_left() == 1
    # Audit events about her keep who, what and when, but not what they said.
    token_event = AuditEvent.objects.get(action="api_token.created")
    assert token_event.data == {"erased": True} and token_event.actor_id == ada.pk
    assert client.get("/verify/").status_code == 302  # signed out everywhere


def test_an_erased_person_gets_no_more_email(world, django_capture_on_commit_callbacks):
    erased_subscriber = Subscriber.objects.get(user=world.ada)
    from openward.accounts.erasure import erase_account

    erase_account(world.ada)
    erased_subscriber.refresh_from_db()
    assert not erased_subscriber.is_receiving and not Subscription.objects.filter(subscriber=erased_subscriber)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        bulletins.publish_bulletin(
            world.officer,
            bulletins.BulletinFields(
                title="Second bulletin", body_html="<p>More news.</p>", wards=[world.places.ward_a]
            ),
        )
    # The neighbour, subscribed to the same ward, is the positive control: fan-out did run.
    recipients = [address for message in mail.outbox for address in message.to]
    assert recipients == ["neighbour@example.org"]


def test_the_erase_api_needs_confirmation_then_erases_and_ends_the_token(client, world):
    key = accounts.create_api_token(world.ada, "erase me", second_factor=False)
    headers = {"Authorization": f"Bearer {key}"}
    for body in ({"confirm": "yes"}, {"confirm": ""}):
        refused = client.post("/api/v1/me/erase", body, content_type="application/json", headers=headers)
        assert refused.status_code == 400 and '{"confirm": "delete"}' in refused.json()["detail"]
    assert client.post("/api/v1/me/erase", {}, content_type="application/json", headers=headers).status_code == 422
    assert User.objects.get(pk=world.ada.pk).erased_at is None and found([EMAIL])

    erased = client.post("/api/v1/me/erase", {"confirm": " Delete "}, content_type="application/json", headers=headers)
    assert erased.status_code == 204
    assert found(NEEDLES) == set()
    assert not ApiToken.objects.filter(user=world.ada).exists()
    # The token died with the account: the same call now is unauthorised, not a second erasure.
    again = client.post("/api/v1/me/erase", {"confirm": "delete"}, content_type="application/json", headers=headers)
    assert again.status_code == 401
    assert AuditEvent.objects.filter(action="account.erased", target_id=str(world.ada.pk)).count() == 1
    assert not AddressLetter.objects.exists() and not InPersonReference.objects.exists()
    assert not EmailLink.objects.filter(user=world.ada).exists()
    assert RoleGrant.objects.get(user=world.ada).revoked_at is not None
