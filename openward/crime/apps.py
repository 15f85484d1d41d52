from django.apps import AppConfig


class CrimeConfig(AppConfig):
    name = "openward.crime"
    label = "crime"

    def ready(self):
        from openward.core.hooks import autodiscover

        autodiscover(self.name)
