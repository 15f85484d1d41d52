"""Bulletins: sanitised rich text (unsafe HTML refused with a clear message), images, public archive and feeds."""

import io
import xml.etree.ElementTree as ET

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from openward.engagement import html
from openward.engagement.models import Bulletin, Topic
from openward.engagement.services import bulletins as bulletins_services
from openward.notifications import services as notifications
from openward.notifications.models import Delivery, Notice
from tests.personas import sign_in

pytestmark = pytest.mark.django_db


def png_bytes():
    buf = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 10, 10)).save(buf, format="PNG")
    return buf.getvalue()


@pytest.mark.parametrize(
    "body,problem",
    [
        ("<p>Hi</p><script>alert(1)</script>", "<script>"),
        ('<p onclick="steal()">Hi</p>', '"onclick"'),
        ('<a href="javascript:alert(1)">x</a>', '"javascript:" link'),
        ('<img src="x" onerror="alert(1)">', "<img>"),
        ("<iframe src='https://evil.example'></iframe>", "<iframe>"),
    ],
)
def test_unsafe_html_is_refused_and_nothing_is_sent(
    ward, officer, resident, body, problem, django_capture_on_commit_callbacks
):
    notifications.subscribe(resident, ward)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(ValidationError) as excinfo:
            bulletins_services.publish_bulletin(
                officer, bulletins_services.BulletinFields(title="Appeal", body_html=body, wards=[ward])
            )
    assert problem in excinfo.value.messages[0] and "Remove them" in excinfo.value.messages[0]
    assert not Bulletin.objects.exists() and not Notice.objects.exists() and not mail.outbox


def test_html_typed_in_the_editor_is_shown_as_text_never_run(ward, officer, client):
    sign_in(client, officer)
    response = client.post(
        reverse("engagement:bulletin-new"),
        {"title": "Appeal", "kind": "appeal", "body_markdown": "Hello <script>x()</script>", "wards": [ward.pk]},
    )
    assert response.status_code == 302
    bulletin = Bulletin.objects.get()
    assert bulletin.body_html == "<p>Hello &lt;script&gt;x()&lt;/script&gt;</p>\n"
    assert "<script>x()" not in client.get(bulletin.get_absolute_url()).content.decode()


def test_markdown_keeps_paragraphs_and_line_breaks_and_links_web_addresses():
    text = "First paragraph\nsecond line, see www.met.police.uk\n\nSecond paragraph with **bold**.\n\n- one\n- two"
    assert html.render_markdown(text) == (
        "<p>First paragraph<br>\nsecond line, see "
        '<a href="http://www.met.police.uk" rel="noopener noreferrer nofollow">www.met.police.uk</a></p>\n'
        "<p>Second paragraph with <strong>bold</strong>.</p>\n"
        "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n"
    )
    # A javascript: link is not made a link at all.
    assert html.render_markdown("[x](javascript:alert(1))") == "<p>[x](javascript:alert(1))</p>\n"


def test_safe_html_is_kept_and_cleaned_on_storage():
    body = '<h2>Advice</h2><p>Lock <strong>bikes</strong>, see <a href="https://met.police.uk">the Met</a>.</p>'
    assert html.unsafe_parts(body) == []
    cleaned = html.clean(body)
    assert "<strong>bikes</strong>" in cleaned and 'rel="noopener noreferrer nofollow"' in cleaned


