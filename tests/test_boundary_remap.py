"""A new ward generation, imported through the real boundary importer, moves subscriptions and open
priorities to the ward that follows theirs, or flags them for a person to decide; nothing is dropped."""

import datetime as dt
import json

import pytest

from openward.areas.importers.boundaries import OnsWards
from openward.areas.models import WardGeneration
from openward.core.models import AuditEvent
from openward.notifications import services
from openward.notifications.models import Subscription
from openward.priorities.models import Priority
from tests.personas import make_places, make_resident, sign_in

pytestmark = pytest.mark.django_db


def _ring(lng0, lat0, width, height=0.01):
    return [[lng0, lat0], [lng0 + width, lat0], [lng0 + width, lat0 + height], [lng0, lat0 + height], [lng0, lat0]]


def _boundaries(tmp_path):
    """2026 wards: Abbey and Bridge merge into one ward; Common (0.00 to 0.01) splits down the middle."""
    wards = [
        ("E05000999", "Abbey and Bridge", "E09000901", _ring(-0.02, 51.5, 0.02)),
        ("E05000997", "Common West", "E09000902", _ring(0.0, 51.5, 0.005)),
        ("E05000998", "Common East", "E09000902", _ring(0.005, 51.5, 0.005)),
    ]
    features = [
        {
            "type": "Feature",
            "properties": {"WD26CD": code, "WD26NM": name, "LAD26CD": borough, "LAD26NM": "Borough"},
            "geometry": {"type": "Polygon", "coordinates": [ring]},
        }
        for code, name, borough, ring in wards
    ]
    path = tmp_path / "wards.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def _priority(ward, slot, statement):
    return Priority.objects.create(
        ward=ward,
        statement=statement,
        agreed_on=dt.date(2026, 1, 10),
        review_on=dt.date(2026, 7, 10),
        slot=slot,
        evidence="Residents' reports.",
    )


@pytest.fixture
def places():
    return make_places()


@pytest.fixture
def before(places):
    people = {
        "abbey": make_resident("abbey@example.org", places.ward_a),
        "both": make_resident("both@example.org", places.ward_a),
        "common": make_resident("common@example.org", places.ward_b),
    }
    for key, wards in (
        ("abbey", [places.ward_a]),
        ("both", [places.ward_a, places.ward_a2]),
        ("common", [places.ward_b]),
    ):
        subscriber = services.subscriber_for(people[key].email, people[key])
        for ward in wards:
            Subscription.objects.create(subscriber=subscriber, ward=ward)
    priorities = {
        "abbey": _priority(places.ward_a, 1, "Reduce phone snatching near the station"),
        "bridge": _priority(places.ward_a2, 1, "Stop speeding on the bridge"),
        "common": _priority(places.ward_b, 1, "Fewer burglaries on the estate"),
    }
    achieved = _priority(places.ward_b, None, "Lighting in the park")
    Priority.objects.filter(pk=achieved.pk).update(status=Priority.Status.ACHIEVED)
    return people, priorities, achieved


def _import(tmp_path, django_capture_on_commit_callbacks, slug="2026", valid_from=dt.date(2026, 5, 7), commit=True):
    WardGeneration.objects.create(slug=slug, name=f"{slug} wards", valid_from=valid_from)
    with django_capture_on_commit_callbacks(execute=True):
        OnsWards(_boundaries(tmp_path), generation=slug, commit=commit).run()


def test_subscriptions_follow_their_ward_or_are_flagged(places, before, tmp_path, django_capture_on_commit_callbacks):
    people, _, _ = before
    _import(tmp_path, django_capture_on_commit_callbacks)
    abbey = Subscription.objects.get(subscriber__email="abbey@example.org")
    assert (abbey.ward.gss_code, abbey.ward.generation.slug, abbey.remapped_from) == ("E05000999", "2026", "E05000901")
    assert not abbey.needs_review
    # Following Abbey and Bridge, both now one ward: one subscription remains, on it.
    both = Subscription.objects.filter(subscriber__email="both@example.org")
    assert [s.ward.gss_code for s in both] == ["E05000999"]
    # Common is split in half: no ward holds 90% of it, so the person chooses.
    common = Subscription.objects.get(subscriber__email="common@example.org")
    assert common.ward == places.ward_b and common.needs_review
    assert "Common West (50%)" in common.review_reason and "Common East (50%)" in common.review_reason
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"subscription.remapped", "subscription.merged", "subscription.flagged"} <= actions


def test_open_priorities_follow_their_ward_in_a_free_slot_or_are_flagged(
    places, before, tmp_path, django_capture_on_commit_callbacks
):
    _, priorities, achieved = before
    _import(tmp_path, django_capture_on_commit_callbacks)
    abbey, bridge, common = (Priority.objects.get(pk=priorities[k].pk) for k in ("abbey", "bridge", "common"))
    assert (abbey.ward.gss_code, abbey.slot, abbey.remapped_from) == ("E05000999", 1, "E05000901")
    assert (bridge.ward.gss_code, bridge.slot, bridge.remapped_from) == ("E05000999", 2, "E05000902")
    assert common.ward == places.ward_b and common.needs_review and "split between" in common.review_reason
    # A closed priority is the record of its ward: it stays where it was, unflagged.
    achieved.refresh_from_db()
    assert achieved.ward == places.ward_b and not achieved.needs_review
    assert Priority.objects.count() == 4


