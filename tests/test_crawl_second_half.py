"""The second half of the crawl of every page as every persona (tests/test_crawl.py says what it checks): a file
of its own, so the test runner's two workers crawl the two halves at once."""

import pytest

from tests.test_crawl import crawl_pages, crawl_part, world  # noqa: F401 (world is the crawl's fixture)


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_page_as_every_persona_second_half(browser, live_server, world):  # noqa: F811
    crawl_pages(browser, live_server, world, crawl_part(1))
