"""Recurring pulses: when the next round opens, and which bank questions it asks (rotating through the bank)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

MIN_PER_ROUND = 1
MAX_PER_ROUND = 5


def next_questions(
    bank: Sequence[int], history: Sequence[Sequence[int]], per_round: int, pinned: Sequence[int] = ()
) -> list[int]:
    """The questions of the next round: every pinned one (the belonging set, say) and ``per_round`` of the
    others, least recently asked first, never asked before first, ties in bank order. Over consecutive rounds
    every bank question is asked before any is asked twice."""
    pinned_list = list(dict.fromkeys(pinned))
    pinned_set = set(pinned_list)
    rotating = [q for q in dict.fromkeys(bank) if q not in pinned_set]
    last_asked: dict[int, int] = {}
    for round_number, asked in enumerate(history):
        for q in asked:
            last_asked[q] = round_number
    position = {q: i for i, q in enumerate(rotating)}
    ordered = sorted(rotating, key=lambda q: (last_asked.get(q, -1), position[q]))
    return pinned_list + ordered[: max(0, per_round)]


def next_open(previous: dt.datetime, interval_days: int, now: dt.datetime) -> dt.datetime:
    """The next opening after ``previous`` that is still ahead of ``now`` (missed rounds are skipped)."""
    step = dt.timedelta(days=max(1, interval_days))
    upcoming = previous + step
    if upcoming <= now:
        missed = (now - upcoming) // step + 1
        upcoming += step * missed
    return upcoming
