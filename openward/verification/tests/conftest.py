import pytest
from django.core.cache import cache

from openward.accounts.testing import make_places


@pytest.fixture
def places(db):
    return make_places()


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    # Rate-limit counters live in the cache; each test starts with none.
    cache.clear()
