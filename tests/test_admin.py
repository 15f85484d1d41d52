"""Django's admin held to the site's rules: writes audited, personal data opened audited, role grants only through
the roles pages, no authenticator key and no task's arguments (an email with its sign-in link) shown."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult

from openward.accounts.models import Role, RoleGrant
from openward.core.models import AuditEvent
from openward.priorities.models import Concern
from tests.personas import make_places, make_staff, sign_in


@pytest.fixture
def superuser(db, client):
    make_places()
    person = make_staff(Role.SITE_ADMIN, email="superuser@example.org", is_staff=True, is_superuser=True)
    sign_in(client, person)
    return person


def actions(person) -> list[tuple[str, str, str, dict]]:
    return list(
        AuditEvent.objects.filter(actor=person, action__startswith="admin.")
        .order_by("pk")
        .values_list("action", "target_type", "target_id", "data")
    )


def test_opening_role_grants_is_audited_and_they_cannot_be_added_changed_or_deleted_here(client, superuser):
    officer = make_staff(Role.OFFICER, email="officer@example.org")
    grant = RoleGrant.objects.get(user=officer)
    assert client.get("/admin/accounts/rolegrant/").status_code == 200
    page = client.get(f"/admin/accounts/rolegrant/{grant.pk}/change/")
    assert page.status_code == 200
    assert actions(superuser) == [
        ("admin.list-viewed", "", "", {"model": "accounts.rolegrant"}),
        ("admin.viewed", "accounts.rolegrant", str(grant.pk), {"model": "accounts.rolegrant"}),
    ]
    assert client.get("/admin/accounts/rolegrant/add/").status_code == 403
    assert b'name="_save"' not in page.content  # a view, not a form
    refused = client.post(f"/admin/accounts/rolegrant/{grant.pk}/delete/", {"post": "yes"})
    assert refused.status_code == 403
    assert RoleGrant.objects.filter(pk=grant.pk, revoked_at=None).exists()


def test_a_change_through_the_admin_is_audited_with_the_fields_it_changed(client, superuser):
    concern = Concern.objects.create(
        name="Noise at night", slug="noise-at-night", position=7, synonyms=["racket"],
        crime_categories=["anti-social-behaviour"],
    )  # fmt: skip
    before = client.get(f"/admin/priorities/concern/{concern.pk}/change/")
    assert before.status_code == 200
    assert actions(superuser) == []  # the vocabulary holds no personal data: opening it is not recorded
    response = client.post(
        f"/admin/priorities/concern/{concern.pk}/change/",
        {
            "name": "Noise late at night",
            "slug": "noise-at-night",
            "synonyms": '["racket"]',
            "crime_categories": '["anti-social-behaviour"]',
            "is_active": "on",
            "position": "7",
            "_save": "Save",
        },  # fmt: skip
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert actions(superuser) == [("admin.changed", "priorities.concern", str(concern.pk), {"fields": ["name"]})]
    client.post(f"/admin/priorities/concern/{concern.pk}/delete/", {"post": "yes"})
    assert not Concern.objects.filter(pk=concern.pk).exists()
    assert actions(superuser)[-1] == ("admin.deleted", "priorities.concern", str(concern.pk), {})


def test_authenticators_show_no_key_and_cannot_be_added(client, superuser):
    device = TOTPDevice.objects.get(user=superuser)
    page = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/").content.decode()
    assert device.key not in page and "qrcode" not in page.lower()
    assert client.get("/admin/otp_totp/totpdevice/add/").status_code == 403
    assert client.get(f"/admin/otp_totp/totpdevice/{device.pk}/config/").status_code in (302, 404)
    assert actions(superuser)[-1] == ("admin.viewed", "otp_totp.totpdevice", str(device.pk),
                                      {"model": "otp_totp.totpdevice"})  # fmt: skip


def test_a_tasks_arguments_are_not_shown(client, superuser):
    secret = "https://openward.example/accounts/link/secret-sign-in-token/"
    task = DBTaskResult.objects.create(
        task_path="openward.accounts.tasks.send_email",
        args_kwargs={"args": [], "kwargs": {"to": "someone@example.org", "body": f"Sign in: {secret}"}},
        priority=0,
        queue_name="default",
        backend_name="default",
        run_after=None,
    )
    page = client.get(f"/admin/django_tasks_database/dbtaskresult/{task.pk}/change/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "send_email" in text
    assert "secret-sign-in-token" not in text and "someone@example.org" not in text
