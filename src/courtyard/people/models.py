from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Department(models.Model):
    """A node of the organization's department tree. ``path`` is the full name ("Engineering / Platform")."""

    name = models.CharField(max_length=120)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    path = models.CharField(max_length=500, unique=True)
    depth = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="department_unique_name_in_parent"),
        ]

    def __str__(self) -> str:
        return self.path


class Team(models.Model):
    name = models.CharField(max_length=120)
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="teams")

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["department", "name"], name="team_unique_name_in_department")]

    def __str__(self) -> str:
        return self.name


class Location(models.Model):
    name = models.CharField(max_length=120, unique=True)
    timezone = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    """Shared vocabularies: interests ("climbing") and skills ("Kubernetes"), with autocomplete."""

    class Kind(models.TextChoices):
        INTEREST = "interest", _("Interest")
        SKILL = "skill", _("Skill")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    name = models.CharField(max_length=60)
    slug = models.SlugField(max_length=80)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["kind", "slug"], name="tag_unique_slug_per_kind")]

    def __str__(self) -> str:
        return self.name


class Profile(models.Model):
    """A person of the organization, as the directory shows them."""

    # Fields a member may hide from other members (admins and the member always see them).
    OPTIONAL_FIELDS = ("pronouns", "location", "timezone", "languages", "start_date", "bio", "ask_me_about", "photo")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    employee_id = models.CharField(max_length=64, null=True, blank=True, unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    preferred_name = models.CharField(_("preferred name"), max_length=150, blank=True)
    pronouns = models.CharField(max_length=40, blank=True)
    photo = models.ImageField(upload_to="photos/", blank=True)
    title = models.CharField(_("job title"), max_length=150, blank=True)
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="members")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members")
    manager = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports")
    location = models.ForeignKey(Location, null=True, blank=True, on_delete=models.SET_NULL, related_name="members")
    timezone = models.CharField(_("time zone"), max_length=64, default="UTC")
    languages = models.CharField(max_length=200, blank=True, help_text=_("Comma-separated, e.g. English, Spanish"))
    start_date = models.DateField(null=True, blank=True)
    interests = models.ManyToManyField(Tag, blank=True, related_name="interested", limit_choices_to={"kind": "interest"})
    skills = models.ManyToManyField(Tag, blank=True, related_name="skilled", limit_choices_to={"kind": "skill"})
    ask_me_about = models.CharField(_("ask me about"), max_length=300, blank=True)
    bio = models.TextField(blank=True, max_length=4000)
    hidden_fields = models.JSONField(default=list, blank=True)
    is_active = models.BooleanField(default=True, db_index=True)
    # Denormalized text the directory searches (names, title, department, team, tags, ...).
    # Services rebuild it on every change; the database indexes it (FTS5 on SQLite, GIN on PostgreSQL).
    search_document = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["full_name"]
        indexes = [
            models.Index(fields=["full_name", "id"], name="profile_name_idx"),
            models.Index(fields=["start_date"], name="profile_start_idx"),
            models.Index(fields=["is_active", "department"], name="profile_active_dept_idx"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.preferred_name or self.full_name


class Follow(models.Model):
    """A member follows a colleague: their discussions and replies show up in the member's home feed."""

    follower = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="following")
    followed = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="followers")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["follower", "followed"], name="follow_unique"),
            models.CheckConstraint(condition=~models.Q(follower=models.F("followed")), name="follow_not_self"),
        ]
        indexes = [models.Index(fields=["followed"], name="follow_followed_idx")]

    def __str__(self) -> str:
        return f"{self.follower_id} follows {self.followed_id}"
