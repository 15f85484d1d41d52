"""Production settings read the environment, refuse a default secret key and pass `check --deploy`."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

# Each test starts Django in a process of its own with its own settings: the suite's database plays no part.
pytestmark = [pytest.mark.embedded, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent
GOOD_ENV = {
    "DJANGO_SETTINGS_MODULE": "openward.settings.production",
    "SECRET_KEY": "k" * 20 + "-production-test-key-that-is-long-and-random-0123456789",
    "DATABASE_URL": "postgres://openward@127.0.0.1:5432/openward",
    "ALLOWED_HOSTS": "openward.example.org",
    "BALLOT_KEY": "b" * 40,
}


def manage(*args, env):
    full_env = {k: v for k, v in os.environ.items() if k not in GOOD_ENV and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_passes_with_a_real_environment():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=GOOD_ENV)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_default_secret_key_is_refused():
    env = dict(GOOD_ENV, SECRET_KEY="dev-insecure-openward-key-change-me")
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_missing_database_url_is_refused():
    env = {k: v for k, v in GOOD_ENV.items() if k != "DATABASE_URL"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


def run_settings(**env):
    code = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.SITE_URL, s.CACHES['default']['BACKEND'], ','.join(s.ALLOWED_HOSTS), s.OPENWARD_DEMO_SIGN_IN)"
    )
    full_env = {
        k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "SITE_URL", "HOST", "PORT", "ALLOWED_HOSTS"}
    }
    full_env.update({"DJANGO_SETTINGS_MODULE": "openward.settings.run", **env})
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=full_env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1].split()


def test_make_run_settings_are_production_like_and_link_to_the_port_served():
    debug, site_url, cache, hosts, demo = run_settings(PORT="8123")
    assert (debug, site_url) == ("False", "http://127.0.0.1:8123")
    assert cache.endswith("FileBasedCache") and "127.0.0.1" in hosts.split(",") and demo == "True"
    _, site_url, cache, _, demo = run_settings(
        PORT="8123", HOST="0.0.0.0", SITE_URL="https://ward.example.org", REDIS_URL="redis://127.0.0.1:6379/6"
    )
    assert (site_url, cache, demo) == (
        "https://ward.example.org",
        "django.core.cache.backends.redis.RedisCache",
        "False",
    )
