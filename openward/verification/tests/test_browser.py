"""A person signs up in headless Chromium, confirms by real email, verifies by letter code, and sees their ward."""

import re

import pytest

from openward.accounts.identity import show_code
from openward.verification import services
from openward.verification.letters import batch_pdf
from tests.personas import make_places, make_staff


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_sign_up_confirm_verify_by_letter_and_see_the_ward(page, smtp_server):
    places = make_places()
    response = page.goto("/accounts/sign-up/")
    csp = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    page.get_by_label("Email address").fill("grace@example.org")
    page.get_by_label("Postcode").fill("n1 9qz")
    page.get_by_label("Email me notices").check()
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url("**/accounts/check-your-email/")

    message = smtp_server.wait_for(1)[0]
    assert message["to"] == ["grace@example.org"]
    body = message["message"].get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"https?://[^/\s]+(/accounts/link/\S+/)", body).group(1)
    page.goto(link)
    page.get_by_role("button", name="Confirm and sign in").click()
    page.wait_for_url("**/verify/")
    assert "Level 1" in page.locator("main").inner_text()

    page.get_by_role("link", name=re.compile("Verify your address by letter")).click()
    page.get_by_label("Address").fill("7 Compiler Court")
    page.get_by_label("Postcode").fill("N1 9QZ")
    page.get_by_role("button", name="Send me a letter").click()
    page.wait_for_url("**/verify/code/")

    # The borough team prints the batch; the code is read off the printed letter.
    lead = make_staff("borough_lead", places.borough_a)
    batch = services.create_letter_batch(lead, places.borough_a)
    printed = batch_pdf(batch).decode("latin-1")
    code = re.search(r"\(([A-Z2-9]{4}-[A-Z2-9]{4})\)", printed).group(1)
    assert code == show_code(batch.letters.get().code)

    page.get_by_label("Code from the letter").fill(code.lower())
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url("**/verify/")
    main = page.locator("main").inner_text()
    assert "Your address in Abbey is verified" in page.content()
    assert "Level 2: Address verified" in main and "Abbey" in main

    ward_link = page.get_by_role("link", name="Abbey")
    if ward_link.count():
        # The ward page, when the areas app serves one, is reachable from here.
        ward_link.first.click()
        page.wait_for_url(f"**/wards/{places.ward_a.gss_code}/")
        assert "Abbey" in page.locator("main").inner_text()
