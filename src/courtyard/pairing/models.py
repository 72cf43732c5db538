"""Pairing and matching: coffee programs and their rounds, mentorship cohorts, cross-functional teams.

One ``Program`` table for the three kinds, so that a program id is unique across them (the activity-facts
ledger has one ``program_id`` column) and one access function guards them all. Sign-ups of every kind live
in ``Signup``: coffee opt-ins, mentors, mentees and the pool of a team formation.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from courtyard.groups.models import Group
from courtyard.people.models import Profile, Tag


class Program(models.Model):
    class Kind(models.TextChoices):
        COFFEE = "coffee", _("Coffee pairings")
        MENTORSHIP = "mentorship", _("Mentorship")
        TEAMS = "teams", _("Cross-functional teams")

    class Scope(models.TextChoices):
        ORGANIZATION = "organization", _("Everyone in the organization")
        GROUP = "group", _("Members of one group")
        CROSS = "cross", _("Two sets of people, paired across (A × B)")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")  # coffee: rounds run; mentorship and teams: taking sign-ups
        REVIEW = "review", _("In review")  # a draft assignment waits for the owner
        PUBLISHED = "published", _("Published")
        PAUSED = "paused", _("Paused")  # coffee only: no rounds until resumed
        CLOSED = "closed", _("Closed")  # coffee ended; mentorship completed

    class Cadence(models.TextChoices):
        WEEKLY = "weekly", _("Every week")
        BIWEEKLY = "biweekly", _("Every 2 weeks")
        MONTHLY = "monthly", _("Every month (first such weekday)")

    class Objective(models.TextChoices):
        BEST_TOTAL = "best_total", _("Best total fit")
        LEAVE_NOBODY_UNMATCHED = "leave_nobody_unmatched", _("Leave nobody unmatched")

    kind = models.CharField(max_length=12, choices=Kind.choices)
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True, max_length=5000)
    description_html = models.TextField(blank=True)
    owner = models.ForeignKey(Profile, null=True, blank=True, on_delete=models.SET_NULL, related_name="owned_programs")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    scope = models.CharField(max_length=12, choices=Scope.choices, default=Scope.ORGANIZATION)
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.CASCADE, related_name="pairing_programs")
    # Cross programs: who is on each side, {"departments": [ids], "groups": [ids], "tenure": "any|newcomers|seasoned"}.
    side_a = models.JSONField(default=dict, blank=True)
    side_b = models.JSONField(default=dict, blank=True)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField()
    # Coffee
    cadence = models.CharField(max_length=10, choices=Cadence.choices, default=Cadence.WEEKLY)
    weekday = models.PositiveSmallIntegerField(default=0)  # 0 = Monday
    local_time = models.TimeField(default=dt.time(10, 0))
    timezone = models.CharField(max_length=64, default="UTC")
    group_size = models.PositiveSmallIntegerField(default=2)
    lookback_rounds = models.PositiveSmallIntegerField(default=6)
    next_round_at = models.DateTimeField(null=True, blank=True)  # when the scheduler runs the next round (UTC)
    # Mentorship
    goals = models.TextField(blank=True, max_length=5000)
    objective = models.CharField(max_length=24, choices=Objective.choices, default=Objective.BEST_TOTAL)
    weights = models.JSONField(default=dict, blank=True)  # MentorshipWeights fields the owner changed
    require_shared_language = models.BooleanField(default=True)
    # Teams
    team_min = models.PositiveSmallIntegerField(default=5)
    team_max = models.PositiveSmallIntegerField(default=8)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["kind", "status"], name="program_kind_status_idx"),
            models.Index(fields=["status", "next_round_at"], name="program_next_round_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(group_size__gte=2, group_size__lte=4), name="program_group_size_2_4"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="program_weekday_0_6"),
            models.CheckConstraint(condition=Q(team_min__gte=2, team_max__gte=models.F("team_min")),
                                   name="program_team_bounds"),
            models.CheckConstraint(condition=Q(scope="group", group__isnull=False) | (~Q(scope="group") & Q(group__isnull=True)),
                                   name="program_group_scope"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_coffee(self) -> bool:
        return self.kind == self.Kind.COFFEE

    @property
    def is_mentorship(self) -> bool:
        return self.kind == self.Kind.MENTORSHIP

    @property
    def is_teams(self) -> bool:
        return self.kind == self.Kind.TEAMS


class Signup(models.Model):
    """Someone in a program: opted into coffee, a mentor, a mentee, or in a team formation's pool."""

    class Role(models.TextChoices):
        COFFEE = "coffee", _("Coffee participant")
        MENTOR = "mentor", _("Mentor")
        MENTEE = "mentee", _("Mentee")
        POOL = "pool", _("Team pool")

    class Preference(models.TextChoices):
        ANY = "", _("No preference")
        SAME = "same", _("The same")
        DIFFERENT = "different", _("A different one")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="signups")
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="pairing_signups")
    role = models.CharField(max_length=8, choices=Role.choices)
    created_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)  # opted out / withdrew; the row keeps history
    snoozed_until = models.DateField(null=True, blank=True)  # coffee: skip rounds before this date
    capacity = models.PositiveSmallIntegerField(default=1)  # mentors: 1..5 mentees
    goals = models.TextField(blank=True, max_length=2000)  # mentees: what they want to reach
    topics = models.CharField(max_length=300, blank=True)  # mentors: topics offered beyond skills
    languages = models.CharField(max_length=200, blank=True)  # comma-separated; empty: the profile's
    skills = models.ManyToManyField(Tag, blank=True, related_name="+", limit_choices_to={"kind": "skill"})
    location_preference = models.CharField(max_length=10, choices=Preference.choices, default="", blank=True)
    department_preference = models.CharField(max_length=10, choices=Preference.choices, default="", blank=True)
    preferred_mentors = models.ManyToManyField(Profile, blank=True, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["program", "profile"], name="signup_once_per_program"),
            models.CheckConstraint(condition=Q(capacity__gte=1, capacity__lte=5), name="signup_capacity_1_5"),
        ]
        indexes = [
            models.Index(fields=["program", "role", "withdrawn_at"], name="signup_program_idx"),
            models.Index(fields=["profile", "withdrawn_at"], name="signup_profile_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.profile_id} in {self.program_id} ({self.role})"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class DoNotPair(models.Model):
    """A member's private list of people they are never paired with, in any coffee program."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="do_not_pair")
    other = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["profile", "other"], name="do_not_pair_unique"),
            models.CheckConstraint(condition=~Q(profile=models.F("other")), name="do_not_pair_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.profile_id} never with {self.other_id}"


class CoffeeRound(models.Model):
    """One round of a coffee program on one local date. The unique (program, date) row is what a job
    claims before pairing, so a retried or duplicated job never pairs twice."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="rounds")
    round_date = models.DateField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    participants = models.PositiveIntegerField(default=0)
    groups = models.PositiveIntegerField(default=0)
    unmatched = models.PositiveIntegerField(default=0)
    total_score = models.FloatField(default=0)
    method = models.CharField(max_length=40, blank=True)
    follow_up_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-round_date"]
        constraints = [models.UniqueConstraint(fields=["program", "round_date"], name="coffee_round_once_a_day")]

    def __str__(self) -> str:
        return f"{self.program_id} on {self.round_date}"


class CoffeeMatch(models.Model):
    """A pair, trio or group of four of one round, with why they were put together."""

    class Outcome(models.TextChoices):
        UNKNOWN = "", _("Not answered")
        MET = "met", _("We met")
        NOT_MET = "not_met", _("We did not meet")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="coffee_matches")
    round = models.ForeignKey(CoffeeRound, on_delete=models.CASCADE, related_name="matches")
    score = models.FloatField(default=0)
    reasons = models.JSONField(default=list, blank=True)  # [{"label": "...", "points": 3.0}, ...]
    starter = models.CharField(max_length=300, blank=True)  # a conversation starter from shared interests
    created_at = models.DateTimeField()
    outcome = models.CharField(max_length=8, choices=Outcome.choices, default="", blank=True)
    answered_by = models.ForeignKey(Profile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    crosses_departments = models.BooleanField(default=False)
    # "Suggest a time": the latest suggestion, for everyone in the match to add to their calendar (.ics).
    # The sequence rises with each new suggestion, so calendars update the entry they have (same UID).
    meet_at = models.DateTimeField(null=True, blank=True)
    meet_minutes = models.PositiveSmallIntegerField(default=30)
    meet_note = models.CharField(max_length=200, blank=True)
    meet_suggested_by = models.ForeignKey(Profile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    meet_sequence = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["program", "round"], name="coffee_match_round_idx")]

    def __str__(self) -> str:
        return f"Coffee match {self.pk}"


class CoffeeMatchMember(models.Model):
    match = models.ForeignKey(CoffeeMatch, on_delete=models.CASCADE, related_name="members")
    round = models.ForeignKey(CoffeeRound, on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="coffee_matches")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "profile"], name="coffee_once_per_round")]
        indexes = [
            models.Index(fields=["profile", "match"], name="coffee_member_profile_idx"),
            models.Index(fields=["program", "round"], name="coffee_member_program_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.profile_id} in {self.match_id}"


class MentorshipMatch(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        ENDED = "ended", _("Ended (rematch)")
        COMPLETED = "completed", _("Completed")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="mentorship_matches")
    mentor = models.ForeignKey(Signup, on_delete=models.CASCADE, related_name="as_mentor")
    mentee = models.ForeignKey(Signup, on_delete=models.CASCADE, related_name="as_mentee")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    score = models.FloatField(default=0)
    reasons = models.JSONField(default=list, blank=True)
    locked = models.BooleanField(default=False)  # kept as is when the owner re-optimizes the rest
    created_at = models.DateTimeField()
    published_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    rematch_requested_by = models.ForeignKey(Profile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    rematch_reason = models.CharField(max_length=500, blank=True)
    goal_progress = models.PositiveSmallIntegerField(default=0)  # percent, 0..100
    goal_note = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["mentee"], condition=Q(status__in=["draft", "published"]),
                                    name="mentorship_one_current_match"),
            models.CheckConstraint(condition=Q(goal_progress__lte=100), name="mentorship_progress_percent"),
        ]
        indexes = [models.Index(fields=["program", "status"], name="mentorship_match_status_idx")]

    def __str__(self) -> str:
        return f"Mentorship {self.pk}"

    @property
    def is_current(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.PUBLISHED)


class Checkin(models.Model):
    """A mentoring meeting, logged by the mentor or the mentee. The notes are private to the pair."""

    match = models.ForeignKey(MentorshipMatch, on_delete=models.CASCADE, related_name="checkins")
    author = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+")
    met_on = models.DateField()
    notes = models.TextField(blank=True, max_length=5000)
    notes_html = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-met_on", "-id"]

    def __str__(self) -> str:
        return f"Check-in {self.pk}"


class PulseResponse(models.Model):
    """Who answered a mentorship pulse (never what: that is PulseAnswer, with no key between them)."""

    class Phase(models.TextChoices):
        MIDPOINT = "midpoint", _("Mid-point")
        FINAL = "final", _("Final")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    phase = models.CharField(max_length=8, choices=Phase.choices)
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["program", "phase", "profile"], name="pulse_once")]

    def __str__(self) -> str:
        return f"{self.profile_id} answered {self.phase}"


