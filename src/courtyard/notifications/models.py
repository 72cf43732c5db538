from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=40)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=500)
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    # Not stored: set when shown, true when the recipient can no longer read the target (notifications.targets).
    withheld: bool = False

    class Meta:
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_recipient_idx"),
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}: {self.text}"


class Preference(models.Model):
    """A member's channel for one kind (domain/kinds.py), stored only when it differs from the default."""

    class Channel(models.TextChoices):
        APP = "app", _("In the app only")
        EMAIL = "email", _("Email now")
        DIGEST = "digest", _("In my digest")
        OFF = "off", _("Off")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences")
    kind = models.CharField(max_length=40)
    channel = models.CharField(max_length=10, choices=Channel.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}={self.channel}"
