from django.apps import AppConfig

from openward.accounts import residence
from openward.areas.signals import ward_generation_imported
from openward.core.hooks import autodiscover


class VerificationConfig(AppConfig):
    name = "openward.verification"
    label = "verification"

    def ready(self):
        autodiscover(self.name)

        from . import places, services
        from .remap import remap_after_boundary_import

        ward_generation_imported.connect(remap_after_boundary_import, dispatch_uid="verification-remap")
        # Accounts reaches ward membership through this registry, so it never imports verification.
        residence.register(
            residence.Residence(
                ward_for_postcode=places.ward_for_postcode,
                relationship_problem=services.relationship_problem,
                join_ward=services.join_ward,
                grant_email_level=services.grant_email_level,
            )
        )
        residence.register_retention("letter_addresses", services.erase_lapsed_letters)
