"""Django admin for surveys: questions, surveys, pulses, ideas and actions.

Deliberately absent: ``Answer``, ``AttributedAnswer``, ``Response`` and ``Recipient``. The admin shows rows one
by one, and one anonymous answer row is exactly what nobody may see; aggregates live on the results page.
An anonymous idea's admin page shows no author (there is none) and never its mailbox fields.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from courtyard.surveys.models import Action, Idea, IdeaComment, PulseSeries, Question, Survey


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("text", "kind", "theme", "in_bank", "is_active")
    list_filter = ("kind", "theme", "is_active")
    search_fields = ("text",)
    readonly_fields = ("key", "created_by", "created_at")


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ("title", "status", "anonymous", "response_count", "recipient_count", "closes_at")
    list_filter = ("status", "anonymous")
    search_fields = ("title",)
    fields = ("title", "description", "status", "anonymous", "allow_changes", "audience", "min_group_size",
              "min_comment_group_size", "closes_at", "opened_at", "closed_at", "recipient_count", "response_count")
    readonly_fields = ("status", "anonymous", "allow_changes", "audience", "min_group_size", "min_comment_group_size",
                       "opened_at", "closed_at", "recipient_count", "response_count")

    def has_add_permission(self, request: Any) -> bool:
        return False  # surveys are made on Voice's own pages, where the anonymity rules are applied


@admin.register(PulseSeries)
class PulseSeriesAdmin(admin.ModelAdmin):
    list_display = ("title", "interval_days", "rounds", "is_active", "next_open_at")
    list_filter = ("is_active",)
    exclude = ("departments", "locations", "groups")

    def has_add_permission(self, request: Any) -> bool:
        return False


@admin.register(Idea)
class IdeaAdmin(admin.ModelAdmin):
    list_display = ("title", "status", "anonymous", "vote_count", "comment_count", "created_at")
    list_filter = ("status", "anonymous")
    search_fields = ("title",)
    fields = ("title", "body", "status", "anonymous", "vote_count", "comment_count", "created_at")
    readonly_fields = ("anonymous", "vote_count", "comment_count", "created_at")

    def has_add_permission(self, request: Any) -> bool:
        return False


@admin.register(IdeaComment)
class IdeaCommentAdmin(admin.ModelAdmin):
    list_display = ("idea", "author", "official", "created_at")
    list_filter = ("official",)
    list_select_related = ("idea", "author")
    readonly_fields = ("idea", "author", "official", "created_at")
    fields = ("idea", "author", "official", "body", "created_at")


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ("title", "survey", "idea", "published_at")
    list_select_related = ("survey", "idea")
    readonly_fields = ("survey", "idea", "published_by", "published_at")
