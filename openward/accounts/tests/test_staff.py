"""Two-factor enrolment for staff, role granting and revoking scoped to places, the audit log."""

import base64
import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from openward.accounts import services
from openward.accounts.models import Role, RoleGrant, User
from openward.core.models import AuditEvent
from tests.personas import give_role, make_person, make_resident, make_staff, sign_in


def current_code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_staff_enrol_an_authenticator_then_staff_pages_open(client, places):
    # A new officer has no authenticator yet: they enrol one on the way to a staff page.
    officer = give_role(make_person("pc@example.org"), Role.OFFICER, places.ward_a, authenticator=False)
    client.force_login(officer)
    staff_page = f"/verify/staff/wards/{places.ward_a.gss_code}/in-person/"
    assert client.get(staff_page)["Location"].startswith("/accounts/two-factor/")
    page = client.get("/accounts/two-factor/")
    assert "<svg" in page.content.decode()
    secret = re.search(r'id="totp-secret">([A-Z2-7=]+)<', page.content.decode()).group(1)
    device = TOTPDevice.objects.get(user=officer)
    assert not device.confirmed
    wrong = client.post("/accounts/two-factor/", {"code": "000000" if current_code(device) != "000000" else "111111"})
    assert wrong.status_code == 400 and "not right" in wrong.content.decode()

    assert base64.b32decode(secret) == device.bin_key
    response = client.post("/accounts/two-factor/", {"code": current_code(device), "next": staff_page})
    assert response.status_code == 302 and response["Location"] == staff_page
    assert client.get(staff_page).status_code == 200
    assert TOTPDevice.objects.get(user=officer).confirmed
    assert AuditEvent.objects.filter(action="two_factor.enrolled", actor=officer).exists()


def test_two_factor_rejects_open_redirects(client, places):
    officer = make_staff(Role.OFFICER, places.ward_a)
    client.force_login(officer)
    device = TOTPDevice.objects.get(user=officer)
    response = client.post("/accounts/two-factor/", {"code": current_code(device), "next": "https://evil.example/"})
    assert response["Location"] == "/accounts/staff/"


@pytest.fixture
def lead(client, places):
    lead = make_staff(Role.BOROUGH_LEAD, places.borough_a)
    sign_in(client, lead)
    return lead


def test_borough_lead_grants_and_revokes_ward_roles(client, places, lead):
    person = make_resident("pc@example.org", places.ward_a)
    url = f"/accounts/roles/{places.borough_a.gss_code}/"
    response = client.post(url, {"email": "pc@example.org", "role": "officer", "ward": places.ward_a.gss_code})
    assert response.status_code == 302
    grant = RoleGrant.objects.get(user=person)
    assert (grant.role, grant.ward, grant.granted_by) == ("officer", places.ward_a, lead)
    assert AuditEvent.objects.filter(action="role.granted", actor=lead, ward_code=places.ward_a.gss_code).exists()
    assert client.post(f"{url}{grant.pk}/revoke/").status_code == 302
    assert not RoleGrant.objects.active().filter(user=person).exists()
    assert AuditEvent.objects.filter(action="role.revoked", actor=lead).exists()


def test_borough_lead_cannot_hand_out_site_wide_roles_or_roles_elsewhere(client, places, lead):
    make_resident("pc@example.org", places.ward_a)
    url = f"/accounts/roles/{places.borough_a.gss_code}/"
    response = client.post(url, {"email": "pc@example.org", "role": "site_admin", "ward": ""})
    assert response.status_code == 400 and "cannot give that role" in response.content.decode()
    # A ward of another borough is not among the choices, so the form refuses it.
    response = client.post(url, {"email": "pc@example.org", "role": "officer", "ward": places.ward_b.gss_code})
    assert response.status_code == 400
    assert client.get(f"/accounts/roles/{places.borough_b.gss_code}/").status_code == 403
    assert not RoleGrant.objects.filter(user__email="pc@example.org").exists()
    with pytest.raises(services.RoleError):
        services.grant_role(lead, User.objects.get(email="pc@example.org"), Role.OFFICER, places.ward_b)


def test_unknown_person_gets_a_message(client, places, lead):
    url = f"/accounts/roles/{places.borough_a.gss_code}/"
    response = client.post(url, {"email": "nobody@example.org", "role": "officer", "ward": ""})
    assert response.status_code == 400 and "Ask them to sign up first" in response.content.decode()


def test_staff_views_of_personal_data_are_audited(client, places, lead):
    client.get(f"/accounts/roles/{places.borough_a.gss_code}/")
    assert AuditEvent.objects.filter(action="roles.viewed", actor=lead).count() == 1
    admin = make_staff(Role.SITE_ADMIN, None, email="admin@example.org")
    sign_in(client, admin)
    page = client.get("/accounts/audit/")
    assert page.status_code == 200 and "roles.viewed" in page.content.decode()


def test_site_admin_grants_and_removes_roles_everywhere(client, places):
    admin = make_staff(Role.SITE_ADMIN, None, email="admin@example.org")
    analyst = make_resident("analyst@example.org", places.ward_a)
    sign_in(client, admin)
    response = client.post("/accounts/roles/everywhere/", {"email": "analyst@example.org", "role": "analyst"})
    assert response.status_code == 302
    grant = RoleGrant.objects.active().get(user=analyst)
    assert grant.place is None and grant.role == "analyst"
    client.post("/accounts/roles/everywhere/", {"revoke": grant.pk})
    assert not RoleGrant.objects.active().filter(user=analyst).exists()