def test_officer_publishes_with_image_resident_reads_archive_and_feeds(
    ward, other_ward, officer, resident, client, django_capture_on_commit_callbacks
):
    notifications.subscribe(resident, ward)
    sign_in(client, officer)
    upload = SimpleUploadedFile("bike.png", png_bytes(), content_type="image/png")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("engagement:bulletin-new"),
            {
                "title": "Bike marking this Saturday",
                "kind": "prevention",
                "summary": "Free bike marking.",
                "body_markdown": "Bring your *bike*.",
                "wards": [ward.pk],
                "topics": [Topic.objects.get(slug="cycle-safety").pk],
                "image": upload,
                "image_alt": "A red bicycle frame being marked",
            },
        )
    bulletin = Bulletin.objects.get()
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [resident.email]
    assert "Bring your bike." in mail.outbox[0].body
    client.logout()
    page = client.get(bulletin.get_absolute_url()).content.decode()
    image = bulletin.images.get()
    assert 'alt="A red bicycle frame being marked"' in page and image.get_absolute_url() in page
    served = client.get(image.get_absolute_url())
    assert served["Content-Type"] == "image/png" and b"".join(served.streaming_content) == png_bytes()
    rss = ET.fromstring(client.get(reverse("engagement:bulletins-rss")).content)
    assert [i.findtext("title") for i in rss.iter("item")] == ["Bike marking this Saturday"]
    atom = ET.fromstring(client.get(reverse("engagement:ward-bulletins-atom", args=[ward.gss_code])).content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert [e.findtext("a:title", namespaces=ns) for e in atom.findall("a:entry", ns)] == ["Bike marking this Saturday"]
    other = ET.fromstring(client.get(reverse("engagement:ward-bulletins-rss", args=[other_ward.gss_code])).content)
    assert list(other.iter("item")) == []


def test_an_image_that_is_not_an_image_is_refused(ward, officer):
    fake = SimpleUploadedFile("evil.png", b"<svg onload=alert(1)>", content_type="image/png")
    with pytest.raises(ValidationError, match="not an image we can read"):
        bulletins_services.publish_bulletin(
            officer,
            bulletins_services.BulletinFields(title="x", body_html="<p>x</p>", wards=[ward]),
            images=[(fake, "x")],
        )
    assert not Bulletin.objects.exists()


def test_bulletin_targets_topics_and_cluster(
    ward, other_ward, cluster, officer, residents, django_capture_on_commit_callbacks
):
    a, b, c = residents[:3]
    notifications.subscribe(a, ward)  # everything for the ward
    notifications.subscribe(b, other_ward, topics=[Topic.objects.get(slug="fraud")])
    notifications.subscribe(c, other_ward, topics=[Topic.objects.get(slug="drugs")])
    with django_capture_on_commit_callbacks(execute=True):
        bulletins_services.publish_bulletin(
            officer,
            bulletins_services.BulletinFields(
                title="Courier fraud warning",
                body_html="<p>Beware</p>",
                clusters=[cluster],
                topics=[Topic.objects.get(slug="fraud")],
            ),
        )
    assert sorted(m.to[0] for m in mail.outbox) == sorted([a.email, b.email])
    assert Delivery.objects.filter(status="sent").count() == 2


def test_only_team_roles_may_publish(ward, panel_chair, resident, client, db_snapshot):
    notifications.subscribe(resident, ward)
    sign_in(client, panel_chair)
    before = db_snapshot()
    assert client.get(reverse("engagement:bulletin-new")).status_code == 403
    r = client.post(
        "/api/v1/engagement/bulletins",
        {"title": "x", "body_html": "<p>x</p>", "wards": [ward.gss_code]},
        content_type="application/json",
    )
    assert r.status_code == 403 and r.json()["detail"]
    assert db_snapshot() == before and not mail.outbox, "no bulletin, notice or email"


def test_api_publishes_and_refuses_unsafe_html(ward, other_ward, borough, officer, client):
    sign_in(client, officer)
    bad = client.post(
        "/api/v1/engagement/bulletins",
        {"title": "x", "body_html": "<script>x</script>", "wards": [ward.gss_code]},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "<script>" in bad.json()["detail"]
    elsewhere = client.post(
        "/api/v1/engagement/bulletins",
        {"title": "x", "body_html": "<p>x</p>", "boroughs": [borough.slug]},
        content_type="application/json",
    )
    assert elsewhere.status_code == 403
    ok = client.post(
        "/api/v1/engagement/bulletins",
        {"title": "Appeal", "kind": "appeal", "body_html": "<p>Seen this?</p>", "wards": [ward.gss_code]},
        content_type="application/json",
    )
    assert ok.status_code == 201 and ok.json()["places"] == ["Aldersgate"]
    assert [b["title"] for b in client.get(f"/api/v1/engagement/bulletins?ward={ward.gss_code}").json()] == ["Appeal"]


def test_publishing_and_correcting_check_the_same_fields_through_the_service_the_form_and_the_api(
    ward, officer, client, db_snapshot
):
    """A bulletin is written through the editor, the API or the service, and published or corrected: each way
    checks the same fields, so none stores what another refuses (a blank title, a summary over 300
    characters, which PostgreSQL would refuse with a server error)."""
    sign_in(client, officer)
    long_summary = "x" * 301
    before = db_snapshot()
    with pytest.raises(ValidationError) as blank:
        bulletins_services.publish_bulletin(
            officer, bulletins_services.BulletinFields(title="   ", body_markdown="x", wards=[ward])
        )
    assert blank.value.messages == ["Give the bulletin a title."]
    with pytest.raises(ValidationError) as too_long:
        bulletins_services.publish_bulletin(
            officer, bulletins_services.BulletinFields(title="Appeal", summary=long_summary, body_markdown="x")
        )
    assert too_long.value.messages == ["Ensure this value has at most 300 characters (it has 301)."]
    api = client.post(
        "/api/v1/engagement/bulletins",
        {"title": "Appeal", "summary": long_summary, "body_markdown": "x", "wards": [ward.gss_code]},
        content_type="application/json",
    )
    assert api.status_code == 422
    assert api.json()["detail"][0]["loc"] == ["body", "payload", "summary"]
    page = client.post(
        reverse("engagement:bulletin-new"),
        {"title": "Appeal", "kind": "news", "summary": long_summary, "body_markdown": "x", "wards": [ward.pk]},
    )
    assert page.status_code == 200 and "Ensure this value has at most 300 characters" in page.content.decode()
    assert db_snapshot() == before

    bulletin = bulletins_services.publish_bulletin(
        officer, bulletins_services.BulletinFields(title="Appeal", body_markdown="x", wards=[ward]), notify=False
    )
    with pytest.raises(ValidationError) as blank:
        bulletins_services.revise_bulletin(
            officer, bulletin, bulletins_services.BulletinFields(title="", body_markdown="y", wards=[ward])
        )
    assert blank.value.messages == ["Give the bulletin a title."]
    kept = bulletins_services.bulletin_fields(Bulletin.objects.get())
    assert (kept.title, kept.body_markdown, list(kept.wards)) == ("Appeal", "x", [ward])


def test_an_officer_tags_a_bulletin_with_the_topics_of_their_places_and_unknown_ones_are_refused(
    ward, other_ward, borough, officer, client
):
    """The topics offered are those residents of the officer's places can follow: the standard panel topics and
    their panels' own, not a monitoring group's headings or another borough's panel topics. The API refuses a
    slug it does not know instead of dropping it."""
    import re

    from openward.areas.models import Borough, Ward

    elsewhere = Ward.objects.create(
        gss_code="E05000001",
        name="Far ward",
        slug="far",
        borough=Borough.objects.create(gss_code="E09000002", name="Far", slug="far"),
    )
    own = Topic.objects.create(slug="moped-thefts", name="Moped thefts", added_for_ward=ward)
    Topic.objects.create(slug="school-gates", name="School gates", added_for_ward=elsewhere)
    sign_in(client, officer)
    html_text = client.get(reverse("engagement:bulletin-new")).content.decode()
    offered = {int(pk) for pk in re.findall(r'name="topics" value="(\d+)"', html_text)}
    standard = set(Topic.objects.filter(is_standard=True, meetings__in=["panels", "all"]).values_list("pk", flat=True))
    assert offered == standard | {own.pk}
    assert "Body-worn video" not in html_text and "School gates" not in html_text

    refused = client.post(
        "/api/v1/engagement/bulletins",
        {"title": "x", "body_html": "<p>x</p>", "wards": [ward.gss_code], "topics": ["fraud", "no-such-topic"]},
        content_type="application/json",
    )
    assert refused.status_code == 400 and "no-such-topic" in refused.json()["detail"]
    assert not Bulletin.objects.exists()
