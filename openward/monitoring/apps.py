from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "openward.monitoring"
    label = "monitoring"

    def ready(self):
        from openward.core.hooks import autodiscover

        autodiscover(self.name)
