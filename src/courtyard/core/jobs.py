"""Queueing jobs so that an unreachable queue neither fails the request nor loses the job."""

from __future__ import annotations

import logging
from typing import Any

from django.utils.module_loading import import_string

from courtyard.core import clock
from courtyard.core.models import PendingJob

logger = logging.getLogger(__name__)
DRAIN_BATCH = 200


def task_path(task: Any) -> str:
    func = task.func  # a Huey task wrapper keeps the function it wraps
    return f"{func.__module__}.{func.__name__}"


def job_enqueue(task: Any, *args: Any) -> bool:
    """Queue ``task(*args)``; when the queue does not answer, keep the job in the database instead.

    Returns True when queued now, False when kept for later. Arguments must be JSON values (ids, ISO dates).
    Call it after the commit (``transaction.on_commit``) so a job never runs for a write that rolled back.
    """
    try:
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
