from django.apps import AppConfig


class CensusConfig(AppConfig):
    name = "openward.census"
    label = "census"

    def ready(self):
        from openward.core.hooks import autodiscover

        autodiscover(self.name)
