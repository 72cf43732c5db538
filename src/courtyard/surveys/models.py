"""Surveys, pulses, answers, ideas and "you said, we did".

Anonymity is a property of these tables (docs/architecture.md, "Anonymity by design"):

- ``Response`` says *who* answered a survey (for participation rates, reminders and "you already answered"):
  the member and the UTC day, nothing else.
- ``Answer`` says *what* was answered: the survey, the question, the value or text, the Monday of the week,
  and the respondent's segments at that moment (department, location, tenure band). It has no member, no
  response key, no timestamp and a random UUID key, so neither a column nor the key order links it to a
  ``Response``. Rows written together still sit together in the database's own bookkeeping (PostgreSQL's
  transaction ids and heap order, SQLite's rowid), so a job rewrites each survey's answers in a random order
  in one transaction soon after they arrive (``answers_reshuffle``), and from then on even the storage order
  says nothing. Nothing in Courtyard reads those internals; the shuffle is for whoever reads the raw database.
- Attributed (non-anonymous) surveys say so to members before they answer; only they have
  ``AttributedAnswer`` rows, which link a response to its answers on purpose.
- An anonymous ``Idea`` has no author at all. Its author finds it again through a keyed hash of their member
  id and a random nonce (``mailbox_tag``), which only the server's secret key can recompute: see
  ``surveys.mailbox``.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from courtyard.people.models import Department, Location, Profile
from courtyard.surveys.domain import questions as q


class Audience(models.TextChoices):
    EVERYONE = "everyone", _("Everyone")
    DEPARTMENTS = "departments", _("Departments (with their sub-departments)")
    LOCATIONS = "locations", _("Locations")
    GROUPS = "groups", _("Groups")
    NEWCOMERS = "newcomers", _("Newcomers")


class AudienceFields(models.Model):
    """Who a survey (or every round of a pulse) is for."""

    audience = models.CharField(max_length=12, choices=Audience.choices, default=Audience.EVERYONE)
    departments = models.ManyToManyField(Department, blank=True, related_name="+")
    locations = models.ManyToManyField(Location, blank=True, related_name="+")
    groups = models.ManyToManyField("groups.Group", blank=True, related_name="+")

    class Meta:
        abstract = True


class Question(models.Model):
    """A question of the bank (built in, or an admin's own) or one written for a single survey."""

    key = models.CharField(max_length=60, unique=True, null=True, blank=True)  # built-in questions only
    text = models.CharField(max_length=300)
    kind = models.CharField(max_length=10, choices=q.KINDS)
    theme = models.CharField(max_length=20, choices=q.THEMES, default="custom")
    options = models.JSONField(default=list, blank=True)
    in_bank = models.BooleanField(default=True)
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(Profile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["theme", "id"]

    def __str__(self) -> str:
        return self.text

    @property
    def is_belonging(self) -> bool:
        return self.key in q.BELONGING_KEYS


class PulseSeries(AudienceFields):
    """A recurring pulse: every ``interval_days`` a round opens with a few questions rotating through the bank."""

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=2000)
    anonymous = models.BooleanField(default=True)
    interval_days = models.PositiveSmallIntegerField(default=14)
    open_days = models.PositiveSmallIntegerField(default=7)
    questions_per_round = models.PositiveSmallIntegerField(default=3)
    include_belonging = models.BooleanField(default=True)
    themes = models.JSONField(default=list, blank=True)  # bank themes to rotate through; empty: all
    min_group_size = models.PositiveSmallIntegerField(default=5)
    min_comment_group_size = models.PositiveSmallIntegerField(default=5)
    next_open_at = models.DateTimeField()
    is_active = models.BooleanField(default=True)
    rounds = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(Profile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "pulse series"
        indexes = [models.Index(fields=["is_active", "next_open_at"], name="pulse_due_idx")]

    def __str__(self) -> str:
        return self.title


class Survey(AudienceFields):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=4000)
    description_html = models.TextField(blank=True)
    anonymous = models.BooleanField(default=True)
    # Only attributed surveys can allow changes: an anonymous answer cannot be found again to change it.
    allow_changes = models.BooleanField(default=False)
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.DRAFT)
    series = models.ForeignKey(PulseSeries, null=True, blank=True, on_delete=models.PROTECT, related_name="surveys")
    round_number = models.PositiveIntegerField(null=True, blank=True)
    min_group_size = models.PositiveSmallIntegerField(default=5)
    min_comment_group_size = models.PositiveSmallIntegerField(default=5)
    closes_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    recipient_count = models.PositiveIntegerField(default=0)
    response_count = models.PositiveIntegerField(default=0)
    answers_dirty = models.BooleanField(default=False)  # answers arrived since the last shuffle
    created_by = models.ForeignKey(Profile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["status", "closes_at"], name="survey_status_idx"),
            models.Index(fields=["series", "round_number"], name="survey_series_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["series", "round_number"], name="survey_one_round_number"),
            models.CheckConstraint(
                condition=Q(anonymous=False) | Q(allow_changes=False), name="survey_anonymous_no_changes"
            ),
            models.CheckConstraint(
                condition=Q(min_group_size__gte=3) & Q(min_comment_group_size__gte=3), name="survey_minimum_floor"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class SurveyQuestion(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="survey_questions")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["survey", "question"], name="survey_question_once")]

    def __str__(self) -> str:
        return f"{self.survey_id}#{self.position}"


