"""How long personal data lives: unconfirmed accounts and lapsed letter addresses are purged."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from openward.core import audit

from . import residence
from .models import User


@transaction.atomic
def purge_expired_personal_data() -> dict:
    """Delete accounts never confirmed within the allowed days; erase addresses of lapsed letters."""
    cutoff = timezone.now() - timedelta(days=settings.OPENWARD_UNCONFIRMED_ACCOUNT_DAYS)
    # An unconfirmed account cannot have contributed anything, so it is deleted outright.
    stale = User.objects.filter(email_confirmed_at__isnull=True, erased_at__isnull=True, date_joined__lt=cutoff)
    stale = stale.filter(role_grants__isnull=True, is_staff=False)
    accounts = 0
    for user in stale:
        user.memberships.all().delete()
        user.delete()
        accounts += 1
    done = {"unconfirmed_accounts": accounts}
    # Other apps' retention (verification: the addresses of lapsed letters), registered in their ready().
    for name, job in residence.retention_jobs():
        done[name] = job()
    if any(done.values()):
        audit.record(None, "retention.purged", None, **done)
    return done
