"""The crawl's world: one ward with something behind every page, made through the apps' own services.

build() makes the places of tests.personas (two boroughs, three wards) and fills ward A ("Abbey") with two
years of located crime and stop and search, census figures, a closed consultation with ballots, a priority,
events before and after today with registrations, a place offered from the waiting list and a published
meeting record with actions, a bulletin with an image and a reply, volunteering tasks, a patrol plan with a
visit, a commitment with a review, a monitoring group's published sample, a batch of verification letters,
and the links people are emailed (sign-in, unsubscribe, preferences, reply, calendar). It returns the people
the crawl signs in as and the values its URLs are filled from.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.utils import timezone

MONTHS = 24  # October 2024 to September 2026: the clock is pinned to November 2026
FIRST_MONTH = dt.date(2024, 10, 1)
CENSUS_FIXTURE = Path(__file__).resolve().parents[1] / "openward/census/tests/fixtures/ts021_lsoa_small.csv"


@dataclass
class World:
    people: dict  # persona name -> User (None: not signed in)
    values: dict  # names the crawl's URLs are filled from -> value


def _month(i: int) -> dt.date:
    index = FIRST_MONTH.year * 12 + FIRST_MONTH.month - 1 + i
    return dt.date(index // 12, index % 12 + 1, 1)


def _crime_and_stops(ward, force) -> None:
    """Located crime in `ward` every month (counts vary by month and place) and stops in its last year."""
    from openward.crime.models import Crime
    from openward.crime.tests.factories import StopFactory, category, import_run, rebuild_counts

    rng = random.Random(11)
    spots = [(ward.min_lat + 0.002 + 0.0015 * i, ward.min_lng + 0.002 + 0.0015 * j) for i in range(4) for j in range(4)]
    slugs = ("burglary", "anti-social-behaviour", "bicycle-theft", "violent-crime", "shoplifting")
    rows = []
    for i in range(MONTHS):
        month = _month(i)
        for slug in slugs:
            cat = category(slug)
            for n in range(rng.randint(3, 14)):
                # The first spot is the busiest: a hot spot for the patrol plan.
                lat, lng = spots[0] if n % 3 == 0 else rng.choice(spots)
                rows.append(
                    Crime(
                        force=force,
                        ward=ward,
                        borough_code=ward.borough.gss_code,
                        month=month,
                        category=cat,
                        persistent_id="" if slug == "anti-social-behaviour" else f"crawl-{i}-{slug}-{n}",
                        latitude=lat,
                        longitude=lng,
                        street_id=int(lat * 1e5) + int(-lng * 1e5),
                        street_name=f"On or near Abbey Street {spots.index((lat, lng)) + 1}",
                        location_type="Force",
                        lsoa_code="E01000001",
                        outcome_category=rng.choice(["Under investigation", "Unable to prosecute suspect", ""]),
                    )
                )
    Crime.objects.bulk_create(rows)
    ethnicities = (
        ("White", "White - English/Welsh/Scottish/Northern Irish/British"),
        ("Black", "Black/African/Caribbean/Black British - African"),
        ("Asian", "Asian/Asian British - Indian"),
    )
    for i in range(90):
        officer_defined, self_defined = ethnicities[i % 3]
        StopFactory(
            force=force,
            ward=ward,
            month=_month(MONTHS - 1 - i % 12),
            latitude=spots[i % 16][0],
            longitude=spots[i % 16][1],
            officer_defined_ethnicity=officer_defined,
            self_defined_ethnicity=self_defined,
            outcome="Arrest" if i % 5 == 0 else "A no further action disposal",
            outcome_code="bu-arrest" if i % 5 == 0 else "bu-no-further-action",
            outcome_linked_to_object_of_search=None if i % 3 == 0 else i % 2 == 0,
        )
    rebuild_counts()
    import_run()


def _census(ward) -> None:
    from openward.areas.models import Lsoa, LsoaWard
    from openward.census.importers import Ts021Lsoa

    Ts021Lsoa(CENSUS_FIXTURE, commit=True).run()
    for code in ("E01000001", "E01000002", "E01000003"):
        lsoa = Lsoa.objects.create(gss_code=code, census_year=2021, borough_code=ward.borough.gss_code)
        LsoaWard.objects.create(lsoa=lsoa, ward=ward)


def _png() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 6), (29, 112, 184)).save(buf, format="PNG")
    return buf.getvalue()


def build() -> World:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from openward.accounts import services as accounts
    from openward.accounts.models import ApiToken, EmailLink, Role
    from openward.areas.models import Cluster, Force
    from openward.commitments.models import Commitment, Status
    from openward.commitments.services import review_commitment
    from openward.crime.analytics.hotspots import Period, hot_spots
    from openward.crime.analytics.scope import scope_for_ward
    from openward.engagement.models import Bulletin, CalendarFeed, Event, Registration, Topic, VolunteerTask
    from openward.engagement.services import bulletins, records, replies
    from openward.engagement.services import events as engagement_events
    from openward.engagement.services import registrations as engagement_registrations
    from openward.engagement.services import volunteering as engagement_volunteering
    from openward.monitoring import services as monitoring
    from openward.monitoring.meetings import schedule_meeting
    from openward.monitoring.models import Answer, MonitoringGroup
    from openward.notifications import services as notifications
    from openward.notifications import tokens
    from openward.patrols import services as patrols
    from openward.patrols.views import suggestions
    from openward.priorities import services
    from openward.priorities.models import Concern
    from openward.verification import services as verification
    from openward.verification.demo_data import load_people
    from openward.verification.models import Membership
    from tests.personas import give_bounds, make_commitment, make_places, make_resident, make_staff

    now = timezone.now()
    places = make_places()
    ward = places.ward_a
    for each in (places.ward_a, places.ward_a2, places.ward_b):
        give_bounds(each)
    force = Force.objects.get_or_create(slug="metropolitan", defaults={"name": "Metropolitan Police Service"})[0]
    places.borough_a.force = force
    places.borough_a.save()
    cluster = Cluster.objects.create(slug="abbey-cluster", name="Abbey cluster", borough=places.borough_a)
    cluster.wards.set([places.ward_a, places.ward_a2])
    _crime_and_stops(ward, force)
    _census(ward)
    # The demo's people, in ward B only (made a demo ward), so the demo sign-in page has its table.
    type(places.ward_b).objects.filter(pk=places.ward_b.pk).update(is_demo=True)
    load_people()

    # The people the crawl signs in as.
    chair = make_staff(Role.PANEL_CHAIR, ward)
    officer = make_staff(Role.OFFICER, ward)
    sergeant = make_staff(Role.SERGEANT, ward)
    lead = make_staff(Role.BOROUGH_LEAD, places.borough_a)
    member = make_staff(Role.MONITORING_CHAIR, places.borough_a)
    admin = make_staff(Role.SITE_ADMIN)
    # Django's admin needs a staff account (with two-factor passed, as the site requires): a superuser.
    superuser = make_staff(Role.SITE_ADMIN, email="superuser@example.org", is_staff=True, is_superuser=True)
    resident = make_resident("resident@example.org", ward, level=2, postcode=places.postcode_a)
    # The resident also works in the next ward, confirmed by email only: its letter page offers a letter.
    second = verification.join_ward(resident, places.ward_a2, postcode=places.postcode_a2, relationship="works")
    verification.grant_email_level(second)

    # A consultation, closed, with ballots; a priority set from it; a review of another priority is due.
    consultation = services.create_consultation(
        chair,
        ward=ward,
        title="What should the team focus on?",
        opens_at=now - timedelta(days=20),
        closes_at=now + timedelta(days=1),
        concerns=Concern.objects.active(),
    )
    for i in range(24):
        voter = make_resident(f"voter{i}@example.org", ward, level=2 if i % 2 else 1)
        services.cast_ballot(voter, consultation, [Concern.objects.active()[i % 3].pk])
    consultation.closes_at = now - timedelta(hours=1)
    consultation.save()
    priority = services.set_priority(
        chair,
        ward,
        statement="Tackle burglary",
        agreed_on=dt.date(2026, 10, 20),
        review_on=dt.date(2027, 4, 20),
        concern=Concern.objects.get(slug="burglary"),
        consultation=consultation,
    )
    open_consultation = services.create_consultation(
        chair,
        ward=places.ward_a2,
        title="Bridge: what matters most to you?",
        opens_at=now - timedelta(days=2),
        closes_at=now + timedelta(days=12),
        concerns=Concern.objects.active(),
    )

    # Events: a panel meeting to come (full, with someone offered a place), one held with its record.
    coming = engagement_events.schedule_event(
        officer,
        ward=ward,
        title="Abbey ward panel",
        kind=Event.Kind.WARD_PANEL,
        mode=Event.Mode.HYBRID,
        address="Abbey Library, 1 High Street",
        online_link="https://meet.example.org/abbey-panel",
        description="Quarterly meeting: burglary on the estate, and the new priorities.",
        starts_at=now + timedelta(days=9),
        capacity=1,
        agenda=["Priorities", "Burglary on the estate"],
        notify=False,
    )
    engagement_registrations.register_for_event(resident, coming)
    waiting = make_resident("waiting@example.org", ward, level=1)
    engagement_registrations.register_for_event(waiting, coming)
    engagement_registrations.cancel_registration(resident, Registration.objects.get(event=coming, user=resident))
    offered = Registration.objects.get(event=coming, user=waiting)
    held = engagement_events.schedule_event(
        officer,
        ward=ward,
        title="Abbey ward panel (September)",
        kind=Event.Kind.WARD_PANEL,
        mode=Event.Mode.IN_PERSON,
        address="Abbey Library, 1 High Street",
        starts_at=now - timedelta(days=40),
        agenda=["Priorities"],
        notify=False,
        allow_past=True,
    )
    topics = list(Topic.objects.filter(is_standard=True).order_by("position")[:2])
    record = records.write_meeting_record(
        chair,
        held,
        summary="Twelve residents came. Burglary on the estate was the main worry.",
        minutes={topics[0]: "The team reported on burglary.", topics[1]: "Residents asked about street lighting."},
        attendance=[{"role": "resident"}] * 12 + [{"role": "officer", "name": "PC Abbey", "agreed_to_be_named": True}],
        publish=True,
    )
    action = records.agree_action(
        chair,
        record,
        what="Ask the council about the lights on Abbey Walk",
        owner="Panel chair",
        due_date=dt.date(2026, 10, 1),
        priority_id=priority.pk,
    )
    feed = CalendarFeed.objects.create(user=resident)

    # A bulletin with an image, and a resident's reply to it waiting in the team's inbox.
    bulletin = bulletins.publish_bulletin(
        officer,
        bulletins.BulletinFields(
            title="Bikes stolen near the station",
            body_markdown="Three bikes were taken from the racks by the station last week.\n\n"
            "Use a D-lock through the frame. Report online at https://www.met.police.uk/ro/report/.",
            kind=Bulletin.Kind.APPEAL,
            summary="Three bikes taken from the station racks: how to lock yours.",
            wards=[ward],
        ),
        images=[(SimpleUploadedFile("racks.png", _png(), content_type="image/png"), "The bike racks by the station")],
        notify=False,
    )
    reply = replies.receive_reply(
        bulletin, sender_email=resident.email, body="My bike went too, on Tuesday.", user=resident
    )

    # Volunteering: a task to come, and one held waiting for its report.
    task = engagement_volunteering.create_volunteer_task(
        officer,
        ward=ward,
        title="Property marking at the library",
        kind=VolunteerTask.Kind.PROPERTY_MARKING,
        place="Abbey Library, 1 High Street",
        starts_at=now + timedelta(days=5),
        places=4,
        vetting=VolunteerTask.Vetting.BASIC,
    )
    engagement_volunteering.sign_up_to_volunteer(resident, task, confirms_vetting=True)
    done_task = engagement_volunteering.create_volunteer_task(
        officer,
        ward=ward,
        title="Leafleting Abbey Walk",
        kind=VolunteerTask.Kind.LEAFLETING,
        place="Abbey Walk",
        starts_at=now + timedelta(days=1),
        places=3,
    )
    done_task.starts_at = now - timedelta(days=3)
    done_task.save(update_fields=["starts_at"])
    engagement_volunteering.report_volunteering(
        officer, done_task, volunteers=3, hours=Decimal("4.5"), findings="400 leaflets."
    )

    # Emailed links: sign in, unsubscribe, preferences and reply (signed), a place offered.
    subscriber = notifications.subscribe(resident, ward)
    sign_in_link = _link_token(accounts._issue_link(resident, EmailLink.Purpose.SIGN_IN))
    newcomer = make_resident("newcomer@example.org", ward, level=0, postcode=places.postcode_a)
    confirm_link = _link_token(accounts._issue_link(newcomer, EmailLink.Purpose.CONFIRM))
    api_token = ApiToken.objects.get(pk=_api_token_pk(resident))

    # A patrol plan from the hot spots of the year before it, with a visit; the priority cites it.
    latest = _month(MONTHS - 1)
    start = _month(MONTHS - 3)
    spots = hot_spots(scope_for_ward(ward), Period(_month(MONTHS - 15), _month(MONTHS - 4)))
    plan = patrols.create_plan(
        sergeant,
        hot_spots=spots,
        places=[(key, reason) for key, _, reason in suggestions(spots)[:2]],
        ward=ward,
        title="Evening patrols of Abbey Street",
        starts_on=start,
        ends_on=dt.date(latest.year, latest.month, 30),
        hours_note="Evenings, 6pm to 11pm.",
        priorities=[priority],
    )
    patrols.record_visit(
        officer,
        plan,
        place=plan.places.first(),
        started_at=timezone.make_aware(dt.datetime.combine(start + timedelta(days=3), dt.time(19, 30))),
        minutes=12,
    )

    # A commitment measured from the crime data, reviewed once.
    commitment = make_commitment(
        lead,
        places.borough_a,
        Commitment.Measure.CRIME,
        ward=ward,
        text="Burglary in Abbey will come down.",
        source="Ward panel minutes, October 2025",
        owner="Abbey neighbourhood team",
        made_on=dt.date(2025, 10, 1),
        categories=["burglary"],
        direction=Commitment.Direction.DOWN,
    )
    review_commitment(lead, commitment, reviewed_on=dt.date(2026, 11, 1))

    # The monitoring group's sample of the latest month, reviewed and published.
    group = MonitoringGroup.objects.create(borough=places.borough_a, name="Northbury Stop and Search Monitoring Group")
    sample = monitoring.draw_sample(member, group, latest, 3, seed=42)
    for sampled in sample.stops.all():
        monitoring.review_stop(
            member, sampled, grounds_clear=Answer.YES, video_seen=Answer.NO, outcome_proportionate=Answer.YES
        )
    monitoring.publish_summary(member, sample)
    monitoring.add_action(member, sample, "Ask for body-worn video of every stop sampled", "Group chair")
    group_meeting = schedule_meeting(
        member,
        group,
        agenda=["This month's sample", "The force's response"],
        title="Northbury monitoring group, December",
        mode=Event.Mode.IN_PERSON,
        address="Northbury Town Hall",
        starts_at=now + timedelta(days=12),
        notify=False,
    )

    # A commitment measured from evidence, its review resting on a file (served only through its own view).
    from_evidence = make_commitment(
        lead,
        places.borough_a,
        Commitment.Measure.EVIDENCE,
        text="Every ward team will have a sergeant.",
        source="Borough plan 2026",
        made_on=dt.date(2026, 4, 1),
    )
    evidence_review = review_commitment(
        lead,
        from_evidence,
        reviewed_on=dt.date(2026, 11, 1),
        status=Status.ON_TRACK,
        reason="The October rota names a sergeant for every ward.",
        evidence_source="Northbury borough command, rota for October 2026",
        evidence_file=SimpleUploadedFile("rota.pdf", b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"),
    )

    # A letter asked for by someone confirmed by email, batched for printing.
    letter_person = make_resident("letter@example.org", places.ward_a2, level=1, postcode=places.postcode_a2)
    verification.request_letter(
        letter_person,
        Membership.objects.get(user=letter_person),
        address="2 Bridge Road\nNorthbury",
        postcode=places.postcode_a2,
    )
    batch = verification.create_letter_batch(lead, places.borough_a)

    people = {
        "anonymous": None,
        "resident": resident,
        "officer": officer,
        "chair": chair,
        "sergeant": sergeant,
        "borough lead": lead,
        "monitoring group": member,
        "site admin": admin,
        "staff superuser": superuser,
    }
    values = {
        "ward": ward.gss_code,
        "ward_b": places.ward_b.gss_code,
        "borough": places.borough_a.gss_code,
        "cluster": cluster.slug,
        "force": force.slug,
        "postcode": places.postcode_a,
        "consultation": consultation.pk,
        "open_consultation": open_consultation.pk,
        "priority": priority.pk,
        "event": coming.pk,
        "held_event": held.pk,
        "record": record.pk,
        "action": action.pk,
        "bulletin": bulletin.pk,
        "image": bulletin.images.get().pk,
        "reply": reply.pk,
        "task": task.pk,
        "done_task": done_task.pk,
        "plan": plan.pk,
        "commitment": commitment.pk,
        "sample": sample.pk,
        "group_meeting": group_meeting.pk,
        "evidence": evidence_review.evidence.get().pk,
        "batch": batch.pk,
        "home_membership": Membership.objects.get(user=resident, ward=ward).pk,
        "work_membership": second.pk,
        "api_token": api_token.pk,
        "role_grant": officer.role_grants.get().pk,
        "sign_in_link": sign_in_link,
        "confirm_link": confirm_link,
        "offer_token": offered.offer_token,
        "calendar_token": feed.token,
        "unsubscribe_token": tokens.unsubscribe_token(subscriber.pk),
        "reply_token": tokens.reply_token(subscriber.pk, "bulletin", bulletin.pk),
    }
    values["admin_rows"] = _admin_rows()
    return World(people=people, values=values)


def _admin_rows() -> dict[str, int]:
    """For each model in the Django admin that has a row, one row's id ("app_model" -> pk): its change page is
    crawled (one a model: the crawl samples the admin, it does not walk every row)."""
    from django.contrib import admin

    rows = {}
    for model in admin.site._registry:
        pk = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
        if pk is not None:
            rows[f"{model._meta.app_label}_{model._meta.model_name}"] = pk
    return rows


def _link_token(url: str) -> str:
    """The token of an emailed sign-in or confirmation link (…/accounts/link/<token>/)."""
    return url.rsplit("/link/", 1)[1].rstrip("/")


def _api_token_pk(user) -> int:
    from openward.accounts import services as accounts
    from openward.accounts.models import ApiToken

    accounts.create_api_token(user, "Crawl", second_factor=False)
    return ApiToken.objects.filter(user=user).latest("pk").pk
