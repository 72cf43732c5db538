"""Scheduled jobs for surveys (Huey). Each is idempotent: running it twice does nothing twice."""

from __future__ import annotations

from huey import crontab

from courtyard.core.jobs import periodic_job
from courtyard.surveys import services


@periodic_job(crontab(minute="*/15"))
def open_due_pulse_rounds() -> int:
    """Recurring pulses open their next round on schedule (a round number is opened once)."""
    return services.pulses_open_due()


@periodic_job(crontab(minute="*/15"))
def close_due_surveys() -> int:
    return services.surveys_close_due()


@periodic_job(crontab(minute="5", hour="9"))
def remind_who_has_not_answered() -> int:
    """Once per survey, two days before it closes: those asked minus those in the *who responded* table."""
    return services.survey_reminders_due()


@periodic_job(crontab(minute="40"))
def reshuffle_anonymous_answers() -> int:
    """Hourly: rewrite new anonymous answers in a random order, so storage order links nothing."""
    return services.answers_reshuffle_due()
