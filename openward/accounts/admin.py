"""The Django admin: staff only, behind two-factor, and showing as little personal data as it can."""

from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse
from django_otp.admin import OTPAdminSite

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
class RoleGrantAdmin(admin.ModelAdmin):
    list_display = ["id", "user_id", "role", "ward", "cluster", "borough", "granted_at", "expires_at", "revoked_at"]
    list_filter = ["role"]
    raw_id_fields = ["user", "granted_by", "revoked_by", "ward", "cluster", "borough"]
