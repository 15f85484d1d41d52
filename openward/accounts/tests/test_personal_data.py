"""Consent, download my data and retention (erasure across every app: tests/test_personal_data.py)."""

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from openward.accounts.models import Consent, EmailLink, User
from openward.accounts.services import create_api_token
from openward.verification import services as verification
from openward.verification.models import AddressLetter, Membership
from tests.personas import make_resident, sign_in

EMAIL = "ada.lovelace@example.org"
NAME = "Ada Lovelace"
ADDRESS = "12 Analytical Engine Row"


@pytest.fixture
def ada(client, places):
    user = make_resident(EMAIL, places.ward_a, postcode=places.postcode_a)
    user.display_name = NAME
    user.first_name, user.last_name = "Ada", "Lovelace"
    user.save()
    membership = Membership.objects.get(user=user)
    verification.request_letter(user, membership, address=ADDRESS, postcode="N1 9QZ", recipient=NAME)
    verification.issue_in_person_reference(user, membership)
    create_api_token(user, "my script", second_factor=False)
    sign_in(client, user)
    return user


def test_consents_change_and_are_audited(client, ada):
    from openward.core.models import AuditEvent

    client.post("/accounts/consents/", {"research": "on"})
    assert {c.purpose: c.granted for c in Consent.objects.filter(user=ada)} == {
        "notifications": False,
        "research": True,
    }
    assert AuditEvent.objects.filter(action="consent.changed", actor=ada).count() == 2


def test_only_consenting_confirmed_people_are_found_for_a_purpose(client, ada, places):
    from openward.accounts.models import Purpose
    from openward.accounts.services import set_consent

    unconfirmed = make_resident("new@example.org", places.ward_a, level=0)
    set_consent(ada, Purpose.NOTIFICATIONS, True)
    set_consent(unconfirmed, Purpose.NOTIFICATIONS, True)
    assert list(User.objects.consenting_to(Purpose.NOTIFICATIONS)) == [ada]
    assert list(User.objects.consenting_to(Purpose.RESEARCH)) == []


def test_download_my_data(client, ada):
    response = client.get("/accounts/my-data.json")
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["account"]["email"] == EMAIL
    (ward,) = data["verification"]["wards"]
    assert ward["ward"] == "E05000901" and ward["postcode"] == "N19QZ" and ward["level"] == 1
    assert ward["letters"][0]["address"] == ADDRESS
    assert data["account"]["api_tokens"][0]["name"] == "my script"


def test_purge_deletes_stale_unconfirmed_accounts_and_lapsed_letter_addresses(places, settings):
    stale = make_resident("stale@example.org", places.ward_a, level=0, postcode=places.postcode_a)
    User.objects.filter(pk=stale.pk).update(
        date_joined=timezone.now() - timedelta(days=settings.OPENWARD_UNCONFIRMED_ACCOUNT_DAYS + 1)
    )
    EmailLink.objects.create(user=stale, purpose="confirm", secret_hash="x", expires_at=timezone.now())
    fresh = make_resident("fresh@example.org", places.ward_a, level=0)
    keeper = make_resident("keeper@example.org", places.ward_a, postcode=places.postcode_a)
    letter = verification.request_letter(keeper, keeper.memberships.get(), address="1 Old Road", postcode="N19QZ")
    AddressLetter.objects.filter(pk=letter.pk).update(expires_at=timezone.now() - timedelta(days=1))
    call_command("purge_personal_data")
    assert not User.objects.filter(pk=stale.pk).exists()
    assert User.objects.filter(pk__in=[fresh.pk, keeper.pk]).count() == 2
    letter.refresh_from_db()
    assert letter.address == "" and letter.erased_at


def test_purge_runs_as_a_task(places):
    from openward.accounts.tasks import purge_expired_personal_data

    result = purge_expired_personal_data.enqueue(reschedule_hours=0)
    assert result.return_value == {"unconfirmed_accounts": 0, "letter_addresses": 0}


def test_schedule_needs_a_backend_that_can_defer(places):
    from django.core.management.base import CommandError

    # Tests run tasks immediately, which cannot wait a day: the command says what to do instead.
    with pytest.raises(CommandError, match="cron"):
        call_command("purge_personal_data", "--schedule")
