"""A job queued while the queue does not answer is kept in the database and queued once it answers again."""

from __future__ import annotations

import pytest
from huey.contrib.djhuey import HUEY, db_task

from courtyard.core.jobs import job_enqueue, pending_jobs_enqueue
from courtyard.core.models import PendingJob

pytestmark = pytest.mark.django_db

RAN: list[tuple[int, str]] = []


@db_task()
def remember(number: int, day: str) -> None:
    RAN.append((number, day))


@pytest.fixture(autouse=True)
def _fresh():
    RAN.clear()


@pytest.fixture
def queue_down(monkeypatch):
    import redis

    def refuse(*args, **kwargs):
        raise redis.exceptions.ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(HUEY, "enqueue", refuse)
    return monkeypatch


def test_a_queued_job_runs(db):
    assert job_enqueue(remember, 1, "2026-03-02")
    assert RAN == [(1, "2026-03-02")]
    assert not PendingJob.objects.exists()


def test_a_job_is_kept_while_the_queue_is_down_and_queued_once_it_is_back(queue_down):
    assert job_enqueue(remember, 7, "2026-03-02") is False  # no exception into the caller
    assert RAN == []
    job = PendingJob.objects.get()
    assert (job.task, job.args) == ("tests.core.test_pending_jobs.remember", [7, "2026-03-02"])
    assert "Connection refused" in job.last_error

    assert pending_jobs_enqueue() == 0  # still down: kept, and counted
    job.refresh_from_db()
    assert job.attempts == 1

    queue_down.undo()
    assert pending_jobs_enqueue() == 1
    assert RAN == [(7, "2026-03-02")]
    assert not PendingJob.objects.exists()


def test_kept_jobs_are_queued_oldest_first(queue_down):
    for number in (1, 2, 3):
        job_enqueue(remember, number, "2026-03-02")
    queue_down.undo()
    assert pending_jobs_enqueue() == 3
    assert [number for number, _day in RAN] == [1, 2, 3]


def test_coffee_rounds_are_queued_through_the_outbox(queue_down, monkeypatch):
    import datetime as dt

    from courtyard.pairing import tasks

    monkeypatch.setattr(tasks.services, "coffee_rounds_due", lambda: [(41, dt.date(2026, 3, 2))])
    tasks.coffee_rounds_schedule.call_local()
    assert PendingJob.objects.get().task == "courtyard.pairing.tasks.coffee_round_job"
