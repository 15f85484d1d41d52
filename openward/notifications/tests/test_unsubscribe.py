"""Every email can unsubscribe in one click (RFC 8058); preferences; tampered links change nothing."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from openward.core.models import AuditEvent
from openward.engagement.services import bulletins
from openward.notifications import services, tokens
from openward.notifications.models import Subscriber
from tests.personas import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def emailed(ward, officer, resident, settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://openward.example"
    services.subscribe(resident, ward)
    with django_capture_on_commit_callbacks(execute=True):
        bulletins.publish_bulletin(
            officer, bulletins.BulletinFields(title="Appeal", body_html="<p>Help</p>", wards=[ward])
        )
    assert len(mail.outbox) == 1
    return mail.outbox[0]


def unsubscribe_url(message):
    header = message.extra_headers["List-Unsubscribe"]
    assert header.startswith("<https://openward.example/notifications/unsubscribe/") and header.endswith("/>")
    return header[1:-1]


def test_every_email_carries_one_click_unsubscribe_headers(emailed):
    assert emailed.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = unsubscribe_url(emailed)
    assert url in emailed.body
    raw = emailed.message().as_string()
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in raw


def test_one_click_post_is_csrf_exempt_and_idempotent(emailed, resident):
    path = unsubscribe_url(emailed).removeprefix("https://openward.example")
    client = Client(enforce_csrf_checks=True)
    assert client.get(path).status_code == 200
    assert Subscriber.objects.get(email=resident.email).is_receiving, "a GET (mail scanner) must not unsubscribe"
    for _ in range(2):
        response = client.post(path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
        assert response.status_code == 200
    assert not Subscriber.objects.get(email=resident.email).is_receiving
    assert AuditEvent.objects.filter(action="notifications.unsubscribe").count() == 1


def test_unsubscribed_get_nothing_more(emailed, ward, officer, resident, residents, django_capture_on_commit_callbacks):
    # A neighbour who stays subscribed is the positive control: the second bulletin does go out.
    neighbour = residents[0]
    services.subscribe(neighbour, ward)
    services.unsubscribe(Subscriber.objects.get(email=resident.email))
    with django_capture_on_commit_callbacks(execute=True):
        bulletins.publish_bulletin(
            officer, bulletins.BulletinFields(title="Second", body_html="<p>x</p>", wards=[ward])
        )
    assert [(m.to, m.subject) for m in mail.outbox[1:]] == [([neighbour.email], "Second")]


def test_tampered_unsubscribe_link_changes_nothing(emailed, resident, client, db_snapshot):
    path = unsubscribe_url(emailed).removeprefix("https://openward.example")
    token = path.rstrip("/").rsplit("/", 1)[1]
    other_id = tokens.unsubscribe_token(999).split(":", 1)[0]
    before = db_snapshot()
    for bad in (token[:-3] + "abc", other_id + ":" + token.split(":", 1)[1], "nonsense"):
        response = client.post(reverse("notifications:unsubscribe", args=[bad]))
        assert response.status_code == 400
        assert (
            "changed or is incomplete" in response.content.decode()
            and "Nothing has been changed" in response.content.decode()
        )
    assert Subscriber.objects.get(email=resident.email).is_receiving
    r = client.post("/api/v1/notifications/unsubscribe", {"token": token + "x"}, content_type="application/json")
    assert r.status_code == 400 and r.json()["detail"]
    assert db_snapshot() == before, "no subscriber changed, no audit row"
    r = client.post("/api/v1/notifications/unsubscribe", {"token": token}, content_type="application/json")
    assert r.json() == {"email": resident.email, "receiving": False}


def test_preferences_by_link_and_api(emailed, resident, ward, other_ward, client):
    path = unsubscribe_url(emailed).removeprefix("https://openward.example").replace("/unsubscribe/", "/preferences/")
    assert path in emailed.body
    # The page lists the wards the address hears about; others are added from their ward's page.
    offered = client.post(path, {"receiving": "on", "frequency": "weekly", "wards": [ward.pk, other_ward.pk]})
    assert offered.status_code == 200 and "Select a valid choice" in offered.content.decode()
    response = client.post(path, {"receiving": "on", "frequency": "weekly", "wards": [ward.pk]})
    assert response.status_code == 302
    subscriber = Subscriber.objects.get(email=resident.email)
    assert subscriber.frequency == "weekly"
    assert sorted(subscriber.subscriptions.values_list("ward__gss_code", flat=True)) == ["E05009288"]
    sign_in(client, resident)
    r = client.put(
        "/api/v1/notifications/preferences",
        {"frequency": "immediate", "wards": ["E05009289"], "topics": ["fraud"]},
        content_type="application/json",
    )
    assert r.json() == {
        "email": resident.email,
        "receiving": True,
        "frequency": "immediate",
        "wards": ["E05009289"],
        "topics": ["fraud"],
        "review": [],  # no ward of theirs changed in a boundary review
    }
    bad = client.put("/api/v1/notifications/preferences", {"frequency": "hourly"}, content_type="application/json")
    assert bad.status_code == 400


def test_subscribe_page(ward, resident, client):
    sign_in(client, resident)
    page = client.get(reverse("notifications:subscribe") + f"?ward={ward.gss_code}").content.decode()
    assert "Get notices for Aldersgate" in page
    client.post(reverse("notifications:subscribe"), {"ward": ward.gss_code, "frequency": "weekly"})
    subscriber = Subscriber.objects.get(email=resident.email)
    assert subscriber.frequency == "weekly" and subscriber.subscriptions.get().ward == ward
