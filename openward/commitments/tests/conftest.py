"""Places with a police force for commitment tests, and a borough lead to record commitments."""

from __future__ import annotations

import pytest

from openward.accounts.models import Role
from openward.areas.models import Borough, Force
from tests.personas import make_places, make_staff


@pytest.fixture
def places():
    found = make_places()
    found.force = Force.objects.create(slug="testshire", name="Testshire Police")
    Borough.objects.filter(pk__in=[found.borough_a.pk, found.borough_b.pk]).update(force=found.force)
    found.borough_a.refresh_from_db()
    found.borough_b.refresh_from_db()
    return found


@pytest.fixture
def lead(places):
    return make_staff(Role.BOROUGH_LEAD, places.borough_a, email="lead@example.org")
