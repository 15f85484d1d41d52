"""A signed-in browser session cannot be used to write through the API from another site."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory

from openward.accounts.models import User
from openward.core.middleware import ApiSessionCsrfMiddleware

middleware = ApiSessionCsrfMiddleware(lambda request: HttpResponse("ok"))


def view(request):
    return HttpResponse("ok")


@pytest.fixture
def person(db):
    return User.objects.create_user(email="person@example.org")


def post(path, user, **extra):
    request = RequestFactory().post(path, data="{}", content_type="application/json", **extra)
    request.user = user
    return request


def test_session_write_without_csrf_token_is_refused(person):
    response = middleware.process_view(post("/api/v1/priorities/1/actions", person), view, (), {})
    assert response is not None and response.status_code == 403


def test_session_write_with_the_csrf_token_passes(person):
    source = RequestFactory().get("/")
    token = get_token(source)
    request = post("/api/v1/priorities/1/actions", person, HTTP_X_CSRFTOKEN=token)
    request.COOKIES["csrftoken"] = source.META["CSRF_COOKIE"]
    assert middleware.process_view(request, view, (), {}) is None


def test_token_signed_writes_anonymous_calls_reads_and_police_uk_posts_are_not_checked(person):
    with_token = post("/api/v1/priorities/1/actions", person)
    with_token.api_token = object()
    assert middleware.process_view(with_token, view, (), {}) is None
    assert middleware.process_view(post("/api/v1/accounts/sign-up", AnonymousUser()), view, (), {}) is None
    assert middleware.process_view(post("/api/crimes-street/all-crime", person), view, (), {}) is None
    read = RequestFactory().get("/api/v1/me")
    read.user = person
    assert middleware.process_view(read, view, (), {}) is None
