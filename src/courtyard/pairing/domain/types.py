"""Plain data for the matching engine: what goes in (people, history, rules, weights) and what comes out.

Everything here is frozen and hashable so that a result can be cached, compared in tests and explained.
No Django: the services translate models into these and results back into rows.

Public functions (implemented beside this module, re-exported by ``courtyard.pairing.domain``):

- ``coffee_round(people, *, history, rules, weights, rng) -> CoffeeResult``
- ``coffee_pair_score(a, b, *, history, rules, weights) -> PairScore``   (explain any pair)
- ``coffee_pair_blocker(a, b, *, rules) -> str | None``                   (why a pair is forbidden)
- ``mentorship_assign(mentees, mentors, *, managers, rules, weights, mode, locked, forbidden, rng)
  -> MentorshipResult``
- ``mentorship_pair_score(mentee, mentor, *, weights) -> PairScore``       (explain any match)
- ``mentorship_pair_blocker(mentee, mentor, *, managers, rules) -> str | None``
- ``teams_form(request, *, rng) -> TeamsResult``
- ``baseline_coffee(people, *, history, group_size, rng)`` and ``baseline_deferred_acceptance(...)``:
  what other tools do, for benchmarks and comparisons.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Literal

# Past meetings: the unordered pair of person ids -> how many rounds ago they last met (1 = last round).
PairHistory = Mapping[frozenset[int], int]

# Mentorship solver modes.
BEST_TOTAL: Literal["best_total"] = "best_total"
LEAVE_NOBODY_UNMATCHED: Literal["leave_nobody_unmatched"] = "leave_nobody_unmatched"
MentorshipMode = Literal["best_total", "leave_nobody_unmatched"]


@dataclasses.dataclass(frozen=True)
class Person:
    """One participant as the engine sees them. Unknown attributes are None or empty and score nothing."""

    id: int
    department_id: int | None = None
    team_id: int | None = None
    manager_id: int | None = None  # the person id of their direct manager
    location_id: int | None = None
    interests: frozenset[str] = frozenset()
    skills: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    utc_offset_minutes: int = 0
    work_hours: tuple[int, int] = (9, 17)  # local hours [start, end)
    tenure_days: int = 0
    seniority: int = 0  # 0 = entry level, higher = more senior (derived from the job title)
    small_groups: frozenset[int] = frozenset()  # ids of small groups (<= ~12 members) they belong to
    side: str = ""  # cross-group programs: "a" or "b"; "" otherwise


@dataclasses.dataclass(frozen=True)
class Reason:
    """One line of a score explanation: ``Reason("different departments", 3.0)``."""

    label: str
    points: float


@dataclasses.dataclass(frozen=True)
class PairScore:
    """The score of one pair (coffee) or match (mentorship) and the reasons that add up to it."""

    score: float
    reasons: tuple[Reason, ...]


# ---------------------------------------------------------------------------------------------- coffee


@dataclasses.dataclass(frozen=True)
class CoffeeWeights:
    """Points a pair earns. Positive = preferred. Defaults give "different departments +3, shared
    interest: climbing +1, met 2 rounds ago -10"."""

    different_department: float = 3.0  # both departments known and different
    same_team: float = -4.0  # already work together every day
    shared_small_group: float = -1.0  # per shared small group (at most 2 counted)
    shared_interest: float = 1.0  # per shared interest (at most 3 counted): something to talk about
    hours_overlap: float = 2.0  # times the share of the shorter working day that overlaps
    no_hours_overlap: float = -3.0  # working hours never overlap (time zones too far apart)
    never_met: float = 6.0  # no meeting in the whole history: new people first
    met_within_lookback: float = -10.0  # met within the look-back (also a hard rule, see CoffeeRules)
    met_before: float = -3.0  # met, but longer ago than the look-back


@dataclasses.dataclass(frozen=True)
class CoffeeRules:
    """Hard rules of a coffee round.

    - ``lookback_rounds``: a pair that met this many rounds ago or more recently is never paired again
      when any other arrangement of the same people exists (0 disables).
    - ``group_size``: 2 (pairs, plus exactly one trio when the count is odd), 3 or 4. Groups are of
      ``group_size`` or ``group_size + 1`` (only as many larger groups as the remainder needs): 11
      people in threes meet as 4+4+3, never 3+3+3+2, since a group short of the asked size is a
      worse meeting than one a person larger. Only when no such split exists (fewer people than
      ``group_size``; 5 in threes; 6, 7 or 11 in fours) is a group smaller: the fewest seats short,
      then sizes closest to ``group_size`` (5 in threes: 3+2; 6 in fours: 3+3). The hard rules come
      first: people they leave without a place change the sizes of the rest.
    - ``do_not_pair``: unordered pairs that must never share a group (either person's private list).
    - ``cross``: pair only people of side "a" with side "b". Groups always mix both sides; the
      surplus of the larger side may join pairs as a third member (a trio a+a'+b) when group_size is
      2, at most one per pair; anyone beyond that is left unmatched.
    - A person is never grouped with their own direct manager (``Person.manager_id``).
    """

    lookback_rounds: int = 6
    group_size: int = 2
    do_not_pair: frozenset[frozenset[int]] = frozenset()
    cross: bool = False


