"""HTTP plumbing for the police.uk-compatible endpoints: errors, parameters from GET or POST, JSON writing.

A parameter comes from the query string or, for the endpoints police.uk also accepts by POST, the
form body; bad input raises ApiError, which `handles_errors` turns into its status and a message.
"""

from __future__ import annotations

import functools
import gzip
import json

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.cache import patch_vary_headers

from openward.core import deadline
from openward.core.pagecache import accepts_gzip
from openward.crime.schemas import Problem

STREAM_CHUNK = 500
MAX_GET_URL = 4094

ERRORS = {400: Problem, 404: Problem, 503: Problem}


class ApiError(Exception):
    def __init__(self, status: int, detail: str):
        super().__init__(detail)
        self.status, self.detail = status, detail


def json_response(data, status: int = 200) -> HttpResponse:
    return HttpResponse(json.dumps(data, separators=(",", ":")), status=status, content_type="application/json")


def gzipped_json(data) -> bytes:
    """`data` as JSON, gzip-compressed (to keep in the cache and send with `gzipped_json_response`)."""
    return gzip.compress(json.dumps(data, separators=(",", ":")).encode(), compresslevel=6, mtime=0)


def gzipped_json_response(request, body: bytes) -> HttpResponse:
    """A JSON body kept compressed, sent as it is to a client that accepts gzip (browsers and HTTP libraries
    do) and unpacked for one that does not. A mile of crimes is megabytes of JSON, a tenth of that
    compressed: compressed once when it is computed, not on every request."""
    if accepts_gzip(request):
        response = HttpResponse(body, content_type="application/json")
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(gzip.decompress(body), content_type="application/json")
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


def json_array_stream(records, chunk: int = STREAM_CHUNK) -> StreamingHttpResponse:
    """A JSON array written while it is read, `chunk` records at a time, so memory stays bounded
    however many records a month holds (a Met month has 12,000–18,000 stops)."""

    def pieces():
        yield b"["
        batch, first = [], True
        for record in records:
            batch.append(json.dumps(record, separators=(",", ":")))
            if len(batch) == chunk:
                yield (("" if first else ",") + ",".join(batch)).encode()
                batch, first = [], False
        if batch:
            yield (("" if first else ",") + ",".join(batch)).encode()
        yield b"]"

    return StreamingHttpResponse(pieces(), content_type="application/json")


def problem(exc: ApiError) -> HttpResponse:
    return json_response({"detail": exc.detail}, status=exc.status)


def handles_errors(view):
    """Turn ApiError into its status and a JSON message; refuse over-long GET URLs as police.uk does;
    stop (503) work that runs past the request deadline."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            if request.method == "GET" and len(request.get_full_path()) > MAX_GET_URL:
                raise ApiError(
                    400,
                    f"The URL is longer than {MAX_GET_URL} characters. Send the same parameters "
                    "as a POST form body instead.",
                )
            with deadline.limit():
                return view(request, *args, **kwargs)
        except ApiError as exc:
            return problem(exc)
        except deadline.DeadlineExceeded as exc:
            return problem(ApiError(503, str(exc)))

    return wrapper


def param(request, name: str, value):
    """A parameter from the query string, or from a POST form body (police.uk accepts both)."""
    if value is None and request.method == "POST":
        value = request.POST.get(name)
    return value
