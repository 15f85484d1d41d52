"""Letters with one-time codes: level 2, lock-out after wrong codes, expiry, reuse, and the address erased."""

from datetime import timedelta

import pytest
from django.utils import timezone

from openward.accounts.models import Role
from openward.verification import services
from openward.verification.models import AddressLetter, Level, Membership
from tests.personas import make_resident, make_staff, sign_in


def ask_for_letter(client, user, address="12 Mill Lane", postcode="N1 9QZ"):
    membership = Membership.objects.get(user=user, is_home=True)
    return client.post(f"/verify/wards/{membership.pk}/letter/", {"address": address, "postcode": postcode})


@pytest.fixture
def resident(client, places):
    user = make_resident("ada@example.org", places.ward_a, postcode=places.postcode_a)
    sign_in(client, user)
    return user


def test_letter_code_grants_level_2_and_erases_the_address(client, resident):
    assert ask_for_letter(client, resident).status_code == 302
    letter = AddressLetter.objects.get()
    assert letter.address == "12 Mill Lane" and len(letter.code) == 8
    code = f"{letter.code[:4].lower()}-{letter.code[4:]}"  # people type codes loosely
    response = client.post("/verify/code/", {"code": code})
    assert response.status_code == 302
    membership = Membership.objects.get(user=resident)
    assert membership.level == Level.ADDRESS
    grant = membership.current_grant()
    assert grant.method == "letter" and grant.expires_at > timezone.now() + timedelta(days=700)
    letter.refresh_from_db()
    assert letter.confirmed_at and letter.erased_at
    assert (letter.address, letter.postcode, letter.code, letter.recipient) == ("", "", "", "")
    # The same code again is refused with a message, not a 500.
    response = client.post("/verify/code/", {"code": code})
    assert response.status_code == 400 and "no letter waiting" in response.content.decode()


def test_wrong_codes_lock_the_letter(client, resident, settings):
    ask_for_letter(client, resident)
    letter = AddressLetter.objects.get()
    wrong = "ABCDEFGH" if letter.code != "ABCDEFGH" else "HGFEDCBA"
    for _ in range(settings.OPENWARD_CODE_ATTEMPTS):
        response = client.post("/verify/code/", {"code": wrong})
        assert response.status_code == 400
    assert "locked" in response.content.decode()
    # Even the right code no longer works once locked.
    response = client.post("/verify/code/", {"code": letter.code})
    assert response.status_code == 400 and "locked" in response.content.decode()
    assert Membership.objects.get(user=resident).level == Level.EMAIL
    letter.refresh_from_db()
    assert letter.attempts == settings.OPENWARD_CODE_ATTEMPTS and letter.locked_at


def test_code_entry_is_rate_limited_across_letters(client, resident, settings):
    settings.OPENWARD_RATE_LIMITS = {**settings.OPENWARD_RATE_LIMITS, "code-user": (3, 3600)}
    ask_for_letter(client, resident)
    for _ in range(3):
        client.post("/verify/code/", {"code": "AAAA2222"})
    response = client.post("/verify/code/", {"code": AddressLetter.objects.get().code})
    assert response.status_code == 400 and "Too many attempts" in response.content.decode()
    assert Membership.objects.get(user=resident).level == Level.EMAIL


def test_expired_code_is_refused_and_the_address_erased(client, resident):
    ask_for_letter(client, resident)
    letter = AddressLetter.objects.get()
    AddressLetter.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.post("/verify/code/", {"code": letter.code})
    assert response.status_code == 400 and "expired" in response.content.decode()
    letter.refresh_from_db()
    assert letter.address == "" and letter.erased_at
    assert Membership.objects.get(user=resident).level == Level.EMAIL


@pytest.mark.parametrize(
    "address,postcode,message",
    [
        ("", "N1 9QZ", "Enter the address"),
        ("12 Mill Lane", "N1 9QY", "is in Bridge, not Abbey"),
        ("12 Mill Lane", "nonsense", "is not a UK postcode"),
    ],
)
def test_bad_letter_requests_say_what_to_do(client, resident, address, postcode, message):
    response = ask_for_letter(client, resident, address=address, postcode=postcode)
    assert response.status_code == 400 and message in response.content.decode()
    assert not AddressLetter.objects.exists()


