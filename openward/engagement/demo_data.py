"""Demo engagement for the demo wards: past and future meetings with minutes and actions, bulletins,
subscribers, replies and volunteering tasks. Written to a JSON file first, then loaded through the
same services people use (without emailing anyone). Idempotent: a ward that has its demo meetings
is left as it is."""

from __future__ import annotations

import json
import random
from datetime import datetime, time, timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from openward.accounts.demo_data import DEMO_EMAIL_DOMAIN
from openward.accounts.models import User
from openward.areas.models import Ward
from openward.core import demo
from openward.notifications.models import Subscriber, Subscription

MINUTES = {
    "theft": "Phone snatches by moped riders near the station were reported by three residents.",
    "anti-social-behaviour": "Groups gathering in the stairwells of the estate late at night.",
    "night-time-economy": "Licensed premises asked for more visible patrols at closing time on Fridays.",
    "fraud": "Two older residents were targeted by courier fraud; advice leaflets requested.",
    "cycle-safety": "Bikes stolen from the racks outside the library; property marking suggested.",
    "drugs": "Suspected dealing from a parked car on the side road most evenings.",
}
ACTIONS = [
    ("Extra patrols at the station entrance between 16:00 and 19:00", "Sergeant, ward team", -10),
    ("Deliver courier-fraud leaflets to sheltered housing", "PCSO, ward team", 21),
    ("Ask the council to fix the stairwell lighting", "Panel chair", -30),
]
BULLETINS = [
    (
        "prevention",
        "Lock it or lose it: bike theft advice",
        "<p>Bike thefts rose this autumn. Use a <strong>D-lock</strong> through the frame and mark your bike.</p>",
    ),
    (
        "appeal",
        "Appeal: attempted burglary on the high street",
        "<p>Did you see anyone acting suspiciously on Tuesday night? Call 101 or Crimestoppers.</p>",
    ),
    (
        "volunteers",
        "Volunteers wanted for a weapons sweep",
        "<p>Join your team for a sweep of the estate green. No vetting needed; gloves provided.</p>",
    ),
]

# Residents' replies to the bulletins: questions and suggestions, none of them a crime report (the
# reply forms say crimes go to 999, 101, Crimestoppers or police.uk). Every third waits for an answer.
REPLIES = [
    (
        "Is there another bike-marking session planned? I missed the last one.",
        "Yes: the next one is at the street briefing. Bring your bike and proof you own it.",
    ),
    (
        "Could the panel look at the lighting on the footpath behind the library? It feels unsafe after dark.",
        "Thank you. We have raised it with the council and added it to the next panel agenda.",
    ),
    ("Which D-locks do you recommend? Is there a standard to look for?", ""),
    (
        "Thanks for the advice leaflet. Can I have a few more for my building's noticeboard?",
        "Of course: we will drop ten off at the front desk this week.",
    ),
    (
        "Will the ward panel meeting be streamed for people who cannot come in person?",
        "Not this time, but the minutes are published here within two weeks.",
    ),
    ("How do I join the ward panel? I would like to help choose the priorities.", ""),
]


def generate(path: Path, wards, rng: random.Random) -> Path:
    today = timezone.localdate()
    spec = []
    for ward in wards:
        topics = rng.sample(sorted(MINUTES), 3)
        spec.append(
            {
                "ward": ward.gss_code,
                "past_meeting": (today - timedelta(days=rng.randint(40, 80))).isoformat(),
                "next_meeting": (today + timedelta(days=rng.randint(10, 40))).isoformat(),
                "briefing": (today + timedelta(days=rng.randint(2, 9))).isoformat(),
                "attendance": {
                    "resident": rng.randint(6, 25),
                    "officer": 2,
                    "pcso": 1,
                    "councillor": rng.randint(0, 2),
                },
                "minutes": {t: MINUTES[t] for t in topics},
                "subscribers": rng.randint(20, 60),
                "weekly_share": 0.3,
            }
        )
    out = path / "engagement.json"
    out.write_text(json.dumps(spec, indent=2))
    return out


def _demo_residents(ward) -> list:
    """Confirmed demo people who belong to the ward (the residents step loads them first)."""
    return list(
        User.objects.confirmed()
        .filter(memberships__ward=ward, email__endswith="@" + DEMO_EMAIL_DOMAIN)
        .order_by("email")
        .distinct()
    )


def at(day: str, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(datetime.fromisoformat(day).date(), time(hour, 0)))


