"""The weekly digest's engagement items: the week's bulletins and new events aimed at a subscriber's wards,
whether aimed at the ward itself, a cluster holding it or its borough, and nothing from elsewhere."""

from datetime import timedelta

import pytest
from django.utils import timezone

from openward.areas.models import Borough, Cluster, Ward
from openward.engagement import notices
from openward.engagement.models import Bulletin
from openward.notifications import services
from openward.notifications.models import Notice

pytestmark = pytest.mark.django_db


def bulletin(title, published_at=None, **places):
    b = Bulletin.objects.create(
        title=title, body_html="<p>x</p>", status=Bulletin.Status.PUBLISHED, published_at=published_at or timezone.now()
    )
    for name, items in places.items():
        getattr(b, name).set(items)
    return b


def test_the_digest_holds_what_is_aimed_at_the_ward_its_clusters_and_borough_only(
    ward, other_ward, cluster, borough, resident, make_event
):
    elsewhere = Borough.objects.create(gss_code="E09000002", name="Barking", slug="barking")
    far_ward = Ward.objects.create(gss_code="E05000026", name="Abbey", slug="abbey", borough=elsewhere)
    other_cluster = Cluster.objects.create(slug="south-cluster", name="South cluster", borough=borough)
    other_cluster.wards.set([other_ward])
    services.subscribe(resident, ward, frequency="weekly")
    subscriber = services.subscriber_for(resident.email)

    bulletin("To the ward", wards=[ward])
    bulletin("To its cluster", clusters=[cluster])
    bulletin("To its borough", boroughs=[borough])
    bulletin("To the ward twice over", wards=[ward], clusters=[cluster], boroughs=[borough])
    bulletin("To the next ward", wards=[other_ward])
    bulletin("To another cluster", clusters=[other_cluster])
    bulletin("To another borough", wards=[far_ward], boroughs=[elsewhere])
    bulletin("Last month", published_at=timezone.now() - timedelta(days=30), wards=[ward])

    make_event(title="At the ward")
    make_event(title="At its cluster", ward=None, cluster=cluster)
    make_event(title="At its borough", ward=None, borough=borough)
    make_event(title="At the next ward", ward=other_ward)
    make_event(title="At another cluster", ward=None, cluster=other_cluster)
    make_event(title="At another borough", ward=None, borough=elsewhere)
    make_event(title="Already held", starts_at=timezone.now() - timedelta(days=1))

    notice = Notice.objects.create(kind=Notice.Kind.DIGEST, key="digest:test", subject="Your week")
    items = notices.digest_items(subscriber, notice)

    assert sorted(b.title for b, _ in items["bulletins"]) == [
        "To its borough",
        "To its cluster",
        "To the ward",
        "To the ward twice over",
    ]
    assert sorted(e.title for e, _ in items["events"]) == ["At its borough", "At its cluster", "At the ward"]
    # The same as asking each item which wards it covers (what the digest did one query per item).
    assert {b.title for b, _ in items["bulletins"]} == {
        b.title
        for b in Bulletin.objects.published().filter(published_at__gte=notice.created_at - timedelta(days=7))
        if b.covered_wards().filter(pk=ward.pk).exists()
    }
    assert all(url.startswith("http") for _, url in items["bulletins"] + items["events"])


def test_no_items_in_the_week_is_none(ward, resident):
    services.subscribe(resident, ward, frequency="weekly")
    notice = Notice.objects.create(kind=Notice.Kind.DIGEST, key="digest:empty", subject="Your week")
    assert notices.digest_items(services.subscriber_for(resident.email), notice) is None
