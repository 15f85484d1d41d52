from django.apps import AppConfig

from openward.core.hooks import autodiscover


class PrioritiesConfig(AppConfig):
    name = "openward.priorities"
    label = "priorities"

    def ready(self):
        autodiscover(self.name)