@transaction.atomic
def load(spec_file: Path, stdout) -> int:
    from .models import Event, Reply, Topic, VolunteerTask
    from .services import bulletins as bulletins_services
    from .services import events as events_services
    from .services import records as records_services
    from .services import replies as replies_services
    from .services import volunteering as volunteering_services
    from .vocabulary import ensure_standard_topics

    # The data migration seeds these, but a database flushed since (tests do) has none.
    ensure_standard_topics(Topic)
    loaded = 0
    for item in json.loads(spec_file.read_text()):
        ward = Ward.objects.filter(gss_code=item["ward"], is_demo=True).first()
        if ward is None or Event.objects.filter(ward=ward, is_demo=True).exists():
            continue
        common = {"ward": ward, "is_demo": True, "address": f"{ward.name} community centre"}
        past = events_services.schedule_event(
            None,
            notify=False,
            allow_past=True,
            title=f"{ward.name} ward panel",
            kind=Event.Kind.WARD_PANEL,
            starts_at=at(item["past_meeting"], 19),
            capacity=40,
            **common,
        )
        attendance = [{"role": role} for role, n in item["attendance"].items() for _ in range(n)]
        attendance.append({"role": "councillor", "name": "Cllr Demo Person", "agreed_to_be_named": True})
        topics = {Topic.objects.get(slug=slug): text for slug, text in item["minutes"].items()}
        record = records_services.write_meeting_record(
            None, past, summary="Quarterly ward panel (demo).", minutes=topics, attendance=attendance, publish=True
        )
        for what, owner, due_in in ACTIONS:
            action = records_services.agree_action(
                None, record, what=what, owner=owner, due_date=timezone.localdate() + timedelta(days=due_in)
            )
            if due_in == -30:
                records_services.update_action(None, action, status="done", note="Lights replaced by the council.")
        events_services.schedule_event(
            None,
            notify=False,
            title=f"{ward.name} ward panel",
            kind=Event.Kind.WARD_PANEL,
            starts_at=at(item["next_meeting"], 19),
            capacity=40,
            agenda=["Welcome", "Crime figures", "Priorities"],
            **common,
        )
        events_services.schedule_event(
            None,
            notify=False,
            title=f"Street briefing, {ward.name}",
            kind=Event.Kind.STREET_BRIEFING,
            mode=Event.Mode.HYBRID,
            online_link="https://meet.example.org/openward-demo",
            starts_at=at(item["briefing"], 12),
            capacity=15,
            **common,
        )
        # Held last week and not yet written up: the team's "records to write".
        events_services.schedule_event(
            None,
            notify=False,
            allow_past=True,
            title=f"Street briefing outside {ward.name} station",
            kind=Event.Kind.STREET_BRIEFING,
            starts_at=at((timezone.localdate() - timedelta(days=5)).isoformat(), 8),
            capacity=15,
            **common,
        )
        subscribers = []
        for i in range(item["subscribers"]):
            subscriber, _ = Subscriber.objects.get_or_create(
                email=f"demo.{ward.gss_code.lower()}.{i}@example.org",
                defaults={
                    "is_demo": True,
                    "frequency": "weekly" if i < item["subscribers"] * item["weekly_share"] else "immediate",
                },
            )
            Subscription.objects.get_or_create(subscriber=subscriber, ward=ward)
            subscribers.append(subscriber)
        bulletins = [
            bulletins_services.publish_bulletin(
                None,
                bulletins_services.BulletinFields(title=title, kind=kind, body_html=body, wards=[ward]),
                is_demo=True,
                notify=False,
            )
            for kind, title, body in BULLETINS
        ]
        for n, subscriber in enumerate(subscribers[:6]):
            body, answer = REPLIES[n]
            reply = replies_services.receive_reply(bulletins[n % 2], sender_email=subscriber.email, body=body)
            Reply.objects.filter(pk=reply.pk).update(received_at=timezone.now() - timedelta(days=20 + n))
            if answer:
                reply.refresh_from_db()
                Reply.objects.filter(pk=reply.pk).update(
                    answer=answer, answered_at=reply.received_at + timedelta(days=n + 1)
                )
        start = timezone.now() + timedelta(days=7)
        sweep = volunteering_services.create_volunteer_task(
            None,
            ward=ward,
            title=f"Weapons sweep, {ward.name}",
            kind=VolunteerTask.Kind.WEAPONS_SWEEP,
            place=f"{ward.name} estate green",
            starts_at=start,
            places=8,
            is_demo=True,
        )
        for volunteer in _demo_residents(ward)[:2]:
            volunteering_services.sign_up_to_volunteer(volunteer, sweep)
        leafleting = volunteering_services.create_volunteer_task(
            None,
            ward=ward,
            title=f"Leafleting on courier fraud, {ward.name}",
            kind=VolunteerTask.Kind.LEAFLETING,
            place=f"{ward.name} high street",
            starts_at=start + timedelta(days=3),
            places=6,
            is_demo=True,
        )
        VolunteerTask.objects.filter(pk=leafleting.pk).update(starts_at=timezone.now() - timedelta(days=14))
        leafleting.refresh_from_db()
        volunteering_services.report_volunteering(
            None, leafleting, volunteers=5, hours=10, findings="600 leaflets delivered."
        )
        loaded += 1
    stdout.write(f"  engagement: demo meetings, bulletins and volunteering for {loaded} wards\n")
    return loaded


def generate_and_load(workdir: Path, stdout) -> None:
    wards = list(Ward.objects.filter(is_demo=True).order_by("gss_code"))
    if not wards:
        raise demo.NothingToLoad("there are no demo wards to hold meetings in; run the areas step first.")
    load(generate(workdir, wards, random.Random(demo.DEMO_SEED)), stdout)


demo.register("engagement", order=40, step=generate_and_load)
