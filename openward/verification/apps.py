from django.apps import AppConfig


class VerificationConfig(AppConfig):
    name = "openward.verification"
    label = "verification"

    def ready(self):
        from openward.core.hooks import autodiscover

        autodiscover(self.name)

        from openward.areas.signals import ward_generation_imported

        from .remap import remap_after_boundary_import

        ward_generation_imported.connect(remap_after_boundary_import, dispatch_uid="verification-remap")
