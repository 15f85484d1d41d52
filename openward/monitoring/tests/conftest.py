"""A monitoring group in a small ward's borough (78 stops in December 2024: 40 White, 30 Black, 5 Asian,
3 not stated) and one person in each of its roles."""

from __future__ import annotations

import pytest

from openward.accounts.models import Role
from openward.crime.tests.factories import small_ward
from openward.monitoring.models import MonitoringGroup
from tests.personas import make_staff


@pytest.fixture
def group(db):
    ward = small_ward()
    return MonitoringGroup.objects.create(borough=ward.borough, name="Testshire Stop and Search Monitoring Group")


@pytest.fixture
def chair(group):
    return make_staff(Role.MONITORING_CHAIR, group.borough, email="chair@example.org")


@pytest.fixture
def reviewer(group):
    return make_staff(Role.MONITORING_REVIEWER, group.borough, email="reviewer@example.org")


@pytest.fixture
def liaison(group):
    return make_staff(Role.MONITORING_LIAISON, group.borough, email="liaison@example.org")
