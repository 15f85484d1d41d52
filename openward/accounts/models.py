"""People who use Open Ward. Email is the identity; no username, no name required.

Erasure keeps the User row and blanks its personal fields (see erasure.py): ballots, RSVPs
and other contributions point at the row, so totals stay right while nobody can tell whose
they were.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        from .identity import email_key

        if not email:
            raise ValueError("An email address is required.")
        email = self.normalize_email(email).lower()
        extra.setdefault("email_key", email_key(email))
        user = self.model(email=email, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("email_confirmed_at", timezone.now())
        return self._create_user(email, password, **extra)

    def confirmed(self):
        return self.filter(email_confirmed_at__isnull=False, erased_at__isnull=True, is_active=True)

    def consenting_to(self, purpose: str):
        """Confirmed, active people who said yes to `purpose` (e.g. Purpose.NOTIFICATIONS)."""
        return self.confirmed().filter(consents__purpose=purpose, consents__granted=True)


class User(AbstractUser):
    username = None
    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(max_length=100, blank=True)
    # One person, one account: the email with gmail dots and +tags removed (identity.email_key).
    email_key = models.CharField(max_length=254, unique=True, null=True, blank=True)
    email_confirmed_at = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    def __str__(self) -> str:
        if self.erased_at:
            return f"Erased account {self.pk}"
        return self.display_name or self.email

    @property
    def is_confirmed(self) -> bool:
        return self.email_confirmed_at is not None and self.erased_at is None


class Role(models.TextChoices):
    RESIDENT = "resident", "Resident"
    PANEL_MEMBER = "panel_member", "Ward panel member"
    PANEL_CHAIR = "panel_chair", "Ward panel chair"
    PANEL_VICE_CHAIR = "panel_vice_chair", "Ward panel vice-chair"
    OFFICER = "officer", "Neighbourhood officer"
    PCSO = "pcso", "Police community support officer"
    SERGEANT = "sergeant", "Neighbourhood sergeant"
    INSPECTOR = "inspector", "Neighbourhood inspector"
    BOROUGH_LEAD = "borough_lead", "Borough lead"
    ANALYST = "analyst", "Analyst"
    # A borough's stop-and-search community monitoring group (openward/monitoring says who does what).
    # The reviewer keeps the value the group's one role had, so earlier members are its reviewers.
    MONITORING_CHAIR = "monitoring_chair", "Stop-and-search monitoring group chair"
    MONITORING_REVIEWER = "monitoring_group", "Stop-and-search monitoring group reviewer"
    MONITORING_LIAISON = "monitoring_liaison", "Force liaison to a stop-and-search monitoring group"
    SITE_ADMIN = "site_admin", "Site administrator"


STAFF_ROLES = frozenset(r for r in Role if r != Role.RESIDENT)


class RoleGrantQuerySet(models.QuerySet):
    def active(self):
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )

    def staff(self):
        return self.filter(role__in=STAFF_ROLES)


class RoleGrant(models.Model):
    """A role held for a place: a ward, a cluster, a borough, or (no place) everywhere."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(max_length=32, choices=Role.choices)
    ward = models.ForeignKey("areas.Ward", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    cluster = models.ForeignKey("areas.Cluster", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    borough = models.ForeignKey("areas.Borough", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    granted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = RoleGrantQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.place_name}"

    @property
    def place(self):
        return self.ward or self.cluster or self.borough

    @property
    def place_name(self) -> str:
        return str(self.place) if self.place else "everywhere"


class Relationship(models.TextChoices):
    """How a person is connected to a ward (asked at sign-up; kept on each ward membership)."""

    LIVES = "lives", "I live here"
    WORKS = "works", "I work here"
    BUSINESS = "business", "I run a business here"
    STUDIES = "studies", "I study here"


class Purpose(models.TextChoices):
    NOTIFICATIONS = "notifications", "Email me notices, bulletins and event invitations for my wards"
    RESEARCH = "research", "Researchers may contact me about taking part in studies"


class Consent(models.Model):
    """A person's current answer for one purpose; changes are audited."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(max_length=32, choices=Purpose.choices)
    granted = models.BooleanField(default=False)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "purpose"], name="one_consent_per_purpose")]


class EmailLinkQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(used_at__isnull=True, expires_at__gt=timezone.now())


class EmailLink(models.Model):
    """A single-use, expiring link sent by email; only a hash of its secret is stored."""

    class Purpose(models.TextChoices):
        CONFIRM = "confirm", "Confirm email address"
        SIGN_IN = "sign_in", "Sign in"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="email_links")
    purpose = models.CharField(max_length=16, choices=Purpose.choices)
    secret_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    objects = EmailLinkQuerySet.as_manager()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class ApiToken(models.Model):
    """A personal API token (Authorization: Bearer …); only its hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80)
    prefix = models.CharField(max_length=12, help_text="First characters, so a person can tell tokens apart.")
    key_hash = models.CharField(max_length=64, unique=True)
    # Minted in a session that passed two-factor: staff calls made with it count as verified.
    second_factor = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
