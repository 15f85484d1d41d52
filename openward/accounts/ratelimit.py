"""Fixed-window rate limits in the cache (locmem in one process, Redis across processes).

A limit that counts attempts naming an account, from anywhere, lets anyone lock that person
out by naming them. So attempts are counted per client and per account-and-client; the only
count per account alone bounds how much email one address can be sent, and a browser the
person has signed in from before is not held by it. A link already emailed works whatever
the counts say.

The client is the address that reached us, or, when that is a proxy listed in
OPENWARD_TRUSTED_PROXIES, the address those proxies report in X-Forwarded-For. IPv6 clients
count per /64, the block one subscriber usually holds.
"""

from __future__ import annotations

import hashlib
import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

# A browser that signed in as an account carries this signed cookie: "this account was used here".
KNOWN_COOKIE = "ow_known"
KNOWN_SALT = "openward.accounts.known-browser"
KNOWN_DAYS = 365


class RateLimited(Exception):
    """Too many attempts; the message says when to try again."""


def _key(scope: str, ident: str) -> str:
    # Hashed: identifiers include email addresses, which have no business in a cache.
    return f"ratelimit:{scope}:{hashlib.sha256(ident.encode()).hexdigest()[:32]}"


def _minutes(window: int) -> int:
    return max(1, window // 60)


def count(scope: str, ident: str) -> int:
    """Count one attempt for `ident` in `scope` and return the count in the current window."""
    _, window = settings.OPENWARD_RATE_LIMITS[scope]
    key = _key(scope, ident)
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:
        # The window expired between add and incr.
        cache.set(key, 1, timeout=window)
        return 1


def hit(scope: str, ident: str, message: str = "") -> None:
    """Count one attempt for `ident` in `scope`; raise RateLimited past the limit in settings."""
    limit, window = settings.OPENWARD_RATE_LIMITS[scope]
    if count(scope, ident) > limit:
        raise RateLimited(message or f"Too many attempts. Wait {_minutes(window)} minutes, then try again.")


def forgive(scope: str, ident: str) -> None:
    """Take back one attempt counted by `hit`: for limits on failures, an attempt that succeeded.

    Counting every attempt first and forgiving the ones that succeed bounds failures even when many
    attempts arrive at once (a check, then a count after the failure, would let them all through)."""
    try:
        cache.decr(_key(scope, ident))
    except ValueError:
        pass  # the window ended meanwhile: nothing is counted


def hit_for_account(action: str, account: str, client: str, *, known_browser: bool) -> None:
    """Count an attempt naming `account` from `client`, per client, per account-and-client and per account.

    `action` names the scopes `{action}-client`, `{action}-account-client` and `{action}-account`.
    The per-account ceiling does not apply to a browser the person has signed in from before.
    """
    hit(f"{action}-client", client)
    hit(f"{action}-account-client", f"{account}|{client}")
    if not known_browser:
        _, window = settings.OPENWARD_RATE_LIMITS[f"{action}-account"]
        hit(
            f"{action}-account",
            account,
            f"Too many links have been asked for this address in the last hour. The latest link we emailed "
            f"still works; otherwise wait {_minutes(window)} minutes, or ask from a browser you have signed in "
            "with before.",
        )


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple:
    try:
        return tuple(ipaddress.ip_network(e.strip(), strict=False) for e in entries if e.strip())
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"OPENWARD_TRUSTED_PROXIES must list IP addresses or networks (like 10.0.0.0/8): {exc}"
        ) from None


def _address(text: str):
    """An IP address from a header value ("203.0.113.5", "[2001:db8::1]:443", "203.0.113.5:80"), or None."""
    text = text.strip()
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _bucket(address) -> str:
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def client_ip(request) -> str:
    """Who is asking: REMOTE_ADDR, or the first address in X-Forwarded-For that no trusted proxy added."""
    trusted = _networks(tuple(settings.OPENWARD_TRUSTED_PROXIES))
    nearest = _address(request.META.get("REMOTE_ADDR", ""))
    if nearest is None:
        return "unknown"
    hops = [h for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    # Right to left: each trusted proxy appended the address it saw; whatever lies left of the
    # first untrusted address was written by the client and is not believed.
    while any(nearest in network for network in trusted) and hops:
        reported = _address(hops.pop())
        if reported is None:
            break
        nearest = reported
    return _bucket(nearest)


def known_account(request) -> int | None:
    """The account this browser has signed in as before, from its signed cookie (None if none)."""
    value = request.get_signed_cookie(KNOWN_COOKIE, default=None, salt=KNOWN_SALT, max_age=KNOWN_DAYS * 86400)
    return int(value) if value and value.isdigit() else None


def remember_account(response, request, user) -> None:
    """Mark this browser as one `user` signs in from, so others naming them cannot hold it back."""
    response.set_signed_cookie(
        KNOWN_COOKIE,
        str(user.pk),
        salt=KNOWN_SALT,
        max_age=KNOWN_DAYS * 86400,
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
