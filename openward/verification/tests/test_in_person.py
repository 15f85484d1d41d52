"""In-person verification: the person shows a reference; an officer of their ward checks evidence."""

import pytest

from openward.accounts.models import Role
from openward.core.models import AuditEvent
from openward.verification.models import Level, Membership
from tests.personas import make_resident, make_staff, sign_in

SEEN = {"identity": "driving_licence", "address_proof": "council_tax"}


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
    response = client.post(url, {"reference": code, "method": "officer"} | SEEN | {"note": "Name matches both"})
    assert response.status_code == 302
    grant = Membership.objects.get(pk=membership.pk).current_grant()
    assert (grant.level, grant.method, grant.granted_by) == (Level.ADDRESS, "officer", officer)
    assert grant.evidence == "Photo driving licence; Council tax bill for this year; Name matches both"
    assert grant.expires_at
    event = AuditEvent.objects.get(action="verification.granted", actor=officer)
    assert (event.data["identity"], event.data["address_proof"]) == ("driving_licence", "council_tax")
    # Used once only.
    again = client.post(url, {"reference": code, "method": "officer"} | SEEN)
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


@pytest.mark.parametrize(
    "given,message",
    [
        ({"note": "trust me"}, "Choose the photo identity document you saw."),
        ({"identity": "passport", "note": "trust me"}, "Choose the document you saw with their name at the address."),
        ({"address_proof": "council_tax"}, "Choose the photo identity document you saw."),
        ({"identity": "library_card", "address_proof": "council_tax"}, "Select a valid choice"),
    ],
)
def test_level_2_needs_a_photo_identity_and_a_proof_of_address(client, places, reference, given, message):
    membership, code = reference
    chair = make_staff(Role.PANEL_CHAIR, places.ward_a)
    sign_in(client, chair)
    url = f"/verify/staff/wards/{places.ward_a.gss_code}/in-person/"
    response = client.post(url, {"reference": code, "method": "panel_chair"} | given)
    assert response.status_code == 400 and message in response.content.decode()
    assert Membership.objects.get(pk=membership.pk).level == Level.EMAIL


def test_the_service_refuses_evidence_outside_the_lists(places, reference):
    from openward.verification import services
    from openward.verification.models import InPersonReference

    membership, _ = reference
    officer = make_staff(Role.OFFICER, places.ward_a)
    pending = InPersonReference.objects.get(membership=membership)
    for identity, proof in (("trust me", "council_tax"), ("passport", "trust me"), ("", "")):
        with pytest.raises(services.VerificationError, match="Choose the"):
            services.verify_in_person(officer, pending, method="officer", identity=identity, address_proof=proof)
    assert Membership.objects.get(pk=membership.pk).level == Level.EMAIL


def own_reference(client, officer, places):
    """The officer also lives in the ward and asks for an in-person reference for himself."""
    from openward.verification.models import Membership as M
    from openward.verification.services import grant_email_level, issue_in_person_reference

    membership = M.objects.create(user=officer, ward=places.ward_a, postcode=places.postcode_a, is_home=True)
    grant_email_level(membership)
    return membership, issue_in_person_reference(officer, membership)


def test_an_officer_cannot_verify_himself_on_the_page(client, places):
    officer = make_staff(Role.OFFICER, places.ward_a)
    membership, code = own_reference(client, officer, places)
    sign_in(client, officer)
    url = f"/verify/staff/wards/{places.ward_a.gss_code}/in-person/"
    looked_up = client.get(url, {"reference": code})
    assert looked_up.status_code == 400 and "cannot verify your own address" in looked_up.content.decode()
    posted = client.post(url, {"reference": code, "method": "officer"} | SEEN)
    assert posted.status_code == 400 and "cannot verify your own address" in posted.content.decode()
    assert Membership.objects.get(pk=membership.pk).level == Level.EMAIL


def test_an_officer_cannot_verify_himself_through_the_api_or_the_service(client, places):
    from openward.verification import services
    from openward.verification.models import InPersonReference

    officer = make_staff(Role.OFFICER, places.ward_a)
    membership, code = own_reference(client, officer, places)
    sign_in(client, officer)
    response = client.post(
        f"/api/v1/verification/wards/{places.ward_a.gss_code}/in-person",
        {"reference": code, "method": "officer"} | SEEN,
        content_type="application/json",
    )
    assert response.status_code == 400 and "cannot verify your own address" in response.json()["detail"]
    pending = InPersonReference.objects.get(membership=membership)
    with pytest.raises(services.VerificationError, match="cannot verify your own address"):
        services.verify_in_person(officer, pending, method="officer", **SEEN)
    assert pending.used_at is None and Membership.objects.get(pk=membership.pk).level == Level.EMAIL


def test_the_api_lists_the_documents_it_accepts(client, places, reference):
    _, code = reference
    officer = make_staff(Role.OFFICER, places.ward_a)
    sign_in(client, officer)
    url = f"/api/v1/verification/wards/{places.ward_a.gss_code}/in-person"
    bad = client.post(
        url, {"reference": code, "method": "officer", "evidence": "trust me"}, content_type="application/json"
    )
    assert bad.status_code == 422
    missing = {e["loc"][-1] for e in bad.json()["detail"]}
    assert missing == {"identity", "address_proof"}
    ok = client.post(url, {"reference": code, "method": "officer"} | SEEN, content_type="application/json")
    assert ok.status_code == 201 and ok.json()["level"] == Level.ADDRESS
