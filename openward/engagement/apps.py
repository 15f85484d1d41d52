from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "openward.engagement"
    label = "engagement"

    def ready(self):
        from openward.core.hooks import autodiscover

        autodiscover(self.name)