@dataclasses.dataclass(frozen=True)
class CoffeeGroup:
    """A pair, trio or group of four. ``score`` is the sum of its pairs' scores; ``reasons`` are the
    reasons of every pair in it (prefixed with the pair's ids when the group has more than two)."""

    member_ids: tuple[int, ...]
    score: float
    reasons: tuple[Reason, ...]


@dataclasses.dataclass(frozen=True)
class CoffeeStats:
    participants: int
    groups: int
    larger_groups: int  # trios when group_size is 2
    unmatched: int
    pairs: int  # every pair of people sharing a group
    repeats_within_lookback: int
    never_met_pairs: int
    cross_department_pairs: int
    total_score: float
    method: str  # "exact", "exact-enumeration", "sparse-exact", "blocks", "greedy+2opt", ...


@dataclasses.dataclass(frozen=True)
class CoffeeResult:
    groups: tuple[CoffeeGroup, ...]
    unmatched: tuple[int, ...]  # people no group could take under the hard rules
    stats: CoffeeStats


# ------------------------------------------------------------------------------------------ mentorship


@dataclasses.dataclass(frozen=True)
class Mentee:
    person: Person
    goals: tuple[str, ...] = ()
    skills_wanted: frozenset[str] = frozenset()
    same_location: bool | None = None  # True: prefers same location, False: a different one, None: either
    same_department: bool | None = None
    preferred_mentor_ids: tuple[int, ...] = ()  # person ids, in order of preference

    @property
    def id(self) -> int:
        return self.person.id


@dataclasses.dataclass(frozen=True)
class Mentor:
    person: Person
    capacity: int = 1  # 1..5 mentees
    offers: frozenset[str] = frozenset()  # skills and topics offered
    languages: frozenset[str] = frozenset()  # empty: use person.languages

    @property
    def id(self) -> int:
        return self.person.id

    @property
    def spoken(self) -> frozenset[str]:
        return self.languages or self.person.languages


@dataclasses.dataclass(frozen=True)
class MentorshipWeights:
    skill_fit: float = 6.0  # times the share of wanted skills the mentor offers
    department_difference: float = 1.0  # different departments (fresh perspective)
    seniority_gap: float = 3.0  # mentor clearly more senior (levels, plus tenure); negative if junior
    timezone_overlap: float = 2.0  # times the share of the working day that overlaps
    language: float = 1.0  # a shared language (penalty of the same size without one)
    preference: float = 1.0  # per stated location/department preference met (same size if unmet)
    preferred_mentor: float = 4.0  # the mentee named this mentor (first choice full, later ones less)


@dataclasses.dataclass(frozen=True)
class MentorshipRules:
    respect_capacity: bool = True  # False: capacities are ignored (unbounded)
    require_shared_language: bool = True
    forbid_reporting_line: bool = True  # the mentor is not the mentee's manager, manager's manager, ...


@dataclasses.dataclass(frozen=True)
class Match:
    mentee_id: int
    mentor_id: int
    score: float
    reasons: tuple[Reason, ...]
    locked: bool = False


@dataclasses.dataclass(frozen=True)
class MentorshipResult:
    matches: tuple[Match, ...]  # sorted by mentee id
    unmatched: tuple[int, ...]  # mentee ids
    total_score: float
    method: str  # "exact-assignment"


DEFAULT_COFFEE_RULES = CoffeeRules()
DEFAULT_COFFEE_WEIGHTS = CoffeeWeights()
DEFAULT_MENTORSHIP_RULES = MentorshipRules()
DEFAULT_MENTORSHIP_WEIGHTS = MentorshipWeights()


# ----------------------------------------------------------------------------------------------- teams


@dataclasses.dataclass(frozen=True)
class TeamsWeights:
    department_diversity: float = 3.0  # share of distinct departments among members
    skill_coverage: float = 2.0  # share of the pool's skill list (or required_skills) covered
    tenure_balance: float = 1.0  # closeness of the team's mean tenure to the pool's mean


@dataclasses.dataclass(frozen=True)
class TeamsRequest:
    people: tuple[Person, ...]
    min_size: int = 5
    max_size: int = 8
    keep_together: tuple[frozenset[int], ...] = ()  # each set ends in one team (if it fits max_size)
    keep_apart: frozenset[frozenset[int]] = frozenset()  # pairs never in the same team
    weights: TeamsWeights = TeamsWeights()
    required_skills: frozenset[str] = frozenset()  # empty: every skill seen in the pool
    team_count: int | None = None  # None: as many as sizes near the middle of the bounds give


@dataclasses.dataclass(frozen=True)
class TeamMetrics:
    departments: int  # distinct departments
    skills_covered: int
    mean_tenure_days: float


@dataclasses.dataclass(frozen=True)
class Team:
    member_ids: tuple[int, ...]
    score: float
    reasons: tuple[Reason, ...]
    metrics: TeamMetrics


@dataclasses.dataclass(frozen=True)
class TeamsResult:
    teams: tuple[Team, ...]
    unplaced: tuple[int, ...]  # only when the pool is smaller than min_size or the rules cannot be met
    total_score: float
