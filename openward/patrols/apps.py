from django.apps import AppConfig


class PatrolsConfig(AppConfig):
    name = "openward.patrols"
    label = "patrols"

    def ready(self):
        from openward.core.hooks import autodiscover

        autodiscover(self.name)
