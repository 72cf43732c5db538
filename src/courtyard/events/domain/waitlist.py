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
    # Seats are free, just not enough for the whole party: the member is told how many (never "full") and
    # chooses between fewer guests and the waitlist.
    return Placement(WAITLISTED, base, reason="party_too_big" if limit else "full")


@dataclasses.dataclass(frozen=True)
class Seats:
    """What every surface (list cards, the event page, the API) shows about a date's seats, counted one way.

    Seats taken are the going members and their guests (``seats_taken``). A host is going to their own event:
    a host who has not answered counts among the people going (``hosts``) without taking a seat, because the
    capacity is the seats offered to attendees; a host who answers takes seats for themselves and their guests
    like anyone, and a host who says maybe or not going is not counted as going. Capacity checks use the same
    ``seats_taken``, so the free seats shown are exactly the seats an answer can take."""

    going: int  # people going: members who answered going, plus hosts who have not answered
    hosts: int  # of those, hosts counted without an answer
    taken: int  # seats taken: going members and their guests
    capacity: int | None
    free: int | None  # None: no limit
    waiting: int

    @property
    def full(self) -> bool:
        """Every seat is taken."""
        return self.free == 0

    @property
    def waitlist_only(self) -> bool:
        """A newcomer answering going joins the waitlist: no seat is free, or people are already waiting (the
        waitlist is served first, see ``place``)."""
        return self.capacity is not None and (self.free == 0 or self.waiting > 0)


def seats_of(
    *, capacity: int | None, seats_taken: int, going_count: int, hosts_unanswered: int, waiting: int,
) -> Seats:
    return Seats(going=going_count + hosts_unanswered, hosts=hosts_unanswered, taken=seats_taken, capacity=capacity,
                 free=free_seats(capacity, seats_taken), waiting=waiting)


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
