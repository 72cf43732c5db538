"""The Django admin for events: look up and correct, never a second place for the rules (services are)."""

from __future__ import annotations

from django.contrib import admin

from courtyard.events.models import Event, EventHost, Occurrence, Question, Rsvp


class HostInline(admin.TabularInline):
    model = EventHost
    extra = 0
    raw_id_fields = ("profile",)


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "format", "visibility", "group", "start_date", "frequency", "cancelled_at")
    list_filter = ("kind", "format", "visibility", "frequency")
    search_fields = ("title",)
    raw_id_fields = ("group", "created_by")
    inlines = (HostInline, QuestionInline)
    date_hierarchy = "start_date"


@admin.register(Occurrence)
class OccurrenceAdmin(admin.ModelAdmin):
    list_display = ("event", "start_at", "capacity", "seats_taken", "going_count", "waitlist_count", "attended_count",
                    "cancelled_at")
    raw_id_fields = ("event",)
    # Seats and counters are kept by services under a lock: changing them here would break the count.
    readonly_fields = ("seats_taken", "going_count", "maybe_count", "waitlist_count", "waitlist_seq", "attended_count",
                       "sequence")


@admin.register(Rsvp)
class RsvpAdmin(admin.ModelAdmin):
    list_display = ("profile", "occurrence", "status", "guests", "waitlist_position", "attendance")
    list_filter = ("status", "attendance")
    raw_id_fields = ("occurrence", "profile", "checked_in_by")
    readonly_fields = ("status", "guests", "waitlist_position")
