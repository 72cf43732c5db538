from django.contrib import admin

from courtyard.welcome.models import Buddying, BuddyOffer, Journey, WelcomeSettings


@admin.register(WelcomeSettings)
class WelcomeSettingsAdmin(admin.ModelAdmin):
    list_display = ("__str__", "hello_thread")
    raw_id_fields = ("hello_thread",)


@admin.register(Buddying)
class BuddyingAdmin(admin.ModelAdmin):
    list_display = ("newcomer", "buddy", "assigned_at", "assigned_by")
    raw_id_fields = ("newcomer", "buddy", "assigned_by")
    search_fields = ("newcomer__full_name", "buddy__full_name")


@admin.register(BuddyOffer)
class BuddyOfferAdmin(admin.ModelAdmin):
    list_display = ("profile", "capacity", "created_at")
    raw_id_fields = ("profile",)


@admin.register(Journey)
class JourneyAdmin(admin.ModelAdmin):
    list_display = ("profile", "dismissed_at", "buddy_asked_at")
    raw_id_fields = ("profile",)
