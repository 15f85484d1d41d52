"""A paced, retrying client for a police.uk-compatible API.

police.uk allows 15 requests a second with bursts of 30 (a leaky bucket); the client keeps
under that with a token bucket. A 429, a 5xx or a time-out is tried again after a growing
pause (honouring Retry-After); anything else that is not the JSON asked for (HTML, JSON cut
short, the wrong shape) stops the sync with a message naming the URL. A host that cannot be
reached at all (no network, wrong address) stops it at once: retrying would not help.
"""

from __future__ import annotations

import http.client
import json
import shutil
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path

RATE_PER_SECOND = 15.0
BURST = 30
RETRYABLE_STATUS = {429, 500, 502, 503, 504}
USER_AGENT = "OpenWard-sync/1 (+https://github.com/openward)"


class SyncError(Exception):
    """The source could not be read; nothing was changed for what was being fetched."""


class Unreachable(SyncError):
    """The host cannot be reached at all: every later request would fail the same way."""


class TokenBucket:
    """At most `rate` takes a second on average, `burst` at once."""

    def __init__(self, rate: float = RATE_PER_SECOND, burst: int = BURST, *, clock=time.monotonic, sleep=time.sleep):
        self.rate, self.burst = rate, burst
        self.clock, self.sleep = clock, sleep
        self.tokens = float(burst)
        self.updated = clock()
        self.lock = threading.Lock()

    def take(self) -> None:
        with self.lock:
            now = self.clock()
            self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
            self.updated = now
            if self.tokens < 1:
                wait = (1 - self.tokens) / self.rate
                self.sleep(wait)
                self.tokens = 1.0
                self.updated = self.clock()
            self.tokens -= 1


class Client:
    """GET/POST JSON from a police.uk-compatible API under `base_url` (ending in /api/)."""

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = 30.0,
        retries: int = 4,
        backoff: float = 1.0,
        bucket: TokenBucket | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ):
        parsed = urllib.parse.urlsplit(base_url or "")
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise SyncError(
                f'"{base_url}" is not an http(s) address; give the API base, e.g. https://data.police.uk/api/.'
            )
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.timeout, self.retries, self.backoff = timeout, retries, backoff
        self.bucket = bucket or TokenBucket()
        self.sleep = sleep
        self.requests = 0

    def url(self, path: str, params: dict | None = None) -> str:
        url = urllib.parse.urljoin(self.base_url, path.lstrip("/"))
        return url + ("?" + urllib.parse.urlencode(params) if params else "")

    def get(self, path: str, params: dict | None = None, *, expect: type = list):
        """The JSON at `path`, which must be a list (or a dict with expect=dict)."""
        url = self.url(path, params)
        return self._json(url, self._fetch(urllib.request.Request(url)), expect)

    def post(self, path: str, form: dict, *, expect: type = list):
        """POST a form (police.uk takes long polygons this way) and read the JSON answer."""
        url = self.url(path)
        body = urllib.parse.urlencode(form).encode()
        request = urllib.request.Request(url, data=body, method="POST")
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
        shown = f"{url} (POST {', '.join(f'{k}={str(v)[:20]}' for k, v in form.items())})"
        return self._json(shown, self._fetch(request, shown=shown), expect)

    def download(self, url: str, destination: Path) -> Path:
        """Save a file (the monthly archive) to `destination`, with the same pacing and retries."""
        with destination.open("wb") as out:
            self._fetch(urllib.request.Request(url), sink=out)
        return destination

    # -- the flow ----------------------------------------------------------------------
    def _fetch(self, request: urllib.request.Request, *, shown: str | None = None, sink=None) -> bytes:
        shown = shown or request.full_url
        request.add_header("User-Agent", USER_AGENT)
        request.add_header("Accept", "application/json")
        last = ""
        for attempt in range(self.retries + 1):
            if attempt:
                self.sleep(self.backoff * 2 ** (attempt - 1))
            self.bucket.take()
            self.requests += 1
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    if sink is not None:
                        sink.seek(0)
                        sink.truncate()
                        shutil.copyfileobj(response, sink, 1 << 20)
                        return b""
                    return response.read()
            except urllib.error.HTTPError as exc:
                if exc.code not in RETRYABLE_STATUS:
                    raise SyncError(f"{shown} answered {exc.code} {exc.reason}; nothing was changed for it.") from None
                last = f"answered {exc.code} {exc.reason}"
                retry_after = _seconds(exc.headers.get("Retry-After"))
                if retry_after is not None and attempt < self.retries:
                    self.sleep(min(retry_after, 60.0))
            except TimeoutError:
                last = f"did not answer within {self.timeout:g} s"
            except urllib.error.URLError as exc:
                if isinstance(exc.reason, (TimeoutError, socket.timeout)):
                    last = f"did not answer within {self.timeout:g} s"
                    continue
                raise Unreachable(
                    f"Cannot reach {shown} ({exc.reason}). Check the network and the base URL "
                    "(--base-url, POLICEUK_API_URL); nothing was changed."
                ) from None
            except (ConnectionError, http.client.HTTPException) as exc:
                last = f"broke off the answer ({exc.__class__.__name__})"
        raise SyncError(f"{shown} {last}, {self.retries + 1} times; nothing was changed for it. Try again later.")

    @staticmethod
    def _json(shown: str, body: bytes, expect: type):
        try:
            data = json.loads(body.decode("utf-8"))
        except UnicodeDecodeError:
            raise SyncError(f"{shown} did not answer with UTF-8 JSON; nothing was changed for it.") from None
        except json.JSONDecodeError as exc:
            start = body[:60].decode("utf-8", "replace").strip()
            what = "an HTML page" if start.lower().startswith(("<!doctype", "<html")) else "JSON cut short or damaged"
            raise SyncError(
                f"{shown} answered with {what}, not JSON ({exc.msg} at character {exc.pos}); "
                "nothing was changed for it."
            ) from None
        if not isinstance(data, expect):
            raise SyncError(
                f"{shown} answered with a JSON {type(data).__name__} where police.uk gives a "
                f"{expect.__name__}; nothing was changed for it."
            )
        return data


def _seconds(value) -> float | None:
    try:
        return max(0.0, float(value))
    except (TypeError, ValueError):
        return None
