"""Saying yes to notices subscribes a person to their own wards: at confirmation, or later on the account page."""

import pytest

from openward.accounts import services as accounts
from openward.accounts.models import Purpose
from openward.notifications.models import Subscription
from openward.verification.services import join_ward
from tests.personas import make_places, make_resident

pytestmark = pytest.mark.django_db


def test_saying_yes_later_subscribes_to_every_ward_once_and_saying_it_again_adds_nothing():
    places = make_places()
    person = make_resident("bo@example.org", places.ward_a)
    join_ward(person, places.ward_b, postcode="SE99QZ", relationship="works")
    accounts.set_consent(person, Purpose.NOTIFICATIONS, False)
    assert not Subscription.objects.exists()
    accounts.set_consent(person, Purpose.NOTIFICATIONS, True)
    accounts.set_consent(person, Purpose.NOTIFICATIONS, True)
    wards = sorted(Subscription.objects.filter(subscriber__user=person).values_list("ward__name", flat=True))
    assert wards == ["Abbey", "Common"]


def test_an_unconfirmed_person_saying_yes_is_not_subscribed_until_confirmed():
    places = make_places()
    person = make_resident("cy@example.org", places.ward_a, level=0)
    accounts.set_consent(person, Purpose.NOTIFICATIONS, True)
    assert not Subscription.objects.exists()


def test_saying_yes_keeps_the_topics_chosen_for_a_ward_and_adds_the_others():
    from openward.core.models import AuditEvent
    from openward.engagement.models import Topic
    from openward.notifications import services

    places = make_places()
    person = make_resident("di@example.org", places.ward_a)
    join_ward(person, places.ward_b, postcode="SE99QZ", relationship="works")
    fraud = Topic.objects.get_or_create(slug="fraud", defaults={"name": "Fraud"})[0]
    services.subscribe(person, places.ward_a, topics=[fraud])
    accounts.set_consent(person, Purpose.NOTIFICATIONS, True)
    chosen = {s.ward.name: list(s.topics.values_list("slug", flat=True)) for s in Subscription.objects.all()}
    assert chosen == {"Abbey": ["fraud"], "Common": []}
    # One audit row per subscription made or re-chosen: Abbey on the page, Common by saying yes.
    made = AuditEvent.objects.filter(action="notifications.subscribe").values_list("ward_code", flat=True)
    assert sorted(made) == sorted([places.ward_a.gss_code, places.ward_b.gss_code])
