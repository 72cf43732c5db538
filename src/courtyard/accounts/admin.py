from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from courtyard.accounts.models import ApiToken, Invitation, User, UserSession


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ("email",)
    list_display = ("email", "is_active", "is_staff", "last_login", "date_joined")
    list_filter = ("is_active", "is_staff", "is_superuser")
    search_fields = ("email",)
    readonly_fields = ("last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Role"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(UserSession)
class UserSessionAdmin(admin.ModelAdmin):
    list_display = ("user", "ip_address", "created_at", "last_seen_at", "ended_at")
    list_select_related = ("user",)
    search_fields = ("user__email", "ip_address")
    # The session key is the cookie itself: whoever reads it can act as the member. Never shown.
    fields = ("user", "created_at", "last_seen_at", "ip_address", "user_agent", "ended_at")
    readonly_fields = fields

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at")
    list_select_related = ("user",)
    search_fields = ("user__email", "name", "prefix")
    # The hash stays out of sight: it is what a stolen database copy would be matched against.
    fields = ("user", "name", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at")
    readonly_fields = ("user", "name", "prefix", "created_at", "last_used_at", "expires_at")

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "invited_by", "created_at", "expires_at", "accepted_at")
    search_fields = ("email",)
    fields = ("email", "invited_by", "created_at", "expires_at", "accepted_at")
    readonly_fields = fields

    def has_add_permission(self, request: object) -> bool:
        return False