class PulseAnswer(models.Model):
    """What was answered, with a coarse date only (core.domain.anonymity)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    phase = models.CharField(max_length=8, choices=PulseResponse.Phase.choices)
    score = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True, max_length=2000)
    answered_on = models.DateField()

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="pulse_score_1_5")]
        indexes = [models.Index(fields=["program", "phase"], name="pulse_answer_idx")]

    def __str__(self) -> str:
        return f"Pulse answer {self.pk}"


class FormedTeam(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="teams")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=100)
    score = models.FloatField(default=0)
    reasons = models.JSONField(default=list, blank=True)
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["program", "number"], name="team_number_unique")]

    def __str__(self) -> str:
        return self.name


class TeamMember(models.Model):
    team = models.ForeignKey(FormedTeam, on_delete=models.CASCADE, related_name="members")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="pairing_teams")
    moved = models.BooleanField(default=False)  # placed by hand by the organizer

    class Meta:
        constraints = [models.UniqueConstraint(fields=["program", "profile"], name="team_member_once")]

    def __str__(self) -> str:
        return f"{self.profile_id} in {self.team_id}"


class TeamRequest(models.Model):
    """Keep two people together, or apart, when teams are formed."""

    class Kind(models.TextChoices):
        TOGETHER = "together", _("Keep together")
        APART = "apart", _("Keep apart")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="team_requests")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    first = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["program", "first", "second"], name="team_request_unique"),
            models.CheckConstraint(condition=~Q(first=models.F("second")), name="team_request_two_people"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.first_id}, {self.second_id}"
