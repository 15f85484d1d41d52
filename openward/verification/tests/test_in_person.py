"""In-person verification: the person shows a reference; an officer of their ward checks evidence."""

import pytest

from openward.accounts.models import Role
from openward.accounts.testing import make_resident, make_staff, sign_in
from openward.core.models import AuditEvent
from openward.verification.models import Level, Membership


@pytest.fixture
def reference(client, places):
    person = make_resident("ada@example.org", places.ward_a, postcode=places.postcode_a)
    membership = Membership.objects.get(user=person)
    sign_in(client, person)
    page = client.post(f"/verify/wards/{membership.pk}/in-person/")
    import re

    code = re.search(r'id="reference">([A-Z0-9-]+)<', page.content.decode()).group(1)
    client.logout()
    return membership, code


def test_officer_of_the_ward_verifies_with_evidence(client, places, reference):
    membership, code = reference
    officer = make_staff(Role.OFFICER, places.ward_a)
    sign_in(client, officer)
    url = f"/verify/staff/wards/{places.ward_a.gss_code}/in-person/"
    page = client.get(url, {"reference": code})
    assert page.status_code == 200
    html = page.content.decode()
    assert "N1 9QZ" in html and "ada@example.org" not in html  # least personal data: no email
    assert AuditEvent.objects.filter(action="in_person.viewed", actor=officer).count() == 1
    response = client.post(
        url, {"reference": code, "method": "officer", "evidence": "Photo driving licence and council tax bill 2026"}
    )
    assert response.status_code == 302
    grant = Membership.objects.get(pk=membership.pk).current_grant()
    assert (grant.level, grant.method, grant.granted_by) == (Level.ADDRESS, "officer", officer)
    assert grant.evidence.startswith("Photo driving licence") and grant.expires_at
    # Used once only.
    again = client.post(url, {"reference": code, "method": "officer", "evidence": "again"})
    assert again.status_code == 400 and "No current reference" in again.content.decode()


def test_officer_of_another_ward_is_refused(client, places, reference):
    membership, code = reference
    other = make_staff(Role.OFFICER, places.ward_b)
    sign_in(client, other)
    assert (
        client.get(f"/verify/staff/wards/{places.ward_a.gss_code}/in-person/", {"reference": code}).status_code == 403
    )
    # In their own ward the reference does not exist.
    page = client.get(f"/verify/staff/wards/{places.ward_b.gss_code}/in-person/", {"reference": code})
    assert page.status_code == 400 and "No current reference" in page.content.decode()
    assert Membership.objects.get(pk=membership.pk).level == Level.EMAIL


def test_staff_without_two_factor_are_sent_to_set_it_up(client, places, reference):
    officer = make_staff(Role.OFFICER, places.ward_a)
    sign_in(client, officer, second_factor=False)
    response = client.get(f"/verify/staff/wards/{places.ward_a.gss_code}/in-person/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/two-factor/")


def test_evidence_must_be_recorded(client, places, reference):
    membership, code = reference
    chair = make_staff(Role.PANEL_CHAIR, places.ward_a)
    sign_in(client, chair)
    url = f"/verify/staff/wards/{places.ward_a.gss_code}/in-person/"
    response = client.post(url, {"reference": code, "method": "panel_chair", "evidence": ""})
    assert response.status_code == 400
    assert Membership.objects.get(pk=membership.pk).level == Level.EMAIL
