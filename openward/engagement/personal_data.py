"""What engagement holds about a person (RSVPs, calendar feed, attendance, replies, volunteering),
for export and erasure.

Erasure gives up places the person holds at events and tasks still to come, so they go to
others; what happened (past RSVPs, sign-ups, a reply's dates) stays, pointing at the anonymous
account, so counts still add up.
"""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from openward.core import personal_data

from .models import Attendance, CalendarFeed, Registration, Reply, VolunteerSignup
from .services import registrations as registrations_services
from .services import volunteering as volunteering_services


def iso(value):
    return value.isoformat() if value else None


def _replies(user):
    return Reply.objects.filter(Q(user=user) | Q(sender_email__iexact=user.email))


def _export(user) -> dict:
    feed = CalendarFeed.objects.filter(user=user).first()
    return {
        "event_registrations": [
            {"event": r.event.title, "starts": iso(r.event.starts_at), "status": r.status, "share_name": r.share_name}
            for r in Registration.objects.filter(user=user).select_related("event")
        ],
        "calendar_feed": reverse("engagement:personal-calendar", args=[feed.token]) if feed else None,
        "meetings_attended": [
            {"meeting": a.record.event.title, "role": a.role, "named_as": a.name}
            for a in Attendance.objects.filter(user=user).select_related("record__event")
        ],
        "replies": [
            {
                "to": r.item.title,
                "from": r.sender_email,
                "received": iso(r.received_at),
                "reply": r.body,
                "answer": r.answer,
                "answered": iso(r.answered_at),
            }
            for r in _replies(user).select_related("bulletin", "event")
        ],
        "volunteering": [
            {"task": s.task.title, "starts": iso(s.task.starts_at), "status": s.status, "vetting": s.confirms_vetting}
            for s in VolunteerSignup.objects.filter(user=user).select_related("task")
        ],
    }


def _erase(user) -> list:
    now = timezone.now()
    registrations = list(Registration.objects.filter(user=user).select_related("event"))
    for registration in registrations:
        if registration.status in Registration.ACTIVE and registration.event.starts_at > now:
            registrations_services.cancel_registration(user, registration)
    Registration.objects.filter(user=user).update(share_name=False)
    signups = list(VolunteerSignup.objects.filter(user=user).select_related("task"))
    for signup in signups:
        if signup.status == VolunteerSignup.Status.SIGNED_UP and signup.task.starts_at > now:
            volunteering_services.withdraw_from_volunteering(user, signup)
    CalendarFeed.objects.filter(user=user).delete()
    Attendance.objects.filter(user=user).update(name="", agreed_to_be_named=False)
    replies = list(_replies(user))
    # A reply's dates stay, so the team's answer-time figures still add up; its words and address go.
    _replies(user).update(body="", sender_email="", answer="")
    return [*registrations, *signups, *replies]


personal_data.register(
    "engagement",
    models=[Registration, CalendarFeed, Attendance, Reply, VolunteerSignup],
    export=_export,
    erase=_erase,
    order=30,
)
