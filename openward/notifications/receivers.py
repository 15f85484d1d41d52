"""Notices follow what people asked for at sign-up or on their account page."""

from django.dispatch import receiver

from openward.accounts.models import Purpose
from openward.accounts.signals import consent_granted, email_confirmed

from . import services


def own_wards(user) -> list:
    """Every ward the person belongs to, home first (topics they already chose are kept)."""
    return [m.ward for m in user.memberships.select_related("ward").order_by("-is_home", "pk")]


@receiver(email_confirmed, dispatch_uid="notifications.subscribe_on_confirm")
def subscribe_on_confirm(sender, user, **kwargs):
    """Ticking "Email me notices" at sign-up subscribes the person to their wards once the address is confirmed."""
    if user.consents.filter(purpose=Purpose.NOTIFICATIONS, granted=True).exists():
        services.subscribe(user, *own_wards(user))


@receiver(consent_granted, dispatch_uid="notifications.subscribe_on_consent")
def subscribe_on_consent(sender, user, purpose, **kwargs):
    """Saying yes to notices later, on the account page, does the same for a confirmed person."""
    if purpose == Purpose.NOTIFICATIONS and user.is_confirmed:
        services.subscribe(user, *own_wards(user))
