"""API clients sign in with a personal token: `Authorization: Bearer ow_…`."""

from __future__ import annotations

from django.utils import timezone

from .identity import sha256
from .models import ApiToken

TOKEN_PREFIX = "ow_"


def user_for_token(key: str):
    """The token row for a presented key, or None (revoked, unknown, erased account)."""
    if not key or not key.startswith(TOKEN_PREFIX):
        return None
    token = ApiToken.objects.active().select_related("user").filter(key_hash=sha256(key)).first()
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token


class ApiTokenMiddleware:
    """For /api/ requests carrying a bearer token, the token's owner is request.user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if request.path.startswith("/api/") and header.lower().startswith("bearer "):
            token = user_for_token(header[7:].strip())
            if token is not None:
                request.user = token.user
                request.api_token = token
        return self.get_response(request)
