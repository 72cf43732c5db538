from __future__ import annotations

from django.contrib import admin

from courtyard.core.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit log is written by services, never edited."""

    list_display = ("created_at", "action", "actor", "object_type", "object_id")
    list_filter = ("action",)
    list_select_related = ("actor",)
    search_fields = ("action", "object_id", "actor__email")
    date_hierarchy = "created_at"

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