def test_same_address_on_two_accounts_is_flagged(client, places):
    first = make_resident("one@example.org", places.ward_a, postcode=places.postcode_a)
    second = make_resident("two@example.org", places.ward_a, postcode=places.postcode_a)
    one = services.request_letter(first, first.memberships.get(), address="12 Mill Lane", postcode="N19QZ")
    two = services.request_letter(second, second.memberships.get(), address="12, mill lane.", postcode="n1 9qz")
    assert not one.possible_duplicate and two.possible_duplicate
    assert one.address_key == two.address_key and "MILL" not in two.address_key.upper()
    services.confirm_letter_code(second, two.code)
    membership = second.memberships.get()
    assert membership.needs_review and membership.current_grant().possible_duplicate


def test_batch_pdf_holds_each_pending_letter_then_codes_are_forgotten(client, places):
    lead = make_staff(Role.BOROUGH_LEAD, places.borough_a)
    person = make_resident("ada@example.org", places.ward_a, postcode=places.postcode_a)
    letter = services.request_letter(person, person.memberships.get(), address="12 Mill Lane", postcode="N19QZ")
    sign_in(client, lead)
    response = client.post(f"/verify/staff/boroughs/{places.borough_a.gss_code}/letters/")
    assert response.status_code == 302
    batch = letter.__class__.objects.get().batch
    assert batch.letter_count == 1
    pdf = client.get(f"/verify/staff/boroughs/{places.borough_a.gss_code}/letters/{batch.pk}.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    from openward.accounts.identity import show_code

    assert show_code(letter.code).encode() in pdf.content and b"12 Mill Lane" in pdf.content
    from openward.core.models import AuditEvent

    assert AuditEvent.objects.filter(action="letters.printed", actor=lead).exists()
    client.post(f"/verify/staff/boroughs/{places.borough_a.gss_code}/letters/{batch.pk}/posted/")
    letter.refresh_from_db()
    assert letter.code == "" and letter.code_hash
    # A lead of another borough cannot print these letters.
    other = make_staff(Role.BOROUGH_LEAD, places.borough_b)
    sign_in(client, other)
    assert client.get(f"/verify/staff/boroughs/{places.borough_a.gss_code}/letters/{batch.pk}.pdf").status_code == 403


def test_notify_backend_posts_the_letter_and_forgets_the_code(places, settings, monkeypatch):
    import base64
    import hashlib
    import hmac
    import json

    import httpx

    service_id, secret = "11111111-2222-3333-4444-555555555555", "66666666-7777-8888-9999-000000000000"
    settings.OPENWARD_LETTER_BACKEND = "notify"
    settings.NOTIFY_API_KEY = f"openward-{service_id}-{secret}"
    settings.NOTIFY_LETTER_TEMPLATE_ID = "template-1"
    sent = []

    def fake_post(url, json=None, headers=None, timeout=None):
        sent.append((url, json, headers))
        return httpx.Response(201, request=httpx.Request("POST", url))

    monkeypatch.setattr(httpx, "post", fake_post)
    person = make_resident("ada@example.org", places.ward_a, postcode=places.postcode_a)
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        letter = services.request_letter(person, person.memberships.get(), address="12 Mill Lane", postcode="N19QZ")
    url, payload, headers = sent[0]
    assert url == "https://api.notifications.service.gov.uk/v2/notifications/letter"
    assert payload["template_id"] == "template-1"
    assert payload["personalisation"]["address_line_2"] == "12 Mill Lane"
    assert payload["personalisation"]["address_line_3"] == "N1 9QZ"
    header, claims, signature = headers["Authorization"].removeprefix("Bearer ").split(".")
    assert json.loads(base64.urlsafe_b64decode(claims + "==="))["iss"] == service_id
    expected = hmac.new(secret.encode(), f"{header}.{claims}".encode(), hashlib.sha256).digest()
    assert base64.urlsafe_b64decode(signature + "===") == expected
    code = payload["personalisation"]["code"].replace("-", "")
    letter.refresh_from_db()
    assert letter.code == "" and len(code) == 8
    services.confirm_letter_code(person, code)
    assert person.memberships.get().level == Level.ADDRESS


def test_letters_per_month_are_limited(client, resident, settings):
    settings.OPENWARD_LETTERS_PER_MONTH = 1
    ask_for_letter(client, resident)
    AddressLetter.objects.update(locked_at=timezone.now())
    response = ask_for_letter(client, resident)
    assert response.status_code == 400 and "in person instead" in response.content.decode()
    assert AddressLetter.objects.count() == 1
