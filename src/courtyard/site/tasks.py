"""The shared periodic jobs, those of no single app. The Huey instance lives in settings (huey.contrib.djhuey).

This is ``site``'s ``tasks.py``, so ``run_huey`` finds it as it finds every app's (``autodiscover_modules``):
each periodic job is registered once, in the worker, without anyone importing this module by hand.
"""

from __future__ import annotations

from django.core.management import call_command
from huey import crontab

from courtyard.accounts.services import sessions_expire
from courtyard.core.jobs import pending_jobs_enqueue, periodic_job


@periodic_job(crontab(minute="17", hour="3"))
def purge_expired_sessions() -> None:
    """Nightly: drop expired sessions from the store and close their records on the sessions page."""
    call_command("clearsessions")
    sessions_expire()


@periodic_job(crontab(minute="*"))
def enqueue_pending_jobs() -> None:
    """Every minute: queue the jobs that were kept while the queue was unreachable (core/jobs.py)."""
    pending_jobs_enqueue()
