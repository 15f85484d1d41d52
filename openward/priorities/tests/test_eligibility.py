"""Eligibility reads the verification app's memberships and grants (once they are on main)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from openward.priorities import eligibility
from openward.priorities.eligibility import level_for as real_level_for

from .conftest import make_user

needs_verification = pytest.mark.skipif(
    eligibility._membership_model() is None, reason="openward.verification's Membership model is not on main yet"
)


@needs_verification
def test_level_for_reads_the_best_active_grant_in_that_ward(ward, other_ward):
    from openward.verification.models import Membership, VerificationGrant

    user = make_user()
    user.email_confirmed_at = timezone.now()
    user.save()
    membership = Membership.objects.create(user=user, ward=ward)
    assert real_level_for(user, ward) == 0
    VerificationGrant.objects.create(membership=membership, level=1, method="email_postcode")
    assert real_level_for(user, ward) == 1
    VerificationGrant.objects.create(membership=membership, level=2, method="letter")
    assert real_level_for(user, ward) == 2
    assert real_level_for(user, other_ward) == 0


def test_nobody_signed_out_has_a_level(ward):
    from django.contrib.auth.models import AnonymousUser

    assert real_level_for(AnonymousUser(), ward) == 0
