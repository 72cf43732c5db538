"""Newcomer cohorts by start month: who completed each step, and how fast they made their first ties.

Pure: the admin page's selector hands one ``Arrival`` per newcomer (their start date, the steps their facts
complete and the dates of their firsts) and gets figures back. A cohort with fewer newcomers than the
anonymity floor (``core.domain.anonymity``) shows its size only; a median over fewer people than the floor
is withheld too, so no figure on the page describes one or two identifiable people.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence

from courtyard.core.domain.anonymity import withheld
from courtyard.welcome.domain.checklist import STEP_KEYS

FIRSTS = ("group", "event", "cross_tie")


@dataclasses.dataclass(frozen=True)
class Arrival:
    member_id: int
    start_date: dt.date
    steps_done: frozenset[str]
    first_group: dt.date | None = None
    first_event: dt.date | None = None
    first_cross_tie: dt.date | None = None


@dataclasses.dataclass(frozen=True)
class StepShare:
    key: str
    done: int
    share: float | None  # None: withheld


@dataclasses.dataclass(frozen=True)
class Cohort:
    month: dt.date  # the first day of the start month
    newcomers: int
    withheld: bool
    steps: tuple[StepShare, ...]
    # first -> median days from the start date (None: nobody yet, or withheld)
    median_days: dict[str, float | None]
    reached: dict[str, int]  # first -> how many newcomers reached it


@dataclasses.dataclass(frozen=True)
class Change:
    """A figure compared with the same figure of the cohort before (None: nothing to compare)."""

    key: str
    now: float | None
    before: float | None

    @property
    def delta(self) -> float | None:
        if self.now is None or self.before is None:
            return None
        return self.now - self.before


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _days(start: dt.date, first: dt.date | None) -> int | None:
    if first is None:
        return None
    return max(0, (first - start).days)


def cohort_figures(month: dt.date, arrivals: Sequence[Arrival], *, minimum: int | None = None) -> Cohort:
    n = len(arrivals)
    hidden = withheld(n, minimum)
    steps = []
    for key in STEP_KEYS:
        done = sum(1 for a in arrivals if key in a.steps_done)
        steps.append(StepShare(key=key, done=0 if hidden else done, share=None if hidden or not n else done / n))
    medians: dict[str, float | None] = {}
    reached: dict[str, int] = {}
    for first in FIRSTS:
        days = [d for a in arrivals if (d := _days(a.start_date, getattr(a, f"first_{first}"))) is not None]
        reached[first] = 0 if hidden else len(days)
        medians[first] = None if hidden or withheld(len(days), minimum) else float(statistics.median(days))
    return Cohort(month=month, newcomers=n, withheld=hidden, steps=tuple(steps), median_days=medians, reached=reached)


def cohorts(arrivals: Iterable[Arrival], *, minimum: int | None = None) -> list[Cohort]:
    """One cohort per start month that has newcomers, newest first."""
    by_month: dict[dt.date, list[Arrival]] = defaultdict(list)
    for arrival in arrivals:
        by_month[month_of(arrival.start_date)].append(arrival)
    return [cohort_figures(month, by_month[month], minimum=minimum) for month in sorted(by_month, reverse=True)]


def compared(cohort: Cohort, earlier: Sequence[Cohort]) -> list[Change]:
    """Each figure of a cohort beside the mean of the same figure over the earlier cohorts that show it."""

    def mean(values: list[float]) -> float | None:
        return statistics.fmean(values) if values else None

    changes = []
    for i, step in enumerate(cohort.steps):
        before = [c.steps[i].share for c in earlier if c.steps[i].share is not None]
        changes.append(Change(key=step.key, now=step.share, before=mean([b for b in before if b is not None])))
    for first in FIRSTS:
        values = [c.median_days[first] for c in earlier if c.median_days[first] is not None]
        changes.append(Change(key=f"days_to_{first}", now=cohort.median_days[first],
                              before=mean([v for v in values if v is not None])))
    return changes
