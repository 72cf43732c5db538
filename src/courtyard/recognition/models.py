"""Recognition: values, kudos (to people, teams and groups), co-senders, reactions, the allowance ledger,
celebrations, badges and the spotlight."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from courtyard.people.models import Profile, Team


class Value(models.Model):
    """One of the organization's values ("🤝 Customers first"), defined by admins; kudos may be tagged with one."""

    name = models.CharField(max_length=60)
    emoji = models.CharField(max_length=16, blank=True)
    description = models.TextField(blank=True, max_length=1000)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["position", "name"]
        constraints = [models.UniqueConstraint(fields=["name"], name="recognition_value_unique_name")]

    def __str__(self) -> str:
        return f"{self.emoji} {self.name}".strip()


class Settings(models.Model):
    """The organization's recognition settings: one row (pk=1), changed by admins."""

    allowance_enabled = models.BooleanField(default=False)
    monthly_points = models.PositiveIntegerField(default=100)
    per_recipient_limit = models.PositiveIntegerField(default=50)
    max_points_per_kudos = models.PositiveIntegerField(default=25)
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "settings"
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="recognition_settings_singleton"),
            models.CheckConstraint(condition=Q(monthly_points__lte=100_000), name="recognition_settings_sane_allowance"),
        ]

    def __str__(self) -> str:
        return "Recognition settings"


class Kudos(models.Model):
    sender = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="kudos_sent")
    message = models.TextField(max_length=4000)
    # Rendered once when written (Markdown, sanitized), not on every view.
    message_html = models.TextField(blank=True)
    value = models.ForeignKey(Value, null=True, blank=True, on_delete=models.SET_NULL, related_name="kudos")
    is_private = models.BooleanField(default=False)
    share_with_manager = models.BooleanField(default=False)
    points = models.PositiveIntegerField(default=0, help_text="Points each person thanked by name receives.")
    created_at = models.DateTimeField()
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(Profile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Counters kept by services with F() expressions, so the wall needs no COUNT per kudos.
    co_sender_count = models.PositiveIntegerField(default=0)
    reaction_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = "kudos"
        indexes = [
            models.Index(fields=["deleted_at", "-created_at", "-id"], name="kudos_wall_idx"),
            models.Index(fields=["sender", "-created_at"], name="kudos_sender_idx"),
            models.Index(fields=["value", "-created_at"], name="kudos_value_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(share_with_manager=False) | Q(is_private=True), name="kudos_manager_share_only_private"),
        ]

    def __str__(self) -> str:
        return f"Kudos {self.pk} from {self.sender_id}"


class KudosRecipient(models.Model):
    """Who a kudos names: a person, a team or a group (exactly one per row)."""

    kudos = models.ForeignKey(Kudos, on_delete=models.CASCADE, related_name="recipients")
    profile = models.ForeignKey(Profile, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey("groups.Group", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(profile__isnull=False, team__isnull=True, group__isnull=True)
                    | Q(profile__isnull=True, team__isnull=False, group__isnull=True)
                    | Q(profile__isnull=True, team__isnull=True, group__isnull=False)
                ),
                name="kudos_recipient_one_target",
            ),
        ]
        indexes = [
            models.Index(fields=["team"], name="kudos_recipient_team_idx"),
            models.Index(fields=["group"], name="kudos_recipient_group_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kudos_id} → {self.profile_id or self.team_id or self.group_id}"


class KudosReceiver(models.Model):
    """Every person a kudos thanked: those named, and the members of a named team or group at that moment
    (see services.TEAM_KUDOS_MAX_MEMBERS). Profiles, private visibility, badges and the manager view read it."""

    class Via(models.TextChoices):
        PERSON = "person", _("Named")
        TEAM = "team", _("Team")
        GROUP = "group", _("Group")

    kudos = models.ForeignKey(Kudos, on_delete=models.CASCADE, related_name="receivers")
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="kudos_received")
    via = models.CharField(max_length=6, choices=Via.choices, default=Via.PERSON)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kudos", "profile"], name="kudos_receiver_unique")]
        indexes = [models.Index(fields=["profile", "-created_at"], name="kudos_receiver_profile_idx")]

    def __str__(self) -> str:
        return f"{self.kudos_id} → {self.profile_id}"


class KudosCoSender(models.Model):
    """"+1 — I agree": a colleague who joins in the thanks becomes a co-sender."""

    kudos = models.ForeignKey(Kudos, on_delete=models.CASCADE, related_name="co_senders")
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="kudos_co_sent")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["kudos", "profile"], name="kudos_co_sender_unique")]
        indexes = [models.Index(fields=["profile", "-created_at"], name="kudos_co_sender_profile_idx")]

    def __str__(self) -> str:
        return f"+1 by {self.profile_id} on {self.kudos_id}"


