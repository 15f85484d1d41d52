"""The meeting record form: grouped by topic in fieldsets with legends, no two fields with one label,
hints that point at ids that exist; a future meeting's form says at once it cannot be written yet."""

import re
from collections import Counter
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.personas import sign_in

pytestmark = pytest.mark.django_db


def labels_and_ids(html: str):
    labels = re.findall(r'<label[^>]*for="([^"]+)"[^>]*>([^<]+)', html)
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    described = [i for attr in re.findall(r'aria-describedby="([^"]+)"', html) for i in attr.split()]
    return labels, ids, described


def test_the_record_form_is_grouped_with_unique_labels_and_real_hint_ids(make_event, officer, client):
    event = make_event(starts_at=timezone.now() - timedelta(days=1))
    sign_in(client, officer)
    html = client.get(reverse("engagement:record-edit", args=[event.pk])).content.decode()
    form = html.split('<form method="post" novalidate>')[1].split("</form>")[0]
    legends = re.findall(r"<legend[^>]*>([^<]+)</legend>", form)
    assert legends == ["Summary", "What was discussed, by topic", "Who came", "Publishing"]
    labels, ids, described = labels_and_ids(form)
    texts = Counter(text.strip() for _, text in labels)
    assert [t for t, n in texts.items() if n > 1] == [], "two fields share a label"
    assert all(target in ids for target, _ in labels)
    assert described and all(i in ids for i in described), "a hint points at an id that does not exist"
    assert "Other (optional)" in texts and "Anyone else (optional)" in texts


def test_a_future_meetings_record_form_says_at_once_it_cannot_be_written(make_event, officer, client):
    event = make_event(starts_at=timezone.now() + timedelta(days=3))
    sign_in(client, officer)
    html = client.get(reverse("engagement:record-edit", args=[event.pk])).content.decode()
    assert "This meeting has not happened yet" in html and "<textarea" not in html


def test_every_hint_on_the_forms_of_engagement_notifications_and_accounts_points_at_an_id_that_exists(
    make_event, officer, ward, client
):
    from django.test import Client

    from openward.engagement.services import bulletins, records
    from openward.notifications import services as notifications

    future = make_event()
    past = make_event(starts_at=timezone.now() - timedelta(days=1))
    record = records.write_meeting_record(officer, past)
    bulletin = bulletins.publish_bulletin(
        officer, bulletins.BulletinFields(title="x", body_markdown="x", wards=[ward]), notify=False
    )
    notifications.subscribe(officer, ward)
    sign_in(client, officer)
    pages = [
        reverse("engagement:event-new", kwargs={"kind": "ward", "key": ward.gss_code}),
        reverse("engagement:event-edit", args=[future.pk]),
        reverse("engagement:record-edit", args=[past.pk]),
        reverse("engagement:record", args=[record.pk]),
        reverse("engagement:bulletin-new"),
        reverse("engagement:bulletin-edit", args=[bulletin.pk]),
        reverse("notifications:subscribe") + f"?ward={ward.gss_code}",
        reverse("notifications:preferences"),
    ]
    anonymous = Client()
    for url in pages + ["/accounts/sign-up/", "/accounts/sign-in/"]:
        html = (anonymous if url.startswith("/accounts/") else client).get(url).content.decode()
        labels, ids, described = labels_and_ids(html)
        missing = [i for i in described if i not in ids]
        assert not missing, (url, missing)
        assert all(target in ids for target, _ in labels), url
