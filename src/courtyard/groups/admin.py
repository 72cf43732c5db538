"""The Django admin for groups: look up and correct, never a second place for the rules (services are)."""

from __future__ import annotations

from django.contrib import admin

from courtyard.groups.models import Group


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    # Who may read and who may join side by side: the pair, not either alone, decides what outsiders see.
    list_display = ("name", "kind", "read_access", "join_policy", "member_count", "archived_at")
    list_filter = ("read_access", "join_policy", "kind")
    search_fields = ("name", "slug")
    raw_id_fields = ("created_by",)
    filter_horizontal = ("tags",)
    # Counters are kept by services with F() expressions; the rendered description follows the Markdown.
    readonly_fields = ("member_count", "thread_count", "last_activity_at", "description_html")
