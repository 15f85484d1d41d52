"""Replies: residents reply to a bulletin or event; the team answers from its inbox; public figures."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from openward.accounts.models import Role
from openward.engagement.models import Reply
from openward.engagement.services import bulletins
from openward.engagement.services import replies as replies_services
from openward.notifications import services as notifications
from openward.notifications import tokens
from openward.notifications.models import Subscriber
from tests.personas import make_staff, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def bulletin(ward, officer):
    return bulletins.publish_bulletin(
        officer, bulletins.BulletinFields(title="Burglary appeal", body_html="<p>Did you see?</p>", wards=[ward])
    )


def test_reply_by_email_link_reaches_inbox_and_answer_is_emailed(
    ward, officer, resident, bulletin, client, django_capture_on_commit_callbacks
):
    subscriber = notifications.subscriber_for(resident.email, resident)
    token = tokens.reply_token(subscriber.pk, "bulletin", bulletin.pk)
    response = client.post(reverse("engagement:reply-by-link", args=[token]), {"body": "I saw a white van at 2am."})
    assert response.status_code == 302
    reply = Reply.objects.get()
    assert reply.ward == ward and reply.sender_email == resident.email

    sign_in(client, officer)
    inbox = client.get(reverse("engagement:inbox")).content.decode()
    assert "I saw a white van" in inbox and 'name="viewport"' in inbox
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("engagement:inbox-reply", args=[reply.pk]), {"answer": "Thank you, passed to CID."})
    reply.refresh_from_db()
    assert reply.answered_by == officer
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [resident.email]
    assert "Thank you, passed to CID." in mail.outbox[0].body and "I saw a white van" in mail.outbox[0].body
    assert "I saw a white van" not in client.get(reverse("engagement:inbox")).content.decode()


def test_reply_from_unknown_or_unsubscribed_address_is_refused(bulletin, resident):
    with pytest.raises(ValidationError, match="do not know the address"):
        replies_services.receive_reply(bulletin, sender_email="stranger@example.net", body="hello")
    subscriber = notifications.subscriber_for("gone@example.org")
    notifications.unsubscribe(subscriber)
    with pytest.raises(ValidationError, match="has unsubscribed"):
        replies_services.receive_reply(bulletin, sender_email="gone@example.org", body="hello")
    assert not Reply.objects.exists()


def test_tampered_reply_link_is_refused(bulletin, resident, client):
    subscriber = notifications.subscriber_for(resident.email)
    token = tokens.reply_token(subscriber.pk, "bulletin", bulletin.pk)
    response = client.post(reverse("engagement:reply-by-link", args=[token[:-2] + "xx"]), {"body": "hi"})
    assert response.status_code == 400 and "changed" in response.content.decode()
    assert not Reply.objects.exists()


def test_other_teams_cannot_see_or_answer(ward, other_ward, bulletin, resident, client, db_snapshot):
    elsewhere = make_staff(Role.OFFICER, other_ward, email="pc@aldgate.example")
    reply = replies_services.receive_reply(bulletin, sender_email=resident.email, body="hello", user=resident)
    sign_in(client, elsewhere)
    inbox = client.get(reverse("engagement:inbox"))
    assert inbox.status_code == 200
    assert "hello" not in inbox.content.decode() and resident.email not in inbox.content.decode()
    before, sent_before = db_snapshot(), len(mail.outbox)
    assert client.post(reverse("engagement:inbox-reply", args=[reply.pk]), {"answer": "x"}).status_code == 403
    assert db_snapshot() == before and len(mail.outbox) == sent_before, "no answer stored, none sent"


def test_reply_figures_share_answered_within_7_days(ward, officer, bulletin, residents):
    now = timezone.now()
    for i, r in enumerate(residents):
        reply = replies_services.receive_reply(bulletin, sender_email=r.email, body=f"r{i}", user=r)
        Reply.objects.filter(pk=reply.pk).update(received_at=now - timedelta(days=20))
    replies = list(Reply.objects.order_by("pk"))
    # 3 answered within 7 days, 1 after 10 days, 2 never: 3 of 6 settled = 50%.
    for reply, days in zip(replies, [1, 2, 6, 10], strict=False):
        Reply.objects.filter(pk=reply.pk).update(answered_at=reply.received_at + timedelta(days=days), answer="x")
    figures = replies_services.reply_figures(ward)
    assert figures == {"received": 6, "suppressed": False, "answered_within_7_days_share": 50, "settled": 6}
    Reply.objects.filter(pk__in=[r.pk for r in replies[:2]]).delete()
    assert (
        replies_services.reply_figures(ward)["suppressed"] is True
        and replies_services.reply_figures(ward)["received"] is None
    )


def test_api_reply_and_answer(ward, officer, resident, bulletin, client):
    sign_in(client, resident)
    r = client.post(
        "/api/v1/engagement/replies",
        {"item": "bulletin", "id": bulletin.pk, "body": "Seen it"},
        content_type="application/json",
    )
    assert r.status_code == 201
    sign_in(client, officer)
    inbox = client.get("/api/v1/engagement/inbox").json()
    assert [x["body"] for x in inbox] == ["Seen it"]
    answered = client.post(
        f"/api/v1/engagement/replies/{inbox[0]['id']}/answer", {"answer": "Thanks"}, content_type="application/json"
    )
    assert answered.json()["answer"] == "Thanks"
    again = client.post(
        f"/api/v1/engagement/replies/{inbox[0]['id']}/answer", {"answer": "Twice"}, content_type="application/json"
    )
    assert again.status_code == 400 and "already been answered" in again.json()["detail"]
    assert Subscriber.objects.filter(email=resident.email).exists()
