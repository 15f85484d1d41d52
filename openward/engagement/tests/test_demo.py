"""The demo step gives every demo ward past and future meetings, records, actions, bulletins,
subscribers and volunteering tasks, and running it twice changes nothing."""

import io

import pytest
from django.core import mail

from openward.areas.models import Borough, Ward
from openward.core import demo
from openward.engagement import demo_data, selectors
from openward.engagement.models import Action, Bulletin, Event, MeetingRecord, VolunteerTask
from openward.engagement.services import replies
from openward.notifications.models import Delivery, Subscriber

pytestmark = pytest.mark.django_db


def test_demo_step_fills_demo_wards_once(tmp_path):
    borough = Borough.objects.create(gss_code="E09000099", name="Demo borough", slug="demo", is_demo=True)
    wards = [
        Ward.objects.create(gss_code=f"E0599999{i}", name=f"Demo ward {i}", slug=f"d{i}", borough=borough, is_demo=True)
        for i in range(2)
    ]
    Ward.objects.create(gss_code="E05000001", name="Real ward", slug="real", borough=borough)
    out = io.StringIO()
    demo_data.generate_and_load(tmp_path, out)
    demo_data.generate_and_load(tmp_path, out)
    assert (tmp_path / "engagement.json").exists()
    for ward in wards:
        events = Event.objects.filter(ward=ward)
        assert events.past().count() == 2 and events.upcoming().count() == 2
        assert events.past().filter(record__isnull=True).count() == 1, "one meeting is waiting for its record"
        record = MeetingRecord.objects.get(event__ward=ward)
        assert record.is_published and record.minutes.count() == 3 and record.attendance.count() > 5
        assert Action.objects.filter(ward=ward).overdue().count() == 1
        upcoming_panel = events.upcoming().get(kind=Event.Kind.WARD_PANEL)
        assert upcoming_panel.agenda.exclude(carried_action=None).count() == 1
        assert Bulletin.objects.published().for_ward(ward).count() == 3
        assert Subscriber.objects.filter(subscriptions__ward=ward, is_demo=True).count() >= 20
        assert VolunteerTask.objects.filter(ward=ward).count() == 2
        assert replies.reply_figures(ward)["received"] == 6
        assert selectors.open_actions(ward).count() == 2
    assert not Event.objects.filter(ward__gss_code="E05000001").exists()
    assert not Delivery.objects.exists() and not mail.outbox, "the demo emails nobody"


def test_demo_step_without_demo_wards_fails_loudly(tmp_path):
    with pytest.raises(demo.NothingToLoad, match="no demo wards"):
        demo_data.generate_and_load(tmp_path, io.StringIO())
