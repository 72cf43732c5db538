"""The one place the application reads the time, so that tests and jobs can pass their own ``now``."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.utils import timezone


def now() -> dt.datetime:
    return timezone.now()


def today_in(tz_name: str | None) -> dt.date:
    """The calendar date for a person in their own time zone."""
    return now().astimezone(safe_zone(tz_name)).date()


def safe_zone(tz_name: str | None) -> dt.tzinfo:
    if tz_name:
        try:
            return zoneinfo.ZoneInfo(tz_name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            pass
    return dt.UTC
