"""Jobs (Huey): reminders a day and an hour before, closing attendance after the event, extending series.

Each is idempotent: reminders are claimed in the transaction that sends them, a finalized date is
skipped, and series only gain the dates they lack.
"""

from __future__ import annotations

from huey import crontab

from courtyard.core.jobs import periodic_job
from courtyard.events import services


@periodic_job(crontab(minute="*/5"))
def events_send_reminders() -> int:
    """Every five minutes: the day-before reminder at 09:00 in each member's time zone, and the hour-before one."""
    return services.reminders_send()


@periodic_job(crontab(minute="*/15"))
def events_finalize_attendance() -> int:
    """Every quarter hour: dates over for two hours get their no-shows, ties and feedback requests."""
    return services.occurrences_finalize()


@periodic_job(crontab(minute="41", hour="2"))
def events_extend_series() -> int:
    """Nightly: open-ended series get their dates up to half a year ahead."""
    return services.series_extend()
