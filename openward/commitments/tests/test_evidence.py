"""A review can carry its evidence as a file, with its source: a PDF, CSV or image, checked by what is in
it, at most 10 MB, stored through Django's storage and served only by the evidence view (public, as the
review is); anything refused changes nothing and leaves no file behind."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from openward.accounts.models import Role
from openward.commitments.models import Commitment, Evidence, Review, Status
from tests.personas import make_commitment, make_places, make_staff, sign_in

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def places():
    return make_places()


@pytest.fixture
def lead(places):
    return make_staff(Role.BOROUGH_LEAD, places.borough_a, email="lead@example.org")


@pytest.fixture
def commitment(places, lead):
    return make_commitment(
        lead,
        places.borough_a,
        Commitment.Measure.EVIDENCE,
        text="Every ward will have a named PCSO.",
        owner="Northbury BCU",
    )


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(out, format="PNG")
    return out.getvalue()


def stored_files(root) -> list:
    return sorted(p for p in root.rglob("*") if p.is_file())


def review_form(commitment, upload, **extra):
    return {
        "reviewed_on": "2026-11-01",
        "status": Status.NOT_ON_TRACK,
        "reason": "Two of the eight wards have no named PCSO.",
        "evidence_source": "Northbury BCU staffing list, October 2026",
        "evidence_file": upload,
    } | extra


def test_a_review_with_a_pdf_is_published_with_it(client, storage, commitment, lead):
    sign_in(client, lead)
    url = f"/commitments/boroughs/{commitment.borough.gss_code}/{commitment.pk}/review/"
    upload = SimpleUploadedFile("Staffing October.pdf", PDF, content_type="application/octet-stream")
    assert client.post(url, review_form(commitment, upload)).status_code == 302
    evidence = Evidence.objects.get()
    assert (evidence.file_name, evidence.content_type, evidence.size) == (
        "Staffing October.pdf",
        "application/pdf",
        len(PDF),
    )
    assert evidence.sha256 == hashlib.sha256(PDF).hexdigest() and evidence.uploaded_by == lead
    # Stored under a random name through the storage, not under the name it came with.
    assert [p.read_bytes() for p in stored_files(storage)] == [PDF]
    assert "Staffing" not in evidence.file.name and evidence.file.name.startswith("commitments/evidence/")
    # Anyone sees the review's link and gets the file, as a download that is never run as a page.
    anyone = Client()
    page = anyone.get(f"/commitments/{commitment.pk}/").content.decode()
    assert (
        f'href="/commitments/evidence/{evidence.pk}/"' in page
        and f"Staffing October.pdf</a> (PDF, {len(PDF)}\xa0bytes)" in page
    )
    served = anyone.get(f"/commitments/evidence/{evidence.pk}/")
    assert served.status_code == 200 and b"".join(served.streaming_content) == PDF
    assert served["Content-Type"] == "application/pdf" and served["Content-Disposition"].startswith("attachment")
    assert served["Content-Security-Policy"].startswith("sandbox") and served["X-Content-Type-Options"] == "nosniff"
    api = anyone.get(f"/api/v1/commitments/{commitment.pk}").json()
    assert api["reviews"][0]["evidence"] == [
        {
            "file_name": "Staffing October.pdf",
            "kind": "PDF",
            "size": len(PDF),
            "sha256": evidence.sha256,
            "url": f"/commitments/evidence/{evidence.pk}/",
        }
    ]
    # Uploaded files are served by that view only: storage paths are not a web address.
    assert anyone.get(f"/media/{evidence.file.name}").status_code == 404
    assert anyone.get("/commitments/evidence/999999/").status_code == 404


def test_images_show_and_csv_files_download(client, storage, commitment, lead):
    sign_in(client, lead)
    url = f"/commitments/boroughs/{commitment.borough.gss_code}/{commitment.pk}/review/"
    client.post(url, review_form(commitment, SimpleUploadedFile("rota.png", png(), content_type="text/plain")))
    client.post(url, review_form(commitment, SimpleUploadedFile("rota.csv", b"ward,pcso\nAbbey,1\n")))
    image, table = Evidence.objects.order_by("pk")
    assert (image.content_type, table.content_type) == ("image/png", "text/csv")
    shown = Client().get(f"/commitments/evidence/{image.pk}/")
    assert shown["Content-Type"] == "image/png" and shown["Content-Disposition"].startswith("inline")
    assert Client().get(f"/commitments/evidence/{table.pk}/")["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize(
    ("upload", "extra", "says"),
    [
        (("minutes.pdf", b"<html><script>alert(1)</script></html>"), {}, "minutes.pdf is not a PDF, CSV file or image"),
        (("notes.csv", b"a,b\n\x00\x01\x02"), {}, "notes.csv is not a PDF, CSV file or image"),
        (("photo.png", b"\x89PNG\r\n\x1a\n not really"), {}, "photo.png is not a PDF, CSV file or image"),
        (("big.pdf", PDF + b"0" * (10 * 1024 * 1024)), {}, "big.pdf is larger than 10 MB"),
        (("plan.pdf", PDF), {"evidence_source": ""}, "Say where plan.pdf comes from"),
        (("plan.pdf", PDF), {"status": ""}, "Choose the status the evidence shows"),
    ],
)
def test_refused_files_change_nothing_and_leave_nothing_stored(
    client, storage, commitment, lead, db_snapshot, upload, extra, says
):
    sign_in(client, lead)
    before = db_snapshot()
    url = f"/commitments/boroughs/{commitment.borough.gss_code}/{commitment.pk}/review/"
    refused = client.post(url, review_form(commitment, SimpleUploadedFile(*upload), **extra))
    assert refused.status_code == 400 and says in refused.content.decode().replace("&#x27;", "'")
    assert db_snapshot() == before and stored_files(storage) == []


def test_reviewing_with_a_file_through_the_api(storage, commitment, lead, places):
    url = f"/api/v1/commitments/boroughs/{commitment.borough.gss_code}/{commitment.pk}/reviews/with-file"
    fields = {
        "reviewed_on": "2026-11-02",
        "status": "on-track",
        "reason": "All wards staffed.",
        "evidence_source": "Rota",
    }
    resident = make_staff(Role.RESIDENT, places.ward_a, email="resident@example.org")
    as_resident, as_lead = Client(), Client()
    sign_in(as_resident, resident)
    sign_in(as_lead, lead)
    assert as_resident.post(url, fields | {"file": SimpleUploadedFile("r.pdf", PDF)}).status_code == 403
    made = as_lead.post(url, fields | {"file": SimpleUploadedFile("r.pdf", PDF)})
    assert made.status_code == 201 and made.json()["evidence"][0]["kind"] == "PDF"
    bad = as_lead.post(url, fields | {"file": SimpleUploadedFile("r.pdf", b"not a pdf")})
    assert bad.status_code == 400 and "r.pdf is not a PDF" in bad.json()["detail"]
    assert Review.objects.count() == 1 and len(stored_files(storage)) == 1
    # Form data that cannot be read (no boundary) is the caller's mistake: 400, as on pages.
    garbled = as_lead.post(url, data=b"--x\r\n", content_type="multipart/form-data")
    assert garbled.status_code == 400 and "cannot be read" in garbled.json()["detail"]