class Recipient(models.Model):
    """Who a survey was asked of, fixed when it opens: the denominator of participation, and the door to it."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="recipients")
    member = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+")
    department_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "member"], name="recipient_once")]
        indexes = [models.Index(fields=["member", "survey"], name="recipient_member_idx")]

    def __str__(self) -> str:
        return f"{self.member_id} asked {self.survey_id}"


class Response(models.Model):
    """*Who* answered: the member and the UTC day. Never what they answered."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    member = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+")
    answered_on = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "member"], name="response_once")]
        indexes = [models.Index(fields=["member", "survey"], name="response_member_idx")]

    def __str__(self) -> str:
        return f"{self.member_id} answered {self.survey_id}"


class Answer(models.Model):
    """*What* was answered, with the respondent's segments at that moment and no way back to them."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="+")
    value = models.IntegerField(null=True, blank=True)
    text = models.TextField(blank=True, max_length=q.MAX_TEXT)
    answered_week = models.DateField()
    department_id = models.BigIntegerField(null=True, blank=True)
    location_id = models.BigIntegerField(null=True, blank=True)
    tenure_band = models.CharField(max_length=8)

    class Meta:
        indexes = [models.Index(fields=["survey", "question"], name="answer_survey_idx")]

    def __str__(self) -> str:
        return f"answer to {self.question_id}"


class AttributedAnswer(models.Model):
    """For attributed surveys only: which answers are whose (the member was told before answering)."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="attributed")
    answer = models.OneToOneField(Answer, on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return f"{self.response_id}"


class Idea(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("New")
        UNDER_REVIEW = "under_review", _("Under review")
        PLANNED = "planned", _("Planned")
        DONE = "done", _("Done")
        WONT_DO = "wont_do", _("Won't do")

    title = models.CharField(max_length=200)
    body = models.TextField(max_length=10_000)
    body_html = models.TextField(blank=True)
    anonymous = models.BooleanField(default=False)
    author = models.ForeignKey(Profile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Anonymous ideas only: HMAC(server key, member id + nonce); the author's browser holds nothing.
    mailbox_nonce = models.CharField(max_length=64, blank=True)
    mailbox_tag = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NEW)
    vote_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)
    # Anonymous ideas keep the UTC day only (midnight), never the minute they were posted.
    created_at = models.DateTimeField()
    status_changed_at = models.DateTimeField(null=True, blank=True)
    last_reply_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "-vote_count"], name="idea_status_votes_idx"),
            models.Index(fields=["-created_at"], name="idea_created_idx"),
            models.Index(fields=["anonymous", "-created_at"], name="idea_anonymous_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(anonymous=False) | Q(author__isnull=True), name="idea_anonymous_has_no_author",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class IdeaVote(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["idea", "member"], name="idea_vote_once")]
        indexes = [models.Index(fields=["member", "idea"], name="idea_vote_member_idx")]

    def __str__(self) -> str:
        return f"{self.member_id} +1 {self.idea_id}"


class IdeaComment(models.Model):
    """A comment, or (``official``) an admin's reply, which the idea's author sees even when anonymous."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(Profile, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(max_length=10_000)
    body_html = models.TextField(blank=True)
    official = models.BooleanField(default=False)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["idea", "created_at"], name="idea_comment_idx")]

    def __str__(self) -> str:
        return f"comment on {self.idea_id}"


class Action(models.Model):
    """"You said, we did": what was done in response to a survey or an idea."""

    title = models.CharField(max_length=200)
    body = models.TextField(max_length=10_000)
    body_html = models.TextField(blank=True)
    survey = models.ForeignKey(Survey, null=True, blank=True, on_delete=models.CASCADE, related_name="actions")
    idea = models.ForeignKey(Idea, null=True, blank=True, on_delete=models.CASCADE, related_name="actions")
    published_by = models.ForeignKey(Profile, null=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField()

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["-published_at"], name="action_published_idx")]

    def __str__(self) -> str:
        return self.title
