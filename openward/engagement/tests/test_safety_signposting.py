"""Every form where the public write their own words says it is not for reporting crime: 999 in an
emergency, 101 or police.uk otherwise, Crimestoppers anonymously."""

from datetime import timedelta

import pytest
from django.utils import timezone

from openward.engagement import demo_data
from openward.engagement.services import bulletins as bulletins_services
from openward.notifications import services as notifications
from openward.notifications import tokens
from openward.priorities.models import Concern, Consultation
from tests.personas import sign_in

pytestmark = pytest.mark.django_db

SIGNPOSTS = [
    '<a href="tel:999">999</a>',
    '<a href="tel:101">101</a>',
    '<a href="https://www.police.uk/pu/contact-us/report/">report it online at police.uk</a>',
    '<a href="tel:0800555111">0800 555 111</a>',
]


def signposted(html: str) -> bool:
    return all(s in html for s in SIGNPOSTS) and "This is not the way to report a crime" in html


def test_every_public_free_text_form_signposts_999_101_crimestoppers_and_police_uk(
    ward, officer, resident, make_event, client
):
    event = make_event()
    bulletin = bulletins_services.publish_bulletin(
        officer, bulletins_services.BulletinFields(title="Appeal", body_markdown="x", wards=[ward]), notify=False
    )
    subscriber = notifications.subscribe(resident, ward)
    consultation = Consultation.objects.create(
        ward=ward,
        title="Focus",
        opens_at=timezone.now() - timedelta(days=1),
        closes_at=timezone.now() + timedelta(days=9),
    )
    consultation.concerns.set([Concern.objects.create(slug="noise", name="Noise")])
    pages = {
        "reply link": f"/engagement/replies/{tokens.reply_token(subscriber.pk, 'bulletin', bulletin.pk)}/",
    }
    for name, url in pages.items():
        assert signposted(client.get(url).content.decode()), name
    sign_in(client, resident)
    pages = {
        "event": f"/engagement/events/{event.pk}/",
        "bulletin": f"/engagement/bulletins/{bulletin.pk}/",
        "consultation": f"/priorities/consultations/{consultation.pk}/vote/",
    }
    for name, url in pages.items():
        html = client.get(url).content.decode()
        assert 'name="body"' in html or 'name="other_text"' in html, name
        assert signposted(html), name


def test_no_demo_reply_reads_like_a_crime_report():
    words = ("saw", "suspicious", "stolen", "attack", "who do i tell", "report")
    for body, answer in demo_data.REPLIES:
        assert not any(w in body.lower() for w in words), body
        assert "101" not in answer
