"""Resident journeys in headless Chromium, at laptop and phone widths."""

import re

import pytest

from openward.engagement.services import bulletins
from openward.notifications.models import Subscription
from tests.personas import browser_page_for, horizontal_overflow, make_places, make_staff


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
    bulletins.publish_bulletin(
        officer,
        bulletins.BulletinFields(
            title="Bike marking on Saturday", body_html="<p>Bring your bike.</p>", wards=[places.ward_a]
        ),
    )
    bulletins.publish_bulletin(
        officer, bulletins.BulletinFields(title="Only for Common", body_html="<p>Elsewhere.</p>", wards=[places.ward_b])
    )
    messages = smtp_server.wait_for(2)
    assert [(m["to"], m["message"]["Subject"]) for m in messages[1:]] == [
        (["ada@example.org"], "Bike marking on Saturday")
    ]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_officer_signs_in_slips_on_the_code_lands_on_the_staff_home_and_answers_the_oldest_reply(
    browser, live_server, smtp_server, viewport
):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from openward.accounts.tests.test_staff_home import fill
    from openward.engagement.models import Reply

    places = make_places()
    fill(places)
    officer = make_staff("officer", places.ward_a, email="pc.abbey@met.example")
    page = browser_page_for(browser, live_server, viewport=viewport)
    page.goto("/accounts/sign-in/")
    page.get_by_label("Email address").fill("pc.abbey@met.example")
    page.get_by_role("button", name="Email me a sign-in link").click()
    page.wait_for_url("**/accounts/check-your-email/")
    body = smtp_server.wait_for(1)[0]["message"].get_body(preferencelist=("plain",)).get_content()
    page.goto(re.search(r"https?://[^/\s]+(/accounts/link/\S+/)", body).group(1))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/two-factor/**")

    device = TOTPDevice.objects.get(user=officer)
    right = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    page.get_by_label("Code from your authenticator app").fill("000000" if right != "000000" else "111111")
    page.get_by_role("button", name="Continue").click()
    assert "That code is not right." in page.locator("#id_code-error").inner_text()
    page.get_by_label("Code from your authenticator app").fill(right)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/accounts/staff/")

    main = page.locator("main")
    assert page.get_by_role("heading", level=1).inner_text() == "Your work"
    for heading in (
        "Your places",
        "Replies waiting for an answer",
        "Meetings coming",
        "Meeting records to write",
        "Overdue actions",
        "Priorities due for review",
        "Consultations open and closing",
        "Volunteering sign-ups",
    ):
        assert page.get_by_role("heading", name=re.compile(heading)).count() == 1, heading
    assert "Common" not in main.inner_text()
    assert horizontal_overflow(page) == 0

    # The navigation leads back here from anywhere.
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Your work").click()
    page.wait_for_url("**/accounts/staff/")

    replies = page.locator("#replies .staff-list li")
    assert "9 days ago" in replies.first.inner_text()
    replies.first.get_by_role("link").click()
    page.get_by_label("Your answer").fill("Thank you: we will look at it at the next panel.")
    page.get_by_role("button", name="Send answer by email").click()
    page.wait_for_url("**/engagement/inbox/")
    oldest = Reply.objects.get(ward=places.ward_a, body="older")
    assert oldest.answered_by == officer and oldest.answer.startswith("Thank you")
    page.goto("/accounts/staff/")
    assert (
        page.locator("#replies .staff-list li").count() == 1
        and "2 days ago" in page.locator("#replies .staff-list li").inner_text()
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_get_notices_from_the_ward_page_explains_sign_in_and_comes_back(browser, live_server, smtp_server, viewport):
    from tests.personas import make_resident

    places = make_places()
    make_resident("eve@example.org", places.ward_a)
    page = browser_page_for(browser, live_server, viewport=viewport)
    page.goto(f"/wards/{places.ward_a.gss_code}/")
    page.get_by_role("link", name="Get notices by email").click()
    assert "Sign in first, so we send notices only to an address that is really yours" in page.content()
    page.get_by_role("link", name="Sign in to get notices").click()
    page.get_by_label("Email address").fill("eve@example.org")
    page.get_by_role("button", name="Email me a sign-in link").click()
    page.wait_for_url("**/accounts/check-your-email/")
    body = smtp_server.wait_for(1)[0]["message"].get_body(preferencelist=("plain",)).get_content()
    page.goto(re.search(r"https?://[^/\s]+(/accounts/link/\S+/)", body).group(1))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**/notifications/subscribe/?ward={places.ward_a.gss_code}")
    assert page.get_by_role("heading", level=1).inner_text() == "Get notices for Abbey"
    assert page.locator(".error-message, .error-summary").count() == 0
    assert horizontal_overflow(page) == 0
    page.get_by_role("group", name="How often").get_by_label("A weekly digest").check()
    page.get_by_role("group", name="Topics (optional)").get_by_label("Fraud").check()
    page.get_by_role("button", name="Subscribe").click()
    page.wait_for_url("**/notifications/preferences/")
    assert page.get_by_role("group", name="Wards (optional)").get_by_label("Abbey").is_checked()
    subscription = Subscription.objects.get(subscriber__email="eve@example.org")
    assert subscription.ward == places.ward_a and [t.slug for t in subscription.topics.all()] == ["fraud"]
    assert subscription.subscriber.frequency == "weekly"
