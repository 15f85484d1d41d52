import pytest

from tests.personas import make_places


@pytest.fixture
def places(db):
    return make_places()
