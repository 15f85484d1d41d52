"""People who use Open Ward. Email is the identity; no username, no name required."""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
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
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    username = None
    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(max_length=100, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    def __str__(self) -> str:
        return self.display_name or self.email


class Role(models.TextChoices):
    RESIDENT = "resident", "Resident"
    PANEL_MEMBER = "panel_member", "Ward panel member"
    PANEL_CHAIR = "panel_chair", "Ward panel chair"
    PANEL_VICE_CHAIR = "panel_vice_chair", "Ward panel vice-chair"
    OFFICER = "officer", "Neighbourhood officer"
    PCSO = "pcso", "Police community support officer"
    BOROUGH_LEAD = "borough_lead", "Borough lead"
    ANALYST = "analyst", "Analyst"
    MONITORING_GROUP = "monitoring_group", "Stop-and-search monitoring group member"
    SITE_ADMIN = "site_admin", "Site administrator"


STAFF_ROLES = frozenset(r for r in Role if r != Role.RESIDENT)


class RoleGrantQuerySet(models.QuerySet):
    def active(self):
        from django.utils import timezone

        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


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

    objects = RoleGrantQuerySet.as_manager()

    def __str__(self) -> str:
        place = self.ward or self.cluster or self.borough or "everywhere"
        return f"{self.user} – {self.get_role_display()} – {place}"
