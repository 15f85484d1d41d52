"""Reuse the areas test London (three wards, a team, front counters) for the police.uk API."""

from openward.areas.tests.conftest import place  # noqa: F401
