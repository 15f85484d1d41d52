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


# ---- Each test starts apart from the ones before it (conftest.py, tests/support.py) ----


def standard_rows() -> tuple[int, int]:
    from openward.engagement.models import Topic
    from openward.priorities.models import Concern

    return Topic.objects.filter(is_standard=True).count(), Concern.objects.count()


@pytest.mark.django_db
def test_missing_data_migration_rows_are_put_back_as_the_migrations_load_them():
    from openward.engagement.models import Topic
    from openward.engagement.vocabulary import STANDARD_TOPICS
    from openward.priorities.models import Concern
    from openward.priorities.vocabulary import CONCERNS
    from tests.support import restore_data_migration_rows

    assert standard_rows() == (len(STANDARD_TOPICS), len(CONCERNS)) == (16, len(CONCERNS))  # 8 + 7 + "Other"
    Topic.objects.filter(slug__in=["fraud", "use-of-force"]).delete()
    Concern.objects.all().delete()
    restore_data_migration_rows()
    assert standard_rows() == (len(STANDARD_TOPICS), len(CONCERNS))
    assert Topic.objects.get(slug="fraud").name == "Fraud"
    assert Topic.objects.filter(slug="use-of-force").values_list("name", "meetings").get() == (
        "Use of force",
        "monitoring",
    )
    # A standard topic offered to the wrong meetings is put back too.
    Topic.objects.filter(slug="other").update(meetings="panels")
    restore_data_migration_rows()
    assert Topic.objects.get(slug="other").meetings == "all"


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_ends_by_emptying_every_table():
    from openward.engagement.models import Topic

    assert Topic.objects.exists()
    Topic.objects.all().delete()  # and pytest-django flushes every table when it ends


@pytest.mark.django_db(transaction=True)
def test_the_test_after_a_flush_still_finds_the_data_migrations_rows():
    """Runs after the transactional test above (pytest-django keeps transactional tests in file order)."""
    from openward.engagement.vocabulary import STANDARD_TOPICS
    from openward.priorities.vocabulary import CONCERNS

    assert standard_rows() == (len(STANDARD_TOPICS), len(CONCERNS))


@pytest.mark.django_db
def test_process_caches_are_forgotten_between_tests_and_when_a_setting_changes(settings):
    from openward.areas import geo, selectors
    from openward.core import pagecache
    from tests.personas import make_places
    from tests.support import forget_process_caches

    assert geo._indexes == {} and selectors._generations == {}, "an earlier test's indexes are still here"
    places = make_places()
    assert selectors.locate_neighbourhood(51.505, -0.015) is None  # in ward A, which has no team
    assert list(geo.locate_ward_ids([51.505], [-0.015])) == [places.ward_a.pk]
    assert geo._indexes and selectors._generations
    forget_process_caches()
    assert geo._indexes == {} and selectors._generations == {}
    # A page cached under one setting is not served under another: a setting change starts a new version.
    before = pagecache.current_version()
    settings.OPENWARD_TILE_URL = "http://127.0.0.1:9/{z}/{x}/{y}.png"
    assert pagecache.current_version() != before
