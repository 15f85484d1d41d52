from django.apps import AppConfig

from openward.core.hooks import autodiscover


class PatrolsConfig(AppConfig):
    name = "openward.patrols"
    label = "patrols"

    def ready(self):
        autodiscover(self.name)
