from django.apps import AppConfig

from openward.core.hooks import autodiscover


class CrimeConfig(AppConfig):
    name = "openward.crime"
    label = "crime"

    def ready(self):
        autodiscover(self.name)
