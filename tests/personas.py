"""Places and personas for tests (used by accounts, verification, the other apps and the authorisation matrix).

places = make_places()                    two boroughs, three wards, postcodes in each
person = make_resident("a@example.org", places.ward_a, level=2)
officer = make_staff(Role.OFFICER, places.ward_a)
sign_in(client, officer)                  signs in and passes two-factor for staff
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone


def square(lng0, lat0, size=0.01):
    ring = [[lng0, lat0], [lng0 + size, lat0], [lng0 + size, lat0 + size], [lng0, lat0 + size], [lng0, lat0]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


@dataclass
class Places:
    generation: object
    borough_a: object
    borough_b: object
    ward_a: object
    ward_a2: object
    ward_b: object
    postcode_a: str  # compact, in ward_a
    postcode_a2: str
    postcode_b: str
    postcode_nowhere: str  # a real-looking postcode in our list but in no ward


def forget_geo_indexes() -> None:
    """Drop the shared cache (rate limits, figures), cached pages and per-process ward indexes: database ids
    are reused between tests. The root conftest calls this before and after every test."""
    from django.core.cache import cache

    from openward.areas import geo, selectors
    from openward.core import pagecache

    cache.clear()
    pagecache.clear_local()
    geo._indexes.clear()
    selectors._generations.clear()


def make_places() -> Places:
    from openward.areas.models import Borough, Postcode, Ward, WardGeneration

    forget_geo_indexes()
    generation = WardGeneration.objects.create(slug="2022", name="2022 wards", valid_from=dt.date(2022, 5, 5))
    borough_a = Borough.objects.create(gss_code="E09000901", name="Northbury", slug="northbury")
    borough_b = Borough.objects.create(gss_code="E09000902", name="Southwick", slug="southwick")
    ward_a = Ward.objects.create(
        gss_code="E05000901",
        name="Abbey",
        slug="abbey",
        borough=borough_a,
        generation=generation,
        boundary=square(-0.02, 51.5),
    )
    ward_a2 = Ward.objects.create(
        gss_code="E05000902",
        name="Bridge",
        slug="bridge",
        borough=borough_a,
        generation=generation,
        boundary=square(-0.01, 51.5),
    )
    ward_b = Ward.objects.create(
        gss_code="E05000903",
        name="Common",
        slug="common",
        borough=borough_b,
        generation=generation,
        boundary=square(0.0, 51.5),
    )
    rows = [
        ("N19QZ", ward_a, 51.505, -0.015),
        ("N19QY", ward_a2, 51.505, -0.005),
        ("SE99QZ", ward_b, 51.505, 0.005),
        ("ZE19QZ", None, 60.0, -1.0),
    ]
    for compact, ward, lat, lng in rows:
        Postcode.objects.create(
            compact=compact,
            latitude=lat,
            longitude=lng,
            ward_code=ward.gss_code if ward else "",
            borough_code=ward.borough.gss_code if ward else "",
        )
    return Places(generation, borough_a, borough_b, ward_a, ward_a2, ward_b, "N19QZ", "N19QY", "SE99QZ", "ZE19QZ")


def make_resident(email: str, ward, *, level: int = 1, postcode: str = "", relationship: str = "lives"):
    """A person with a home ward at `level` (0: unconfirmed; 1: confirmed; 2: address verified by letter)."""
    from openward.accounts.models import User
    from openward.verification.models import Level, Membership, Method, VerificationGrant
    from openward.verification.services import grant_email_level

    user = User.objects.create_user(email=email, email_confirmed_at=timezone.now() if level >= 1 else None)
    membership = Membership.objects.create(
        user=user, ward=ward, postcode=postcode, relationship=relationship, is_home=True
    )
    if level >= 1:
        grant_email_level(membership)
    if level >= 2:
        VerificationGrant.objects.create(
            membership=membership,
            level=Level.ADDRESS,
            method=Method.LETTER,
            expires_at=timezone.now() + timedelta(days=730),
        )
    return user


def make_staff(role: str, place=None, *, email: str | None = None):
    """A confirmed person holding `role` at `place` (Ward, Cluster, Borough or None), with an authenticator."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from openward.accounts.models import RoleGrant, User
    from openward.areas.models import Borough, Cluster, Ward

    email = email or f"{role}-{getattr(place, 'gss_code', getattr(place, 'slug', 'all'))}@example.org".lower()
    user = User.objects.create_user(email=email, email_confirmed_at=timezone.now())
    RoleGrant.objects.create(
        user=user,
        role=role,
        ward=place if isinstance(place, Ward) else None,
        cluster=place if isinstance(place, Cluster) else None,
        borough=place if isinstance(place, Borough) else None,
    )
    TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    return user


def sign_in(client, user, *, second_factor: bool = True) -> None:
    """Sign `user` in on a test client; staff also pass two-factor unless told not to."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if second_factor and device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


# The two widths every journey is walked at: a laptop and a phone.
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


def browser_page_for(browser, live_server, user=None, *, viewport: str = "desktop"):
    """A Chromium page at `viewport` width, signed in as `user` (two-factor passed for staff) when given."""
    from django.test import Client

    context = browser.new_context(base_url=live_server.url, viewport=VIEWPORTS[viewport])
    if user is not None:
        client = Client()
        sign_in(client, user)
        context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    page.base_url = live_server.url
    return page


def horizontal_overflow(page) -> int:
    """How many CSS pixels the page is wider than the window (0: no sideways scrolling)."""
    page.wait_for_load_state()
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
