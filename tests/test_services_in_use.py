"""The run uses the services it names: with REDIS_URL set, the cache and the rate limits live in Redis
(each test worker under its own key prefix); without it, the embedded per-process cache.

CI's second run sets REDIS_URL: these tests fail there if the settings quietly fall back to memory."""

import os

import pytest
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.urls import reverse

REDIS_URL = os.environ.get("REDIS_URL", "")
PREFIX = "openward-test-" + os.environ.get("PYTEST_XDIST_WORKER", "main")


def raw_redis():
    import redis

    return redis.Redis.from_url(REDIS_URL)


def redis_keys() -> set[bytes]:
    return set(raw_redis().scan_iter(match=f"{PREFIX}:*", count=1000))


def test_the_cache_is_the_backend_the_run_names():
    cache = caches["default"]
    cache.set("probe", "here")
    if REDIS_URL:
        assert isinstance(cache, RedisCache)
        stored = cache.make_key("probe").encode()
        assert stored.startswith(f"{PREFIX}:".encode()) and stored in redis_keys()
        assert raw_redis().ttl(stored) > 0
    else:
        assert isinstance(cache, LocMemCache)
        assert cache.get("probe") == "here"


def test_clearing_the_cache_leaves_other_workers_keys():
    cache = caches["default"]
    cache.set("mine", 1)
    if REDIS_URL:
        other = f"openward-test-another-worker:1:{os.getpid()}"
        raw_redis().set(other, "theirs", ex=60)
        cache.clear()
        assert raw_redis().get(other) == b"theirs", "clear() must not flush the whole Redis database"
        assert cache.make_key("mine").encode() not in redis_keys()
        raw_redis().delete(other)
    else:
        cache.clear()
        assert cache.get("mine") is None


@pytest.mark.django_db
def test_rate_limits_count_in_the_runs_cache(client):
    def sign_in():
        return client.post(reverse("accounts:sign-in"), {"email": "someone@example.org"}, REMOTE_ADDR="192.0.2.7")

    before = redis_keys() if REDIS_URL else set()
    for _ in range(5):
        assert sign_in().status_code == 302
    assert "Too many attempts" in sign_in().content.decode()
    if REDIS_URL:
        counters = redis_keys() - before
        assert counters, "the rate-limit counters were not written to Redis"
        # Forget the counters in Redis itself: the limit lifts, so that is where the limiter keeps count.
        raw_redis().delete(*counters)
    else:
        assert isinstance(caches["default"], LocMemCache)
        caches["default"].clear()
    assert sign_in().status_code == 302
