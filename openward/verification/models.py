"""Who lives, works or studies in which ward, and how sure we are of it.

A person has one membership per ward they care about (their home ward and wards of
interest). Each membership holds verification grants (level, method, who, when, expiry);
its level is the highest active grant, or 0 while the email is unconfirmed. Addresses are
kept only on a pending letter and erased when it is confirmed or expires; a keyed hash of
the address stays on the grant to spot one address verifying many accounts.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Case, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from openward.accounts.models import Relationship  # the choices a person picks at sign-up


class Level(models.IntegerChoices):
    UNCONFIRMED = 0, "Not confirmed"
    EMAIL = 1, "Email confirmed, postcode in the ward"
    ADDRESS = 2, "Address verified"


class Method(models.TextChoices):
    EMAIL_POSTCODE = "email_postcode", "Email confirmed with a postcode in the ward"
    LETTER = "letter", "Code on a letter posted to the address"
    OFFICER = "officer", "In person, by a neighbourhood officer"
    PANEL_CHAIR = "panel_chair", "In person, by a ward panel chair"
    FRONT_COUNTER = "front_counter", "In person, at a police front counter"


# What an in-person check must have seen: a photo identity document, and a recent document that
# shows the person's name at an address in the ward. Choosing from these lists is what makes the
# evidence mean something ("trust me" is not evidence).
class IdentityDocument(models.TextChoices):
    PASSPORT = "passport", "Passport"
    DRIVING_LICENCE = "driving_licence", "Photo driving licence"
    IDENTITY_CARD = "identity_card", "National identity card"
    RESIDENCE_PERMIT = "residence_permit", "Biometric residence permit or card"
    PASS_CARD = "pass_card", "Photo card with the PASS hologram"


class AddressDocument(models.TextChoices):
    COUNCIL_TAX = "council_tax", "Council tax bill for this year"
    UTILITY_BILL = "utility_bill", "Gas, electricity, water or broadband bill (last 3 months)"
    BANK_STATEMENT = "bank_statement", "Bank or building society statement (last 3 months)"
    TENANCY = "tenancy", "Tenancy agreement or mortgage statement"
    GOVERNMENT_LETTER = "government_letter", "Letter from HMRC, DWP or the council (last 12 months)"


class GrantQuerySet(models.QuerySet):
    def active(self, on=None):
        on = on or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=on))


class MembershipQuerySet(models.QuerySet):
    def with_level(self):
        """Annotate `current_level`: 0 until the email is confirmed, else the best active grant."""
        top = (
            VerificationGrant.objects.active().filter(membership=OuterRef("pk")).order_by("-level").values("level")[:1]
        )
        return self.annotate(
            current_level=Case(
                # An erased account keeps its level, so results by level still add up.
                When(user__email_confirmed_at__isnull=True, then=Value(0)),
                default=Coalesce(Subquery(top), Value(0)),
                output_field=models.IntegerField(),
            )
        )

    def for_ward(self, ward):
        return self.filter(ward=ward)

    def at_least(self, level: int):
        return self.with_level().filter(current_level__gte=level)

    def needing_review(self):
        return self.filter(needs_review=True)


class Membership(models.Model):
    """A person's tie to one ward: home or interest, and how they relate to it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    # PROTECT: a boundary change re-maps or flags people (remap.py), never drops them.
    ward = models.ForeignKey("areas.Ward", on_delete=models.PROTECT, related_name="memberships")
    relationship = models.CharField(max_length=16, choices=Relationship.choices, default=Relationship.LIVES)
    is_home = models.BooleanField(default=False)
    # The postcode that placed the person here, compact; kept to re-map on boundary changes,
    # blanked on erasure.
    postcode = models.CharField(max_length=7, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    needs_review = models.BooleanField(default=False)
    review_reason = models.CharField(max_length=300, blank=True)
    remapped_from = models.CharField(max_length=9, blank=True, help_text="GSS code of the ward before a re-map.")

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["-is_home", "created_at"]
        constraints = [models.UniqueConstraint(fields=["user", "ward"], name="one_membership_per_ward")]

    def __str__(self) -> str:
        return f"{self.user_id} – {self.ward.gss_code} ({self.relationship})"

    def current_grant(self):
        if self.user.email_confirmed_at is None:
            return None
        return self.grants.active().order_by("-level", "-granted_at").first()

    @property
    def level(self) -> int:
        grant = self.current_grant()
        return grant.level if grant else 0


class VerificationGrant(models.Model):
    """One verification: its level, method, who granted it, when, until when, and what was seen."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="grants")
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    method = models.CharField(max_length=20, choices=Method.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    evidence = models.CharField(max_length=200, blank=True, help_text="What was seen, never copies of it.")
    address_key = models.CharField(max_length=64, blank=True, db_index=True)
    possible_duplicate = models.BooleanField(default=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = GrantQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at"]


class LetterBatch(models.Model):
    """Letters printed together for the team to post."""

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    borough = models.ForeignKey("areas.Borough", on_delete=models.PROTECT, related_name="+")
    letter_count = models.PositiveIntegerField(default=0)
    sent_by = models.CharField(max_length=20, default="print", help_text='"print" or "notify".')

    class Meta:
        ordering = ["-created_at"]


class LetterQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(confirmed_at__isnull=True, erased_at__isnull=True, expires_at__gt=timezone.now())

    def unbatched(self):
        return self.pending().filter(batch__isnull=True)

    def lapsed(self):
        """Letters whose address must go: confirmed, or past their expiry, and not yet erased."""
        return self.filter(erased_at__isnull=True).filter(
            Q(confirmed_at__isnull=False) | Q(expires_at__lte=timezone.now())
        )


class AddressLetter(models.Model):
    """A letter with a one-time code, posted to an address; the address lives only while it is pending."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="letters")
    recipient = models.CharField(max_length=100, blank=True)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=7, blank=True)
    address_key = models.CharField(max_length=64, blank=True)
    code_hash = models.CharField(max_length=64, blank=True)
    # The code itself is needed until the letter is printed; blanked once it is.
    code = models.CharField(max_length=8, blank=True)
    possible_duplicate = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    batch = models.ForeignKey(LetterBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="letters")
    attempts = models.PositiveSmallIntegerField(default=0)
    locked_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)

    objects = LetterQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]


class InPersonReference(models.Model):
    """A short reference a person shows an officer, so the officer needs no search of people."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="in_person_references")
    reference_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
