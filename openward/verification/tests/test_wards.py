"""Several wards per person, each with its relationship; moving home; bad input."""

from django.core import mail

from openward.verification.models import Membership
from tests.personas import make_resident, sign_in


def test_add_a_ward_of_interest_and_move_home(client, places):
    person = make_resident("ada@example.org", places.ward_a, postcode=places.postcode_a)
    sign_in(client, person)
    assert client.post("/verify/add/", {"postcode": "N1 9QY", "relationship": "works"}).status_code == 302
    work = Membership.objects.get(user=person, ward=places.ward_a2)
    assert (work.relationship, work.is_home, work.level) == ("works", False, 1)
    again = client.post("/verify/add/", {"postcode": "N1 9QY", "relationship": "studies"})
    assert again.status_code == 400 and "already one of your wards" in again.content.decode()
    client.post("/verify/add/", {"postcode": "SE9 9QZ", "relationship": "lives", "home": "on"})
    homes = list(Membership.objects.filter(user=person, is_home=True).values_list("ward__gss_code", flat=True))
    assert homes == [places.ward_b.gss_code]
    leave = client.post(f"/verify/wards/{work.pk}/leave/")
    assert leave.status_code == 302 and not Membership.objects.filter(pk=work.pk).exists()


def test_a_postcode_in_no_ward_is_explained(client, places):
    person = make_resident("ada@example.org", places.ward_a, postcode=places.postcode_a)
    sign_in(client, person)
    response = client.post("/verify/add/", {"postcode": "ZE1 9QZ", "relationship": "works"})
    assert response.status_code == 400 and "is outside the wards we cover" in response.content.decode()
    assert Membership.objects.filter(user=person).count() == 1


def test_someone_elses_ward_cannot_be_touched(client, places, db_snapshot):
    owner = make_resident("owner@example.org", places.ward_a, postcode=places.postcode_a)
    other = make_resident("other@example.org", places.ward_b, postcode=places.postcode_b)
    sign_in(client, other)
    membership = Membership.objects.get(user=owner)
    before = db_snapshot()
    assert (
        client.post(f"/verify/wards/{membership.pk}/letter/", {"address": "1 A St", "postcode": "N19QZ"}).status_code
        == 404
    )
    assert client.post(f"/verify/wards/{membership.pk}/in-person/").status_code == 404
    assert client.post(f"/verify/wards/{membership.pk}/leave/").status_code == 404
    # Not a letter, a reference, a changed or deleted membership, nor an audit row: nothing at all.
    assert db_snapshot() == before
    assert not mail.outbox
