from django.apps import AppConfig

from openward.core.hooks import autodiscover


class EngagementConfig(AppConfig):
    name = "openward.engagement"
    label = "engagement"

    def ready(self):
        autodiscover(self.name)
