"""The demo people (named in accounts/demo_data.py): accounts, roles, authenticators, and each one's
wards and verification level."""

from __future__ import annotations

import base64
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from openward.accounts.demo_data import RESIDENTS, STAFF, demo_places, email, postcode_in, totp_key
from openward.accounts.models import Role, RoleGrant, User
from openward.core import demo

from .models import Level, Membership, Method, VerificationGrant
from .services import grant_email_level


@transaction.atomic
def load_people(stdout=None) -> int:
    """Create (or bring back up to date) every demo person; returns how many exist."""
    places = demo_places()
    if not places:
        raise demo.NothingToLoad("there are no demo wards to place demo people in; run the areas step first.")
    ward, other = places[0], places[-1]
    now = timezone.now()

    def person(local, confirmed=True):
        user, _ = User.objects.get_or_create(
            email=email(local), defaults={"email_key": email(local), "email_confirmed_at": now if confirmed else None}
        )
        user.set_unusable_password()
        user.save()
        return user

    def member(user, place, relationship, is_home):
        m, _ = Membership.objects.get_or_create(
            user=user,
            ward=place,
            defaults={"relationship": relationship, "is_home": is_home, "postcode": postcode_in(place)},
        )
        if user.email_confirmed_at:
            grant_email_level(m)
        return m

    officer = None
    for local, _text, role, where in STAFF:
        user = person(local)
        place = {"ward": ward, "other_ward": other, "borough": ward.borough, None: None}[where]
        fields = {"ward": None, "borough": None}
        if place is ward or place is other:
            fields["ward"] = place
        elif place is not None:
            fields["borough"] = place
        RoleGrant.objects.get_or_create(user=user, role=role, revoked_at=None, **fields)
        member(user, ward, "works", True)
        TOTPDevice.objects.update_or_create(
            user=user, name="Demo authenticator", defaults={"key": totp_key(local), "confirmed": True}
        )
        if role == Role.OFFICER and where == "ward":
            officer = user
        if stdout:
            secret = base64.b32encode(bytes.fromhex(totp_key(local))).decode()
            stdout.write(f"  {email(local)}: {role}; authenticator key {secret}")

    for local, _text, level, method in RESIDENTS:
        user = person(local, confirmed=level > 0)
        if local == "worker":
            member(user, other, "lives", True)
            member(user, ward, "works", False)
            continue
        m = member(user, ward, "lives", True)
        if level == 2 and not m.grants.filter(level=Level.ADDRESS).exists():
            VerificationGrant.objects.create(
                membership=m,
                level=Level.ADDRESS,
                method=Method.LETTER if method == "letter" else Method.OFFICER,
                granted_by=None if method == "letter" else officer,
                expires_at=now + timedelta(days=730),
                evidence="Demo: code from a letter" if method == "letter" else "Demo: photo ID and council tax bill",
            )
    return len(STAFF) + len(RESIDENTS)


def step(workdir, stdout) -> None:
    count = load_people(stdout)
    stdout.write(f"  {count} demo people; sign in as any of them at /accounts/demo/ (development server only)")


demo.register("residents", order=30, step=step)
