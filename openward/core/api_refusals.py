"""An API operation answers a service's refusal (its own error, or Django's ValidationError) with a 400 that
carries the refusal's message, through one decorator instead of a try/except in every operation."""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.core.exceptions import ValidationError
from ninja.errors import HttpError


def message_of(exc: Exception) -> str:
    """The words a person can act on: a ValidationError's messages joined, else the exception's text."""
    return " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


def refusals_as_400(*refusals: type[Exception]) -> Callable[[Callable], Callable]:
    """Decorate an API operation (below its access rule) so that any of `refusals` raised in it is answered
    as a 400 `{"detail": message}`; anything else goes on as before."""

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def answered(*args, **kwargs):
            try:
                return view(*args, **kwargs)
            except refusals as exc:
                raise HttpError(400, message_of(exc)) from exc

        return answered

    return decorate
