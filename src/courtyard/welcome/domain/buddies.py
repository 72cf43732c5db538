"""How a buddy is chosen, in words: the matching itself is the pairing engine's (``mentorship_assign``).

A buddy is a seasoned colleague who offered to be one. The engine's hard rules apply as they are: never
someone in the newcomer's reporting line (their manager first of all), never someone either of them put
on a do-not-pair list. What is preferred: the same location, overlapping working hours, a different
department; a different team is asked for first, and a teammate is chosen only when nobody else fits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from courtyard.pairing.domain.types import MentorshipWeights, Reason

# The engine's mentorship weights, tuned for a buddy: being in the same place and hours matters most,
# seniority very little (a buddy shows the way around, they do not teach).
BUDDY_WEIGHTS = MentorshipWeights(
    skill_fit=0.0, department_difference=1.5, seniority_gap=0.5, timezone_overlap=2.0, language=1.0,
    preference=2.0, preferred_mentor=0.0,
)
DEFAULT_CAPACITY = 2  # newcomers one buddy looks after at a time
MAX_CAPACITY = 5

_WORDS = (
    ("same location", "works in the same place"),
    ("working hours overlap", "shares working hours"),
    ("different departments", "sees the organization from another department"),
    ("shared language", "speaks a language you share"),
)


def why(reasons: Iterable[Reason], shared_interests: Sequence[str] = ()) -> str:
    """A short "why" in words from the engine's reasons: only what speaks for the match."""
    parts: list[str] = []
    labels = [r.label for r in reasons if r.points > 0]
    for prefix, words in _WORDS:
        if any(label.startswith(prefix) for label in labels):
            parts.append(words)
    if shared_interests:
        parts.append("also likes " + ", ".join(sorted(shared_interests)[:3]))
    if not parts:
        return "an experienced colleague who offered to help newcomers"
    return "; ".join(parts)


def forbidden_pairs(
    newcomer_ids: Iterable[int], do_not_pair: Iterable[tuple[int, int]]
) -> set[tuple[int, int]]:
    """(newcomer, buddy) pairs the engine must never make: each do-not-pair entry, whoever wrote it."""
    newcomers = set(newcomer_ids)
    pairs: set[tuple[int, int]] = set()
    for a, b in do_not_pair:
        if a in newcomers:
            pairs.add((a, b))
        if b in newcomers:
            pairs.add((b, a))
    return pairs


def same_team_pairs(
    teams: dict[int, int | None], newcomer_ids: Iterable[int], buddy_ids: Iterable[int]
) -> set[tuple[int, int]]:
    """(newcomer, buddy) pairs in the same team, avoided in the first pass (grouped by team, so the cost
    is the number of such pairs, not newcomers times buddies)."""
    by_team: dict[int, list[int]] = {}
    for b in buddy_ids:
        team = teams.get(b)
        if team is not None:
            by_team.setdefault(team, []).append(b)
    pairs: set[tuple[int, int]] = set()
    for n in newcomer_ids:
        team = teams.get(n)
        if team is not None:
            pairs.update((n, b) for b in by_team.get(team, ()) if b != n)
    return pairs
