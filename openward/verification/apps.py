from django.apps import AppConfig


class VerificationConfig(AppConfig):
    name = "openward.verification"
    label = "verification"
