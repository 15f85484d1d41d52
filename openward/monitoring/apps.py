from django.apps import AppConfig

from openward.core.hooks import autodiscover


class MonitoringConfig(AppConfig):
    name = "openward.monitoring"
    label = "monitoring"

    def ready(self):
        autodiscover(self.name)
