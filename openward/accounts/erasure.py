"""Deleting an account: personal data erased, contributions kept anonymously.

Decision: the User row stays, with every personal field blanked and the account closed.
Ballots, RSVPs and replies point at it, so totals stay right and "one person, one vote"
still holds, but nothing in the row says who the person was. Every app that holds personal
data registers how to erase it (openward.core.personal_data); they run first, while the
person's email still finds their rows, then the account is blanked and signed out everywhere.
"""

from __future__ import annotations

from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from openward.core import audit, personal_data


def _end_sessions(user) -> None:
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()


@transaction.atomic
def erase_account(user, *, actor=None) -> None:
    """Erase a person's personal data and close the account; contributions stay, anonymous."""
    user_id = user.pk
    personal_data.erase(user)
    user.email = f"erased-{user_id}@erased.invalid"
    user.email_key = None
    user.display_name = user.first_name = user.last_name = ""
    user.set_unusable_password()
    user.is_active = user.is_staff = user.is_superuser = False
    user.erased_at = timezone.now()
    user.save()
    _end_sessions(user)
    audit.record(actor if actor is not None and actor.pk != user_id else None, "account.erased", user)
