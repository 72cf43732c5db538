"""Periodic jobs run once per scheduled minute however many schedulers enqueue them (core.jobs).

These drive the real Huey objects: ``read_periodic`` is what each consumer's scheduler calls every minute,
and ``execute`` is what a worker thread calls on a dequeued task. The two-process proof on PostgreSQL and
Redis is in tests/core/test_scale_out.py.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils.module_loading import autodiscover_modules
from huey.contrib.djhuey import HUEY

from courtyard.core.models import ScheduledRun
from courtyard.events import services as event_services
from courtyard.events import tasks as event_tasks

pytestmark = pytest.mark.django_db

REMINDERS = "courtyard.events.tasks.events_send_reminders"


def scheduled_copy(job: str, minute: dt.datetime):
    """What one consumer's scheduler enqueues for ``job`` at ``minute`` (Huey passes naive UTC times)."""
    (task,) = [t for t in HUEY.read_periodic(minute) if f"{t.__module__}.{t.name}" == job]
    return task


@pytest.fixture
def reminder_runs(monkeypatch) -> list[int]:
    runs: list[int] = []
    monkeypatch.setattr(event_services, "reminders_send", lambda: runs.append(1) or 0)
    return runs


PERIODIC_JOBS = {
    "courtyard.site.tasks.purge_expired_sessions",
    "courtyard.events.tasks.events_send_reminders",
    "courtyard.events.tasks.events_finalize_attendance",
    "courtyard.events.tasks.events_extend_series",
    "courtyard.insights.tasks.insights_rollups_update",
    "courtyard.insights.tasks.insights_communities_refresh",
    "courtyard.pairing.tasks.coffee_rounds_schedule",
    "courtyard.pairing.tasks.coffee_follow_ups",
    "courtyard.recognition.tasks.celebrations_generate",
    "courtyard.recognition.tasks.badges_award",
    "courtyard.surveys.tasks.open_due_pulse_rounds",
    "courtyard.surveys.tasks.close_due_surveys",
    "courtyard.surveys.tasks.remind_who_has_not_answered",
    "courtyard.surveys.tasks.reshuffle_anonymous_answers",
    "courtyard.mail.tasks.deliveries_overdue_enqueue",
}


def test_every_periodic_job_claims_its_period():
    """No periodic task escapes the claim: every one in Huey's registry (loaded as `courtyard worker`
    loads them) carries its scheduled minute when the scheduler picks it."""
    autodiscover_modules("tasks")  # as the worker command does: every app's tasks.py, site's shared jobs too
    found: dict[str, object] = {}
    # Minutes at which every crontab of the list fires at least once (nightly, daily, hourly, every 5 and 15).
    for hour, minute in ((2, 40), (2, 41), (3, 17), (6, 17), (8, 47), (9, 5), (10, 0), (10, 23), (10, 35), (10, 40)):
        for task in HUEY.read_periodic(dt.datetime(2026, 3, 2, hour, minute)):
            found.setdefault(f"{task.__module__}.{task.name}", task.kwargs)
    registered = {f"{cls.__module__}.{cls.__name__}" for cls in HUEY._registry._periodic_tasks}
    assert set(found) == registered
    assert registered >= PERIODIC_JOBS, "a periodic job is missing from this list or was not loaded"
    assert all(set(kwargs) == {"scheduled_for"} for kwargs in found.values()), found


def test_two_schedulers_enqueue_the_same_minute_and_the_job_runs_once(reminder_runs):
    minute = dt.datetime(2026, 3, 2, 10, 5)
    first, second = scheduled_copy(REMINDERS, minute), scheduled_copy(REMINDERS, minute)
    assert first.id != second.id  # two distinct queue entries, as two consumers make

    HUEY.execute(first)
    HUEY.execute(second)

    assert reminder_runs == [1]
    run = ScheduledRun.objects.get()
    assert (run.job, run.period, run.task_id) == (REMINDERS, minute.replace(tzinfo=dt.UTC), first.id)
    assert run.finished_at is not None
    assert run.error == ""

    HUEY.execute(scheduled_copy(REMINDERS, minute + dt.timedelta(minutes=5)))
    assert reminder_runs == [1, 1]  # the next period is a new claim


def test_a_retry_of_the_winner_runs_again_and_the_loser_still_does_not(monkeypatch):
    attempts: list[str] = []

    def flaky() -> int:
        attempts.append("try")
        if len(attempts) == 1:
            raise RuntimeError("database went away")
        return 0

    monkeypatch.setattr(event_services, "reminders_send", flaky)
    minute = dt.datetime(2026, 3, 2, 10, 5)
    winner, loser = scheduled_copy(REMINDERS, minute), scheduled_copy(REMINDERS, minute)

    with pytest.raises(RuntimeError):
        winner.execute()
    assert ScheduledRun.objects.get().error == "RuntimeError: database went away"
    loser.execute()
    assert attempts == ["try"]
    winner.execute()  # Huey retries the same task (same id)
    assert attempts == ["try", "try"]
    assert ScheduledRun.objects.get().error == ""


def test_calls_outside_the_schedule_always_run(reminder_runs):
    event_tasks.events_send_reminders.call_local()
    event_tasks.events_send_reminders.call_local()
    event_tasks.events_send_reminders()  # enqueued: immediate mode in the tests
    assert reminder_runs == [1, 1, 1]
    assert not ScheduledRun.objects.exists()


def test_old_claims_are_pruned_when_the_job_claims_again(reminder_runs):
    old = dt.datetime(2026, 1, 1, 10, 5)
    HUEY.execute(scheduled_copy(REMINDERS, old))
    HUEY.execute(scheduled_copy(REMINDERS, old + dt.timedelta(days=30)))
    assert list(ScheduledRun.objects.values_list("period", flat=True)) == [
        (old + dt.timedelta(days=30)).replace(tzinfo=dt.UTC)
    ]
