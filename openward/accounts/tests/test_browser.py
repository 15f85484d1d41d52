"""Resident journeys in headless Chromium, at laptop and phone widths."""

import re

import pytest

from openward.accounts.testing import browser_page_for, horizontal_overflow, make_places, make_staff
from openward.engagement import services as engagement
from openward.notifications.models import Subscription


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_sign_up_with_notices_then_the_next_bulletin_for_the_ward_arrives(browser, live_server, smtp_server, viewport):
    places = make_places()
    page = browser_page_for(browser, live_server, viewport=viewport)
    page.goto("/accounts/sign-up/")
    page.get_by_label("Email address").fill("ada@example.org")
    page.get_by_label("Postcode").fill("N1 9QZ")
    page.get_by_label("Email me notices").check()
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url("**/accounts/check-your-email/")
    assert horizontal_overflow(page) == 0

    body = smtp_server.wait_for(1)[0]["message"].get_body(preferencelist=("plain",)).get_content()
    page.goto(re.search(r"https?://[^/\s]+(/accounts/link/\S+/)", body).group(1))
    page.get_by_role("button", name="Confirm and sign in").click()
    page.wait_for_url("**/verify/")
    subscription = Subscription.objects.get(subscriber__email="ada@example.org")
    assert subscription.ward == places.ward_a

    # The person's account page says what they get, in their ward's name.
    page.goto("/notifications/preferences/")
    assert "Abbey" in page.locator("main").inner_text()

    officer = make_staff("officer", places.ward_a)
    engagement.publish_bulletin(
        officer, title="Bike marking on Saturday", body_html="<p>Bring your bike.</p>", wards=[places.ward_a]
    )
    engagement.publish_bulletin(officer, title="Only for Common", body_html="<p>Elsewhere.</p>", wards=[places.ward_b])
    messages = smtp_server.wait_for(2)
    assert [(m["to"], m["message"]["Subject"]) for m in messages[1:]] == [
        (["ada@example.org"], "Bike marking on Saturday")
    ]
