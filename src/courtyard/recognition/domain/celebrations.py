"""When celebrations happen: pure date rules (no Django), computed in each member's own time zone.

- **Work anniversaries** on the anniversary of the start date, from the first full year on.
- **Birthdays** (opt-in; day and month only, never a year) on that day each year.
- A date that does not exist this year (29 February) is observed on **28 February**.
- A date on a **weekend is celebrated on the Friday before** (so colleagues are around to see it); the
  occasion keeps its own year, so an anniversary on Sunday 1 January is celebrated on Friday 30 December
  of the year before, once.
- **Newcomer welcomes** in the first week: on the first weekday on or after the start date (a welcome before
  someone starts would greet nobody), or on any later day of that first week when the job missed it.
- **Milestones** (a mentorship completed) come from the programs that record them, not from dates.

A celebration is due for a member when their *local* date (their time zone, on either side of the date line)
is the celebration day, so a member in Kiritimati (UTC+14) and one in Pago Pago (UTC−11) are celebrated on
their own Fridays, nearly two days apart in UTC.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import zoneinfo
from collections.abc import Iterable

ANNIVERSARY = "anniversary"
BIRTHDAY = "birthday"
WELCOME = "welcome"
MILESTONE = "milestone"
KINDS = (ANNIVERSARY, BIRTHDAY, WELCOME, MILESTONE)
FRIDAY = 4
WELCOME_DAYS = 7


@dataclasses.dataclass(frozen=True)
class Due:
    kind: str
    key: str  # unique per member and kind: retries find the same key and create nothing new
    occasion: dt.date  # the day it is about (after the 29 February rule)
    years: int | None = None


def zone(name: str | None) -> dt.tzinfo:
    if name:
        try:
            return zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            pass
    return dt.UTC


def local_date(now: dt.datetime, tz_name: str | None) -> dt.date:
    """The calendar date a member sees at the instant ``now`` (aware) in their time zone (UTC if unknown)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(zone(tz_name)).date()


def observed(year: int, month: int, day: int) -> dt.date:
    """That month and day in that year; 29 February falls on 28 February in common years."""
    if month == 2 and day == 29 and not calendar.isleap(year):
        return dt.date(year, 2, 28)
    return dt.date(year, month, day)


def celebration_day(occasion: dt.date) -> dt.date:
    """Weekend dates move to the Friday before; weekdays stay."""
    weekday = occasion.weekday()
    if weekday > FRIDAY:
        return occasion - dt.timedelta(days=weekday - FRIDAY)
    return occasion


def occasions_celebrated_on(day: dt.date) -> list[dt.date]:
    """The occasion dates whose celebration day is ``day``: itself on a weekday, plus Saturday and Sunday on a Friday."""
    if day.weekday() > FRIDAY:
        return []
    if day.weekday() == FRIDAY:
        return [day, day + dt.timedelta(days=1), day + dt.timedelta(days=2)]
    return [day]


def month_days_for(days: Iterable[dt.date]) -> set[tuple[int, int]]:
    """(month, day) pairs of the start dates and birthdays that may be due on any of ``days``: a cheap
    pre-filter for the database; ``due_on`` decides exactly."""
    pairs: set[tuple[int, int]] = set()
    for day in days:
        for occasion in occasions_celebrated_on(day):
            pairs.add((occasion.month, occasion.day))
            if occasion.month == 2 and occasion.day == 28 and not calendar.isleap(occasion.year):
                pairs.add((2, 29))
    return pairs


def welcome_day(start: dt.date) -> dt.date:
    day = start
    while day.weekday() > FRIDAY:
        day += dt.timedelta(days=1)
    return day


def welcome_due(today: dt.date, start: dt.date) -> bool:
    return welcome_day(start) <= today < start + dt.timedelta(days=WELCOME_DAYS) and today.weekday() <= FRIDAY


def _yearly(today: dt.date, month: int, day: int) -> list[dt.date]:
    """Occasions of a yearly (month, day) celebrated on ``today`` (this year's, or next year's 1–2 January)."""
    found = []
    for year in (today.year, today.year + 1):
        occasion = observed(year, month, day)
        if celebration_day(occasion) == today:
            found.append(occasion)
    return found


def due_on(
    today: dt.date,
    *,
    start_date: dt.date | None,
    birthday: tuple[int, int] | None,
    skip: frozenset[str] = frozenset(),
) -> list[Due]:
    """Celebrations due for one member on their local ``today``, honouring their opt-outs (``skip``)."""
    due: list[Due] = []
    if start_date is not None and ANNIVERSARY not in skip:
        for occasion in _yearly(today, start_date.month, start_date.day):
            years = occasion.year - start_date.year
            if years >= 1:
                due.append(Due(ANNIVERSARY, f"{ANNIVERSARY}:{occasion.year}", occasion, years))
    if birthday is not None and BIRTHDAY not in skip:
        month, day = birthday
        for occasion in _yearly(today, month, day):
            due.append(Due(BIRTHDAY, f"{BIRTHDAY}:{occasion.year}", occasion))
    if start_date is not None and WELCOME not in skip and welcome_due(today, start_date):
        due.append(Due(WELCOME, WELCOME, start_date))
    return due


def valid_birthday(month: int, day: int) -> bool:
    """A day that exists in some year (29 February included): the year is never asked for."""
    if not 1 <= month <= 12:
        return False
    return 1 <= day <= calendar.monthrange(2024, month)[1]
