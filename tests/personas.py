"""Places and personas for every test (the one set: apps' conftests build their people with these).

places = make_places()                    two boroughs, three wards, postcodes in each
person = make_person()                    signed up, email confirmed, no ward, no role
person = make_resident("a@example.org", places.ward_a, level=2)
verify(person, places.ward_b, level=1)    a further ward at a level
officer = make_staff(Role.OFFICER, places.ward_a)
give_role(person, Role.PANEL_CHAIR, places.ward_a)   a role (and an authenticator) for someone who exists
sign_in(client, officer)                  signs in and passes two-factor for staff
give_bounds(places.ward_a)                the box, centre and population a boundary import would give a ward
make_commitment(lead, places.borough_a, Commitment.Measure.CRIME, categories=["burglary"], ...)
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

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


def make_places() -> Places:
    from openward.areas.models import Borough, Postcode, Ward, WardGeneration

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


def give_bounds(ward, *, population: int = 11_000):
    """Give a ward the box and centre its boundary importer would (make_places leaves them empty), and a population."""
    import shapely

    shape = shapely.geometry.shape(json.loads(ward.boundary))
    ward.min_lng, ward.min_lat, ward.max_lng, ward.max_lat = shape.bounds
    ward.centre_lng, ward.centre_lat = shape.centroid.x, shape.centroid.y
    ward.population = population
    ward.save()
    return ward


_numbers = itertools.count(1)


def make_person(email: str | None = None, *, confirmed: bool = True, **extra):
    """A signed-up person with no ward and no role; `confirmed=False` leaves their email unconfirmed."""
    from openward.accounts.models import User

    return User.objects.create_user(
        email=email or f"person{next(_numbers)}@example.org",
        email_confirmed_at=timezone.now() if confirmed else None,
        **extra,
    )


def verify(user, ward, level: int = 1, *, is_home: bool = False, postcode: str = "", relationship: str = "lives"):
    """Give `user` a membership of `ward` at `level` through verification's own rows and service.

    0: a membership only (an unconfirmed email stays unconfirmed); 1: email confirmed, postcode in the ward;
    2: address verified by letter as well.
    """
    from openward.verification.models import Level, Membership, Method, VerificationGrant
    from openward.verification.services import grant_email_level

    if level >= 1 and user.email_confirmed_at is None:
        user.email_confirmed_at = timezone.now()
        user.save(update_fields=["email_confirmed_at"])
    membership, _ = Membership.objects.get_or_create(
        user=user, ward=ward, defaults={"postcode": postcode, "relationship": relationship, "is_home": is_home}
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
    return membership


def make_resident(
    email: str | None = None,
    ward=None,
    *,
    level: int = 1,
    postcode: str = "",
    relationship: str = "lives",
    **extra,
):
    """A person with a home ward at `level` (0: unconfirmed; 1: confirmed; 2: address verified by letter)."""
    assert ward is not None, "make_resident needs the resident's ward"
    user = make_person(email, confirmed=level >= 1, **extra)
    verify(user, ward, level, is_home=True, postcode=postcode, relationship=relationship)
    return user


def give_role(user, role: str, place=None, *, authenticator: bool = True):
    """Give `user` `role` at `place` (Ward, Cluster, Borough or None) and, unless told not to, an authenticator."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from openward.accounts.models import RoleGrant
    from openward.areas.models import Borough, Cluster, Ward

    RoleGrant.objects.create(
        user=user,
        role=role,
        ward=place if isinstance(place, Ward) else None,
        cluster=place if isinstance(place, Cluster) else None,
        borough=place if isinstance(place, Borough) else None,
    )
    if authenticator:  # staff pass two-factor; `sign_in` completes it with this device
        TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
    return user


def make_staff(role: str, place=None, *, email: str | None = None, **extra):
    """A confirmed person holding `role` at `place` (Ward, Cluster, Borough or None), with an authenticator."""
    email = email or f"{role}-{getattr(place, 'gss_code', getattr(place, 'slug', 'all'))}@example.org".lower()
    return give_role(make_person(email, **extra), role, place)


def make_commitment(
    lead,
    borough,
    measure_kind: str,
    *,
    text: str = "Burglary will come down.",
    owner: str = "Northbury borough command",
    owner_kind: str = "borough",
    made_on: dt.date = dt.date(2025, 1, 1),
    source: str = "Northbury policing plan 2025",
    **fields,
):
    """A public commitment recorded by `lead` through the commitments service; `fields` as record_commitment takes
    them (ward, categories, direction, every_borough, target_percent...)."""
    from openward.commitments.services import record_commitment

    return record_commitment(
        lead,
        borough,
        text=text,
        source=source,
        owner=owner,
        owner_kind=owner_kind,
        made_on=made_on,
        measure_kind=measure_kind,
        **fields,
    )


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


def sign_in_context(context, base_url: str, user) -> None:
    """Carry `user`'s signed-in session (two-factor passed for staff) into a browser context."""
    from django.test import Client

    client = Client()
    sign_in(client, user)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}])


def signed_in_context(browser, live_server, user=None, **options):
    """A Chromium context on the live server, signed in as `user` when given; `options` go to new_context."""
    context = browser.new_context(base_url=live_server.url, **options)
    if user is not None:
        sign_in_context(context, live_server.url, user)
    return context


def browser_page_for(browser, live_server, user=None, *, viewport: str = "desktop", **options):
    """A Chromium page at `viewport` width, signed in as `user` (two-factor passed for staff) when given."""
    page = signed_in_context(browser, live_server, user, viewport=VIEWPORTS[viewport], **options).new_page()
    page.base_url = live_server.url
    return page


def horizontal_overflow(page) -> int:
    """How many CSS pixels the page is wider than the window (0: no sideways scrolling).

    Measured once the page has loaded: after a form sent by keyboard the new page's text is there before its
    style sheets, and a table measured without site.css (whose .table-wrap scrolls it in its own region)
    widens the page although no one ever sees it so (the browser paints only once the sheets are in)."""
    page.wait_for_load_state("load")
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


# axe-core, served to the page by the test (tests/vendor): the accessibility rules every page is checked against.
AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text()


def serious_axe_violations(page) -> list[str]:
    """axe-core's serious and critical violations on the page as it is shown (measured once its style sheets
    are in, as `horizontal_overflow` is: colour contrast depends on them)."""
    page.wait_for_load_state("load")
    page.evaluate(AXE)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']}).then(r => JSON.stringify(r.violations))")
    return [
        f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']} {v['help']}"
        for v in json.loads(result)
        if v["impact"] in ("serious", "critical")
    ]