def test_a_dry_run_or_an_older_generation_moves_nothing(places, before, tmp_path, django_capture_on_commit_callbacks):
    _import(tmp_path, django_capture_on_commit_callbacks, commit=False)
    WardGeneration.objects.filter(slug="2026").delete()
    _import(tmp_path, django_capture_on_commit_callbacks, slug="2010", valid_from=dt.date(2010, 5, 6))
    WardGeneration.objects.filter(slug="2010").update(valid_to=dt.date(2014, 5, 1))
    assert set(Subscription.objects.values_list("ward__gss_code", flat=True)) == {"E05000901", "E05000902", "E05000903"}
    assert not Subscription.objects.filter(needs_review=True).exists()
    assert not Priority.objects.filter(needs_review=True).exists()


def test_the_person_sees_why_and_choosing_again_clears_it(
    client, places, before, tmp_path, django_capture_on_commit_callbacks
):
    people, _, _ = before
    _import(tmp_path, django_capture_on_commit_callbacks)
    sign_in(client, people["common"])
    page = client.get("/notifications/preferences/").content.decode()
    assert "Ward boundaries changed" in page and "Common West (50%)" in page
    api = client.get("/api/v1/notifications/preferences").json()
    assert api["review"] == [
        {"ward": "E05000903", "reason": Subscription.objects.get(ward=places.ward_b).review_reason}
    ]
    response = client.put(
        "/api/v1/notifications/preferences",
        data={"frequency": "immediate", "wards": ["E05000998"], "topics": [], "receiving": True},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    subscription = Subscription.objects.get(subscriber__email="common@example.org")
    assert subscription.ward.gss_code == "E05000998" and not subscription.needs_review
    assert client.get("/api/v1/notifications/preferences").json()["review"] == []


def test_a_flagged_priority_says_why_on_its_page_and_in_the_api(
    client, places, before, tmp_path, django_capture_on_commit_callbacks
):
    _, priorities, _ = before
    _import(tmp_path, django_capture_on_commit_callbacks)
    common, abbey = Priority.objects.get(pk=priorities["common"].pk), Priority.objects.get(pk=priorities["abbey"].pk)
    page = client.get(f"/priorities/{common.pk}/").content.decode()
    assert "To be agreed again." in page and "Common West (50%)" in page
    api = client.get(f"/api/v1/priorities/{common.pk}").json()
    assert (api["needs_review"], api["review_reason"]) == (True, common.review_reason)
    moved = client.get(f"/api/v1/priorities/{abbey.pk}").json()
    assert (moved["ward"], moved["remapped_from"], moved["needs_review"]) == ("E05000999", "E05000901", False)
    assert "which became Abbey and Bridge" in client.get(f"/priorities/{abbey.pk}/").content.decode()


def test_a_priority_finding_its_new_ward_full_stays_and_is_flagged(
    places, before, tmp_path, django_capture_on_commit_callbacks
):
    """Four open priorities on Abbey and Bridge, which merge: three fill the new ward, the last (by id) is flagged."""
    _, priorities, _ = before
    extra = [_priority(places.ward_a, 2, "Safer night bus stops"), _priority(places.ward_a, 3, "Less dealing")]
    _import(tmp_path, django_capture_on_commit_callbacks)
    merged = Priority.objects.open().filter(ward__gss_code="E05000999")
    assert sorted(merged.values_list("slot", flat=True)) == [1, 2, 3]
    assert {p.pk for p in merged} == {priorities["abbey"].pk, priorities["bridge"].pk, extra[0].pk}
    last = Priority.objects.get(pk=extra[1].pk)
    assert (last.ward, last.slot, last.needs_review) == (places.ward_a, 3, True)
    assert last.review_reason == "Ward boundaries changed: Abbey and Bridge already has its open priorities"
    flagged = AuditEvent.objects.filter(action="priority.flagged")
    assert flagged.count() == 2  # this one and Common's, split in two


def test_remapping_subscriptions_costs_the_same_queries_for_three_people_or_thirty(
    places, before, tmp_path, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _import(tmp_path, django_capture_on_commit_callbacks)
    generation = WardGeneration.objects.get(slug="2026")

    def remap_newcomers(n: int, first: int) -> tuple[int, dict]:
        # Each follows Abbey and Bridge (moved, then merged into the same new ward) and Common (flagged).
        for i in range(first, first + n):
            subscriber = services.subscriber_for(f"newcomer{i}@example.org")
            for ward in (places.ward_a, places.ward_a2, places.ward_b):
                Subscription.objects.create(subscriber=subscriber, ward=ward)
        with CaptureQueriesContext(connection) as queries:
            counts = services.remap_subscriptions(generation)
        return len(queries), counts

    few, few_counts = remap_newcomers(3, 0)
    many, many_counts = remap_newcomers(30, 3)
    # "common" from `before` is still flagged, so it is counted each time (and written once).
    assert few_counts == {"moved": 3, "merged": 3, "flagged": 3 + 1}
    assert many_counts == {"moved": 30, "merged": 30, "flagged": 30 + 3 + 1}
    assert many == few
    newcomers = Subscription.objects.filter(subscriber__email__startswith="newcomer")
    assert sorted(set(newcomers.values_list("ward__gss_code", flat=True))) == ["E05000903", "E05000999"]
    assert newcomers.filter(ward__gss_code="E05000999").count() == 33
    assert newcomers.filter(ward__gss_code="E05000903", needs_review=True).count() == 33
