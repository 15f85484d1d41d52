from django.apps import AppConfig

from openward.core.hooks import autodiscover


class PoliceukConfig(AppConfig):
    name = "openward.policeuk"
    label = "policeuk"

    def ready(self):
        autodiscover(self.name)
