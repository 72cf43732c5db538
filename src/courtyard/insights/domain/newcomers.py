"""Newcomer integration: how soon newcomers make ties outside their own department.

The ledger records both people's departments at the moment of each interaction, so "outside their own
team" is measured at department level: a tie is *cross-department* when the two departments differ.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from courtyard.insights.domain.metrics import median, ratio

MILESTONES = (30, 60, 90)
CONNECTIONS_WANTED = 3


@dataclasses.dataclass(frozen=True)
class Newcomer:
    start: dt.date
    # The first day of each distinct cross-department connection (one per colleague), in any order.
    connection_days: Sequence[dt.date]


@dataclasses.dataclass(frozen=True)
class Milestone:
    days: int
    eligible: int  # newcomers whose day N has come
    reached: int  # of those, how many had 3+ cross-department connections by then

    @property
    def share(self) -> float | None:
        return ratio(self.reached, self.eligible)


@dataclasses.dataclass(frozen=True)
class Integration:
    newcomers: int
    connected: int  # had at least one cross-department interaction
    median_days_to_first: float | None
    milestones: tuple[Milestone, ...]

    def milestone(self, days: int) -> Milestone:
        return next(m for m in self.milestones if m.days == days)


def days_to_first(newcomer: Newcomer) -> int | None:
    if not newcomer.connection_days:
        return None
    return max(0, (min(newcomer.connection_days) - newcomer.start).days)


def connections_by(newcomer: Newcomer, days: int) -> int:
    """Distinct cross-department connections made within the first ``days`` days (day 0 is the start)."""
    limit = newcomer.start + dt.timedelta(days=days)
    return sum(1 for day in newcomer.connection_days if day < limit)


@dataclasses.dataclass(frozen=True)
class Progress:
    """One newcomer, already summed up: the day of their first cross-department tie and their count of
    cross-department connections by each milestone (what the database aggregates for large cohorts)."""

    start: dt.date
    first_day: dt.date | None
    by_milestone: dict[int, int]

    @classmethod
    def of(cls, newcomer: Newcomer) -> Progress:
        return cls(
            start=newcomer.start, first_day=min(newcomer.connection_days) if newcomer.connection_days else None,
            by_milestone={days: connections_by(newcomer, days) for days in MILESTONES},
        )


def integration(newcomers: Sequence[Newcomer], *, today: dt.date) -> Integration:
    return integration_of([Progress.of(n) for n in newcomers], today=today)


def integration_of(newcomers: Sequence[Progress], *, today: dt.date) -> Integration:
    firsts = [max(0, (n.first_day - n.start).days) for n in newcomers if n.first_day is not None]
    milestones = []
    for days in MILESTONES:
        eligible = [n for n in newcomers if n.start + dt.timedelta(days=days) <= today]
        reached = sum(1 for n in eligible if n.by_milestone.get(days, 0) >= CONNECTIONS_WANTED)
        milestones.append(Milestone(days=days, eligible=len(eligible), reached=reached))
    return Integration(
        newcomers=len(newcomers), connected=len(firsts), median_days_to_first=median(firsts),
        milestones=tuple(milestones),
    )
