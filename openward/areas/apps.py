from django.apps import AppConfig

from openward.core.hooks import autodiscover


class AreasConfig(AppConfig):
    name = "openward.areas"
    label = "areas"
    verbose_name = "Areas"

    def ready(self):
        autodiscover(self.name)
