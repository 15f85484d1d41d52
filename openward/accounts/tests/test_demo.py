"""The demo step makes residents at every level and staff in every role; the demo sign-in is DEBUG-only."""

import io

from openward.accounts.demo_data import DEMO_EMAIL_DOMAIN, RESIDENTS, STAFF, email
from openward.accounts.models import Role, RoleGrant, User
from openward.areas.models import Ward
from openward.verification.demo_data import load_people
from openward.verification.models import Membership


def make_demo_wards(places):
    Ward.objects.filter(pk__in=[places.ward_a.pk, places.ward_b.pk]).update(is_demo=True)


def test_demo_people_cover_every_level_and_role_and_load_twice(places):
    make_demo_wards(places)
    load_people(io.StringIO())
    load_people(io.StringIO())  # idempotent
    people = User.objects.filter(email__endswith="@" + DEMO_EMAIL_DOMAIN)
    assert people.count() == len(STAFF) + len(RESIDENTS)
    held = set(RoleGrant.objects.active().filter(user__in=people).values_list("role", flat=True))
    assert held == {r.value for r in Role if r != Role.RESIDENT}
    levels = {m.level for m in Membership.objects.filter(user__email__startswith="resident-")}
    assert levels == {0, 1, 2}


def test_demo_sign_in_only_with_debug(client, places, settings):
    make_demo_wards(places)
    load_people()
    settings.DEBUG = False
    assert client.get("/accounts/demo/").status_code == 404
    settings.DEBUG = True
    page = client.get("/accounts/demo/")
    assert page.status_code == 200 and email("officer") in page.content.decode()
    response = client.post("/accounts/demo/", {"email": email("officer")})
    assert response.status_code == 302
    # Signed in with two-factor passed, so the officer's staff page opens.
    assert client.get(f"/verify/staff/wards/{places.ward_a.gss_code}/in-person/").status_code == 200
    assert client.post("/accounts/demo/", {"email": "someone@example.org"}).status_code == 404
