import pytest

from tests.personas import forget_geo_indexes, make_places


@pytest.fixture
def places(db):
    return make_places()


@pytest.fixture(autouse=True)
def fresh_caches():
    # Rate-limit counters and ward indexes outlive a test's database; each test starts and ends clean.
    forget_geo_indexes()
    yield
    forget_geo_indexes()
