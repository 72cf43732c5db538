from __future__ import annotations

from django.contrib import admin

from courtyard.pairing.models import CoffeeRound, FormedTeam, MentorshipMatch, Program, Signup


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "scope", "status", "owner", "created_at", "next_round_at")
    list_filter = ("kind", "scope", "status")
    list_select_related = ("owner",)
    search_fields = ("name",)
    raw_id_fields = ("owner", "group")
    readonly_fields = ("created_at", "next_round_at", "description_html")


@admin.register(Signup)
class SignupAdmin(admin.ModelAdmin):
    list_display = ("profile", "program", "role", "created_at", "withdrawn_at", "snoozed_until")
    list_filter = ("role",)
    list_select_related = ("profile", "program")
    raw_id_fields = ("profile", "program", "preferred_mentors", "skills")


@admin.register(CoffeeRound)
class CoffeeRoundAdmin(admin.ModelAdmin):
    list_display = ("program", "round_date", "status", "participants", "groups", "unmatched", "method")
    list_select_related = ("program",)
    readonly_fields = ("started_at", "finished_at", "follow_up_sent_at")


@admin.register(MentorshipMatch)
class MentorshipMatchAdmin(admin.ModelAdmin):
    """Matches without their check-ins: notes are private to the pair."""

    list_display = ("program", "mentee", "mentor", "status", "score", "locked")
    list_filter = ("status",)
    list_select_related = ("program", "mentee__profile", "mentor__profile")
    raw_id_fields = ("program", "mentee", "mentor", "rematch_requested_by")


@admin.register(FormedTeam)
class FormedTeamAdmin(admin.ModelAdmin):
    list_display = ("name", "program", "score", "group")
    list_select_related = ("program", "group")
    raw_id_fields = ("program", "group")
