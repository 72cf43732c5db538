"""A coffee round run by several workers at once (a retried job, two schedulers) pairs once, on PostgreSQL.

Real threads with their own connections start together at a barrier and run the same (program, date) round.
The program row is locked (SELECT … FOR UPDATE) and the (program, round date) row is unique, so exactly one
run pairs people; the others find the round and change nothing."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from courtyard.core.models import Participation
from courtyard.pairing import services
from courtyard.pairing.models import CoffeeMatchMember, CoffeeRound
from tests.factories import make_profile

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 6


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is proven on PostgreSQL (set DATABASE_URL)")


def run_together(jobs) -> list[object]:
    barrier = threading.Barrier(len(jobs))
    results: list[object] = [None] * len(jobs)

    def worker(index: int, job) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = job()
        except Exception as exc:  # noqa: BLE001 - collected and asserted by the test
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_concurrent_runs_of_one_round_pair_once(monkeypatch):
    monkeypatch.setattr("courtyard.pairing.notify._send_many", lambda **kwargs: None)
    admin = make_profile(full_name="Ada Admin", is_admin=True)
    program = services.program_create(actor=admin.user, kind="coffee", name="Coffee")
    people = [make_profile(full_name=f"P{i}", department=["A", "B", "C"][i % 3]) for i in range(21)]
    for person in people:
        services.signup_join(actor=person.user, program=program)
    day = dt.date(2025, 6, 2)
    results = run_together([lambda: services.coffee_round_run(program_id=program.pk, round_date=day)] * THREADS)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(isinstance(r, CoffeeRound) for r in results) == 1
    assert CoffeeRound.objects.filter(program=program).count() == 1
    members = list(CoffeeMatchMember.objects.filter(program=program).values_list("profile_id", flat=True))
    assert sorted(members) == sorted(p.pk for p in people)  # everyone once, nobody twice
    assert Participation.objects.filter(verb="paired", program_id=program.pk).count() == 21
