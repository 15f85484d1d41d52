"""Deleting an account: personal data erased, contributions kept anonymously.

Decision: the User row stays, with every personal field blanked and the account closed.
Ballots, RSVPs and replies point at it, so totals stay right and "one person, one vote"
still holds, but nothing in the row says who the person was. Apps that hold personal data
of their own register an eraser:

    from openward.accounts import erasure
    erasure.register(lambda user: Reply.objects.filter(author=user).update(body="", name=""))

Erasers run inside the erasure transaction, after the built-in ones.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from openward.core import audit

_erasers: list[Callable] = []


def register(eraser: Callable) -> Callable:
    """Add `eraser(user)`, called when a person deletes their account; usable as a decorator."""
    if eraser not in _erasers:
        _erasers.append(eraser)
    return eraser


def _end_sessions(user) -> None:
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()


@transaction.atomic
def erase_account(user, *, actor=None) -> None:
    """Erase a person's personal data and close the account; contributions stay, anonymous."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from openward.verification.models import AddressLetter, InPersonReference, Membership

    user_id = user.pk
    AddressLetter.objects.filter(membership__user=user).delete()
    InPersonReference.objects.filter(membership__user=user).delete()
    # The ward and level stay so results by ward and level still add up; the postcode goes.
    Membership.objects.filter(user=user).update(postcode="", review_reason="")
    user.consents.all().delete()
    user.email_links.all().delete()
    user.api_tokens.all().delete()
    user.role_grants.update(revoked_at=timezone.now())
    TOTPDevice.objects.filter(user=user).delete()
    for eraser in _erasers:
        eraser(user)
    user.email = f"erased-{user_id}@erased.invalid"
    user.email_key = None
    user.display_name = user.first_name = user.last_name = ""
    user.set_unusable_password()
    user.is_active = user.is_staff = user.is_superuser = False
    user.erased_at = timezone.now()
    user.save()
    _end_sessions(user)
    audit.record(actor if actor is not None and actor.pk != user_id else None, "account.erased", user)