def test_borough_lead_cannot_reach_site_wide_roles(client, places, lead, db_snapshot):
    make_resident("analyst@example.org", places.ward_a)
    assert client.get("/accounts/roles/everywhere/").status_code == 403
    before = db_snapshot()
    granting = client.post("/accounts/roles/everywhere/", {"email": "analyst@example.org", "role": "site_admin"})
    assert granting.status_code == 403
    assert db_snapshot() == before, "no role granted, nothing else written"


def test_account_page_lists_the_staff_pages_of_each_role(client, places):
    officer = make_staff(Role.OFFICER, places.ward_a)
    sign_in(client, officer)
    html = client.get("/accounts/profile/").content.decode()
    assert f"/verify/staff/wards/{places.ward_a.gss_code}/in-person/" in html
    assert "/verify/staff/boroughs/" not in html


@pytest.mark.parametrize("bad", ["abc", "", "-1", "9223372036854775808", "1.5"])
def test_revoking_with_an_id_that_is_not_a_held_role_is_a_message_not_an_error(client, places, bad):
    admin = make_staff(Role.SITE_ADMIN, None, email="admin@example.org")
    sign_in(client, admin)
    response = client.post("/accounts/roles/everywhere/", {"revoke": bad}, follow=True)
    assert response.status_code == 200
    assert "That role is no longer held here. Reload the page" in response.content.decode()
    assert RoleGrant.objects.active().filter(user=admin).count() == 1


def test_a_ward_grant_cannot_be_revoked_from_the_everywhere_page(client, places):
    admin = make_staff(Role.SITE_ADMIN, None, email="admin@example.org")
    officer = make_staff(Role.OFFICER, places.ward_a)
    sign_in(client, admin)
    grant = RoleGrant.objects.get(user=officer)
    response = client.post("/accounts/roles/everywhere/", {"revoke": grant.pk}, follow=True)
    assert "no longer held here" in response.content.decode()
    assert RoleGrant.objects.active().filter(pk=grant.pk).exists()


def test_the_right_code_straight_after_a_wrong_one_is_accepted(client, places):
    officer = make_staff(Role.OFFICER, places.ward_a)
    client.force_login(officer)
    device = TOTPDevice.objects.get(user=officer)
    right = current_code(device)
    wrong = client.post("/accounts/two-factor/", {"code": "000000" if right != "000000" else "111111"})
    assert wrong.status_code == 400 and "not right" in wrong.content.decode()
    response = client.post("/accounts/two-factor/", {"code": right})
    assert response.status_code == 302 and response["Location"] == "/accounts/staff/"


def test_a_code_once_used_is_refused_again_even_in_another_browser(client, places):
    from django.test import Client

    officer = make_staff(Role.OFFICER, places.ward_a)
    device = TOTPDevice.objects.get(user=officer)
    code = current_code(device)
    client.force_login(officer)
    assert client.post("/accounts/two-factor/", {"code": code}).status_code == 302
    replay = Client()
    replay.force_login(officer)
    again = replay.post("/accounts/two-factor/", {"code": code})
    assert again.status_code == 400 and "not right" in again.content.decode()


def test_wrong_codes_are_bounded_per_day_and_then_even_the_right_one_waits(client, places, settings):
    limits = {"otp-user": (100, 900), "otp-wrong-user": (3, 86400)}
    settings.OPENWARD_RATE_LIMITS = {**settings.OPENWARD_RATE_LIMITS, **limits}
    officer = make_staff(Role.OFFICER, places.ward_a)
    client.force_login(officer)
    device = TOTPDevice.objects.get(user=officer)
    right = current_code(device)
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(3):
        assert "not right" in client.post("/accounts/two-factor/", {"code": wrong}).content.decode()
    refused = client.post("/accounts/two-factor/", {"code": right})
    assert refused.status_code == 400 and "Too many wrong codes today" in refused.content.decode()
    device.refresh_from_db()
    assert device.last_t == -1


def test_right_codes_do_not_use_up_the_allowance_of_wrong_ones(client, places, settings, time_machine):
    import datetime as dt

    limits = {"otp-user": (100, 900), "otp-wrong-user": (2, 86400)}
    settings.OPENWARD_RATE_LIMITS = {**settings.OPENWARD_RATE_LIMITS, **limits}
    officer = make_staff(Role.OFFICER, places.ward_a)
    client.force_login(officer)
    device = TOTPDevice.objects.get(user=officer)
    for _ in range(4):  # more right codes than the day's allowance of wrong ones
        time_machine.shift(dt.timedelta(seconds=device.step))
        device.refresh_from_db()
        assert client.post("/accounts/two-factor/", {"code": current_code(device)}).status_code == 302
    time_machine.shift(dt.timedelta(seconds=device.step))
    device.refresh_from_db()
    right = current_code(device)
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(2):  # the whole allowance is still there
        assert "not right" in client.post("/accounts/two-factor/", {"code": wrong}).content.decode()
    refused = client.post("/accounts/two-factor/", {"code": right})
    assert refused.status_code == 400 and "Too many wrong codes today" in refused.content.decode()
