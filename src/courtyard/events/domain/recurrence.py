"""Recurring events expand in the event's own wall-clock time, so 18:00 in Berlin stays 18:00 across DST.

Pure Python (zoneinfo only). A series is its first occurrence's local start and end (naive wall-clock
datetimes in the event's zone) and a rule; each occurrence keeps the same local time of day and the same
local length, and is converted to UTC on its own date with that date's offset.

Rules follow RFC 5545's behaviour where they meet an impossible date: a monthly series on the 31st skips
months without a 31st (as BYMONTHDAY=31 does). Local times that do not exist (the hour skipped when clocks
go forward) move forward by the gap, as zoneinfo's ``fold=0`` resolves them; ambiguous times (the hour
repeated when clocks go back) take the first, summer-time, instant.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import zoneinfo

NONE = "none"
WEEKLY = "weekly"
MONTHLY = "monthly"
BY_DAY = "day"  # monthly on the same day of the month (the 14th)
BY_WEEKDAY = "weekday"  # monthly on the same weekday position (the second Tuesday; a fifth one means the last)

MAX_OCCURRENCES = 200  # a series never materializes more than this many dates
MAX_INTERVAL = 52


@dataclasses.dataclass(frozen=True)
class Rule:
    frequency: str = NONE
    interval: int = 1
    monthly_by: str = BY_DAY
    count: int | None = None  # how many occurrences in all
    until: dt.date | None = None  # the last local date an occurrence may start on (inclusive)

    @property
    def repeats(self) -> bool:
        return self.frequency != NONE


@dataclasses.dataclass(frozen=True)
class Slot:
    """One occurrence: its position in the series, its local wall-clock start and end, and the UTC instants."""

    position: int
    local_start: dt.datetime
    local_end: dt.datetime
    start: dt.datetime
    end: dt.datetime


def zone(name: str) -> zoneinfo.ZoneInfo:
    """The IANA zone by name; ValueError for a name that is not one."""
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError) as exc:
        raise ValueError(f"unknown time zone {name!r}") from exc


def to_utc(local: dt.datetime, tz: dt.tzinfo) -> dt.datetime:
    """A naive local wall-clock time in ``tz`` as a UTC instant (gaps move forward, overlaps take the first)."""
    aware = local.replace(tzinfo=tz, fold=0)
    # A time in a gap does not exist: fold=0 gives the offset from before the change, which is the wall time
    # moved forward by the gap once converted back (02:30 on a spring-forward night becomes 03:30 local).
    return aware.astimezone(dt.UTC)


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> dt.date | None:
    """The nth (1-4) weekday of a month, or the last one when nth is 5 or more."""
    days = [d for d in calendar.Calendar().itermonthdates(year, month) if d.month == month and d.weekday() == weekday]
    if nth >= 5:
        return days[-1]
    return days[nth - 1] if nth <= len(days) else None


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def local_dates(first: dt.date, rule: Rule, *, through: dt.date, limit: int = MAX_OCCURRENCES) -> list[dt.date]:
    """The local dates a series starts on, from ``first`` through ``through`` (and the rule's own end)."""
    if rule.interval < 1 or rule.interval > MAX_INTERVAL:
        raise ValueError("interval must be between 1 and 52")
    last = min(through, rule.until) if rule.until is not None else through
    wanted = min(limit, rule.count) if rule.count is not None else limit
    if not rule.repeats:
        return [first] if first <= last and wanted >= 1 else []
    dates: list[dt.date] = []
    step = 0
    nth = (first.day - 1) // 7 + 1
    # Months skipped for a missing day still count as steps; stop after enough steps to pass `last` for sure.
    while len(dates) < wanted:
        if rule.frequency == WEEKLY:
            candidate: dt.date | None = first + dt.timedelta(weeks=step * rule.interval)
        elif rule.frequency == MONTHLY:
            year, month = _add_months(first.year, first.month, step * rule.interval)
            if rule.monthly_by == BY_WEEKDAY:
                candidate = _nth_weekday(year, month, first.weekday(), nth)
            else:
                candidate = dt.date(year, month, first.day) if first.day <= calendar.monthrange(year, month)[1] else None
            if candidate is None and dt.date(year, month, 1) > last:
                break
        else:
            raise ValueError(f"unknown frequency {rule.frequency!r}")
        if candidate is not None:
            if candidate > last:
                break
            dates.append(candidate)
        step += 1
    return dates


def expand(
    local_start: dt.datetime, local_end: dt.datetime, tz_name: str, rule: Rule, *, through: dt.date,
    limit: int = MAX_OCCURRENCES,
) -> list[Slot]:
    """Every occurrence of a series that starts on or before the local date ``through``."""
    if local_end < local_start:
        raise ValueError("the end is before the start")
    tz = zone(tz_name)
    length = local_end - local_start  # in wall-clock time: 18:00-20:00 stays 18:00-20:00 on every date
    slots = []
    for position, day in enumerate(local_dates(local_start.date(), rule, through=through, limit=limit)):
        start_local = dt.datetime.combine(day, local_start.time())
        end_local = start_local + length
        slots.append(Slot(position, start_local, end_local, to_utc(start_local, tz), to_utc(end_local, tz)))
    return slots


def describe(rule: Rule, first: dt.date) -> str:
    """A short English description ("Every 2 weeks on Tuesday"), for people and for the .ics comment."""
    if not rule.repeats:
        return ""
    weekday = calendar.day_name[first.weekday()]
    if rule.frequency == WEEKLY:
        text = f"Every week on {weekday}" if rule.interval == 1 else f"Every {rule.interval} weeks on {weekday}"
    elif rule.monthly_by == BY_WEEKDAY:
        nth = (first.day - 1) // 7 + 1
        position = ("first", "second", "third", "fourth", "last")[min(nth, 5) - 1]
        every = "Every month" if rule.interval == 1 else f"Every {rule.interval} months"
        text = f"{every} on the {position} {weekday}"
    else:
        every = "Every month" if rule.interval == 1 else f"Every {rule.interval} months"
        text = f"{every} on day {first.day}"
    if rule.until is not None:
        text += f", until {rule.until.isoformat()}"
    elif rule.count is not None:
        text += f", {rule.count} times"
    return text
