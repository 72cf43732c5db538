"""Insights jobs: the rollups every five minutes (then goal progress), communities every night."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import lock_task

from courtyard.core.jobs import periodic_job
from courtyard.insights import rollups, services

CHUNK = 500_000


@periodic_job(crontab(minute="*/5"), retries=2, retry_delay=30)
@lock_task("insights-rollups")
def insights_rollups_update() -> None:
    """Apply new activity facts to the rollups. Idempotent: the high-water mark moves in the same
    transaction as the counts, so a retry after a failure counts nothing twice."""
    report = rollups.rollups_update(chunk=CHUNK)
    if report.participations or report.interactions:
        services.goals_refresh()


@periodic_job(crontab(minute="40", hour="2"), retries=1, retry_delay=300)
@lock_task("insights-communities")
def insights_communities_refresh() -> None:
    services.communities_refresh()
