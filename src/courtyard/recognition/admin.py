from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from courtyard.recognition.models import (
    AllowanceBalance,
    AllowanceEntry,
    Badge,
    BadgeAward,
    Celebration,
    Kudos,
    Settings,
    SpotlightEntry,
    Value,
)


@admin.register(Value)
class ValueAdmin(admin.ModelAdmin):
    list_display = ("name", "emoji", "position", "is_active")
    list_editable = ("position", "is_active")


@admin.register(Settings)
class SettingsAdmin(admin.ModelAdmin):
    list_display = ("allowance_enabled", "monthly_points", "per_recipient_limit", "max_points_per_kudos")


@admin.register(Kudos)
class KudosAdmin(admin.ModelAdmin):
    """Admins moderate kudos here (who sent it, when, withdrawn or not), but a private kudos is read only by its
    sender and those thanked, not even by admins: its message is never shown, searched or editable here, and
    nobody can make it public from here to read it."""

    list_display = ("id", "sender", "value", "is_private", "points", "created_at", "deleted_at")
    list_filter = ("is_private", "value")
    raw_id_fields = ("sender", "deleted_by")
    # Searching the text would reveal a private message word by word ("does it contain …?"): search by sender.
    search_fields = ("sender__full_name", "sender__user__email")
    readonly_fields = ("is_private", "share_with_manager", "message_html")
    private_fields = ("message", "message_html")

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_fields(request, obj))
        if obj is None or obj.is_private:
            fields = [name for name in fields if name not in self.private_fields]
        return fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # kudos are sent on the kudos pages, where points, privacy and notifications are handled


class ReadOnlyAdmin(admin.ModelAdmin):
    """The balances and the ledger change only through sends, so they always agree: nobody edits them here."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AllowanceBalance)
class AllowanceBalanceAdmin(ReadOnlyAdmin):
    list_display = ("member", "month", "granted", "spent")
    raw_id_fields = ("member",)


@admin.register(AllowanceEntry)
class AllowanceEntryAdmin(ReadOnlyAdmin):
    list_display = ("member", "month", "kind", "amount", "recipient", "created_at")
    raw_id_fields = ("member", "recipient", "kudos")


@admin.register(Celebration)
class CelebrationAdmin(admin.ModelAdmin):
    list_display = ("profile", "kind", "celebrated_on", "years")
    list_filter = ("kind",)
    raw_id_fields = ("profile",)


@admin.register(Badge)
class BadgeAdmin(admin.ModelAdmin):
    list_display = ("name", "emoji", "is_active")


@admin.register(BadgeAward)
class BadgeAwardAdmin(admin.ModelAdmin):
    list_display = ("profile", "automatic_key", "badge", "awarded_at")
    raw_id_fields = ("profile", "awarded_by")


@admin.register(SpotlightEntry)
class SpotlightEntryAdmin(admin.ModelAdmin):
    list_display = ("id", "kudos", "profile", "created_at", "removed_at")
    raw_id_fields = ("kudos", "profile", "added_by")
