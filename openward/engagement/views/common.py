"""What engagement's pages share."""

from __future__ import annotations

from django.core.exceptions import ValidationError


def errors_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)
