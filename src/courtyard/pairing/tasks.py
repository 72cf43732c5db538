"""Pairing jobs: coffee rounds at each program's local time, and "did you meet?" a few days later.

Every job is safe to run twice or concurrently: a round is claimed by its unique (program, date) row under
the program's row lock, and a follow-up by a conditional update of its round (see services).
"""

from __future__ import annotations

import datetime as dt

from huey import crontab
from huey.contrib.djhuey import db_task

from courtyard.core.jobs import job_enqueue, periodic_job
from courtyard.pairing import services


@db_task(retries=2, retry_delay=60)
def coffee_round_job(program_id: int, round_date: str) -> None:
    services.coffee_round_run(program_id=program_id, round_date=dt.date.fromisoformat(round_date))


@periodic_job(crontab(minute="*/5"))
def coffee_rounds_schedule() -> None:
    """Every five minutes: queue the rounds whose local time has come (a round queued twice runs once)."""
    for program_id, round_date in services.coffee_rounds_due():
        job_enqueue(coffee_round_job, program_id, round_date.isoformat())


@periodic_job(crontab(minute="23"), retries=2, retry_delay=60)
def coffee_follow_ups() -> None:
    """Hourly: ask "did you meet?" of the rounds that ran a few days ago."""
    services.coffee_follow_ups_send()
