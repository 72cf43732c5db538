"""The monthly kudos allowance: pure rules over plain numbers (no Django).

Each member gets ``monthly_points`` to give in each calendar month of their own time zone. Points do not roll
over: a new month starts a new balance. Giving costs ``points`` for each person thanked by name; a member
cannot give points to themselves, and gives one colleague at most ``per_recipient_limit`` points in a month.
Team and group kudos carry no points (they thank many people at once; points go to people by name).

The ledger is append-only: one ``grant`` entry when a month's balance opens (and a ``grant`` top-up when an
admin raises the allowance mid-month), one ``spend`` entry (negative) per recipient of each kudos, and a
``refund`` entry (positive) when a kudos is withdrawn. So for every member and month
``sum(entries) == granted - spent >= 0``, which ``ledger_balances`` checks.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping

GRANT = "grant"
SPEND = "spend"
REFUND = "refund"
ENTRY_KINDS = (GRANT, SPEND, REFUND)


@dataclasses.dataclass(frozen=True)
class Policy:
    enabled: bool
    monthly_points: int
    per_recipient_limit: int
    max_points_per_kudos: int


@dataclasses.dataclass(frozen=True)
class Balance:
    """A member's month as it stands: what was granted, what was spent, and points already given per colleague."""

    granted: int
    spent: int
    given_to: Mapping[int, int] = dataclasses.field(default_factory=dict)

    @property
    def remaining(self) -> int:
        return self.granted - self.spent


@dataclasses.dataclass(frozen=True)
class Refusal:
    """Why a spend is refused: a stable code and the numbers a message needs."""

    code: str
    params: Mapping[str, int] = dataclasses.field(default_factory=dict)


def month_of(day: dt.date) -> dt.date:
    """The month a day belongs to, as its first day (the ledger's month key)."""
    return day.replace(day=1)


def top_up(granted: int, policy: Policy) -> int:
    """Points to add to a month already opened when the allowance was raised since (never taken back)."""
    return max(0, policy.monthly_points - granted)


def cost(points: int, recipient_ids: Iterable[int]) -> int:
    return points * len(set(recipient_ids))


def check_spend(policy: Policy, *, sender_id: int, recipient_ids: Iterable[int], points: int, balance: Balance) -> Refusal | None:
    """None when the sender may give ``points`` to each of ``recipient_ids`` now; else why not."""
    recipients = set(recipient_ids)
    if points < 0:
        return Refusal("negative_points")
    if points == 0:
        return None
    if not policy.enabled:
        return Refusal("allowance_off")
    if sender_id in recipients:
        return Refusal("self_points")
    if not recipients:
        return Refusal("points_need_people")
    if points > policy.max_points_per_kudos:
        return Refusal("too_many_points", {"max": policy.max_points_per_kudos})
    for recipient in sorted(recipients):
        already = balance.given_to.get(recipient, 0)
        if already + points > policy.per_recipient_limit:
            return Refusal(
                "recipient_limit",
                {"recipient": recipient, "limit": policy.per_recipient_limit, "left": max(0, policy.per_recipient_limit - already)},
            )
    needed = cost(points, recipients)
    if needed > balance.remaining:
        return Refusal("not_enough_points", {"needed": needed, "left": balance.remaining})
    return None


def ledger_balances(entries: Iterable[tuple[str, int]], *, granted: int, spent: int) -> bool:
    """The ledger of one member-month agrees with its balance row, and nothing was overspent."""
    grants = spends = refunds = 0
    for kind, amount in entries:
        if kind == GRANT and amount > 0:
            grants += amount
        elif kind == SPEND and amount < 0:
            spends += -amount
        elif kind == REFUND and amount > 0:
            refunds += amount
        else:
            return False
    return grants == granted and spends - refunds == spent and 0 <= spent <= granted
