"""Personas and places for engagement and notification tests."""

from datetime import timedelta

import pytest
from django.utils import timezone

from openward.accounts.models import Role, RoleGrant, User
from openward.areas.models import Borough, Cluster, Force, Neighbourhood, Ward


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


def make_user(email, role=None, **place):
    user = User.objects.create_user(email=email, password="a long password 123")
    if role:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        RoleGrant.objects.create(user=user, role=role, **place)
        # Staff must pass two-factor; `tests.personas.sign_in` marks the session verified with this device.
        TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    return user


@pytest.fixture
def officer(ward):
    return make_user("officer@met.example", Role.OFFICER, ward=ward)


@pytest.fixture
def panel_chair(ward):
    return make_user("chair@example.org", Role.PANEL_CHAIR, ward=ward)


@pytest.fixture
def resident(db):
    return make_user("resident@example.org")


@pytest.fixture
def residents(db):
    return [make_user(f"resident{i}@example.org") for i in range(6)]


@pytest.fixture
def make_event(ward, officer):
    from openward.engagement import services
    from openward.engagement.models import Event

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
        return services.schedule_event(officer, notify=False, allow_past=True, **fields)

    return make
