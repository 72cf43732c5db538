"""The anonymity floor shared by everything that reports on anonymous answers (surveys, event feedback).

Results for fewer respondents than the minimum group size are withheld (QUALITY.md). The minimum is set
per survey or event, defaults to 5 and is never below 3. Anonymous answers carry a coarse date only,
never an exact time that could be joined to who answered when.
"""

from __future__ import annotations

import datetime as dt

DEFAULT_MIN_GROUP_SIZE = 5
MIN_GROUP_SIZE_FLOOR = 3


def effective_minimum(requested: int | None) -> int:
    """The minimum group size to apply: the requested one, never below the floor."""
    if requested is None:
        return DEFAULT_MIN_GROUP_SIZE
    return max(MIN_GROUP_SIZE_FLOOR, requested)


def withheld(respondents: int, minimum: int | None = None) -> bool:
    """Whether a result over this many respondents must be withheld. Zero respondents is nothing to show,
    which callers render as "no answers yet" rather than as withheld."""
    return respondents < effective_minimum(minimum)


def coarse_date(moment: dt.datetime) -> dt.date:
    """The only time an anonymous answer keeps: its UTC calendar day."""
    return moment.astimezone(dt.UTC).date()
