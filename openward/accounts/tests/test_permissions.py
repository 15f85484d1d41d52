"""Role grants cover their place: a ward, a cluster's wards, a borough's wards and clusters, or everywhere."""

from datetime import timedelta

import pytest
from django.utils import timezone

from openward.accounts.models import Role, RoleGrant
from openward.accounts.permissions import has_role
from openward.areas.models import Cluster
from tests.personas import make_staff


@pytest.fixture
def cluster(places):
    found = Cluster.objects.create(slug="riverside", name="Riverside", borough=places.borough_a)
    found.wards.add(places.ward_a)
    return found


def test_ward_grant_covers_only_its_ward(places, cluster):
    officer = make_staff(Role.OFFICER, places.ward_a)
    assert has_role(officer, [Role.OFFICER], places.ward_a)
    assert not has_role(officer, [Role.OFFICER], places.ward_a2)
    assert not has_role(officer, [Role.OFFICER], places.borough_a)
    assert not has_role(officer, [Role.OFFICER], cluster)
    assert not has_role(officer, [Role.PANEL_CHAIR], places.ward_a)
    assert has_role(officer, [Role.OFFICER])  # anywhere


def test_cluster_grant_covers_its_wards(places, cluster):
    chair = make_staff(Role.PANEL_CHAIR, cluster)
    assert has_role(chair, [Role.PANEL_CHAIR], cluster)
    assert has_role(chair, [Role.PANEL_CHAIR], places.ward_a)
    assert not has_role(chair, [Role.PANEL_CHAIR], places.ward_a2)
    assert not has_role(chair, [Role.PANEL_CHAIR], places.borough_a)


def test_borough_grant_covers_its_wards_and_clusters(places, cluster):
    lead = make_staff(Role.BOROUGH_LEAD, places.borough_a)
    assert all(has_role(lead, [Role.BOROUGH_LEAD], p) for p in (places.borough_a, places.ward_a2, cluster))
    assert not has_role(lead, [Role.BOROUGH_LEAD], places.ward_b)
    assert not has_role(lead, [Role.BOROUGH_LEAD], places.borough_b)


def test_everywhere_and_site_admin(places, cluster):
    analyst = make_staff(Role.ANALYST, None)
    admin = make_staff(Role.SITE_ADMIN, None, email="admin@example.org")
    assert has_role(analyst, [Role.ANALYST], places.ward_b) and not has_role(analyst, [Role.OFFICER], places.ward_b)
    assert all(has_role(admin, [Role.OFFICER], p) for p in (places.ward_b, places.borough_b, cluster))


def test_revoked_and_expired_grants_count_for_nothing(places):
    officer = make_staff(Role.OFFICER, places.ward_a)
    RoleGrant.objects.filter(user=officer).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert not has_role(officer, [Role.OFFICER], places.ward_a)
    RoleGrant.objects.filter(user=officer).update(expires_at=None, revoked_at=timezone.now())
    assert not has_role(officer, [Role.OFFICER], places.ward_a)
