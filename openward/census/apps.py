from django.apps import AppConfig

from openward.core.hooks import autodiscover


class CensusConfig(AppConfig):
    name = "openward.census"
    label = "census"

    def ready(self):
        autodiscover(self.name)
