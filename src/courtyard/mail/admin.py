from __future__ import annotations

from django.contrib import admin

from courtyard.mail.models import Delivery, Mailbox


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Read-only: deliveries are written by the email jobs. What an email said is not kept, only its subject."""

    list_display = ("created_at", "user", "status", "kinds", "attempts", "sent_at")
    list_filter = ("status",)
    list_select_related = ("user",)
    search_fields = ("user__email",)
    # The subject repeats words of the notice (a thread title, say): not shown beyond the member it was for.
    exclude = ("subject",)

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin):
    list_display = ("user", "quiet_start", "quiet_end", "paused_at", "bouncing_since")
    list_select_related = ("user",)
    search_fields = ("user__email",)
