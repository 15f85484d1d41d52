"""Limits that cannot be turned against a victim, and client addresses that cannot be forged."""

import re

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory

from openward.accounts import ratelimit
from openward.accounts.models import User
from tests.personas import make_resident

VICTIM = "victim@example.org"
HOME, ATTACKER = "198.51.100.7", "203.0.113.66"


def ask_for_link(client, email=VICTIM, **meta):
    return client.post("/accounts/sign-in/", {"email": email}, **meta)


def last_link_to(address: str) -> str:
    message = [m for m in mail.outbox if m.to == [address]][-1]
    return re.search(r"https?://[^/\s]+(/accounts/link/\S+/)", message.body).group(1)


@pytest.fixture
def victim(places):
    return make_resident(VICTIM, places.ward_a)


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Run emails queued after commit at once, as a worker would."""

    def run(call):
        with django_capture_on_commit_callbacks(execute=True):
            return call()

    return run


def test_the_owner_gets_and_uses_their_link_while_someone_naming_them_is_throttled(victim, sent):
    owner, attacker = Client(REMOTE_ADDR=HOME), Client(REMOTE_ADDR=ATTACKER)
    assert sent(lambda: ask_for_link(owner)).status_code == 302
    earlier_link = last_link_to(VICTIM)
    for _ in range(5):
        assert sent(lambda: ask_for_link(attacker)).status_code == 302
    refused = sent(lambda: ask_for_link(attacker))
    assert refused.status_code == 400 and "Too many attempts" in refused.content.decode()

    # The link already in the owner's inbox still works...
    assert owner.post(earlier_link).status_code == 302
    assert int(owner.session["_auth_user_id"]) == victim.pk
    # ...and from their own connection they can still ask for a new one, and use it.
    owner.logout()
    before = len(mail.outbox)
    assert sent(lambda: ask_for_link(owner)).status_code == 302
    assert len(mail.outbox) == before + 1
    assert owner.post(last_link_to(VICTIM)).status_code == 302


def test_many_clients_naming_one_person_cannot_hold_back_a_browser_they_signed_in_from(victim, sent, settings):
    limit, _ = settings.OPENWARD_RATE_LIMITS["sign-in-account"]
    browser = Client(REMOTE_ADDR=HOME)
    sent(lambda: ask_for_link(browser))
    browser.post(last_link_to(VICTIM))  # signing in marks this browser as the owner's
    assert browser.cookies[ratelimit.KNOWN_COOKIE].value

    for i in range(limit - 1):
        assert sent(lambda i=i: ask_for_link(Client(REMOTE_ADDR=f"203.0.113.{i + 1}"))).status_code == 302
    # The account's ceiling on emails is reached: a new client naming the victim is refused...
    stranger = sent(lambda: ask_for_link(Client(REMOTE_ADDR="192.0.2.200")))
    assert stranger.status_code == 400 and "The latest link we emailed still works" in stranger.content.decode()
    # ...and so is a forged claim to be a known browser...
    forged = Client(REMOTE_ADDR="192.0.2.201")
    forged.cookies[ratelimit.KNOWN_COOKIE] = str(victim.pk)
    assert sent(lambda: ask_for_link(forged)).status_code == 400
    # ...but the owner's own browser, even from a new network, gets its link and it works.
    known = browser.cookies[ratelimit.KNOWN_COOKIE].value
    browser.logout()  # the test client drops every cookie here; a browser keeps this one
    browser.cookies[ratelimit.KNOWN_COOKIE] = known
    before = len(mail.outbox)
    response = sent(lambda: ask_for_link(browser, REMOTE_ADDR="192.0.2.202"))
    assert response.status_code == 302 and len(mail.outbox) == before + 1
    assert browser.post(last_link_to(VICTIM)).status_code == 302


def test_the_ceiling_is_the_same_for_addresses_with_and_without_an_account(places, sent, settings):
    limit, _ = settings.OPENWARD_RATE_LIMITS["sign-in-account"]
    for email in ("nobody@example.org", "somebody@example.org"):
        if email == "somebody@example.org":
            make_resident(email, places.ward_a)
        answers = [ask_for_link(Client(REMOTE_ADDR=f"203.0.113.{i + 1}"), email).status_code for i in range(limit + 1)]
        assert answers == [302] * limit + [400], email  # no way to tell the two apart


def _ip(settings, trusted, remote, forwarded=None):
    settings.OPENWARD_TRUSTED_PROXIES = trusted
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return ratelimit.client_ip(RequestFactory().get("/", **meta))


def test_forwarded_for_is_believed_only_from_trusted_proxies(settings):
    # No proxy configured: the header is anyone's to write, so it is ignored.
    assert _ip(settings, [], "203.0.113.9", "198.51.100.1") == "203.0.113.9"
    # Through the proxy: the address it saw, not what the client wrote to the left of it.
    assert _ip(settings, ["10.0.0.0/8"], "10.0.0.5", "198.51.100.1") == "198.51.100.1"
    assert _ip(settings, ["10.0.0.0/8"], "10.0.0.5", "1.1.1.1, 198.51.100.1") == "198.51.100.1"
    # Two trusted proxies in a row.
    assert _ip(settings, ["10.0.0.0/8"], "10.0.0.5", "198.51.100.1, 10.0.0.7") == "198.51.100.1"
    # A client that is not a trusted proxy cannot name itself someone else.
    assert _ip(settings, ["10.0.0.0/8"], "203.0.113.9", "10.0.0.1, 198.51.100.1") == "203.0.113.9"
    # A hop the proxy could not parse leaves the proxy's own address: nobody gets a fresh budget.
    assert _ip(settings, ["10.0.0.0/8"], "10.0.0.5", "not-an-address") == "10.0.0.5"
    assert _ip(settings, ["10.0.0.5"], "10.0.0.5", "198.51.100.1:51234") == "198.51.100.1"
    # IPv6 clients count per /64, the block one subscriber usually holds.
    assert _ip(settings, ["10.0.0.0/8"], "10.0.0.5", "[2001:db8:1:2::1]:443") == "2001:db8:1:2::/64"
    assert _ip(settings, [], "2001:db8:1:2:ffff::9") == "2001:db8:1:2::/64"
    with pytest.raises(ImproperlyConfigured, match="OPENWARD_TRUSTED_PROXIES"):
        _ip(settings, ["proxy.internal"], "10.0.0.5")


def test_behind_the_proxy_each_client_has_its_own_sign_up_budget(places, settings, django_capture_on_commit_callbacks):
    settings.OPENWARD_RATE_LIMITS = {**settings.OPENWARD_RATE_LIMITS, "sign-up-client": (2, 3600)}
    proxy = Client(REMOTE_ADDR="10.0.0.1")

    def sign_up(n, client_address):
        data = {"email": f"p{n}@example.org", "postcode": "N1 9QZ", "relationship": "lives"}
        # The account is made by the task the request queues after commit.
        with django_capture_on_commit_callbacks(execute=True):
            return proxy.post("/accounts/sign-up/", data, HTTP_X_FORWARDED_FOR=client_address).status_code

    # Without the proxy configured, everyone behind it shares one budget.
    settings.OPENWARD_TRUSTED_PROXIES = []
    assert [sign_up(1, "198.51.100.1"), sign_up(2, "198.51.100.1"), sign_up(3, "198.51.100.2")] == [302, 302, 400]
    # With it, each client behind the proxy has its own.
    settings.OPENWARD_TRUSTED_PROXIES = ["10.0.0.1"]
    assert [sign_up(4, "198.51.100.3"), sign_up(5, "198.51.100.3"), sign_up(6, "198.51.100.3")] == [302, 302, 400]
    assert sign_up(7, "198.51.100.4") == 302
    assert User.objects.filter(email__in=[f"p{n}@example.org" for n in (1, 2, 4, 5, 7)]).count() == 5
