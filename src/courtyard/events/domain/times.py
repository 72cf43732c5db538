"""Time-zone arithmetic for events: week bounds, month grids, reminder moments. Pure Python (zoneinfo)."""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt

REMINDER_HOUR = 9  # the day-before reminder arrives at 09:00 in the member's own time zone
HOUR_BEFORE = dt.timedelta(hours=1)


def day_reminder_due(start: dt.datetime, member_tz: dt.tzinfo) -> dt.datetime:
    """When the "tomorrow" reminder is due: 09:00 on the member's calendar day before the event starts.

    An event at 08:00 Tuesday in Berlin reaches a member in New York as 02:00 Tuesday, so they hear about it
    at 09:00 Monday New York time, the day before *their* Tuesday."""
    local_day = start.astimezone(member_tz).date() - dt.timedelta(days=1)
    due = dt.datetime.combine(local_day, dt.time(REMINDER_HOUR), tzinfo=member_tz)
    return due.astimezone(dt.UTC)


def hour_reminder_due(start: dt.datetime) -> dt.datetime:
    return start - HOUR_BEFORE


@dataclasses.dataclass(frozen=True)
class Reminder:
    kind: str  # "day" or "hour"
    due: dt.datetime


def reminders_due(
    *, start: dt.datetime, member_tz: dt.tzinfo, now: dt.datetime, day_sent: bool, hour_sent: bool,
    answered_at: dt.datetime,
) -> list[Reminder]:
    """The reminders to send now. A reminder whose moment passed before the member said yes is not sent
    (someone who answers 30 minutes before needs no "tomorrow" note); the hour one supersedes a late day one."""
    if now >= start:
        return []
    due: list[Reminder] = []
    hour = hour_reminder_due(start)
    day = day_reminder_due(start, member_tz)
    if not hour_sent and hour <= now and answered_at < hour:
        due.append(Reminder("hour", hour))
    elif not day_sent and not hour_sent and day <= now < hour and answered_at < day:
        due.append(Reminder("day", day))
    return due


def week_bounds(today: dt.date, tz: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
    """Monday 00:00 to the next Monday 00:00 of the week containing ``today``, in ``tz``, as UTC instants."""
    monday = today - dt.timedelta(days=today.weekday())
    start = dt.datetime.combine(monday, dt.time(0), tzinfo=tz)
    end = dt.datetime.combine(monday + dt.timedelta(days=7), dt.time(0), tzinfo=tz)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def month_bounds(year: int, month: int, tz: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
    """The instants a month grid covers: from the Monday on or before the 1st to the Monday after the last."""
    weeks = month_weeks(year, month)
    start = dt.datetime.combine(weeks[0][0], dt.time(0), tzinfo=tz)
    end = dt.datetime.combine(weeks[-1][-1] + dt.timedelta(days=1), dt.time(0), tzinfo=tz)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def month_weeks(year: int, month: int) -> list[list[dt.date]]:
    """The weeks (Monday first) of a month view, including the days of the months around it."""
    return calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)


def days_covered(start_day: dt.date, end_day: dt.date) -> list[dt.date]:
    """Every date from start to end inclusive (a multi-day event appears on each of its days)."""
    count = (end_day - start_day).days + 1
    return [start_day + dt.timedelta(days=i) for i in range(max(1, min(count, 62)))]


def local_span(start: dt.datetime, end: dt.datetime, tz: dt.tzinfo) -> tuple[dt.date, dt.date]:
    """The local dates a timed event covers in ``tz`` (an event ending at midnight does not cover the next day)."""
    first = start.astimezone(tz).date()
    last_instant = end - dt.timedelta(microseconds=1) if end > start else end
    return first, max(first, last_instant.astimezone(tz).date())
