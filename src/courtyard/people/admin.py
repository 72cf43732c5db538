from __future__ import annotations

from typing import Any

from django.contrib import admin

from courtyard.people.models import Department, Location, Profile, Tag, Team
from courtyard.people.selectors import directory_options_invalidate
from courtyard.people.services import department_update, profile_search_refresh


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("full_name", "preferred_name", "title", "department", "team", "location", "start_date", "is_active")
    list_filter = ("is_active", "department", "location")
    list_select_related = ("department", "team", "location")
    search_fields = ("full_name", "preferred_name", "user__email", "employee_id")
    autocomplete_fields = ("user", "manager", "department", "team", "location", "interests", "skills")
    readonly_fields = ("search_document", "created_at", "updated_at")

    def save_related(self, request: Any, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # The directory searches a document built from the profile and its tags: rebuild it after an edit here.
        profile_search_refresh(form.instance)


class TreeAdmin(admin.ModelAdmin):
    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        directory_options_invalidate()


@admin.register(Department)
class DepartmentAdmin(TreeAdmin):
    list_display = ("path", "depth")
    search_fields = ("name", "path")
    readonly_fields = ("path", "depth")

    fields = ("name", "parent", "path", "depth")

    def save_model(self, request: Any, obj: Department, form: Any, change: bool) -> None:
        # Paths of the whole subtree and members' search documents must follow a rename or a move.
        department_update(actor=request.user, department=obj, name=obj.name, parent=obj.parent)
        directory_options_invalidate()


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "department")
    list_select_related = ("department",)
    search_fields = ("name",)


@admin.register(Location)
class LocationAdmin(TreeAdmin):
    list_display = ("name", "timezone")
    search_fields = ("name",)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "slug")
    list_filter = ("kind",)
    search_fields = ("name", "slug")
