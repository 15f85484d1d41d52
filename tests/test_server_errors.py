"""A failure inside the API is logged with its traceback and answered without it, whatever DEBUG says;
production settings never turn DEBUG on."""

import logging

import pytest
from django.test import Client

from tests.test_production_settings import GOOD_ENV, manage


class Broken:
    class objects:  # noqa: N801 - stands in for a model manager
        @staticmethod
        def all():
            raise RuntimeError("internal detail: /srv/openward/secret.py line 12")


@pytest.mark.parametrize("debug", [True, False])
def test_an_api_failure_answers_500_without_a_traceback(db, settings, monkeypatch, caplog, debug):
    settings.DEBUG = debug
    monkeypatch.setattr("openward.engagement.api.records.Topic", Broken)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = Client(raise_request_exception=False).get("/api/v1/engagement/topics")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {
        "detail": "Something went wrong on our side. It has been logged; please try again later."
    }
    assert b"Traceback" not in response.content and b"secret.py" not in response.content
    logged = [r for r in caplog.records if r.exc_info]
    assert len(logged) == 1 and "internal detail" in str(logged[0].exc_info[1])
    assert logged[0].getMessage() == "Internal Server Error: /api/v1/engagement/topics"


def test_the_failure_reaches_error_reporting(db, monkeypatch):
    """Django's got_request_exception fires, so error reporters (and the test client) see it."""
    monkeypatch.setattr("openward.engagement.api.records.Topic", Broken)
    with pytest.raises(RuntimeError, match="internal detail"):
        Client().get("/api/v1/engagement/topics")


def test_production_settings_keep_debug_off_whatever_the_environment_says():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DEBUG, settings.DEBUG_PROPAGATE_EXCEPTIONS)",
        env=dict(GOOD_ENV, DEBUG="1", DEBUG_PROPAGATE_EXCEPTIONS="1"),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "False False"
