"""What the engagement services share: the ward an item is in (for the audit row) and a moment in words."""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format


def ward_code(item) -> str:
    ward = getattr(item, "ward", None)
    return ward.gss_code if ward else ""


def when_words(moment) -> str:
    return date_format(timezone.localtime(moment), "l j F Y, H:i") if moment else "not given"