class KudosReaction(models.Model):
    """A reaction of the organization's configured set (the same kinds as discussions)."""

    kudos = models.ForeignKey(Kudos, on_delete=models.CASCADE, related_name="reactions")
    kind = models.ForeignKey("groups.ReactionKind", on_delete=models.CASCADE, related_name="+")
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kudos", "kind", "profile"], name="kudos_reaction_unique")]

    def __str__(self) -> str:
        return f"{self.kind_id} by {self.profile_id} on {self.kudos_id}"


class AllowanceBalance(models.Model):
    """One member's allowance for one month (their time zone). Sends lock this row (select_for_update), so
    concurrent sends are serialized and never overspend; the check constraint is the last line of defence."""

    member = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="allowance_balances")
    month = models.DateField(help_text="The first day of the month.")
    granted = models.PositiveIntegerField()
    spent = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "month"], name="allowance_balance_unique"),
            models.CheckConstraint(condition=Q(spent__lte=models.F("granted")), name="allowance_never_overspent"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.month:%Y-%m}: {self.spent}/{self.granted}"

    @property
    def remaining(self) -> int:
        return self.granted - self.spent


class AllowanceEntry(models.Model):
    """The append-only ledger: grants (+), spends (−, one per recipient) and refunds (+)."""

    class Kind(models.TextChoices):
        GRANT = "grant", _("Monthly allowance")
        SPEND = "spend", _("Given")
        REFUND = "refund", _("Returned")

    member = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="allowance_entries")
    month = models.DateField()
    kind = models.CharField(max_length=6, choices=Kind.choices)
    amount = models.IntegerField()
    kudos = models.ForeignKey(Kudos, null=True, blank=True, on_delete=models.SET_NULL, related_name="ledger_entries")
    recipient = models.ForeignKey(Profile, null=True, blank=True, on_delete=models.SET_NULL, related_name="points_received")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["member", "month"], name="allowance_entry_member_idx"),
            models.Index(fields=["recipient", "month"], name="allowance_entry_recipient_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="spend", amount__lt=0) | Q(kind__in=["grant", "refund"], amount__gt=0)),
                name="allowance_entry_sign",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.kind} {self.amount}"


class CelebrationPreference(models.Model):
    """A member's celebration choices: an opt-in birthday (day and month only, never a year) and opt-outs."""

    profile = models.OneToOneField(Profile, on_delete=models.CASCADE, related_name="celebration_preference")
    birthday_month = models.PositiveSmallIntegerField(null=True, blank=True)
    birthday_day = models.PositiveSmallIntegerField(null=True, blank=True)
    skip_anniversary = models.BooleanField(default=False)
    skip_welcome = models.BooleanField(default=False)
    skip_milestone = models.BooleanField(default=False)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(birthday_month__isnull=True, birthday_day__isnull=True)
                | Q(birthday_month__gte=1, birthday_month__lte=12, birthday_day__gte=1, birthday_day__lte=31),
                name="celebration_birthday_day_and_month",
            ),
        ]
        indexes = [models.Index(fields=["birthday_month", "birthday_day"], name="celebration_birthday_idx")]

    def __str__(self) -> str:
        return f"Celebrations of {self.profile_id}"


