"""The shared fixtures talk to real things: an SMTP server on loopback and headless Chromium."""

import pytest
from django.core.mail import send_mail


def test_smtp_server_receives_what_django_sends(smtp_server):
    send_mail("Hello", "Body text", "from@example.org", ["to@example.org"])
    messages = smtp_server.wait_for(1)
    assert messages[0]["to"] == ["to@example.org"]
    assert messages[0]["message"]["Subject"] == "Hello"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_browser_loads_a_page_from_the_live_server(page):
    response = page.goto("/api/v1/health")
    assert response.status == 200
    assert '"ok"' in page.content()
