"""The Django admin: staff only, behind two-factor, and showing as little personal data as it can."""

from django.contrib import admin
from django.contrib.auth.models import Group
from django.shortcuts import redirect
from django.urls import reverse
from django_otp.admin import OTPAdminSite
from django_otp.plugins.otp_totp.models import TOTPDevice

from openward.core.admin_audit import AuditedAdmin, ReadOnlyAdmin

from .models import RoleGrant


class StaffAdminSite(OTPAdminSite):
    """Admin pages need a staff account that passed two-factor; signing in goes through our own pages."""

    def has_permission(self, request):
        user = request.user
        return user.is_active and user.is_staff and user.is_verified()

    def login(self, request, extra_context=None):
        if request.user.is_authenticated:
            return redirect(f"{reverse('accounts:two-factor')}?next={request.get_full_path()}")
        return redirect(f"{reverse('accounts:sign-in')}?next={request.get_full_path()}")


@admin.register(RoleGrant)
class RoleGrantAdmin(ReadOnlyAdmin):
    """Read only: roles are granted and removed on the roles pages (the grant_role and revoke_role services,
    which check who may grant what and audit it); opening the list or a grant is audited as those pages are."""

    shows_personal_data = True
    list_display = ["id", "user_id", "role", "ward", "cluster", "borough", "granted_at", "expires_at", "revoked_at"]
    list_filter = ["role"]
    raw_id_fields = ["user", "granted_by", "revoked_by", "ward", "cluster", "borough"]


class AuthenticatorAdmin(AuditedAdmin):
    """Staff authenticators, by account number: never their keys (django_otp's own admin shows the key and its
    QR code, with which anyone with admin access could pass as that person's second factor), none added or
    changed here. Deleting one lets a person who lost theirs set up a new one at their next sign-in (audited)."""

    shows_personal_data = True
    list_display = ["id", "user_id", "name", "confirmed", "created_at", "last_used_at"]
    list_filter = ["confirmed"]
    fields = ["user_id", "name", "confirmed", "created_at", "last_used_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)
admin.site.register(TOTPDevice, AuthenticatorAdmin)

# Django's permission groups are not how Open Ward grants anything (roles are, on the roles pages): the Group
# pages would hand admin permissions to staff accounts outside the audited services, so they are not offered.
if admin.site.is_registered(Group):
    admin.site.unregister(Group)
