"""A cached public page is kept per what varies it: the address it is served under and its language."""

from __future__ import annotations

from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import translation

from openward.core.pagecache import public_page

rendered: list[str] = []


@public_page
def says_where_and_how(request):
    text = f"{request.scheme}://{request.get_host()} {translation.get_language()}"
    rendered.append(text)
    return HttpResponse(text)


def ask(host: str = "testserver", *, secure: bool = False) -> str:
    request = RequestFactory().get("/page/", HTTP_HOST=host, secure=secure)
    return says_where_and_how(request).content.decode()


def test_each_host_scheme_and_language_has_its_own_cached_page(db, settings):
    settings.ALLOWED_HOSTS = ["testserver", "localhost"]
    rendered.clear()
    assert ask() == "http://testserver en-gb"
    assert ask() == "http://testserver en-gb" and len(rendered) == 1  # served from the cache
    assert ask("localhost") == "http://localhost en-gb"
    assert ask(secure=True) == "https://testserver en-gb"
    with translation.override("cy"):
        assert ask() == "http://testserver cy"
    assert len(rendered) == 4
    assert ask("localhost") == "http://localhost en-gb" and len(rendered) == 4
