"""Personas and places for priorities tests."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from openward.accounts.models import Role, RoleGrant, User
from openward.areas.models import Borough, Cluster, Force, Ward
from openward.crime.models import Crime, CrimeCategory
from openward.priorities.models import Concern
from openward.priorities.vocabulary import load_concerns
from tests.personas import sign_in  # noqa: F401  (imported from here by this app's tests)


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


_counter = iter(range(1, 10**6))


def make_user(email=None, **extra) -> User:
    return User.objects.create_user(email or f"person{next(_counter)}@example.org", "pw-for-tests", **extra)


def grant(user, role, *, ward=None, cluster=None, borough=None):
    RoleGrant.objects.create(user=user, role=role, ward=ward, cluster=cluster, borough=borough)
    # Staff pass two-factor; `sign_in` completes it with this device.
    TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
    return user


@pytest.fixture
def panel_chair(ward):
    return grant(make_user("chair@example.org"), Role.PANEL_CHAIR, ward=ward)


@pytest.fixture
def officer(ward):
    return grant(make_user("officer@example.org", is_staff=True), Role.OFFICER, ward=ward)


def verify(user, ward, level: int) -> None:
    """Give `user` a membership of `ward` at `level` through openward.verification's own models.

    0: a membership without a confirmed email; 1: email confirmed with a postcode in the ward;
    2: address verified by letter.
    """
    from openward.verification.models import Level, Membership, Method, VerificationGrant
    from openward.verification.services import grant_email_level

    if level >= 1 and user.email_confirmed_at is None:
        user.email_confirmed_at = timezone.now()
        user.save(update_fields=["email_confirmed_at"])
    membership, _ = Membership.objects.get_or_create(user=user, ward=ward)
    if level >= 1:
        grant_email_level(membership)
    if level >= 2:
        VerificationGrant.objects.create(
            membership=membership,
            level=Level.ADDRESS,
            method=Method.LETTER,
            expires_at=timezone.now() + timedelta(days=730),
        )


def make_resident(ward, level: int = 1, **extra) -> User:
    """A person with a membership of `ward` at `level` (0, 1 or 2), through openward.verification's rows."""
    user = make_user(**extra)
    verify(user, ward, level)
    return user


class Levels:
    """`levels[(user.pk, ward.pk)] = n` verifies a person in a ward, creating the real rows."""

    def __setitem__(self, key: tuple[int, int], level: int) -> None:
        user_id, ward_id = key
        verify(User.objects.get(pk=user_id), Ward.objects.get(pk=ward_id), level)


@pytest.fixture
def levels(db):
    """`levels[(user.pk, ward.pk)] = n`: verify people at real levels (opt in; nothing is patched)."""
    return Levels()


@pytest.fixture
def concerns(db):
    # A transactional test elsewhere may have flushed the rows the data migration loaded.
    load_concerns(Concern)
    return {c.slug: c for c in Concern.objects.all()}


@pytest.fixture
def open_window():
    now = timezone.now()
    return now - timedelta(days=1), now + timedelta(days=13)


def category(slug: str) -> CrimeCategory:
    return CrimeCategory.objects.get_or_create(slug=slug, defaults={"name": slug.replace("-", " ").capitalize()})[0]


def add_crimes(ward, slug: str, month: date, n: int, force=None):
    force = force or ward.borough.force
    cat = category(slug)
    Crime.objects.bulk_create(Crime(force=force, month=month, category=cat, ward=ward) for _ in range(n))
