"""Insights: rollups of the activity-facts ledger, goals, and the connector opt-in.

The rollups are pre-aggregated from ``core.Participation`` and ``core.Interaction`` by
``insights.rollups`` (incrementally, above a high-water mark, or from scratch), so that dashboards
never scan the ledger. Every rollup column merges commutatively (bitwise OR, MIN, MAX, +), so the
order in which facts are processed — one big batch or many small ones, late facts included — gives
the same rows; the sums are applied in the same transaction that moves the high-water mark, so a
retried job never counts a fact twice.

Scopes: ``org`` (scope_id 0), ``dept`` (the department recorded on the fact), ``group``, ``program``
(a pairing program; survey facts, which carry a survey id there, are left out) and ``series`` (the event id
recorded on the fact: an event and its occurrences). Department 0 means "no department". Rollups written
before ``series`` existed (when event counts were keyed ``event``) need one ``courtyard insights_rebuild``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class RollupState(models.Model):
    """How far the rollups have read one ledger table: every fact with an id up to ``high_water`` is in."""

    source = models.CharField(max_length=20, unique=True)
    high_water = models.BigIntegerField(default=0)
    version = models.PositiveBigIntegerField(default=0)  # bumped by every applied batch; caches key on it
    updated_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.source} ≤ {self.high_water}"


class RollupGap(models.Model):
    """Ids below the high-water mark that were missing when it moved (a transaction still open, or rolled
    back). Checked again on each run for a while, so a fact committed late is still counted."""

    source = models.CharField(max_length=20)
    low = models.BigIntegerField()
    high = models.BigIntegerField()
    seen_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["source", "seen_at"], name="rollupgap_source_idx")]

    def __str__(self) -> str:
        return f"{self.source} gap {self.low}–{self.high}"


class DirtyPeriod(models.Model):
    """A natural period whose distinct counts (PeriodCount) must be recounted: written in the same
    transaction as the facts that touched it, so a crash between the two steps loses nothing."""

    period_kind = models.CharField(max_length=8)
    start = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["period_kind", "start"], name="dirtyperiod_key")]

    def __str__(self) -> str:
        return f"{self.period_kind} {self.start}"


PRESENCE_COLUMNS = (
    "active", "took_part", "contributed", "attended", "gave_kudos", "received_kudos", "surveyed", "met",
)


class MemberMonth(models.Model):
    """One member in one scope in one month: for each kind of activity, the days of the month they did it,
    as bits (bit 0 is the 1st). Distinct members over any range of days are counted from these rows
    exactly — daily distinct counts could not be summed."""

    month = models.DateField()
    scope_kind = models.CharField(max_length=8)
    scope_id = models.BigIntegerField()
    member_id = models.BigIntegerField()
    active = models.BigIntegerField(default=0)
    took_part = models.BigIntegerField(default=0)
    contributed = models.BigIntegerField(default=0)
    attended = models.BigIntegerField(default=0)
    gave_kudos = models.BigIntegerField(default=0)
    received_kudos = models.BigIntegerField(default=0)
    surveyed = models.BigIntegerField(default=0)
    met = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope_kind", "scope_id", "month", "member_id"], name="membermonth_key"),
        ]
        indexes = [models.Index(fields=["month"], name="membermonth_month_idx")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.scope_kind}:{self.scope_id} member {self.member_id}"


class PeriodCount(models.Model):
    """Distinct members per natural period (week, month, quarter) and scope, for each kind of activity:
    refreshed from MemberMonth for the periods a batch of facts touched."""

    period_kind = models.CharField(max_length=8)
    start = models.DateField()
    scope_kind = models.CharField(max_length=8)
    scope_id = models.BigIntegerField()
    active = models.IntegerField(default=0)
    took_part = models.IntegerField(default=0)
    contributed = models.IntegerField(default=0)
    attended = models.IntegerField(default=0)
    gave_kudos = models.IntegerField(default=0)
    received_kudos = models.IntegerField(default=0)
    surveyed = models.IntegerField(default=0)
    met = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope_kind", "scope_id", "period_kind", "start"], name="periodcount_key"),
        ]
        indexes = [models.Index(fields=["period_kind", "start"], name="periodcount_period_idx")]

    def __str__(self) -> str:
        return f"{self.period_kind} {self.start} {self.scope_kind}:{self.scope_id}"


class DailyCount(models.Model):
    """How many facts of one verb (``attended``) or interaction kind (``i:reply``) a scope had on a day."""

    day = models.DateField()
    scope_kind = models.CharField(max_length=8)
    scope_id = models.BigIntegerField()
    metric = models.CharField(max_length=48)
    value = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope_kind", "scope_id", "day", "metric"], name="dailycount_key"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.scope_kind}:{self.scope_id} {self.metric}={self.value}"


class DepartmentPairDay(models.Model):
    """Ties (interactions of the kinds that count in the silo map) from one department to another on a day,
    as recorded: (actor's department, other's department)."""

    day = models.DateField()
    actor_department_id = models.BigIntegerField()
    other_department_id = models.BigIntegerField()
    ties = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "actor_department_id", "other_department_id"], name="departmentpairday_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.actor_department_id}→{self.other_department_id}: {self.ties}"


class MemberTie(models.Model):
    """Ties between two members in a month (low id first): the graph communities are detected on."""

    month = models.DateField()
    low_id = models.BigIntegerField()
    high_id = models.BigIntegerField()
    weight = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["month", "low_id", "high_id"], name="membertie_key")]
        indexes = [
            models.Index(fields=["low_id", "month"], name="membertie_low_idx"),
            models.Index(fields=["high_id", "month"], name="membertie_high_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.low_id}–{self.high_id}: {self.weight}"


class EventMember(models.Model):
    """One member at one event occurrence: what they did (bits: rsvped, attended, no-show, hosted, feedback)."""

    RSVPED, ATTENDED, NO_SHOW, HOSTED, FEEDBACK = 1, 2, 4, 8, 16

    event_id = models.BigIntegerField()
    member_id = models.BigIntegerField()
    department_id = models.BigIntegerField(default=0)
    group_id = models.BigIntegerField(null=True, blank=True)
    flags = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event_id", "member_id"], name="eventmember_key")]

    def __str__(self) -> str:
        return f"event {self.event_id} member {self.member_id}: {self.flags}"


class EventDay(models.Model):
    """The day an event occurrence was held: its first check-in."""

    event_id = models.BigIntegerField(unique=True)
    day = models.DateField(db_index=True)

    def __str__(self) -> str:
        return f"event {self.event_id} on {self.day}"


class ThreadStat(models.Model):
    """A discussion and its first reply by someone else (reply rate, time to first reply).

    Reply facts name the reply (object_id), not its discussion: the rollup looks the discussion up in the
    groups tables when it reads the fact."""

    thread_id = models.BigIntegerField(unique=True)
    group_id = models.BigIntegerField(null=True, blank=True)
    department_id = models.BigIntegerField(default=0)
    author_id = models.BigIntegerField(null=True, blank=True)
    posted_at = models.DateTimeField(null=True, blank=True)
    first_reply_at = models.DateTimeField(null=True, blank=True)
    replies = models.IntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["posted_at"], name="threadstat_posted_idx")]

    def __str__(self) -> str:
        return f"thread {self.thread_id}"


class NewcomerTie(models.Model):
    """A member's first tie with a colleague of another department within their first 90 days."""

    member_id = models.BigIntegerField()
    partner_id = models.BigIntegerField()
    first_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member_id", "partner_id"], name="newcomertie_key")]

    def __str__(self) -> str:
        return f"{self.member_id}–{self.partner_id} {self.first_at:%Y-%m-%d}"


