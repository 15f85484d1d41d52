"""Personas and places for notification tests: the same as engagement's."""

from openward.engagement.tests.conftest import (  # noqa: F401
    borough,
    cluster,
    make_event,
    neighbourhood,
    officer,
    other_ward,
    panel_chair,
    resident,
    residents,
    ward,
)
