"""Fixed-window rate limits in the cache (locmem in one process, Redis across processes)."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache


class RateLimited(Exception):
    """Too many attempts; the message says when to try again."""


def _key(scope: str, ident: str) -> str:
    return f"ratelimit:{scope}:{ident}"


def hit(scope: str, ident: str) -> None:
    """Count one attempt for `ident` in `scope`; raise RateLimited past the limit in settings."""
    limit, window = settings.OPENWARD_RATE_LIMITS[scope]
    key = _key(scope, ident)
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:
        # The window expired between add and incr.
        cache.set(key, 1, timeout=window)
        count = 1
    if count > limit:
        minutes = max(1, window // 60)
        raise RateLimited(f"Too many attempts. Wait {minutes} minutes, then try again.")


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"
