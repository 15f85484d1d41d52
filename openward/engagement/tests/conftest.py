"""Places for engagement and notification tests, and their people (from tests.personas)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from openward.accounts.models import Role
from openward.areas.models import Borough, Cluster, Force, Neighbourhood, Ward
from tests.personas import make_person, make_staff


@pytest.fixture
def borough(db):
    return Borough.objects.create(gss_code="E09000001", name="City of London", slug="city-of-london")


@pytest.fixture
def ward(borough):
    return Ward.objects.create(gss_code="E05009288", name="Aldersgate", slug="aldersgate", borough=borough)


@pytest.fixture
def other_ward(borough):
    return Ward.objects.create(gss_code="E05009289", name="Aldgate", slug="aldgate", borough=borough)


@pytest.fixture
def cluster(ward, other_ward, borough):
    c = Cluster.objects.create(slug="north-cluster", name="North cluster", borough=borough)
    c.wards.set([ward, other_ward])
    return c


@pytest.fixture
def neighbourhood(ward):
    force = Force.objects.create(slug="city-of-london", name="City of London Police")
    return Neighbourhood.objects.create(force=force, code="E05009288", name="Aldersgate", ward=ward)


@pytest.fixture
def officer(ward):
    return make_staff(Role.OFFICER, ward, email="officer@met.example")


@pytest.fixture
def panel_chair(ward):
    return make_staff(Role.PANEL_CHAIR, ward, email="chair@example.org")


@pytest.fixture
def resident(db):
    return make_person("resident@example.org")


@pytest.fixture
def residents(db):
    return [make_person(f"resident{i}@example.org") for i in range(6)]


@pytest.fixture
def make_event(ward, officer):
    from openward.engagement.models import Event
    from openward.engagement.services import events

    def make(**kw):
        fields = {
            "ward": ward,
            "title": "Aldersgate ward panel",
            "kind": Event.Kind.WARD_PANEL,
            "mode": Event.Mode.IN_PERSON,
            "address": "Barbican Library, Silk Street",
            "starts_at": timezone.now() + timedelta(days=7),
            "capacity": 2,
        } | kw
        return events.schedule_event(officer, notify=False, allow_past=True, **fields)

    return make
