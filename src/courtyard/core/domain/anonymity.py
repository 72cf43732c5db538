"""The anonymity floor shared by everything that reports on anonymous answers (surveys, event feedback).

Results for fewer respondents than the minimum group size are withheld. The minimum is set per survey or
event, defaults to 5 and is never below 3. Anonymous answers carry a coarse date only, never an exact time
that could be joined to who answered when.

A minimum alone does not protect answers that keep arriving: whoever reads a figure before and after one
person answers learns that person's answer from the difference (comment included, and the department it
came from). So figures over a *collection* of anonymous answers (a survey, the feedback on one event date)
are released only once it has stopped taking answers, and never change after that (``results_released``).
Why no reading can then be differenced:

- One collection: while it takes answers every reading shows nothing; once closed it takes no answer,
  so every later reading is the same. Two readings differ by nothing, or by everything — at least the
  minimum, or the figure stays withheld.
- Figures pooled over several collections (the belonging index of a department over a quarter): each
  collection adds to a segment's figure only once closed and only with at least the minimum of that
  segment's answers (``pooled_share``); its share never changes later. Two readings therefore differ by
  whole shares of collections that closed in between: zero answers, or at least the minimum.

Participation (who answered, how many) is not an answer and stays live.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TypeVar

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


def results_released(*, collecting: bool, anonymous: bool = True) -> bool:
    """Whether figures over a collection's answers may be shown at all: an anonymous collection's only once
    it takes no more answers. Attributed answers are shown by name to those who read them anyway."""
    return not (anonymous and collecting)


def pooled_share(count: int, *, collecting: bool, minimum: int | None) -> int:
    """How many of one collection's answers in one segment a figure pooled over several collections may rest
    on: all of them once the collection is closed and they reach the minimum, else none."""
    if not results_released(collecting=collecting) or withheld(count, minimum):
        return 0
    return count


# --- Who a community is made of ------------------------------------------------------------------------
# Communities detected on the interaction graph (the silo map's, a scope's participation structure) are
# described by size and by the departments their members come from, never by name. "Solo (1)" beside a
# community would still point at a person, so every such description goes through these two functions.

K = TypeVar("K")
DEPARTMENTS_NAMED = 4


def community_listed(size: int) -> bool:
    """Whether a community is described at all: from the default minimum group size; smaller ones are only
    counted."""
    return size >= DEFAULT_MIN_GROUP_SIZE


def named_departments(
    counted: Iterable[tuple[K, int]], *, top: int = DEPARTMENTS_NAMED, unnamed: Iterable[K] = ()
) -> tuple[list[tuple[K, int]], int]:
    """The departments a community is described by — only those with at least ``MIN_GROUP_SIZE_FLOOR`` of its
    members, the largest ``top`` of them — and how many other departments it has, which are only counted.
    Keys in ``unnamed`` (no department) are counted, never named."""
    merged: dict[K, int] = {}
    for key, n in counted:
        merged[key] = merged.get(key, 0) + n
    never = set(unnamed)
    large = sorted(((k, n) for k, n in merged.items() if n >= MIN_GROUP_SIZE_FLOOR and k not in never),
                   key=lambda item: -item[1])
    named = large[:top]
    return named, len(merged) - len(named)
