"""Cross-cutting records: the audit log and the activity-facts ledger.

Both are append-only. Services write them; notifications, digests, insights and webhooks read them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    """Who did what to which object, with namespaced actions such as ``people.profile.updated``."""

    action = models.CharField(max_length=100)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name_plural = "audit entries"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            models.Index(fields=["action", "created_at"], name="audit_action_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_type}:{self.object_id}"


class Participation(models.Model):
    """One person took part in something: posted, replied, reacted, attended, met, thanked, answered.

    Department is copied as it was at that moment, so history stays true after reorganizations.
    """

    member_id = models.BigIntegerField()
    verb = models.CharField(max_length=40)
    occurred_at = models.DateTimeField()
    department_id = models.BigIntegerField(null=True, blank=True)
    group_id = models.BigIntegerField(null=True, blank=True)
    event_id = models.BigIntegerField(null=True, blank=True)
    # A coffee, mentorship, team-formation or survey program; the verb says which kind.
    program_id = models.BigIntegerField(null=True, blank=True)
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["occurred_at", "verb"], name="participation_time_idx"),
            models.Index(fields=["member_id", "occurred_at"], name="participation_member_idx"),
            models.Index(fields=["group_id", "occurred_at"], name="participation_group_idx"),
            models.Index(fields=["event_id", "verb"], name="participation_event_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.verb} {self.occurred_at:%Y-%m-%d}"


class Interaction(models.Model):
    """One person interacted with another: a reply, a coffee pair that met, co-attendance, a kudos."""

    actor_id = models.BigIntegerField()
    other_id = models.BigIntegerField()
    kind = models.CharField(max_length=40)
    occurred_at = models.DateTimeField()
    actor_department_id = models.BigIntegerField(null=True, blank=True)
    other_department_id = models.BigIntegerField(null=True, blank=True)
    group_id = models.BigIntegerField(null=True, blank=True)
    event_id = models.BigIntegerField(null=True, blank=True)
    program_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["occurred_at", "kind"], name="interaction_time_idx"),
            models.Index(fields=["actor_id", "occurred_at"], name="interaction_actor_idx"),
            models.Index(fields=["other_id", "occurred_at"], name="interaction_other_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(actor_id=models.F("other_id")), name="interaction_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.actor_id} {self.kind} {self.other_id}"


class ScheduledRun(models.Model):
    """One period of one periodic job, claimed by the worker that runs it (core.jobs.periodic_job).

    Every worker process runs Huey's periodic scheduler, so each of them enqueues every periodic job at
    every matching minute; the unique (job, period) row is what lets exactly one copy run. The rows also
    tell operators when each job last ran, where, and whether it finished.
    """

    job = models.CharField(max_length=150)
    # The minute the schedule fired for (UTC), not when the job happened to start.
    period = models.DateTimeField()
    task_id = models.CharField(max_length=64)
    worker = models.CharField(max_length=150, blank=True)
    claimed_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "period"], name="scheduled_run_once_per_period"),
        ]

    def __str__(self) -> str:
        return f"{self.job} @ {self.period:%Y-%m-%d %H:%M}"


class PendingJob(models.Model):
    """A job that could not be queued (the queue's Redis was unreachable), kept until it can be.

    A request that already committed must neither fail nor drop its job: ``core.jobs.job_enqueue`` stores it
    here, and the worker queues it again every minute (``site.tasks.pending_jobs_enqueue``).
    """

    task = models.CharField(max_length=200)  # dotted path of the task, e.g. courtyard.pairing.tasks.coffee_round_job
    args = models.JSONField(default=list)
    created_at = models.DateTimeField()
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)}"
