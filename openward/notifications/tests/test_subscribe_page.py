"""The subscribe page: no error on first load; people not signed in are told why they must sign in and
come back after; preferences list the person's own wards as checkboxes."""

import re

import pytest
from django.core import mail

from openward.notifications.models import Subscription
from tests.personas import make_places, make_resident, sign_in

pytestmark = pytest.mark.django_db


def test_first_load_shows_the_form_without_an_error_and_subscribing_works(client):
    places = make_places()
    person = make_resident("ann@example.org", places.ward_a)
    sign_in(client, person)
    page = client.get(f"/notifications/subscribe/?ward={places.ward_a.gss_code}")
    html = page.content.decode()
    assert page.status_code == 200 and "There is a problem" not in html and "error-message" not in html
    assert "<legend" in html and "How often" in html
    response = client.post("/notifications/subscribe/", {"ward": places.ward_a.gss_code, "frequency": "weekly"})
    assert response.status_code == 302
    assert Subscription.objects.get(subscriber__email="ann@example.org").ward == places.ward_a


def test_not_signed_in_explains_and_the_emailed_link_comes_back_to_the_page(client, django_capture_on_commit_callbacks):
    places = make_places()
    make_resident("bea@example.org", places.ward_a)
    here = f"/notifications/subscribe/?ward={places.ward_a.gss_code}"
    page = client.get(here).content.decode()
    assert "Sign in first, so we send notices only to an address that is really yours" in page
    sign_in_link = re.search(r'href="(/accounts/sign-in/\?next=[^"]+)"', page).group(1)
    client.get(sign_in_link.replace("&amp;", "&"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/sign-in/", {"email": "bea@example.org"})
    link = re.search(r"https?://[^/\s]+(/accounts/link/\S+/)", mail.outbox[-1].body).group(1)
    response = client.post(link)
    assert response.status_code == 302 and response["Location"] == here


def test_a_next_that_leaves_the_site_is_ignored(client, django_capture_on_commit_callbacks):
    places = make_places()
    make_resident("cat@example.org", places.ward_a)
    client.get("/accounts/sign-in/?next=https://evil.example/")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/sign-in/", {"email": "cat@example.org"})
    link = re.search(r"https?://[^/\s]+(/accounts/link/\S+/)", mail.outbox[-1].body).group(1)
    assert client.post(link)["Location"] == "/verify/"


def test_preferences_offer_the_persons_own_wards_as_checkboxes_not_all_of_london(client):
    places = make_places()
    person = make_resident("dan@example.org", places.ward_a)
    sign_in(client, person)
    html = client.get("/notifications/preferences/").content.decode()
    assert "<select" not in html
    assert re.findall(r'name="wards" value="(\d+)"', html) == [str(places.ward_a.pk)]


def test_preferences_cost_the_same_queries_with_one_ward_to_review_or_three(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from openward.engagement.models import Topic
    from openward.notifications import services

    places = make_places()
    person = make_resident("eve@example.org", places.ward_a)
    sign_in(client, person)
    fraud = Topic.objects.get_or_create(slug="fraud", defaults={"name": "Fraud"})[0]

    def page_after_flagging(wards) -> tuple[int, str]:
        services.subscribe(person, *wards, topics=[fraud])
        Subscription.objects.update(needs_review=True, review_reason="Ward boundaries changed")
        with CaptureQueriesContext(connection) as queries:
            html = client.get("/notifications/preferences/").content.decode()
        return len(queries), html

    one, html = page_after_flagging([places.ward_a])
    assert html.count("Choose your new ward.") == 1
    three, html = page_after_flagging([places.ward_a2, places.ward_b])
    assert html.count("Choose your new ward.") == 3
    assert three == one
    for ward in (places.ward_a, places.ward_a2, places.ward_b):
        assert f"You follow {ward.name} ({ward.gss_code})" in html


def test_the_topics_offered_are_those_of_the_wards_panels_not_a_monitoring_groups_or_other_wards(client):
    """A resident chooses among the standard panel topics and those their own ward's (or cluster's) panel
    added: not a stop-and-search monitoring group's headings, nor topics other panels added."""
    from openward.areas.models import Cluster
    from openward.engagement.models import Topic

    places = make_places()
    own = Topic.objects.create(slug="moped-thefts", name="Moped thefts", added_for_ward=places.ward_a)
    cluster = Cluster.objects.create(name="North cluster", slug="north", borough=places.ward_a.borough)
    cluster.wards.add(places.ward_a)
    of_cluster = Topic.objects.create(slug="canal-path", name="Canal path", added_for_cluster=cluster)
    Topic.objects.create(slug="school-gates", name="School gates", added_for_ward=places.ward_b)
    person = make_resident("fay@example.org", places.ward_a)
    sign_in(client, person)

    html = client.get(f"/notifications/subscribe/?ward={places.ward_a.gss_code}").content.decode()
    offered = set(re.findall(r'name="topics" value="(\d+)"', html))
    expected = {
        str(pk)
        for pk in Topic.objects.filter(is_standard=True, meetings__in=["panels", "all"]).values_list("pk", flat=True)
    } | {str(own.pk), str(of_cluster.pk)}
    assert offered == expected
    assert "Body-worn video" not in html and "School gates" not in html and "Moped thefts" in html

    monitoring = Topic.objects.get(slug="body-worn-video")
    refused = client.post(
        "/notifications/subscribe/",
        {"ward": places.ward_a.gss_code, "frequency": "weekly", "topics": [monitoring.pk]},
    )
    assert refused.status_code == 200 and "Select a valid choice" in refused.content.decode()
    assert not Subscription.objects.exists()

    api = client.put(
        "/api/v1/notifications/preferences",
        {"frequency": "weekly", "wards": [places.ward_a.gss_code], "topics": ["school-gates", "moped-thefts"]},
        content_type="application/json",
    )
    assert api.status_code == 400 and "school-gates" in api.json()["detail"]
    api = client.put(
        "/api/v1/notifications/preferences",
        {"frequency": "weekly", "wards": [places.ward_a.gss_code], "topics": ["canal-path", "moped-thefts"]},
        content_type="application/json",
    )
    assert api.status_code == 200 and api.json()["topics"] == ["canal-path", "moped-thefts"]
    prefs = client.get("/notifications/preferences/").content.decode()
    assert set(re.findall(r'name="topics" value="(\d+)"', prefs)) == expected
