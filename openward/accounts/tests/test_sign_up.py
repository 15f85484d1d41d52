"""Sign-up and sign-in by emailed link: confirmation, no enumeration, one person one account, bad input."""

import re

import pytest
from django.core import mail

from openward.accounts.models import EmailLink, User
from openward.verification.models import Membership


def link_in(message) -> str:
    return re.search(r"http://\S+/accounts/link/\S+/", message.body).group(0).split("testserver", 1)[-1]


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def sign_up(client, email="ada@example.org", postcode="N1 9QZ", **extra):
    data = {"email": email, "postcode": postcode, "relationship": "lives", "notifications": "on", **extra}
    return client.post("/accounts/sign-up/", data)


def test_sign_up_confirm_and_reach_level_1(client, places, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client)
    assert response.status_code == 302 and response["Location"] == "/accounts/check-your-email/"
    user = User.objects.get(email="ada@example.org")
    membership = Membership.objects.get(user=user)
    assert membership.ward == places.ward_a and membership.is_home and membership.postcode == "N19QZ"
    assert membership.level == 0  # nothing counts before the email is confirmed
    assert len(mail.outbox) == 1
    url = path_of(re.search(r"https?://\S+/accounts/link/\S+/", mail.outbox[0].body).group(0))
    assert client.get(url).status_code == 200  # a button, so mail scanners do not spend the link
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == "/verify/"
    user.refresh_from_db()
    assert user.email_confirmed_at is not None
    assert Membership.objects.get(user=user).level == 1
    assert user.consents.get(purpose="notifications").granted is True
    assert user.consents.get(purpose="research").granted is False
    page = client.get("/verify/")
    assert "Abbey" in page.content.decode() and 'data-level="1"' in page.content.decode()
    # The link works once.
    client.logout()
    response = client.post(url)
    assert response.status_code == 400 and "already been used" in response.content.decode()


def test_same_answer_whether_or_not_the_email_exists(client, places, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = sign_up(client)
        again = sign_up(client, email="Ada+news@example.org")
        unknown = client.post("/accounts/sign-in/", {"email": "nobody@example.org"})
        known = client.post("/accounts/sign-in/", {"email": "ada@example.org"})
    assert first["Location"] == again["Location"] == unknown["Location"] == known["Location"]
    assert User.objects.count() == 1  # +tag is the same person
    # The second sign-up and the known sign-in each sent the real owner an email; the unknown one none.
    assert [m.to for m in mail.outbox] == [["ada@example.org"]] * 3


def test_gmail_dots_and_tags_are_one_person(client, places, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client, email="ada.lovelace@gmail.com")
        sign_up(client, email="adalovelace+ward@googlemail.com")
    assert User.objects.count() == 1
    # The second spelling gets nothing: the original owner is sent another confirmation link.
    assert [m.to for m in mail.outbox] == [["ada.lovelace@gmail.com"]] * 2


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("email", "not-an-email", "correct format"),
        ("postcode", "HELLO", "is not a UK postcode"),
        ("postcode", "ZE1 9QZ", "is outside the wards we cover"),
        ("postcode", "N1 9XX", "is not in our lookup"),
    ],
)
def test_bad_sign_up_input_says_what_to_do_and_changes_nothing(client, places, field, value, message, db_snapshot):
    before = db_snapshot()
    response = sign_up(client, **{field: value})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert User.objects.count() == 0 and len(mail.outbox) == 0
    assert db_snapshot() == before


def test_tampered_and_expired_links_are_refused(client, places, django_capture_on_commit_callbacks):
    from django.utils import timezone

    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client)
    url = path_of(re.search(r"https?://\S+/accounts/link/\S+/", mail.outbox[0].body).group(0))
    tampered = url[:-3] + ("A" if url[-3] != "A" else "B") + url[-2:]
    response = client.post(tampered)
    assert response.status_code == 400 and "changed" in response.content.decode()
    EmailLink.objects.update(expires_at=timezone.now())
    response = client.post(url)
    assert response.status_code == 400 and "expired" in response.content.decode()
    assert User.objects.get().email_confirmed_at is None


def test_sign_up_is_rate_limited(client, places, settings, django_capture_on_commit_callbacks):
    settings.OPENWARD_RATE_LIMITS = {**settings.OPENWARD_RATE_LIMITS, "sign-up-client": (2, 3600)}
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(2):
            assert sign_up(client, email=f"p{i}@example.org").status_code == 302
        response = sign_up(client, email="p3@example.org")
    assert response.status_code == 400 and "Too many attempts" in response.content.decode()
    assert User.objects.count() == 2


def work_of(request, django_capture_on_commit_callbacks, monkeypatch) -> tuple[list[str], list[tuple]]:
    """The SQL a request ran (values blanked) and the tasks it queued (names and argument names)."""
    import re as re_

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from openward.accounts import tasks

    queued = []
    for name in ("complete_sign_up", "complete_sign_in", "send_email"):
        recorder = type("Recorder", (), {"enqueue": staticmethod(lambda n=name, **kw: queued.append((n, *kw)))})
        monkeypatch.setattr(tasks, name, recorder)
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
        response = request()
    assert response.status_code == 302
    shapes = [re_.sub(r"'[^']*'|\b\d+\b", "?", q["sql"]) for q in queries.captured_queries]
    return shapes, queued


@pytest.mark.parametrize("sign", ["up", "in"])
def test_the_request_does_the_same_work_whether_or_not_the_email_has_an_account(
    client, places, django_capture_on_commit_callbacks, monkeypatch, sign
):
    """Timing cannot tell them apart when the request runs the same queries and queues the same task."""
    from tests.personas import make_resident

    make_resident("known@example.org", places.ward_a)

    def ask(email):
        if sign == "up":
            return lambda: sign_up(client, email=email)
        return lambda: client.post("/accounts/sign-in/", {"email": email})

    work_of(ask("warm-up@example.org"), django_capture_on_commit_callbacks, monkeypatch)  # per-process caches
    known = work_of(ask("known@example.org"), django_capture_on_commit_callbacks, monkeypatch)
    unknown = work_of(ask("stranger@example.org"), django_capture_on_commit_callbacks, monkeypatch)
    assert known == unknown
    task = "complete_sign_up" if sign == "up" else "complete_sign_in"
    assert [q[0] for q in known[1]] == [task]
    assert not [q for q in known[0] if "accounts_user" in q]  # nobody looks the address up in the request
    assert User.objects.count() == 1


def test_the_queued_work_emails_either_kind_of_person(client, places, django_capture_on_commit_callbacks):
    from tests.personas import make_resident

    make_resident("known@example.org", places.ward_a)
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client, email="known@example.org")
        sign_up(client, email="new@example.org")
    assert [m.to for m in mail.outbox] == [["known@example.org"], ["new@example.org"]]
    assert mail.outbox[0].subject.startswith("You already have a") and "/accounts/link/" in mail.outbox[0].body
    assert "but you already have an account" in mail.outbox[0].body
    assert "To confirm it and sign in, open this link" in mail.outbox[1].body
    assert User.objects.filter(email="new@example.org").exists()
