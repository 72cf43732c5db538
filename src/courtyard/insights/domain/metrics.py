"""The KPI arithmetic, on plain numbers: rates, medians, changes, goal progress and anonymity suppression.

A rate whose denominator is zero is ``None`` ("no data"), never 0 %: an empty month is not a bad month.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import statistics
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


def ratio(numerator: float, denominator: float) -> float | None:
    if denominator <= 0:
        return None
    return numerator / denominator


def capped_ratio(numerator: float, denominator: float) -> float | None:
    """A share that cannot exceed 1 (a met-to-paired rate where both people confirm, say)."""
    value = ratio(numerator, denominator)
    return None if value is None else min(1.0, value)


def median(values: Iterable[float]) -> float | None:
    ordered = sorted(values)
    if not ordered:
        return None
    return float(statistics.median(ordered))


def conversion(rsvped: int, attended_of_rsvped: int) -> float | None:
    """RSVP → attendance: of the people who said they would come, the share who were checked in.
    Walk-ins (attended without an RSVP) do not count: they are not a conversion of an RSVP."""
    if attended_of_rsvped > rsvped:
        raise ValueError("more RSVPs attended than there were RSVPs")
    return ratio(attended_of_rsvped, rsvped)


@dataclasses.dataclass(frozen=True)
class ReplyStats:
    threads: int
    replied: int
    rate: float | None
    median_hours: float | None


def reply_stats(threads: Sequence[tuple[dt.datetime, dt.datetime | None]]) -> ReplyStats:
    """Reply rate (share of discussions that got a reply from someone else) and the median time from a
    discussion to its first reply, in hours, over the discussions that got one."""
    waits = [
        max(0.0, (first_reply - posted).total_seconds() / 3600) for posted, first_reply in threads if first_reply
    ]
    return ReplyStats(threads=len(threads), replied=len(waits), rate=ratio(len(waits), len(threads)),
                      median_hours=median(waits))


@dataclasses.dataclass(frozen=True)
class Change:
    current: float | None
    previous: float | None

    @property
    def delta(self) -> float | None:
        if self.current is None or self.previous is None:
            return None
        return self.current - self.previous

    @property
    def relative(self) -> float | None:
        if self.current is None or self.previous is None or self.previous == 0:
            return None
        return (self.current - self.previous) / abs(self.previous)

    @property
    def direction(self) -> str:
        delta = self.delta
        if delta is None:
            return "none"
        if abs(delta) < 1e-9:
            return "flat"
        return "up" if delta > 0 else "down"


def goal_progress(*, baseline: float | None, current: float | None, target: float, rising: bool = True) -> float | None:
    """How far from the baseline to the target the current value has come, between 0 and 1.

    ``rising``: whether more is better for the KPI (participation up to 60 %) or less (hours to first reply
    down to 4). A met target is 1. Without a usable baseline (none, or already past the target), progress is
    the current value's share of the target (rising) or 0 until it is met (falling)."""
    if current is None:
        return None
    if goal_met(current=current, target=target, rising=rising):
        return 1.0
    usable = baseline is not None and (baseline < target if rising else baseline > target)
    if not usable or baseline is None:
        return max(0.0, min(1.0, current / target)) if rising and target > 0 else 0.0
    return max(0.0, min(1.0, (current - baseline) / (target - baseline)))


def goal_met(*, current: float | None, target: float, rising: bool) -> bool:
    if current is None:
        return False
    return current >= target if rising else current <= target


def suppress(counts: Mapping[K, int], minimum: int, *, small_groups: Collection[K] = ()) -> dict[K, int | None]:
    """Breakdown counts with every cell below ``minimum`` withheld (``None``), and complementary suppression:
    when exactly one cell is withheld, the next smallest is withheld too, so that nobody recovers it by
    subtracting the others from the published total. Zero is "nobody", which reveals no one and is shown —
    except in ``small_groups`` (groups with fewer people than the minimum), always withheld: there "0" next
    to "withheld" would tell whether their one or two people answered."""
    shown: dict[K, int | None] = dict(counts)
    small = [key for key, value in counts.items() if 0 < value < minimum or key in small_groups]
    for key in small:
        shown[key] = None
    if len(small) == 1:
        others = sorted(
            (value, str(key), key) for key, value in counts.items() if key not in small and value > 0
        )
        if others:
            shown[others[0][2]] = None
    return shown


def per_member(total: float, members: int) -> float | None:
    return ratio(total, members)
