"""Newcomer journey jobs: a buddy for each new arrival, and a nudge about newcomers without a connection.

Safe to run twice or concurrently: a newcomer's buddy is one unique row, and only a newly made row is
introduced (see services.buddies_assign).
"""

from __future__ import annotations

from huey import crontab

from courtyard.core import clock
from courtyard.core.jobs import periodic_job
from courtyard.welcome import services


@periodic_job(crontab(minute="17", hour="6"), retries=2, retry_delay=300)
def buddies_for_new_arrivals() -> None:
    """Daily at 06:17 UTC: find a buddy for newcomers who have none yet."""
    services.assign_new_arrivals()


@periodic_job(crontab(minute="47", hour="8"), retries=2, retry_delay=300)
def newcomer_nudges() -> None:
    """Daily at 08:47 UTC: nudge managers and buddies of newcomers with no connection after three weeks."""
    services.nudges_send(today=clock.now().date())
