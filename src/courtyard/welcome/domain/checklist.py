"""The newcomer's checklist as pure rules over facts (docs/welcome.md).

Nothing here is stored as truth: the services and selectors gather what a member did (profile fields and
the activity-facts ledger) into ``MemberFacts``, and ``checklist`` says which steps are done. A step is
complete exactly when its fact exists, so dismissing the checklist, or showing it again, never changes
the progress it shows. Nothing is required: the mentoring step is optional and does not count towards
"done".
"""

from __future__ import annotations

import dataclasses
import datetime as dt

# Steps, in the order the card lists them.
PROFILE = "profile"
GROUPS = "groups"
BUDDY = "buddy"
COFFEE = "coffee"
EVENT = "event"
HELLO = "hello"
MENTORING = "mentoring"
STEP_KEYS: tuple[str, ...] = (PROFILE, GROUPS, BUDDY, COFFEE, EVENT, HELLO, MENTORING)
OPTIONAL_STEPS = frozenset({MENTORING})
REQUIRED_STEPS: tuple[str, ...] = tuple(key for key in STEP_KEYS if key not in OPTIONAL_STEPS)

GROUPS_WANTED = 2  # "join two or three groups": two is enough to tick the step
INTERESTS_WANTED = 1


@dataclasses.dataclass(frozen=True)
class MemberFacts:
    """What a member did, as plain data: their profile and counts from the activity-facts ledger."""

    has_photo: bool = False
    interests: int = 0
    has_ask_me_about: bool = False
    groups_joined: int = 0  # joined_group facts
    met_buddy: bool = False  # a buddy_met or coffee_met interaction with their buddy
    coffees_met: int = 0  # met facts (a coffee pairing that happened)
    events_attended: int = 0  # attended facts (checked in)
    said_hello: bool = False  # a post or reply in the newcomers' thread
    joined_mentoring: bool = False  # joined_mentorship facts


@dataclasses.dataclass(frozen=True)
class Step:
    key: str
    done: bool
    optional: bool = False


@dataclasses.dataclass(frozen=True)
class Checklist:
    steps: tuple[Step, ...]

    @property
    def done(self) -> int:
        """Required steps done."""
        return sum(1 for step in self.steps if step.done and not step.optional)

    @property
    def total(self) -> int:
        return sum(1 for step in self.steps if not step.optional)

    @property
    def complete(self) -> bool:
        return self.done == self.total

    def step(self, key: str) -> Step:
        for step in self.steps:
            if step.key == key:
                return step
        raise KeyError(key)


def profile_complete(facts: MemberFacts) -> bool:
    """A photo, at least one interest and something to ask them about."""
    return facts.has_photo and facts.interests >= INTERESTS_WANTED and facts.has_ask_me_about


def step_done(key: str, facts: MemberFacts) -> bool:
    if key == PROFILE:
        return profile_complete(facts)
    if key == GROUPS:
        return facts.groups_joined >= GROUPS_WANTED
    if key == BUDDY:
        return facts.met_buddy
    if key == COFFEE:
        return facts.coffees_met > 0
    if key == EVENT:
        return facts.events_attended > 0
    if key == HELLO:
        return facts.said_hello
    if key == MENTORING:
        return facts.joined_mentoring
    raise KeyError(key)


def checklist(facts: MemberFacts) -> Checklist:
    return Checklist(
        steps=tuple(Step(key=key, done=step_done(key, facts), optional=key in OPTIONAL_STEPS) for key in STEP_KEYS)
    )


def card_shown(*, newcomer: bool, dismissed: bool) -> bool:
    """The home card shows to a newcomer who has not dismissed it. Dismissing hides; it forgets nothing."""
    return newcomer and not dismissed


# --- The buddy's light checklist ------------------------------------------------------------------------

BUDDY_COFFEE = "first_coffee"
BUDDY_GROUPS = "show_groups"
BUDDY_CHECKIN = "two_week_checkin"
BUDDY_STEP_KEYS: tuple[str, ...] = (BUDDY_COFFEE, BUDDY_GROUPS, BUDDY_CHECKIN)
CHECKIN_AFTER_DAYS = 14


def buddy_checklist(*, assigned_on: dt.date, meetings: list[dt.date], shared_group_joined: bool) -> Checklist:
    """The buddy's steps: a first coffee (any meeting of the two), showing them around the groups (the
    newcomer joined a group the buddy is in) and a check-in two weeks or more after they were introduced."""
    checkin_from = assigned_on + dt.timedelta(days=CHECKIN_AFTER_DAYS)
    return Checklist(
        steps=(
            Step(key=BUDDY_COFFEE, done=bool(meetings)),
            Step(key=BUDDY_GROUPS, done=shared_group_joined),
            Step(key=BUDDY_CHECKIN, done=any(day >= checkin_from for day in meetings)),
        )
    )


# --- Who needs a gentle nudge ---------------------------------------------------------------------------

NO_CONNECTION_AFTER_DAYS = 21


def needs_nudge(*, start_date: dt.date, today: dt.date, first_connection: dt.date | None) -> bool:
    """A newcomer who, three weeks or more after starting, has made no connection (no tie in the ledger)."""
    if first_connection is not None:
        return False
    return (today - start_date).days >= NO_CONNECTION_AFTER_DAYS
