"""Demo residents at every verification level and staff in every role, in the demo wards."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from openward.core import demo
from openward.core.demo import DEMO_SEED

DEMO_EMAIL_DOMAIN = "demo.openward.invalid"

# (local part, description, role, place: "ward" | "other_ward" | "borough" | None)
STAFF = [
    ("officer", "Neighbourhood officer for {ward}", "officer", "ward"),
    ("pcso", "PCSO for {ward}", "pcso", "ward"),
    ("sergeant", "Neighbourhood sergeant for {ward}", "sergeant", "ward"),
    ("inspector", "Neighbourhood inspector for {borough}", "inspector", "borough"),
    ("panel-member", "Ward panel member in {ward}", "panel_member", "ward"),
    ("panel-chair", "Ward panel chair in {ward}", "panel_chair", "ward"),
    ("panel-vice-chair", "Ward panel vice-chair in {ward}", "panel_vice_chair", "ward"),
    ("other-officer", "Neighbourhood officer for {other} (not {ward})", "officer", "other_ward"),
    ("borough-lead", "Borough lead for {borough}", "borough_lead", "borough"),
    ("monitoring", "Stop-and-search monitoring group member, {borough}", "monitoring_group", "borough"),
    ("analyst", "Analyst (everywhere)", "analyst", None),
    ("site-admin", "Site administrator", "site_admin", None),
]
# (local part, description, level, method)
RESIDENTS = [
    ("resident-level0", "Resident of {ward}, email not confirmed (level 0)", 0, None),
    ("resident-level1", "Resident of {ward}, email confirmed (level 1)", 1, None),
    ("resident-letter", "Resident of {ward}, address verified by letter (level 2)", 2, "letter"),
    ("resident-in-person", "Resident of {ward}, verified in person by an officer (level 2)", 2, "officer"),
    ("worker", "Lives in {other}, works in {ward} (level 1 in both)", 1, None),
]


def email(local: str) -> str:
    return f"{local}@{DEMO_EMAIL_DOMAIN}"


def totp_key(local: str) -> str:
    """A fixed authenticator key per demo staff person, so the demo is the same everywhere."""
    return hashlib.sha256(f"{DEMO_SEED}:{local}".encode()).hexdigest()[:40]


def _demo_places():
    from openward.areas.geo import generation_for
    from openward.areas.models import Ward

    wards = Ward.objects.filter(is_demo=True).select_related("borough")
    generation = generation_for()
    current = wards.filter(generation=generation) if generation else wards
    wards = list((current if current.exists() else wards).order_by("gss_code")[:2])
    return wards


def _postcode_in(ward) -> str:
    from openward.areas.models import Postcode

    row = Postcode.objects.filter(ward_code=ward.gss_code).order_by("compact").first()
    return row.compact if row else ""


def demo_people() -> list[dict]:
    from .models import User

    places = _demo_places()
    names = {"ward": "", "other": "", "borough": ""}
    if places:
        names = {"ward": places[0].name, "other": places[-1].name, "borough": places[0].borough.name}
    people = [(local, text) for local, text, *_ in RESIDENTS + STAFF]
    existing = set(User.objects.filter(email__endswith="@" + DEMO_EMAIL_DOMAIN).values_list("email", flat=True))
    return [
        {"email": email(local), "description": text.format(**names)}
        for local, text in people
        if email(local) in existing
    ]


@transaction.atomic
def load_people(stdout=None) -> int:
    """Create (or bring back up to date) every demo person; returns how many exist."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from openward.verification.models import Level, Membership, Method, VerificationGrant
    from openward.verification.services import grant_email_level

    from .models import Role, RoleGrant, User

    places = _demo_places()
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
            defaults={"relationship": relationship, "is_home": is_home, "postcode": _postcode_in(place)},
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
            import base64

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
