from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "openward.engagement"
    label = "engagement"
