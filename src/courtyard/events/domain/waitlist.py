"""Seats, guests and the waitlist: who goes, who waits, who is promoted when a seat frees. Pure Python.

A party is a member and their guests (1 + guests seats). Capacity counts seats, so guests count. The
waitlist is served strictly in arrival order: the first party in line is promoted as soon as its whole
party fits, and nobody overtakes it, not even a smaller party further back or a newcomer who arrives
while people are waiting. Services apply these decisions while holding a lock on the occurrence row.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

GOING = "going"
MAYBE = "maybe"
NOT_GOING = "not_going"
WAITLISTED = "waitlisted"
ANSWERS = (GOING, MAYBE, NOT_GOING)


@dataclasses.dataclass(frozen=True)
class Waiting:
    rsvp_id: int
    party: int  # seats wanted: the member and their guests
    position: int  # arrival order


@dataclasses.dataclass(frozen=True)
class Placement:
    status: str
    seats_taken: int  # the occurrence's seats after the change
    reason: str = ""  # why a "going" answer went to the waitlist ("full", "queue") or was refused


def free_seats(capacity: int | None, taken: int) -> int | None:
    """Seats left, or None when there is no limit."""
    return None if capacity is None else max(0, capacity - taken)


def place(
    *, wanted: str, capacity: int | None, taken: int, old_status: str | None, old_party: int, party: int,
    someone_waiting: bool,
) -> Placement:
    """Where a member's answer puts them, given the occurrence's seats before it.

    ``old_status``/``old_party`` describe the member's current answer (None: no answer yet). A member who
    is going and asks for more guests keeps their seat when the extra seats fit, and is refused otherwise
    (reason "guests_do_not_fit"): they would not want to lose the seat they have. Someone already waiting
    keeps their place in line whatever they change about their party.
    """
    held = old_party if old_status == GOING else 0
    base = taken - held  # seats taken by everybody else
    if wanted != GOING:
        return Placement(wanted, base)
    limit = free_seats(capacity, base)
    fits = limit is None or party <= limit
    if old_status == GOING:
        if fits:
            return Placement(GOING, base + party)
        return Placement(GOING, taken, reason="guests_do_not_fit")
    if old_status == WAITLISTED:
        return Placement(WAITLISTED, base, reason="queue")
    if someone_waiting and capacity is not None:
        return Placement(WAITLISTED, base, reason="queue")
    if fits:
        return Placement(GOING, base + party)
    return Placement(WAITLISTED, base, reason="full")


def promotions(capacity: int | None, taken: int, waiting: Sequence[Waiting]) -> list[int]:
    """The waiting RSVPs to promote now, first come first served, stopping at the first party that does not fit."""
    promoted: list[int] = []
    for entry in sorted(waiting, key=lambda w: w.position):
        limit = free_seats(capacity, taken)
        if limit is not None and entry.party > limit:
            break
        promoted.append(entry.rsvp_id)
        taken += entry.party
    return promoted


def waitlist_place(position: int, waiting_positions: Sequence[int]) -> int:
    """A waiting member's place in line (1 is next)."""
    return 1 + sum(1 for p in waiting_positions if p < position)
