from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Mailbox(models.Model):
    """A member's email state: quiet hours, "stop all email", and whether their address bounces.

    One row per member who changed something or whose address bounced; a member without a row gets email
    with no quiet hours."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mailbox")
    quiet_start = models.TimeField(_("quiet hours from"), null=True, blank=True)
    quiet_end = models.TimeField(_("quiet hours until"), null=True, blank=True)
    # Set by "unsubscribe from all email" (a link in every email); the member resumes on the settings page.
    paused_at = models.DateTimeField(null=True, blank=True)
    # A permanent delivery failure (5xx) to this address: nothing is sent to it until the member clears it.
    # Kept with the address that bounced, so a changed address is tried again by itself.
    bouncing_address = models.EmailField(blank=True)
    bouncing_since = models.DateTimeField(null=True, blank=True)
    bounce_reason = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return f"mailbox of {self.user_id}"


class Delivery(models.Model):
    """One email to one member, from the moment the first notice is queued until it is sent or given up.

    ``queued`` collects notices for MAIL_BATCH_SECONDS (at most one queued delivery per member: a notice that
    arrives meanwhile joins it) and waits out quiet hours; ``sending`` is claimed by one job (a second copy of
    the job finds it taken and stops, so nothing is sent twice); ``retry`` waits after a temporary failure."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        RETRY = "retry", _("Waiting to retry")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        BOUNCED = "bounced", _("Bounced")
        DROPPED = "dropped", _("Nothing to send")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mail_deliveries")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    kinds = models.CharField(max_length=300, blank=True, help_text=_("The kinds in the email, comma-separated"))
    to_address = models.EmailField(blank=True)
    subject = models.CharField(max_length=300, blank=True)
    message_id = models.CharField(max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()
    due_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(status="queued"), name="mail_delivery_one_queued_per_member"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_at"], name="mail_delivery_due_idx"),
            models.Index(fields=["-created_at", "-id"], name="mail_delivery_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"delivery {self.pk} to {self.user_id}: {self.status}"


class DeliveryItem(models.Model):
    """One notice inside a delivery, named by its source (``notification``) and id. What it says is read from
    the source when the email is sent, through the source's own readability check (mail/sources.py)."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="items")
    source = models.CharField(max_length=40)
    source_id = models.BigIntegerField()
    kind = models.CharField(max_length=40)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "source_id"], name="mail_delivery_item_once"),
        ]
        indexes = [models.Index(fields=["kind"], name="mail_item_kind_idx")]

    def __str__(self) -> str:
        return f"{self.source} {self.source_id} in delivery {self.delivery_id}"


class OutboxMessage(models.Model):
    """An email kept on this machine instead of sent (EMAIL_URL=outbox://, what `courtyard demo` uses), so that
    the demo's admins can read what members would receive, on /mail/outbox/."""

    to = models.CharField(max_length=500)
    subject = models.CharField(max_length=300)
    text = models.TextField()
    html = models.TextField(blank=True)
    headers = models.TextField(help_text=_("The message's headers as sent"))
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.subject
