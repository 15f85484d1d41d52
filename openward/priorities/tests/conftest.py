"""Places, vocabulary and crimes for priorities tests; their people come from tests.personas."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from openward.accounts.models import Role
from openward.areas.models import Borough, Cluster, Force, Ward
from openward.priorities.models import Concern
from tests.personas import make_staff


@pytest.fixture
def force(db):
    return Force.objects.create(slug="metropolitan", name="Metropolitan Police Service")


@pytest.fixture
def borough(force):
    return Borough.objects.create(gss_code="E09000099", name="Testborough", slug="testborough", force=force)


@pytest.fixture
def ward(borough):
    return Ward.objects.create(gss_code="E05009999", name="Station Ward", slug="station-ward", borough=borough)


@pytest.fixture
def other_ward(borough):
    return Ward.objects.create(gss_code="E05009998", name="Park Ward", slug="park-ward", borough=borough)


@pytest.fixture
def cluster(borough, ward, other_ward):
    c = Cluster.objects.create(slug="test-cluster", name="Test Cluster", borough=borough)
    c.wards.set([ward, other_ward])
    return c


@pytest.fixture
def panel_chair(ward):
    return make_staff(Role.PANEL_CHAIR, ward, email="chair@example.org")


@pytest.fixture
def officer(ward):
    return make_staff(Role.OFFICER, ward, email="officer@example.org", is_staff=True)


@pytest.fixture
def concerns(db):
    return {c.slug: c for c in Concern.objects.all()}


@pytest.fixture
def open_window():
    now = timezone.now()
    return now - timedelta(days=1), now + timedelta(days=13)
