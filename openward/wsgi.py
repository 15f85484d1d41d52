"""WSGI entry point. A server loading it (gunicorn, with --preload under `manage.py serve`) also loads what the
first requests would otherwise load while a person waits (openward.core.warmup)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openward.settings.dev")
application = get_wsgi_application()

if os.environ.get("OPENWARD_WARM_UP", "1") != "0":
    from openward.core.warmup import warm

    warm()
