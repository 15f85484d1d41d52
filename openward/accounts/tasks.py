"""Background work for accounts: sending email, and the daily retention sweep."""

from __future__ import annotations

from datetime import timedelta

from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import task


@task()
def send_email(to: str, subject: str, body: str) -> None:
    """Send one plain-text email (queued, so no response time depends on the mail server)."""
    send_mail(subject, body, None, [to])


@task()
def complete_sign_up(email: str, postcode: str, relationship: str, consents: dict) -> None:
    """Finish a sign-up away from the request, so its timing says nothing about the address."""
    from .services import complete_sign_up as complete

    complete(email=email, postcode=postcode, relationship=relationship, consents=consents)


@task()
def complete_sign_in(email: str) -> None:
    """Send the sign-in link away from the request, so its timing says nothing about the address."""
    from .services import complete_sign_in as complete

    complete(email=email)


@task()
def purge_expired_personal_data(reschedule_hours: int = 0) -> dict:
    """Purge unconfirmed accounts and lapsed letter addresses; optionally queue the next run."""
    from .retention import purge_expired_personal_data as purge

    counts = purge()
    if reschedule_hours:
        purge_expired_personal_data.using(run_after=timezone.now() + timedelta(hours=reschedule_hours)).enqueue(
            reschedule_hours=reschedule_hours
        )
    return counts
