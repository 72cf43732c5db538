"""Recognition's scheduled jobs (Huey). Each is idempotent: a retry or a second worker creates nothing twice."""

from __future__ import annotations

import datetime as dt

from huey import crontab
from huey.contrib.djhuey import lock_task

from courtyard.core import clock
from courtyard.core.jobs import periodic_job
from courtyard.recognition import services


@periodic_job(crontab(minute="5"), retries=2, retry_delay=60)
@lock_task("recognition-celebrations")
def celebrations_generate() -> int:
    """Hourly: members whose local day has just begun (somewhere on Earth it is always a new day) get today's
    anniversaries, birthdays and welcomes; milestones recorded as facts in the last two days are celebrated."""
    now = clock.now()
    made = services.celebrations_generate(now=now)
    return made + services.milestones_from_activity(since=now - dt.timedelta(days=2))


@periodic_job(crontab(minute="35"), retries=2, retry_delay=60)
@lock_task("recognition-badges")
def badges_award() -> int:
    """Hourly: automatic badges for everyone with new badge-relevant facts (events hosted, answers accepted,
    mentorships completed — recorded by other capabilities) in the last two days."""
    return services.badges_award_recent(since=clock.now() - dt.timedelta(days=2))
