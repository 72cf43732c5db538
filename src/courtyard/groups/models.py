"""Groups, their members, discussions (threads and replies), reactions and resource libraries."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from courtyard.groups.domain import rules
from courtyard.people.models import Profile, Tag


class Group(models.Model):
    class Kind(models.TextChoices):
        INTEREST = "interest", _("Interest group")
        TEAM = "team", _("Team")
        CROSS_FUNCTIONAL = "cross_functional", _("Cross-functional")

    class ReadAccess(models.TextChoices):
        MEMBERS = "members", _("Members only")
        ORGANIZATION = "organization", _("The whole organization")

    class JoinPolicy(models.TextChoices):
        OPEN = "open", _("Anyone")
        REQUEST = "request", _("By request")
        INVITATION = "invitation", _("By invitation")

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=110, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.INTEREST)
    # Two settings, not one: who reads the discussions and who may join (groups.domain.rules says what each
    # combination means; docs/groups.md explains them to organizers).
    read_access = models.CharField(max_length=12, choices=ReadAccess.choices, default=ReadAccess.ORGANIZATION)
    join_policy = models.CharField(max_length=10, choices=JoinPolicy.choices, default=JoinPolicy.OPEN)
    description = models.TextField(blank=True, max_length=10_000)
    description_html = models.TextField(blank=True)
    cover = models.ImageField(upload_to="groups/", blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="groups", limit_choices_to={"kind": "interest"})
    created_by = models.ForeignKey(Profile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    archived_at = models.DateTimeField(null=True, blank=True)
    # Counters kept by services with F() expressions, so lists need no COUNT per group.
    member_count = models.PositiveIntegerField(default=0)
    thread_count = models.PositiveIntegerField(default=0)
    last_activity_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["read_access", "join_policy", "archived_at"], name="group_access_idx"),
            models.Index(fields=["-last_activity_at"], name="group_activity_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def is_listed(self) -> bool:
        return rules.is_listed(self.read_access, self.join_policy)


class Membership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        MODERATOR = "moderator", _("Moderator")
        ORGANIZER = "organizer", _("Organizer")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Member")
        REQUESTED = "requested", _("Asked to join")
        INVITED = "invited", _("Invited")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    muted = models.BooleanField(default=False)
    invited_by = models.ForeignKey(Profile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    joined_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "profile"], name="membership_unique")]
        indexes = [
            models.Index(fields=["profile", "status"], name="membership_profile_idx"),
            models.Index(fields=["group", "status", "role"], name="membership_group_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.profile} in {self.group} ({self.role}, {self.status})"


class Thread(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="threads")
    author = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="threads")
    title = models.CharField(max_length=200)
    body = models.TextField(max_length=50_000)
    # Rendered once when written (Markdown, sanitized, mentions linked), not on every page view.
    body_html = models.TextField(blank=True)
    is_question = models.BooleanField(default=False)
    accepted_post = models.ForeignKey(
        "Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="accepted_for"
    )
    pinned_at = models.DateTimeField(null=True, blank=True)
    locked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(Profile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    last_activity_at = models.DateTimeField()
    reply_count = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["group", "deleted_at", "-last_activity_at"], name="thread_group_activity_idx"),
            models.Index(fields=["-created_at"], name="thread_created_idx"),
            models.Index(fields=["author", "-created_at"], name="thread_author_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class Post(models.Model):
    """A reply in a thread. The thread's own text is the opening post."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="posts")
    body = models.TextField(max_length=50_000)
    body_html = models.TextField(blank=True)
    created_at = models.DateTimeField()
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(Profile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        indexes = [
            models.Index(fields=["thread", "created_at", "id"], name="post_thread_idx"),
            models.Index(fields=["author", "-created_at"], name="post_author_idx"),
        ]

    def __str__(self) -> str:
        return f"Reply {self.pk} in {self.thread_id}"


class Revision(models.Model):
    """What a thread or reply said before an edit: nothing a member wrote is lost."""

    thread = models.ForeignKey(Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="revisions")
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.CASCADE, related_name="revisions")
    title = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    edited_by = models.ForeignKey(Profile, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(thread__isnull=False, post__isnull=True) | Q(thread__isnull=True, post__isnull=False),
                name="revision_one_target",
            )
        ]

    def __str__(self) -> str:
        return f"Revision {self.pk}"


class ReactionKind(models.Model):
    """The reactions admins offer (👍 Thanks, 🎉 Congrats, 💡 Insightful, …), not only "like"."""

    emoji = models.CharField(max_length=16)
    label = models.CharField(max_length=40)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.emoji} {self.label}"


class Reaction(models.Model):
    kind = models.ForeignKey(ReactionKind, on_delete=models.CASCADE, related_name="+")
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="reactions")
    thread = models.ForeignKey(Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="reactions")
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.CASCADE, related_name="reactions")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(thread__isnull=False, post__isnull=True) | Q(thread__isnull=True, post__isnull=False),
                name="reaction_one_target",
            ),
            models.UniqueConstraint(
                fields=["kind", "profile", "thread"], condition=Q(post__isnull=True), name="reaction_unique_thread"
            ),
            models.UniqueConstraint(
                fields=["kind", "profile", "post"], condition=Q(thread__isnull=True), name="reaction_unique_post"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} by {self.profile_id}"


class Resource(models.Model):
    """A link or a file in a group's library."""

    class Kind(models.TextChoices):
        LINK = "link", _("Link")
        FILE = "file", _("File")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="resources")
    kind = models.CharField(max_length=4, choices=Kind.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=2000)
    url = models.URLField(max_length=1000, blank=True)
    file = models.FileField(upload_to="resources/", blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    added_by = models.ForeignKey(Profile, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["group", "deleted_at", "-created_at"], name="resource_group_idx")]

    def __str__(self) -> str:
        return self.title
