"""Periods the insights report on: a week (Monday to Sunday), a month, a quarter, or custom dates.

Every period is a closed range of UTC calendar days. The previous period of a week, month or quarter is
the one before it in the calendar; of a custom period, the same number of days just before it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

KINDS = ("week", "month", "quarter", "custom")
MAX_CUSTOM_DAYS = 366


class PeriodError(ValueError):
    """A period that cannot be reported on (end before start, too long, unknown kind)."""


@dataclasses.dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive
    kind: str = "custom"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def end_exclusive(self) -> dt.date:
        return self.end + dt.timedelta(days=1)

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    @property
    def key(self) -> str:
        """A stable text form: ``month:2025-03-01`` or ``custom:2025-03-04:2025-03-20``."""
        if self.kind == "custom":
            return f"custom:{self.start.isoformat()}:{self.end.isoformat()}"
        return f"{self.kind}:{self.start.isoformat()}"

    @property
    def label(self) -> str:
        if self.kind == "week":
            return f"Week of {self.start:%d %b %Y}"
        if self.kind == "month":
            return f"{self.start:%B %Y}"
        if self.kind == "quarter":
            return f"Q{(self.start.month - 1) // 3 + 1} {self.start.year}"
        return f"{self.start:%d %b %Y} – {self.end:%d %b %Y}"

    @property
    def short_label(self) -> str:
        if self.kind == "week":
            return f"{self.start:%d %b}"
        if self.kind == "month":
            return f"{self.start:%b %Y}"
        if self.kind == "quarter":
            return f"Q{(self.start.month - 1) // 3 + 1} {self.start.year}"
        return f"{self.start:%d %b}–{self.end:%d %b}"


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def period_of(kind: str, anchor: dt.date) -> Period:
    """The week, month or quarter that contains ``anchor``."""
    if kind == "week":
        start = anchor - dt.timedelta(days=anchor.weekday())
        return Period(start, start + dt.timedelta(days=6), "week")
    if kind == "month":
        start = month_start(anchor)
        return Period(start, next_month(start) - dt.timedelta(days=1), "month")
    if kind == "quarter":
        start = dt.date(anchor.year, 3 * ((anchor.month - 1) // 3) + 1, 1)
        end = next_month(next_month(next_month(start))) - dt.timedelta(days=1)
        return Period(start, end, "quarter")
    raise PeriodError(f"Unknown period {kind!r}: use week, month, quarter or custom dates.")


def custom(start: dt.date, end: dt.date) -> Period:
    if end < start:
        raise PeriodError("The period ends before it starts.")
    if (end - start).days + 1 > MAX_CUSTOM_DAYS:
        raise PeriodError(f"A custom period is at most {MAX_CUSTOM_DAYS} days long.")
    return Period(start, end, "custom")


def previous(period: Period) -> Period:
    if period.kind == "custom":
        return Period(period.start - dt.timedelta(days=period.days), period.start - dt.timedelta(days=1), "custom")
    return period_of(period.kind, period.start - dt.timedelta(days=1))


def recent(period: Period, count: int) -> list[Period]:
    """``count`` consecutive periods ending with ``period``, oldest first."""
    periods = [period]
    while len(periods) < count:
        periods.append(previous(periods[-1]))
    return periods[::-1]


def parse(kind: str, start: str = "", end: str = "", *, today: dt.date) -> Period:
    """A period from a request: ``kind`` with an optional anchor date (``start``), or custom dates."""
    try:
        first = dt.date.fromisoformat(start) if start else None
        last = dt.date.fromisoformat(end) if end else None
    except ValueError:
        raise PeriodError("Dates look like 2025-03-31.") from None
    if kind == "custom":
        if first is None or last is None:
            raise PeriodError("A custom period needs a start and an end date.")
        return custom(first, last)
    if first is not None and not dt.date(2000, 1, 1) <= first <= dt.date(2100, 12, 31):
        raise PeriodError("That date is out of range.")
    return period_of(kind, first or today)


def month_masks(start: dt.date, end: dt.date) -> dict[dt.date, int]:
    """For each month the range touches, the bits of its days in the range (bit 0 is the 1st)."""
    masks: dict[dt.date, int] = {}
    day = start
    while day <= end:
        month = month_start(day)
        last = min(end, next_month(month) - dt.timedelta(days=1))
        bits = 0
        for d in range(day.day, last.day + 1):
            bits |= 1 << (d - 1)
        masks[month] = bits
        day = last + dt.timedelta(days=1)
    return masks


FULL_MONTH = (1 << 31) - 1


def weeks_overlapping(start: dt.date, end: dt.date) -> list[Period]:
    first = period_of("week", start)
    weeks = [first]
    while weeks[-1].end < end:
        weeks.append(period_of("week", weeks[-1].end + dt.timedelta(days=1)))
    return weeks


def natural_periods_touching(days: set[dt.date]) -> set[Period]:
    """The weeks, months and quarters that contain any of ``days``: the ones whose distinct counts change."""
    touched: set[Period] = set()
    for day in days:
        for kind in ("week", "month", "quarter"):
            touched.add(period_of(kind, day))
    return touched
