"""Engagement's models, one module a concept: `places` (the one ward, cluster or borough an item is for),
`topics`, `events` (with agendas, registrations and calendar links), `records` (attendance, minutes, actions),
`bulletins`, `replies` and `volunteering`. Django finds an app's models here, so each is imported below; the
app label and table names are engagement's as before.
"""

from .bulletins import Bulletin, BulletinImage, BulletinQuerySet
from .events import AgendaItem, CalendarFeed, Event, EventQuerySet, Registration, new_token
from .places import KeptForGood, Place, covering_q, within_q
from .records import Action, ActionQuerySet, Attendance, AttendanceRole, MeetingRecord, MinuteEntry
from .replies import Reply, ReplyQuerySet
from .topics import Topic
from .volunteering import VolunteerReport, VolunteerSignup, VolunteerTask

__all__ = [
    "Action",
    "ActionQuerySet",
    "AgendaItem",
    "Attendance",
    "AttendanceRole",
    "Bulletin",
    "BulletinImage",
    "BulletinQuerySet",
    "CalendarFeed",
    "Event",
    "EventQuerySet",
    "KeptForGood",
    "MeetingRecord",
    "MinuteEntry",
    "Place",
    "Registration",
    "Reply",
    "ReplyQuerySet",
    "Topic",
    "VolunteerReport",
    "VolunteerSignup",
    "VolunteerTask",
    "covering_q",
    "within_q",
    "new_token",
]
