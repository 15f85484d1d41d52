"""A person's private calendar link is made by an audited service the first time "my events" is opened, and
resetting it (also audited) gives a new link and stops the old one."""

import pytest
from django.urls import reverse

from openward.core.models import AuditEvent
from openward.engagement.models import CalendarFeed
from tests.personas import sign_in

pytestmark = pytest.mark.django_db


def test_the_calendar_link_is_made_once_and_reset_through_services(resident, client):
    sign_in(client, resident)
    assert client.get(reverse("engagement:mine")).status_code == 200
    assert client.get(reverse("engagement:mine")).status_code == 200
    old = CalendarFeed.objects.get(user=resident).token
    assert list(AuditEvent.objects.filter(actor=resident).values_list("action", flat=True)) == [
        "engagement.calendar_feed_made"
    ]
    response = client.post(reverse("engagement:mine"), {"reset_feed": "1"})
    assert response.status_code == 302
    new = CalendarFeed.objects.get(user=resident).token
    assert new != old
    assert client.get(reverse("engagement:personal-calendar", args=[old])).status_code == 404
    assert client.get(reverse("engagement:personal-calendar", args=[new])).status_code == 200
    assert AuditEvent.objects.filter(actor=resident, action="engagement.calendar_feed_reset").count() == 1
    assert new in client.get(reverse("engagement:mine")).content.decode()
