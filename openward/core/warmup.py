"""Load, once per web server, what the first requests would otherwise load while a person waits.

Management commands and tests import scipy (and the rest) only where a figure is computed, so that they
start fast (bench/bench_startup.py). A web server is the other way round: the first hot-spot or trend
answer in each worker would import scipy on its request (4 s on an idle 2-core machine, 15 s on a busy
one: past the request deadline). openward/wsgi.py calls warm() when a server loads the application;
`manage.py serve` runs gunicorn with --preload, so the master does it once and every worker is forked
with it done.
"""

from __future__ import annotations

import importlib

# Modules a request may need that are slow to import, loaded where they are used (not at start-up).
SLOW_IMPORTS = ("scipy.stats", "scipy.sparse", "scipy.special")


def warm() -> None:
    from django.db import connections
    from django.urls import get_resolver

    for name in SLOW_IMPORTS:
        importlib.import_module(name)
    # Every view module is imported when the URLconf is. django-ninja builds the API's schema afresh on each
    # request for it, but the first build (its pydantic models' schemas) is the slow one: done here.
    get_resolver().url_patterns  # noqa: B018
    from openward.api import api

    api.get_openapi_schema()
    # Nothing above should have needed the database; if something did, its connection is not handed to
    # forked workers.
    connections.close_all()
