"""Who may do what in a pairing program: pure rules over plain facts, shared by pages, the API and services.

(The matching engine lives in ``domain/``; these are the product's permission rules, kept as plain
functions so that each branch is tested on its own.)
"""

from __future__ import annotations

import dataclasses

COFFEE = "coffee"
MENTORSHIP = "mentorship"
TEAMS = "teams"

OPEN = "open"
REVIEW = "review"
PUBLISHED = "published"
PAUSED = "paused"
CLOSED = "closed"


@dataclasses.dataclass(frozen=True)
class Standing:
    """A person's relation to one program, as plain data."""

    kind: str
    status: str
    is_admin: bool = False
    is_owner: bool = False
    can_see_group: bool = True  # group programs: they may read the group (members-only groups: members only)
    in_group: bool = True  # group programs: an active member of the group (always True otherwise)
    role: str | None = None  # their active sign-up's role, None when not signed up
    matched: bool = False  # in a published match or team of this program

    @property
    def is_participant(self) -> bool:
        return self.role is not None

    @property
    def is_manager(self) -> bool:
        return self.is_owner or self.is_admin


def can_see(s: Standing) -> bool:
    """A group's program is invisible to whoever cannot see the group; others are visible to everyone."""
    if s.is_admin:
        return True
    return s.can_see_group


def can_manage(s: Standing) -> bool:
    """Edit the program, run rounds or assignments, review, adjust, publish, close."""
    return can_see(s) and s.is_manager


def can_join(s: Standing) -> bool:
    """Opt into coffee, or sign up as mentor, mentee or to a team pool."""
    if not can_see(s) or not s.in_group:
        return False
    if s.status == CLOSED:
        return False
    if s.kind == TEAMS:
        return s.status == OPEN
    return True


def can_leave(s: Standing) -> bool:
    """Opt out or withdraw; someone already placed in a published team stays (the organizer moves them)."""
    if not s.is_participant:
        return False
    return not (s.kind == TEAMS and s.matched)


def can_run(s: Standing) -> bool:
    if not can_manage(s):
        return False
    if s.kind == COFFEE:
        return s.status in (OPEN, PAUSED)
    if s.kind == TEAMS:
        return s.status in (OPEN, REVIEW)
    return s.status in (OPEN, REVIEW, PUBLISHED)


def can_review(s: Standing) -> bool:
    """Adjust a draft: lock, swap, move, re-optimize, publish."""
    return can_manage(s) and s.kind != COFFEE and s.status == REVIEW


def can_see_results(s: Standing) -> bool:
    """Organizer figures: participants, rounds, meeting rate, pulse aggregates."""
    return can_manage(s)
