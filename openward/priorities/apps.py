from django.apps import AppConfig


class PrioritiesConfig(AppConfig):
    name = "openward.priorities"
    label = "priorities"

    def ready(self):
        from openward.core.hooks import autodiscover

        autodiscover(self.name)
