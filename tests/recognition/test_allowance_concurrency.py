"""Concurrent sends on PostgreSQL never overspend the monthly allowance, and the ledger always balances.

Real threads, each with its own database connection, start together at a barrier and send kudos with points from
the same member. The balance row is locked (SELECT … FOR UPDATE) by each send, so exactly as many sends succeed
as the allowance pays for, whatever the interleaving; the others are refused with a clear reason."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from courtyard.core.errors import ApplicationError
from courtyard.recognition import services
from courtyard.recognition.domain import allowance
from courtyard.recognition.models import AllowanceBalance, AllowanceEntry, Kudos
from tests.factories import make_profile

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 8


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


def ledger_balances(member) -> bool:
    balance = AllowanceBalance.objects.get(member=member)
    entries = AllowanceEntry.objects.filter(member=member, month=balance.month).values_list("kind", "amount")
    return allowance.ledger_balances(entries, granted=balance.granted, spent=balance.spent)


@pytest.fixture
def people(monkeypatch):
    monkeypatch.setattr(services, "KUDOS_LIMITS", ((1000, 60),))
    admin = make_profile(email="root@example.com", full_name="Root", is_admin=True)
    services.settings_update(actor=admin.user, allowance_enabled=True, monthly_points=50, per_recipient_limit=50,
                             max_points_per_kudos=10)
    giver = make_profile(email="giver@example.com", full_name="Gia Giver")
    others = [make_profile(email=f"r{i}@example.com", full_name=f"Recipient {i}") for i in range(THREADS)]
    return giver, others


def test_concurrent_first_sends_never_overspend(people):
    """Eight sends of 10 points at once against a fresh month of 50: the balance row is opened once, five pass."""
    giver, others = people

    def send(recipient):
        return lambda: services.kudos_send(actor=giver.user, people=[recipient], points=10, message="Thanks!")

    results = run_together([send(r) for r in others])
    sent = [r for r in results if isinstance(r, Kudos)]
    refused = [r for r in results if isinstance(r, ApplicationError)]
    assert len(sent) == 5, results
    assert len(refused) == 3, results
    assert {e.code for e in refused} == {"not_enough_points"}, results
    balance = AllowanceBalance.objects.get(member=giver)
    assert (balance.granted, balance.spent) == (50, 50)
    assert AllowanceEntry.objects.filter(member=giver, kind="grant").count() == 1
    assert ledger_balances(giver)


def test_concurrent_sends_to_one_colleague_respect_the_per_recipient_limit(people):
    giver, others = people
    services.settings_update(actor=make_profile(email="root2@example.com", full_name="R2", is_admin=True).user,
                             allowance_enabled=True, monthly_points=100, per_recipient_limit=25, max_points_per_kudos=10)
    target = others[0]
    services.kudos_send(actor=giver.user, people=[others[1]], points=1, message="Opens the month")
    results = run_together([
        (lambda: services.kudos_send(actor=giver.user, people=[target], points=5, message="Thanks!"))
        for _ in range(THREADS)
    ])
    sent = [r for r in results if isinstance(r, Kudos)]
    assert len(sent) == 5, results  # 5 × 5 = 25, the limit for one colleague in a month
    assert all(isinstance(r, ApplicationError) and r.code == "recipient_limit" for r in results if r not in sent)
    assert AllowanceBalance.objects.get(member=giver).spent == 26
    assert ledger_balances(giver)
