"""When coffee rounds happen, seniority from titles, and conversation starters: small pure functions.

A round happens on a local date at a local time in the program's time zone; a date is what makes a round
unique (one per program and date), so a retried job finds the round it already ran.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import zoneinfo
from collections.abc import Sequence

WEEKLY = "weekly"
BIWEEKLY = "biweekly"
MONTHLY = "monthly"
EPOCH = dt.date(2024, 1, 1)  # a Monday: every-2-weeks programs without a start date count weeks from here


def zone(tz_name: str) -> dt.tzinfo:
    try:
        return zoneinfo.ZoneInfo(tz_name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def is_round_date(day: dt.date, *, cadence: str, weekday: int, starts_on: dt.date | None) -> bool:
    if day.weekday() != weekday:
        return False
    if starts_on is not None and day < starts_on:
        return False
    if cadence == BIWEEKLY:
        anchor = starts_on or EPOCH
        first = anchor + dt.timedelta(days=(weekday - anchor.weekday()) % 7)
        return (day - first).days % 14 == 0
    if cadence == MONTHLY:
        return day.day <= 7
    return True


def round_moment(day: dt.date, local_time: dt.time, tz_name: str) -> dt.datetime:
    """The UTC instant of a round: its local date and time in its zone (a time skipped by a DST change
    happens an hour later, as clocks show it)."""
    local = dt.datetime.combine(day, local_time, tzinfo=zone(tz_name))
    utc = local.astimezone(dt.UTC)
    if utc.astimezone(zone(tz_name)).replace(tzinfo=None) != local.replace(tzinfo=None):
        utc = (local + dt.timedelta(hours=1)).astimezone(dt.UTC)
    return utc


def next_round(
    *, cadence: str, weekday: int, local_time: dt.time, tz_name: str, starts_on: dt.date | None, after: dt.datetime
) -> tuple[dt.date, dt.datetime]:
    """The first round strictly after ``after``: its local date and its UTC instant."""
    day = after.astimezone(zone(tz_name)).date()
    if starts_on is not None and day < starts_on:
        day = starts_on
    for _ in range(400):
        if is_round_date(day, cadence=cadence, weekday=weekday, starts_on=starts_on):
            moment = round_moment(day, local_time, tz_name)
            if moment > after:
                return day, moment
        day += dt.timedelta(days=1)
    raise ValueError("no round date within a year")  # unreachable for valid cadences


def round_date_of(moment: dt.datetime, tz_name: str) -> dt.date:
    return moment.astimezone(zone(tz_name)).date()


def utc_offset_minutes(tz_name: str, at: dt.datetime) -> int:
    offset = at.astimezone(zone(tz_name)).utcoffset()
    return int(offset.total_seconds() // 60) if offset is not None else 0


# Seniority from job titles: the highest level a word in the title names.
_LEVELS = (
    (0, ("intern", "trainee", "apprentice", "working student")),
    (1, ("junior", "associate", "assistant", "graduate")),
    (3, ("senior", "sr")),
    (4, ("staff", "lead", "principal", "architect")),
    (5, ("manager", "head", "director")),
    (6, ("vp", "vice president", "chief", "cto", "ceo", "cfo", "coo", "founder")),
)


def seniority_from_title(title: str) -> int:
    """0 for interns up to 6 for executives; 2 for a title that names no level ("Software Engineer")."""
    words = " " + re.sub(r"[^a-z ]+", " ", (title or "").lower()) + " "
    level = 2
    found = False
    for value, names in _LEVELS:
        if any(f" {name} " in words for name in names):
            level = value if not found else max(level, value)
            found = True
    return level


_STARTERS = (
    "You both like {topic}: how did you get into it?",
    "{topic} is something you share. What is the best thing you have done with it lately?",
    "Ask each other about {topic}: what would you recommend to a beginner?",
)
_GENERIC = (
    "What are you working on this month that you are excited about?",
    "What is something you learned recently, at work or outside it?",
    "If you could swap jobs with anyone here for a day, whose would it be?",
)


def conversation_starter(shared_interests: Sequence[str], rng: random.Random) -> str:
    """A first question for a coffee group, from an interest they share when there is one."""
    if shared_interests:
        topic = rng.choice(sorted(shared_interests))
        return rng.choice(_STARTERS).format(topic=topic)
    return rng.choice(_GENERIC)


def parse_languages(text: str) -> frozenset[str]:
    """"English, Spanish; français" → {"english", "spanish", "français"}."""
    return frozenset(part.strip().lower() for part in re.split(r"[,;/]", text or "") if part.strip())


def pulse_phases_open(
    *, today: dt.date, starts_on: dt.date | None, ends_on: dt.date | None, published: bool, closed: bool
) -> tuple[str, ...]:
    """Which mentorship pulses participants may answer today: the mid-point one from half-way (or once
    matches are published, without dates), the final one from a week before the end (or once closed)."""
    phases: list[str] = []
    if not (published or closed):
        return ()
    if starts_on is not None and ends_on is not None and ends_on > starts_on:
        middle = starts_on + (ends_on - starts_on) / 2
        if today >= middle:
            phases.append("midpoint")
        if closed or today >= ends_on - dt.timedelta(days=7):
            phases.append("final")
    else:
        phases.append("midpoint")
        if closed:
            phases.append("final")
    return tuple(phases)
