"""Normalising and hashing identities, so one person has one account."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from django.conf import settings

GMAIL_DOMAINS = {"gmail.com", "googlemail.com"}


def email_key(email: str) -> str:
    """The email as a person, not a spelling: lower case, +tags removed, gmail dots removed."""
    local, _, domain = (email or "").strip().lower().rpartition("@")
    local = local.split("+", 1)[0]
    if domain in GMAIL_DOMAINS:
        local = local.replace(".", "")
        domain = "gmail.com"
    return f"{local}@{domain}"


def keyed_hash(purpose: str, text: str) -> str:
    """HMAC-SHA256 of `text` under the settings key, separated by purpose."""
    key = settings.OPENWARD_IDENTITY_HASH_KEY.encode()
    return hmac.new(key, f"{purpose}\x00{text}".encode(), hashlib.sha256).hexdigest()


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def normalise_address(lines: str, postcode_compact: str) -> str:
    """Upper case, punctuation and spacing collapsed: "Flat 2, 10 High St." == "FLAT 2 10 HIGH ST"."""
    text = re.sub(r"[^A-Z0-9]+", " ", (lines or "").upper()).strip()
    return f"{text} {postcode_compact}"


def address_key(lines: str, postcode_compact: str) -> str:
    return keyed_hash("address", normalise_address(lines, postcode_compact))


# No 0/O, 1/I/L: codes are read off paper and typed.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def random_code(length: int = 8) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def clean_code(text: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", (text or "").upper())


def show_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}" if len(code) == 8 else code
