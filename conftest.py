"""Project-wide test fixtures: shared-data location, personas live in each app's conftest."""

from pathlib import Path

import pytest
from django.conf import settings


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real data sets; tests that need them skip, saying why, when absent."""
    path = Path(settings.SHARED_DATA_DIR)
    if not (path / "MANIFEST.tsv").exists():
        pytest.skip(f"real data not found at {path} (set OPENWARD_SHARED_DATA); CI provides it")
    return path
