"""Demo residents at every verification level and staff in every role, in the demo wards.

The people are loaded by verification/demo_data.py (their ward memberships and levels are verification's);
this module names them."""

from __future__ import annotations

import hashlib

from openward.areas.geo import generation_for
from openward.areas.models import Postcode, Ward
from openward.core.demo import DEMO_SEED

from .models import User

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
    ("monitoring-chair", "Chair of the stop-and-search monitoring group, {borough}", "monitoring_chair", "borough"),
    ("monitoring", "Stop-and-search monitoring group reviewer, {borough}", "monitoring_group", "borough"),
    ("monitoring-liaison", "Force liaison to the monitoring group, {borough}", "monitoring_liaison", "borough"),
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


def demo_places():
    wards = Ward.objects.filter(is_demo=True).select_related("borough")
    generation = generation_for()
    current = wards.filter(generation=generation) if generation else wards
    wards = list((current if current.exists() else wards).order_by("gss_code")[:2])
    return wards


def postcode_in(ward) -> str:
    row = Postcode.objects.filter(ward_code=ward.gss_code).order_by("compact").first()
    return row.compact if row else ""


def demo_people() -> list[dict]:
    places = demo_places()
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
