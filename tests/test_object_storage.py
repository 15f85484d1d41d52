"""Uploads in object storage (OPENWARD_STORAGE_URL=s3://…): a real S3-compatible server on loopback (moto's),
reached through django-storages and boto3 as in production. Commitment evidence and bulletin images are
uploaded through the pages, land in the bucket (read back with boto3, not through the code under test), are
served only through their views, and a file whose row is not written leaves nothing in the bucket."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import uuid

import boto3
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse
from moto.server import ThreadedMotoServer
from PIL import Image

from openward.accounts.erasure import erase_account
from openward.accounts.models import Role
from openward.commitments import services as commitments
from openward.commitments.models import Commitment, Evidence, Status
from openward.engagement.models import Bulletin, Topic
from openward.settings.base import uploads_storage
from tests.personas import make_commitment, make_places, make_staff, sign_in
from tests.support import free_port

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
REGION = "eu-west-2"


@pytest.fixture(scope="module")
def s3_server():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_server, settings, monkeypatch, tmp_path):
    """A new private bucket on the loopback server; uploads go there (OPENWARD_STORAGE_URL's way) and
    MEDIA_ROOT is an empty folder, so a file written to the file system instead would show."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "openward-test",
        "AWS_SECRET_ACCESS_KEY": "openward-test-secret",
        "AWS_CONFIG_FILE": str(tmp_path / "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-aws-credentials"),
        "NO_PROXY": "127.0.0.1",
    }.items():
        monkeypatch.setenv(name, value)
    name = f"openward-{uuid.uuid4().hex[:12]}"
    s3 = boto3.client("s3", endpoint_url=s3_server, region_name=REGION)
    s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        "default": uploads_storage(f"s3://{name}/uploads?endpoint_url={s3_server}&region={REGION}"),
        "staticfiles": settings.STORAGES["staticfiles"],
    }

    def objects() -> dict[str, bytes]:
        listed = s3.list_objects_v2(Bucket=name).get("Contents", [])
        return {o["Key"]: s3.get_object(Bucket=name, Key=o["Key"])["Body"].read() for o in listed}

    s3.objects = objects
    s3.name = name
    yield s3
    assert not settings.MEDIA_ROOT.exists(), "an upload was written to the file system, not the bucket"


def test_the_storage_url_is_read_into_storages():
    assert uploads_storage("") == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert uploads_storage("s3://evidence/openward?endpoint_url=https://s3.example.org&region=eu-west-2") == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": "evidence",
            "location": "openward",
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
            "endpoint_url": "https://s3.example.org",
            "region_name": "eu-west-2",
        },
    }
    for wrong, says in [
        ("https://evidence.example.org", "is not understood"),
        ("s3://evidence?region=eu-west-2&acl=public-read", "unknown option acl"),
        ("s3:///no-bucket", "is not understood"),
    ]:
        with pytest.raises(ImproperlyConfigured, match=says):
            uploads_storage(wrong)


@pytest.fixture
def places(db):
    return make_places()


@pytest.fixture
def lead(places):
    return make_staff(Role.BOROUGH_LEAD, places.borough_a, email="lead@example.org")


@pytest.fixture
def commitment(places, lead):
    return make_commitment(
        lead, places.borough_a, Commitment.Measure.EVIDENCE, text="Every ward will have a named PCSO.", owner="BCU"
    )


def review(client, commitment, upload):
    url = f"/commitments/boroughs/{commitment.borough.gss_code}/{commitment.pk}/review/"
    form = {
        "reviewed_on": "2026-11-01",
        "status": Status.NOT_ON_TRACK,
        "reason": "Two of the eight wards have no named PCSO.",
        "evidence_source": "Northbury BCU staffing list, October 2026",
        "evidence_file": upload,
    }
    return client.post(url, form)


