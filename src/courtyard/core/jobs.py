"""Periodic jobs that run once per period, however many workers run the schedule.

Huey's consumer runs the periodic scheduler in every consumer process, so with two workers (or two
machines) each of them enqueues every periodic job at every matching minute. ``periodic_job`` registers a
periodic task whose enqueued copies carry the minute they were scheduled for; before doing anything, a copy
claims (job, minute) by inserting a ``ScheduledRun`` row under a unique constraint. The database decides:
one copy wins and runs, the others return at once. A retry of the winning copy (same task id) is let
through, since its first attempt failed.

Calls that do not come from the scheduler (tests, a shell, ``call_local``) carry no minute and simply run:
the claim is about the schedule, and every job is idempotent besides.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
import socket
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.module_loading import import_string
from huey.api import PeriodicTask, Task, TaskWrapper
from huey.contrib.djhuey import HUEY, close_db

from courtyard.core import clock
from courtyard.core.models import PendingJob, ScheduledRun

logger = logging.getLogger(__name__)

# Claims older than this are deleted when the same job claims a new period: enough history for operators.
KEEP_RUNS = dt.timedelta(days=14)


def scheduled_run_claim(*, job: str, period: dt.datetime, task_id: str) -> bool:
    """True when this task may run ``job`` for ``period``: it inserted the claim, or it had inserted it
    on an earlier attempt (a retry). False when another copy of the job holds the period."""
    try:
        with transaction.atomic():
            ScheduledRun.objects.create(
                job=job, period=period, task_id=task_id, worker=f"{socket.gethostname()}:{os.getpid()}",
                claimed_at=clock.now(),
            )
    except IntegrityError:
        holder = ScheduledRun.objects.filter(job=job, period=period).values_list("task_id", flat=True).first()
        return holder == task_id
    ScheduledRun.objects.filter(job=job, period__lt=period - KEEP_RUNS).delete()
    return True


def scheduled_run_finish(*, job: str, period: dt.datetime, error: str = "") -> None:
    with transaction.atomic():
        ScheduledRun.objects.filter(job=job, period=period).update(finished_at=clock.now(), error=error[:300])


def scheduled_minute(timestamp: dt.datetime) -> dt.datetime:
    """Huey hands the scheduler naive UTC times; the period is that minute, as an aware UTC instant."""
    if timestamp.tzinfo is None:
        timestamp = timestamp.replace(tzinfo=dt.UTC)
    return timestamp.astimezone(dt.UTC).replace(second=0, microsecond=0)


def periodic_job(
    schedule: Callable[[dt.datetime], bool], *, retries: int = 0, retry_delay: int = 0
) -> Callable[[Callable[[], Any]], TaskWrapper]:
    """Like ``db_periodic_task(schedule, ...)``, and a period runs once across every worker."""

    def decorator(fn: Callable[[], Any]) -> TaskWrapper:
        job = f"{fn.__module__}.{fn.__name__}"

        @functools.wraps(fn)
        def run(*, task: Task | None = None, scheduled_for: str | None = None) -> Any:
            if task is None or scheduled_for is None:
                return fn()
            period = dt.datetime.fromisoformat(scheduled_for)
            if not scheduled_run_claim(job=job, period=period, task_id=task.id):
                logger.info("periodic job %s for %s already claimed by another worker: skipped", job, scheduled_for)
                return None
            try:
                result = fn()
            except Exception as exc:
                scheduled_run_finish(job=job, period=period, error=f"{type(exc).__name__}: {exc}")
                raise
            scheduled_run_finish(job=job, period=period)
            return result

        def validate_datetime(self: Task, timestamp: dt.datetime) -> bool:
            # Called by the scheduler on the very instance it then enqueues: the minute rides along.
            if not schedule(timestamp):
                return False
            self.kwargs = {"scheduled_for": scheduled_minute(timestamp).isoformat()}
            return True

        return HUEY.task_wrapper_class(
            HUEY,
            close_db(run),
            context=True,
            default_retries=retries,
            default_retry_delay=retry_delay,
            validate_datetime=validate_datetime,
            task_base=PeriodicTask,
        )

    return decorator


# --- Queueing while the queue is away -----------------------------------------------------------
# A request that already committed must neither fail nor drop its job when the queue (Redis) does not
# answer: the job is kept in the database (PendingJob) and the worker queues it again every minute.

DRAIN_BATCH = 200


def task_path(task: Any) -> str:
    func = task.func  # a Huey task wrapper keeps the function it wraps
    return f"{func.__module__}.{func.__name__}"


def job_enqueue(task: Any, *args: Any, delay: int = 0) -> bool:
    """Queue ``task(*args)`` (to run ``delay`` seconds from now, when given); when the queue does not answer,
    keep the job in the database instead.

    Returns True when queued now, False when kept for later. Arguments must be JSON values (ids, ISO dates).
    Call it after the commit (``transaction.on_commit``) so a job never runs for a write that rolled back.
    A kept job is queued again without its delay: a delayed task must check for itself whether it is due.
    """
    try:
        if delay > 0:
            task.schedule(args=args, delay=delay)
        else:
            task(*args)
    except Exception as exc:  # noqa: BLE001 - whatever the queue's failure, the job is kept, not lost
        logger.warning("queue unavailable, keeping %s for later: %s", task_path(task), exc)
        PendingJob.objects.create(
            task=task_path(task), args=list(args), created_at=clock.now(), last_error=str(exc)[:500]
        )
        return False
    return True


def pending_jobs_enqueue() -> int:
    """Queue the kept jobs, oldest first; stops at the first failure (the queue is still away). Returns how
    many were queued. Each is deleted only once queued, so a crash in between queues it twice at worst: jobs
    are idempotent (every task in Courtyard is safe to run twice)."""
    queued = 0
    for job in PendingJob.objects.all()[:DRAIN_BATCH]:
        try:
            import_string(job.task)(*job.args)
        except Exception as exc:  # noqa: BLE001
            PendingJob.objects.filter(pk=job.pk).update(attempts=job.attempts + 1, last_error=str(exc)[:500])
            logger.warning("queue still unavailable: %s", exc)
            break
        job.delete()
        queued += 1
    return queued
