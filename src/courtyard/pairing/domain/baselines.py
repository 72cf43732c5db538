"""What other tools do, kept for benchmarks and side-by-side comparisons (not used by Courtyard)."""

from __future__ import annotations

import heapq
import random
from collections.abc import Mapping, Sequence

import numpy as np

from courtyard.pairing.domain.coffee import coffee_evaluate
from courtyard.pairing.domain.scoring import mentorship_matrix, mentorship_pair_score
from courtyard.pairing.domain.types import (
    DEFAULT_COFFEE_RULES,
    DEFAULT_COFFEE_WEIGHTS,
    DEFAULT_MENTORSHIP_RULES,
    DEFAULT_MENTORSHIP_WEIGHTS,
    CoffeeResult,
    CoffeeRules,
    CoffeeWeights,
    Match,
    Mentee,
    Mentor,
    MentorshipResult,
    MentorshipRules,
    MentorshipWeights,
    PairHistory,
    Person,
)

REDRAWS = 20


def baseline_coffee(
    people: Sequence[Person],
    *,
    history: PairHistory,
    rng: random.Random,
    rules: CoffeeRules = DEFAULT_COFFEE_RULES,
    weights: CoffeeWeights = DEFAULT_COFFEE_WEIGHTS,
) -> CoffeeResult:
    """The open-source coffee bot: shuffle, give each person in turn a random partner, redrawing up
    to 20 times until the pair has not met before; a trio for an odd count. ``rules``/``weights`` only
    score the result."""
    ids = [p.id for p in people]
    rng.shuffle(ids)
    free = list(ids)
    position = {x: k for k, x in enumerate(free)}

    def take(x: int) -> None:
        k = position.pop(x)
        last = free.pop()
        if last != x:
            free[k] = last
            position[last] = k

    groups: list[list[int]] = []
    for person in ids:
        if person not in position:
            continue
        take(person)
        if not free:
            if groups:
                groups[-1].append(person)  # odd count: the last one joins the last pair
            break
        partner = free[rng.randrange(len(free))]
        for _ in range(REDRAWS):
            if frozenset((person, partner)) not in history:
                break
            partner = free[rng.randrange(len(free))]
        take(partner)
        groups.append([person, partner])
    return coffee_evaluate(people, groups, history=history, rules=rules, weights=weights, method="coffee-bot")


def baseline_deferred_acceptance(
    mentees: Sequence[Mentee],
    mentors: Sequence[Mentor],
    *,
    managers: Mapping[int, int | None],
    rules: MentorshipRules = DEFAULT_MENTORSHIP_RULES,
    weights: MentorshipWeights = DEFAULT_MENTORSHIP_WEIGHTS,
) -> MentorshipResult:
    """Mentee-proposing capacitated deferred acceptance (hospital-resident Gale-Shapley), the method of
    open-source mentor-matching tools: each mentee ranks the admissible mentors (their stated
    preferences first, in order, then the others by fit), each mentor ranks mentees by fit; mentees
    propose down their list, a mentor holds the best proposals up to capacity. Hard rules are kept."""
    m, k = len(mentees), len(mentors)
    score, allowed = mentorship_matrix(mentees, mentors, managers=managers, rules=rules, weights=weights)
    column = {x.id: c for c, x in enumerate(mentors)}
    rank_key = np.where(allowed, score, -np.inf)
    lists: list[list[int]] = []
    for r, mentee in enumerate(mentees):
        stated = [column[x] for x in dict.fromkeys(mentee.preferred_mentor_ids) if x in column]
        stated = [c for c in stated if allowed[r, c]]
        order = np.argsort(-rank_key[r], kind="stable")
        rest = [int(c) for c in order if allowed[r, int(c)] and int(c) not in stated]
        lists.append(stated + rest)
    capacity = [x.capacity if rules.respect_capacity else m for x in mentors]
    held: list[list[tuple[float, int, int]]] = [[] for _ in range(k)]  # min-heaps of (score, -row, row)
    nxt = [0] * m
    free = list(range(m - 1, -1, -1))
    while free:
        r = free.pop()
        if nxt[r] >= len(lists[r]):
            continue
        c = lists[r][nxt[r]]
        nxt[r] += 1
        heapq.heappush(held[c], (float(score[r, c]), -r, r))
        if len(held[c]) > capacity[c]:
            _, _, dropped = heapq.heappop(held[c])
            free.append(dropped)
    matches: list[Match] = []
    for c, heap in enumerate(held):
        for _, _, r in heap:
            ps = mentorship_pair_score(mentees[r], mentors[c], weights=weights)
            matches.append(
                Match(mentee_id=mentees[r].id, mentor_id=mentors[c].id, score=ps.score, reasons=ps.reasons)
            )
    matches.sort(key=lambda x: x.mentee_id)
    done = {x.mentee_id for x in matches}
    return MentorshipResult(
        matches=tuple(matches),
        unmatched=tuple(sorted(x.id for x in mentees if x.id not in done)),
        total_score=float(sum(x.score for x in matches)),
        method="deferred-acceptance",
    )
