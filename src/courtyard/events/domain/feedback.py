"""The post-event pulse: two questions (how was it, 1-5; a comment), summarized for hosts. Pure Python.

When feedback is anonymous, results over fewer respondents than the minimum group size are withheld
(core.domain.anonymity), and comments are held to the same floor separately: four ratings may be shown
as "withheld" while no comment is quoted until five people wrote one. Anonymous results are also withheld
while feedback is still taken (``FEEDBACK_DAYS`` after the event): a host reading them before and after
one person answered would otherwise see that person's rating and comment in the difference.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from courtyard.core.domain.anonymity import effective_minimum, results_released, withheld

QUESTION_RATING = "How was it?"
QUESTION_COMMENT = "Anything the hosts should know?"
SCALE = (1, 2, 3, 4, 5)
COMMENT_MAX = 2000
FEEDBACK_DAYS = 30  # feedback is taken for a month after the event


def collecting(end_at: dt.datetime, now: dt.datetime) -> bool:
    """Whether feedback on an occurrence that ended at ``end_at`` is still taken (or not yet)."""
    return now <= end_at + dt.timedelta(days=FEEDBACK_DAYS)


@dataclasses.dataclass(frozen=True)
class Summary:
    respondents: int
    minimum: int
    anonymous: bool
    withheld: bool
    average: float | None
    distribution: dict[int, int]
    comments_withheld: bool
    comments: list[str]
    released: bool = True  # False while anonymous feedback is still taken: nothing of it is shown yet


def summarize(
    ratings: Sequence[int], comments: Sequence[str], *, anonymous: bool, minimum: int | None = None,
    collecting: bool = False,
) -> Summary:
    floor = effective_minimum(minimum)
    count = len(ratings)
    released = results_released(collecting=collecting, anonymous=anonymous)
    hide = anonymous and count > 0 and (not released or withheld(count, floor))
    written = [c for c in comments if c.strip()]
    # While collecting, not even whether anyone wrote a comment is told.
    hide_comments = anonymous and (not released or (bool(written) and withheld(len(written), floor)))
    distribution = dict.fromkeys(SCALE, 0)
    if not hide:
        for rating in ratings:
            distribution[rating] += 1
    average = round(sum(ratings) / count, 2) if count and not hide else None
    # Anonymous comments are shown sorted, not in the order they came in, so nobody can match them to a time.
    shown = [] if hide_comments else (sorted(written) if anonymous else list(written))
    return Summary(
        respondents=count, minimum=floor, anonymous=anonymous, withheld=hide, average=average,
        distribution=distribution, comments_withheld=hide_comments, comments=shown, released=released,
    )


def valid_rating(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value in SCALE
