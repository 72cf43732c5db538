"""Quiet hours: when an email that is ready now may be sent, in the member's own time zone.

Pure Python (zoneinfo only). A quiet window is a start and an end wall-clock time; it may run over midnight
(22:00-07:00). Nothing is sent inside it: the email waits until the window ends, on that day's wall clock in
the member's zone, whatever daylight-saving change happens in between.
"""

from __future__ import annotations

import datetime as dt


def in_quiet_hours(local: dt.time, start: dt.time, end: dt.time) -> bool:
    """Whether a wall-clock time falls inside [start, end). Equal start and end means no quiet hours."""
    if start == end:
        return False
    if start < end:
        return start <= local < end
    return local >= start or local < end  # over midnight


def _wall_clock_instant(day: dt.date, at: dt.time, zone: dt.tzinfo) -> dt.datetime:
    """The instant a wall clock in ``zone`` shows ``at`` on ``day``. A time skipped by a spring-forward change
    (02:30 on that night) becomes the first moment after the gap; a time that happens twice in autumn is its
    first occurrence."""
    naive = dt.datetime.combine(day, at)
    instant = naive.replace(tzinfo=zone, fold=0).astimezone(dt.UTC)
    if instant.astimezone(zone).replace(tzinfo=None) != naive:
        # Skipped: fold=0 read it with the offset before the change. The gap ends at the change itself.
        after = naive.replace(tzinfo=zone, fold=1).astimezone(dt.UTC)
        instant = min(instant, after)
        while instant.astimezone(zone).replace(tzinfo=None) < naive:
            instant += dt.timedelta(minutes=15)
    return instant


def send_at(now: dt.datetime, zone: dt.tzinfo, start: dt.time | None, end: dt.time | None) -> dt.datetime:
    """The first instant at or after ``now`` (aware) outside the member's quiet hours, in UTC."""
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    now = now.astimezone(dt.UTC)
    if start is None or end is None or start == end:
        return now
    local = now.astimezone(zone)
    if not in_quiet_hours(local.time().replace(tzinfo=None), start, end):
        return now
    day = local.date()
    if start > end and local.time().replace(tzinfo=None) >= start:
        day += dt.timedelta(days=1)  # the evening part of an overnight window ends tomorrow morning
    return max(now, _wall_clock_instant(day, end, zone))
