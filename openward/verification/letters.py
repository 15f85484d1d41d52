"""Letters with one-time codes: a printable PDF batch, or GOV.UK Notify's letter API."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

from django.conf import settings
from django.utils import timezone

from openward.accounts.identity import show_code

from .models import AddressLetter, LetterBatch


def _letter_lines(letter: AddressLetter) -> list[str]:
    lines = [letter.recipient or "The Occupier", *letter.address.splitlines()]
    pc = letter.postcode
    lines.append(f"{pc[:-3]} {pc[-3:]}" if pc else "")
    return [line for line in lines if line]


def batch_pdf(batch: LetterBatch) -> bytes:
    """One A4 page per letter, address in the window position, code large; only letters still pending."""
    # fpdf (with fontTools) is imported when a batch is printed, not when the site starts: it takes about as
    # long to import as the rest of Django (bench/bench_startup.py).
    from fpdf import FPDF

    pdf = FPDF(format="A4", unit="mm")
    pdf.set_auto_page_break(False)
    # Uncompressed: a few pages of text, and the team (and tests) can search the file.
    pdf.set_compression(False)
    pdf.set_title(f"{settings.SITE_NAME} verification letters, batch {batch.pk}")
    site = settings.SITE_URL.rstrip("/")
    letters = batch.letters.pending().filter(code__gt="").select_related("membership__ward")
    for letter in letters:
        pdf.add_page()
        pdf.set_font("Helvetica", "B", 14)
        pdf.set_xy(120, 15)
        pdf.cell(0, 8, settings.SITE_NAME)
        pdf.set_font("Helvetica", "", 11)
        # A C5/DL window envelope shows this block (20 mm from the left, 50 mm down).
        pdf.set_xy(20, 50)
        for line in _letter_lines(letter):
            pdf.set_x(20)
            pdf.cell(0, 5.5, line, new_x="LMARGIN", new_y="NEXT")
        pdf.set_xy(20, 105)
        pdf.set_font("Helvetica", "B", 16)
        pdf.cell(0, 10, f"Your code for {letter.membership.ward.name}", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 12)
        pdf.set_x(20)
        pdf.multi_cell(
            170,
            6,
            "Someone at this address asked to verify that they live here, so that their voice counts in "
            f"{letter.membership.ward.name} ward. To finish, sign in at {site}/verify/code/ and enter this code:",
        )
        pdf.set_xy(20, pdf.get_y() + 6)
        pdf.set_font("Courier", "B", 32)
        pdf.cell(0, 16, show_code(letter.code), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 12)
        pdf.set_x(20)
        pdf.multi_cell(
            170,
            6,
            f"The code works until {timezone.localtime(letter.expires_at):%d %B %Y}. "
            "We do not keep your address once you have entered the code or the code has expired. "
            "If nobody here asked for this letter, you can ignore it.",
        )
    return bytes(pdf.output())


def _notify_jwt(api_key: str) -> str:
    # Notify keys end with the service id and the secret, each a UUID (36 characters).
    service_id, secret = api_key[-73:-37], api_key[-36:]

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    header = b64(json.dumps({"typ": "JWT", "alg": "HS256"}).encode())
    claims = b64(json.dumps({"iss": service_id, "iat": int(time.time())}).encode())
    signature = hmac.new(secret.encode(), f"{header}.{claims}".encode(), hashlib.sha256).digest()
    return f"{header}.{claims}.{b64(signature)}"


def send_by_notify(letter_id: int) -> None:
    """Post one letter through GOV.UK Notify (OPENWARD_LETTER_BACKEND = "notify"), then forget its code."""
    import httpx

    letter = AddressLetter.objects.select_related("membership__ward").get(pk=letter_id)
    lines = _letter_lines(letter)
    personalisation = {f"address_line_{i + 1}": line for i, line in enumerate(lines[:7])}
    personalisation.update(
        {
            "code": show_code(letter.code),
            "ward": letter.membership.ward.name,
            "expires": f"{timezone.localtime(letter.expires_at):%d %B %Y}",
        }
    )
    response = httpx.post(
        f"{settings.NOTIFY_BASE_URL.rstrip('/')}/v2/notifications/letter",
        json={
            "template_id": settings.NOTIFY_LETTER_TEMPLATE_ID,
            "personalisation": personalisation,
            "reference": f"openward-letter-{letter.pk}",
        },
        headers={"Authorization": f"Bearer {_notify_jwt(settings.NOTIFY_API_KEY)}"},
        timeout=20,
    )
    response.raise_for_status()
    AddressLetter.objects.filter(pk=letter.pk).update(code="")
