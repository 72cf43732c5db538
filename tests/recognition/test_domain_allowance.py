"""The allowance rules, without a database: whatever sequence of sends is tried, nothing is ever overspent,
no colleague gets more than the limit in a month, and the ledger always agrees with the balance."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from courtyard.recognition.domain import allowance

POLICY = allowance.Policy(enabled=True, monthly_points=100, per_recipient_limit=30, max_points_per_kudos=20)
SENDER = 1


def balance(granted: int = 100, spent: int = 0, given_to: dict[int, int] | None = None) -> allowance.Balance:
    return allowance.Balance(granted=granted, spent=spent, given_to=given_to or {})


def test_examples():
    assert allowance.check_spend(POLICY, sender_id=SENDER, recipient_ids=[2, 3], points=10, balance=balance()) is None
    assert allowance.check_spend(POLICY, sender_id=SENDER, recipient_ids=[1], points=10, balance=balance()).code == "self_points"
    assert allowance.check_spend(POLICY, sender_id=SENDER, recipient_ids=[], points=10, balance=balance()).code == "points_need_people"
    assert allowance.check_spend(POLICY, sender_id=SENDER, recipient_ids=[2], points=21, balance=balance()).code == "too_many_points"
    refusal = allowance.check_spend(POLICY, sender_id=SENDER, recipient_ids=[2], points=15, balance=balance(given_to={2: 20}))
    assert (refusal.code, refusal.params["left"]) == ("recipient_limit", 10)
    refusal = allowance.check_spend(POLICY, sender_id=SENDER, recipient_ids=[2, 3], points=10, balance=balance(spent=85))
    assert (refusal.code, refusal.params["needed"], refusal.params["left"]) == ("not_enough_points", 20, 15)
    off = allowance.Policy(enabled=False, monthly_points=0, per_recipient_limit=0, max_points_per_kudos=0)
    assert allowance.check_spend(off, sender_id=SENDER, recipient_ids=[2], points=0, balance=balance(0)) is None
    assert allowance.check_spend(off, sender_id=SENDER, recipient_ids=[2], points=1, balance=balance(0)).code == "allowance_off"
    assert allowance.check_spend(POLICY, sender_id=SENDER, recipient_ids=[1], points=0, balance=balance()) is None


def test_month_and_top_up():
    assert allowance.month_of(dt.date(2024, 2, 29)) == dt.date(2024, 2, 1)
    assert allowance.top_up(100, POLICY) == 0
    assert allowance.top_up(80, POLICY) == 20
    assert allowance.top_up(150, POLICY) == 0  # lowering never takes points back


def test_ledger_balances_detects_disagreement():
    entries = [("grant", 100), ("spend", -10), ("spend", -10), ("refund", 10)]
    assert allowance.ledger_balances(entries, granted=100, spent=10)
    assert not allowance.ledger_balances(entries, granted=100, spent=20)
    assert not allowance.ledger_balances([("grant", 100), ("spend", 10)], granted=100, spent=-10)
    assert not allowance.ledger_balances([("grant", 10), ("spend", -20)], granted=10, spent=20)


sends = st.lists(
    st.tuples(st.lists(st.integers(1, 6), min_size=0, max_size=4), st.integers(0, 25)), max_size=40
)


@settings(max_examples=300, deadline=None)
@given(sends=sends, monthly=st.integers(1, 150), limit=st.integers(1, 60), most=st.integers(1, 30))
def test_no_sequence_of_sends_overspends_or_breaks_the_ledger(sends, monthly, limit, most):
    policy = allowance.Policy(enabled=True, monthly_points=monthly, per_recipient_limit=limit, max_points_per_kudos=most)
    granted, spent = monthly, 0
    given_to: dict[int, int] = {}
    ledger = [("grant", monthly)]
    for recipients, points in sends:
        state = allowance.Balance(granted=granted, spent=spent, given_to=dict(given_to))
        refusal = allowance.check_spend(policy, sender_id=SENDER, recipient_ids=recipients, points=points, balance=state)
        if refusal is not None or points == 0:
            continue
        for recipient in set(recipients):
            ledger.append(("spend", -points))
            given_to[recipient] = given_to.get(recipient, 0) + points
        spent += allowance.cost(points, recipients)
        assert SENDER not in recipients
    assert 0 <= spent <= granted
    assert all(total <= limit for total in given_to.values())
    assert allowance.ledger_balances(ledger, granted=granted, spent=spent)
