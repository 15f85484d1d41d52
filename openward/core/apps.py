from django.apps import AppConfig
from django.core import checks


class CoreConfig(AppConfig):
    name = "openward.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        from . import pagecache
        from .access import check_every_view_has_a_rule

        # Tagged "url" so it runs wherever Django checks the URL configuration (runserver, check, tests).
        checks.register(check_every_view_has_a_rule, checks.Tags.urls)
        pagecache.connect()