class Celebration(models.Model):
    """One celebration of one member. ``key`` makes retries of the scheduled job create nothing twice."""

    class Kind(models.TextChoices):
        ANNIVERSARY = "anniversary", _("Work anniversary")
        BIRTHDAY = "birthday", _("Birthday")
        WELCOME = "welcome", _("Welcome")
        MILESTONE = "milestone", _("Milestone")

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="celebrations")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    key = models.CharField(max_length=80)
    occasion = models.DateField(help_text="The day it is about (a birthday's year is the celebration's, never a birth year).")
    celebrated_on = models.DateField(help_text="The member's local day it is celebrated (weekends: the Friday before).")
    years = models.PositiveSmallIntegerField(null=True, blank=True)
    title = models.CharField(max_length=200, blank=True, help_text="For milestones: what was achieved.")
    program_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["profile", "kind", "key"], name="celebration_unique_key")]
        indexes = [models.Index(fields=["-celebrated_on", "-id"], name="celebration_day_idx")]

    def __str__(self) -> str:
        return f"{self.kind} of {self.profile_id} on {self.celebrated_on}"


class Badge(models.Model):
    """A custom badge admins define and award by hand (automatic badges live in domain/badges.py)."""

    name = models.CharField(max_length=60)
    emoji = models.CharField(max_length=16, blank=True)
    description = models.TextField(blank=True, max_length=1000)
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(Profile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["name"], name="recognition_badge_unique_name")]

    def __str__(self) -> str:
        return f"{self.emoji} {self.name}".strip()


class BadgeAward(models.Model):
    """A badge a member holds: an automatic one (``automatic_key``) or a custom one (``badge``), each once."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="badge_awards")
    automatic_key = models.CharField(max_length=40, blank=True)
    badge = models.ForeignKey(Badge, null=True, blank=True, on_delete=models.CASCADE, related_name="awards")
    reason = models.CharField(max_length=300, blank=True)
    awarded_by = models.ForeignKey(Profile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    awarded_at = models.DateTimeField()

    class Meta:
        ordering = ["-awarded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(badge__isnull=True) & ~Q(automatic_key="")) | (Q(badge__isnull=False) & Q(automatic_key="")),
                name="badge_award_one_kind",
            ),
            models.UniqueConstraint(
                fields=["profile", "automatic_key"], condition=Q(badge__isnull=True), name="badge_award_automatic_once"
            ),
            models.UniqueConstraint(fields=["profile", "badge"], condition=Q(badge__isnull=False), name="badge_award_custom_once"),
        ]
        indexes = [models.Index(fields=["profile", "-awarded_at"], name="badge_award_profile_idx")]

    def __str__(self) -> str:
        return f"{self.automatic_key or self.badge_id} for {self.profile_id}"


class SpotlightEntry(models.Model):
    """A kudos or a person admins and organizers put in the spotlight; the digest and newsletter read the list."""

    kudos = models.ForeignKey(Kudos, null=True, blank=True, on_delete=models.CASCADE, related_name="spotlights")
    profile = models.ForeignKey(Profile, null=True, blank=True, on_delete=models.CASCADE, related_name="spotlights")
    note = models.CharField(max_length=300, blank=True)
    added_by = models.ForeignKey(Profile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "spotlight entries"
        constraints = [
            models.CheckConstraint(
                condition=Q(kudos__isnull=False, profile__isnull=True) | Q(kudos__isnull=True, profile__isnull=False),
                name="spotlight_one_target",
            ),
            models.UniqueConstraint(fields=["kudos"], condition=Q(removed_at__isnull=True, kudos__isnull=False),
                                    name="spotlight_kudos_once"),
            models.UniqueConstraint(fields=["profile"], condition=Q(removed_at__isnull=True, profile__isnull=False),
                                    name="spotlight_profile_once"),
        ]
        indexes = [models.Index(fields=["removed_at", "-created_at"], name="spotlight_current_idx")]

    def __str__(self) -> str:
        return f"Spotlight {self.pk}"
