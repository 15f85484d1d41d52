from django.apps import AppConfig


class VerificationConfig(AppConfig):
    name = "openward.verification"
    label = "verification"

    def ready(self):
        from openward.core.hooks import autodiscover

        autodiscover(self.name)
