"""Eligibility reads the verification app's memberships and grants."""

from __future__ import annotations

from django.utils import timezone

from openward.priorities.eligibility import level_for
from tests.personas import make_person


def test_level_for_reads_the_best_active_grant_in_that_ward(ward, other_ward):
    from openward.verification.models import Membership, VerificationGrant

    user = make_person(confirmed=False)
    membership = Membership.objects.create(user=user, ward=ward)
    VerificationGrant.objects.create(membership=membership, level=1, method="email_postcode")
    assert level_for(user, ward) == 0  # email not confirmed yet
    user.email_confirmed_at = timezone.now()
    user.save()
    assert level_for(user, ward) == 1
    VerificationGrant.objects.create(membership=membership, level=2, method="letter")
    assert level_for(user, ward) == 2
    assert level_for(user, other_ward) == 0


def test_nobody_signed_out_has_a_level(ward):
    from django.contrib.auth.models import AnonymousUser

    assert level_for(AnonymousUser(), ward) == 0
