from django.apps import AppConfig


class PrioritiesConfig(AppConfig):
    name = "openward.priorities"
    label = "priorities"