def test_evidence_lands_in_the_bucket_and_is_served_only_by_its_view(client, bucket, commitment, lead):
    sign_in(client, lead)
    response = review(client, commitment, SimpleUploadedFile("Staffing October.pdf", PDF))
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert bucket.objects() == {f"uploads/{evidence.file.name}": PDF}
    assert evidence.file.name.startswith("commitments/evidence/") and "Staffing" not in evidence.file.name
    # The object has no grant of its own to anyone but the bucket's owner: not public.
    acl = bucket.get_object_acl(Bucket=bucket.name, Key=f"uploads/{evidence.file.name}")
    assert [g["Grantee"].get("URI") for g in acl["Grants"] if g["Grantee"].get("URI")] == []
    anyone = Client()
    page = anyone.get(f"/commitments/{commitment.pk}/").content.decode()
    assert f'href="/commitments/evidence/{evidence.pk}/"' in page and bucket.name not in page
    served = anyone.get(f"/commitments/evidence/{evidence.pk}/")
    body = b"".join(served.streaming_content)
    assert served.status_code == 200 and body == PDF and hashlib.sha256(body).hexdigest() == evidence.sha256
    assert served["Content-Type"] == "application/pdf" and served["Content-Disposition"].startswith("attachment")


def test_a_refused_file_leaves_nothing_in_the_bucket(client, bucket, commitment, lead):
    sign_in(client, lead)
    refused = review(client, commitment, SimpleUploadedFile("minutes.pdf", b"<html><script>x</script></html>"))
    assert refused.status_code == 400 and bucket.objects() == {}


def test_a_review_whose_row_is_not_written_deletes_its_object(bucket, commitment, lead, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise IntegrityError("the row could not be written")

    monkeypatch.setattr(Evidence, "save", refuse)
    with pytest.raises(IntegrityError):
        commitments.review_commitment(
            lead,
            commitment,
            reviewed_on=dt.date(2026, 11, 1),
            status=Status.ON_TRACK,
            reason="All wards staffed.",
            evidence_source="Rota",
            evidence_file=SimpleUploadedFile("rota.pdf", PDF),
        )
    assert bucket.objects() == {}


def test_erasing_the_uploader_keeps_the_public_evidence_under_a_plain_name(client, bucket, commitment, lead):
    """Evidence is public evidence of a public review: erasure takes the person off it and replaces the name
    it was uploaded with (which could name someone); the object stays, and is served as before."""
    sign_in(client, lead)
    review(client, commitment, SimpleUploadedFile("Jo Bloggs rota.pdf", PDF))
    evidence = Evidence.objects.get()
    erase_account(lead)
    evidence.refresh_from_db()
    assert evidence.uploaded_by is None and evidence.file_name == f"evidence-{evidence.pk}.pdf"
    assert bucket.objects() == {f"uploads/{evidence.file.name}": PDF}
    served = Client().get(f"/commitments/evidence/{evidence.pk}/")
    assert b"".join(served.streaming_content) == PDF and "Jo Bloggs" not in served["Content-Disposition"]


def test_a_bulletin_image_lands_in_the_bucket_and_is_served_by_its_view(
    client, bucket, places, django_capture_on_commit_callbacks
):
    officer = make_staff(Role.OFFICER, places.ward_a)
    out = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 10, 10)).save(out, format="PNG")
    png = out.getvalue()
    sign_in(client, officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("engagement:bulletin-new"),
            {
                "title": "Bike marking this Saturday",
                "kind": "prevention",
                "summary": "Free bike marking.",
                "body_markdown": "Bring your *bike*.",
                "wards": [places.ward_a.pk],
                "topics": [Topic.objects.get(slug="cycle-safety").pk],
                "image": SimpleUploadedFile("bike.png", png, content_type="image/png"),
                "image_alt": "A red bicycle frame being marked",
            },
        )
    assert response.status_code == 302
    image = Bulletin.objects.get().images.get()
    assert bucket.objects() == {f"uploads/{image.image.name}": png}
    served = Client().get(image.get_absolute_url())
    assert served["Content-Type"] == "image/png" and b"".join(served.streaming_content) == png
