"""A ward whose force's data is not loaded says so in words, on its page and its crime page."""

from __future__ import annotations

from openward.areas.tests.conftest import place  # noqa: F401  (three wards in a row, with a team)

from .factories import CrimeFactory, StopFactory, import_run, rebuild_counts


def load_crime_elsewhere(ward, force, n=12):
    for _ in range(n):
        CrimeFactory(ward=ward, force=force)
    rebuild_counts()
    import_run()


def test_no_data_for_the_ward_is_not_available_not_zero(client, place):  # noqa: F811
    load_crime_elsewhere(place.west, place.force)
    page = client.get("/crime/wards/E05013807/").content.decode()
    assert "Not available yet" in page and "Crime figures: none are loaded for this ward yet" in page
    assert "fewer than 10" not in page
    ward_page = client.get("/wards/E05013807/").content.decode()
    assert "Crime figures: none are loaded for this ward yet" in ward_page
    assert 'id="crime-section-title"' not in ward_page
    loaded = client.get("/crime/wards/E05013806/").content.decode()
    assert "Not available yet" not in loaded
    assert "12 crimes (January 2024 to December 2024)" in loaded


def test_stop_and_search_alone_still_shows_the_crime_page(client, place):  # noqa: F811
    load_crime_elsewhere(place.west, place.force)
    StopFactory(ward=place.middle, force=place.force)
    import_run()
    page = client.get("/crime/wards/E05013807/").content.decode()
    assert "Not available yet" not in page
