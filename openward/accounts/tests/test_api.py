"""The API for a person's own profile, wards and verification: session or token, in the schema."""

import json

import pytest
from django.core import mail

from openward.accounts.models import ApiToken, Role
from openward.accounts.services import create_api_token
from openward.api import api
from openward.verification.models import AddressLetter, Level, Membership
from tests.personas import make_resident, make_staff, sign_in


@pytest.fixture
def ada(places):
    return make_resident("ada@example.org", places.ward_a, postcode=places.postcode_a)


def bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def post(client, url, data, **extra):
    return client.post(url, json.dumps(data), content_type="application/json", **extra)


def test_token_reads_profile_and_wards(client, ada):
    key = create_api_token(ada, "script", second_factor=False)
    me = client.get("/api/v1/me", **bearer(key))
    assert me.status_code == 200 and me.json()["email"] == "ada@example.org"
    wards = client.get("/api/v1/me/wards", **bearer(key)).json()
    assert [(w["ward"], w["level"], w["home"]) for w in wards] == [("E05000901", 1, True)]
    assert wards[0]["verification"]["method"] == "email_postcode"


def test_bad_or_revoked_tokens_are_401(client, ada):
    key = create_api_token(ada, "script", second_factor=False)
    nonsense = client.get("/api/v1/me", **bearer("ow_nonsense"))
    assert nonsense.status_code == 401 and "email" not in nonsense.json()
    token_id = client.get("/api/v1/me/tokens", **bearer(key)).json()[0]["id"]
    assert client.delete(f"/api/v1/me/tokens/{token_id}", **bearer(key)).status_code == 204
    assert ApiToken.objects.get(pk=token_id).revoked_at is not None
    revoked = client.get("/api/v1/me", **bearer(key))
    assert revoked.status_code == 401 and "email" not in revoked.json()


def test_session_works_for_the_browser(client, ada):
    sign_in(client, ada)
    wards = client.get("/api/v1/me/wards")
    assert wards.status_code == 200 and [(w["ward"], w["home"]) for w in wards.json()] == [("E05000901", True)]


def test_session_writes_need_the_csrf_token(ada, places):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    sign_in(browser, ada)
    response = post(browser, "/api/v1/me/wards", {"postcode": "N1 9QY", "relationship": "works"})
    assert response.status_code in (401, 403)
    assert Membership.objects.filter(user=ada).count() == 1


def test_whole_verification_by_api(client, ada, places):
    key = create_api_token(ada, "script", second_factor=False)
    added = post(client, "/api/v1/me/wards", {"postcode": "N1 9QY", "relationship": "works"}, **bearer(key))
    assert added.status_code == 201 and added.json()["level"] == 1 and added.json()["ward"] == "E05000902"
    home = Membership.objects.get(user=ada, is_home=True)
    bad = post(
        client, f"/api/v1/me/wards/{home.pk}/letter", {"address": "1 Road", "postcode": "SE9 9QZ"}, **bearer(key)
    )
    assert bad.status_code == 400 and "is in Common, not Abbey" in bad.json()["detail"]
    assert not AddressLetter.objects.exists()
    sent = post(client, f"/api/v1/me/wards/{home.pk}/letter", {"address": "1 Road", "postcode": "N19QZ"}, **bearer(key))
    assert sent.status_code == 201
    assert AddressLetter.objects.get().membership == home
    wrong = post(client, "/api/v1/me/verification/code", {"code": "AAAA-2222"}, **bearer(key))
    assert wrong.status_code == 400 and "tries left" in wrong.json()["detail"]
    code = AddressLetter.objects.get().code
    assert Membership.objects.get(pk=home.pk).level == Level.EMAIL
    done = post(client, "/api/v1/me/verification/code", {"code": code}, **bearer(key))
    assert done.status_code == 200 and done.json()["level"] == Level.ADDRESS
    assert Membership.objects.get(pk=home.pk).level == Level.ADDRESS


def test_sign_up_by_api_does_not_enumerate(client, ada, places, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        old = post(client, "/api/v1/accounts/sign-up", {"email": "ada@example.org", "postcode": "N1 9QZ"})
        new = post(client, "/api/v1/accounts/sign-up", {"email": "bob@example.org", "postcode": "N1 9QZ"})
    assert old.status_code == new.status_code == 202 and old.json() == new.json()
    assert sorted(m.to[0] for m in mail.outbox) == ["ada@example.org", "bob@example.org"]
    bad = post(client, "/api/v1/accounts/sign-up", {"email": "x@example.org", "postcode": "ZE1 9QZ"})
    assert bad.status_code == 400 and "is outside the wards we cover" in bad.json()["detail"]


def test_staff_tokens_need_two_factor_and_keep_the_place_check(client, places, ada):
    officer = make_staff(Role.OFFICER, places.ward_a)
    sign_in(client, officer, second_factor=False)
    assert post(client, "/api/v1/me/tokens", {"name": "x"}).status_code in (401, 403)
    assert not ApiToken.objects.filter(user=officer).exists()
    sign_in(client, officer)
    # Django's test client skips CSRF checks unless asked, so the session write goes through here.
    key = post(client, "/api/v1/me/tokens", {"name": "field laptop"}).json()["key"]
    client.logout()
    membership = Membership.objects.get(user=ada)
    from openward.verification.services import issue_in_person_reference

    reference = issue_in_person_reference(ada, membership)
    payload = {"reference": reference, "method": "officer", "identity": "passport", "address_proof": "tenancy"}
    other_ward = post(client, f"/api/v1/verification/wards/{places.ward_b.gss_code}/in-person", payload, **bearer(key))
    assert other_ward.status_code == 403
    assert Membership.objects.get(pk=membership.pk).level == Level.EMAIL
    done = post(client, f"/api/v1/verification/wards/{places.ward_a.gss_code}/in-person", payload, **bearer(key))
    assert done.status_code == 201 and done.json()["level"] == Level.ADDRESS
    assert Membership.objects.get(pk=membership.pk).level == Level.ADDRESS


def test_operations_are_in_the_openapi_schema():
    paths = api.get_openapi_schema()["paths"]
    for path in ["/api/v1/me", "/api/v1/me/wards", "/api/v1/me/verification/code", "/api/v1/me/data"]:
        assert path in paths
    schemes = api.get_openapi_schema()["components"]["securitySchemes"]
    assert {"TokenAuth", "SessionAuth"} <= set(schemes)
