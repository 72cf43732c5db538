"""The newcomer journey's few rows. Progress is never stored: it is recomputed from the facts each time."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from courtyard.people.models import Profile
from courtyard.welcome.domain.buddies import DEFAULT_CAPACITY


class Journey(models.Model):
    """A member's choices about their own journey: whether the checklist card is dismissed, and whether they
    asked for a buddy (needed when they hide their start date: nobody learns they are new unless they ask)."""

    profile = models.OneToOneField(Profile, on_delete=models.CASCADE, related_name="journey")
    dismissed_at = models.DateTimeField(null=True, blank=True)
    buddy_asked_at = models.DateTimeField(null=True, blank=True)
    # When their manager and buddy were nudged about no connection after three weeks (once per newcomer).
    nudged_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"journey of {self.profile_id}"


class BuddyOffer(models.Model):
    """"I'd be a buddy": a member offers to look after up to ``capacity`` newcomers at a time."""

    profile = models.OneToOneField(Profile, on_delete=models.CASCADE, related_name="buddy_offer")
    capacity = models.PositiveSmallIntegerField(default=DEFAULT_CAPACITY)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1, capacity__lte=5), name="buddy_offer_capacity_range"),
        ]

    def __str__(self) -> str:
        return f"{self.profile_id} offers to be a buddy"


class Buddying(models.Model):
    """A newcomer's buddy, with the engine's reasons and who chose them (None: the assignment job)."""

    newcomer = models.OneToOneField(Profile, on_delete=models.CASCADE, related_name="buddying")
    buddy = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="buddy_of")
    why = models.CharField(max_length=300, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    assigned_at = models.DateTimeField()
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(newcomer=models.F("buddy")), name="buddying_not_self"),
        ]
        indexes = [models.Index(fields=["buddy"], name="buddying_buddy_idx")]

    def __str__(self) -> str:
        return f"{self.buddy_id} is buddy of {self.newcomer_id}"


class WelcomeSettings(models.Model):
    """The one row of settings: which discussion is the newcomers' thread ("say hello")."""

    hello_thread = models.ForeignKey(
        "groups.Thread", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The discussion where newcomers say hello; a post or reply there ticks the step.",
    )

    class Meta:
        verbose_name_plural = "welcome settings"

    def __str__(self) -> str:
        return "Welcome settings"
