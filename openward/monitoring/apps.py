from importlib import import_module

from django.apps import AppConfig

from openward.core.hooks import autodiscover


class MonitoringConfig(AppConfig):
    name = "openward.monitoring"
    label = "monitoring"

    def ready(self):
        autodiscover(self.name)
        import_module(f"{self.name}.meetings")  # registers the chair's page for a meeting with engagement