class NewcomerStat(models.Model):
    """A recent starter (today's directory) with their integration so far, recomputed by each rollup run
    from NewcomerTie: a narrow table, so that cohorts of thousands are read without the directory's rows."""

    member_id = models.BigIntegerField(unique=True)
    start_date = models.DateField(db_index=True)
    department_id = models.BigIntegerField(null=True, blank=True)
    location_id = models.BigIntegerField(null=True, blank=True)
    first_at = models.DateTimeField(null=True, blank=True)
    by_30 = models.IntegerField(default=0)
    by_60 = models.IntegerField(default=0)
    by_90 = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"newcomer {self.member_id} from {self.start_date}"


class CommunitySnapshot(models.Model):
    """Communities detected on the member tie graph of some months (too large to detect on each view)."""

    months_key = models.CharField(max_length=40, unique=True)  # "2025-01-01:2025-03-01"
    computed_at = models.DateTimeField()
    members = models.IntegerField(default=0)
    ties = models.BigIntegerField(default=0)
    department_modularity = models.FloatField(null=True, blank=True)
    detected_modularity = models.FloatField(null=True, blank=True)
    communities = models.JSONField(default=list, blank=True)  # [{"size": n, "departments": [[id, n], ...]}]

    def __str__(self) -> str:
        return f"communities {self.months_key}"


class Goal(models.Model):
    """A target an admin set for a KPI ("60 % participation by Q2"), with its progress kept fresh by the job."""

    metric = models.CharField(max_length=40)
    scope_kind = models.CharField(max_length=8, default="org")
    scope_id = models.BigIntegerField(default=0)
    scope_name = models.CharField(max_length=200, default="Organization")
    period_kind = models.CharField(max_length=8, default="month")
    target = models.FloatField()
    baseline = models.FloatField(null=True, blank=True)
    current = models.FloatField(null=True, blank=True)
    due = models.DateField()
    note = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    refreshed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due", "pk"]

    def __str__(self) -> str:
        return f"{self.metric} → {self.target} by {self.due}"


class ConnectorOptIn(models.Model):
    """A member who agreed to be shown by name as a "connector" (someone who bridges departments)."""

    profile = models.OneToOneField("people.Profile", on_delete=models.CASCADE, related_name="connector_opt_in")
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"connector {self.profile_id}"
