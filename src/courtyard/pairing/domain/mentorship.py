"""Mentorship cohorts: whole-cohort optimal assignment of mentees to mentors with capacities.

The assignment is exact: a min-cost flow solved by successive shortest paths on a sparse set of
candidate pairs, certified optimal for *all* pairs by its dual (``flow.assign_exact``). Two objectives:

- ``best_total``: maximize the sum of match scores. A pair scoring <= 0 weighs 0, so the solver never
  needs it and it is dropped; forbidden pairs weigh 0 too and are dropped.
- ``leave_nobody_unmatched``: lexicographic (as many mentees matched as any assignment can, then the
  best total fit among those): every allowed pair weighs ``BIG + score`` where BIG exceeds the widest
  possible spread of total scores.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Mapping, Sequence

import numpy as np
import numpy.typing as npt

from courtyard.pairing.domain.flow import assign_exact
from courtyard.pairing.domain.scoring import (
    FloatArray,
    mentorship_matrix,
    mentorship_pair_blocker,
    mentorship_pair_score,
)
from courtyard.pairing.domain.types import (
    DEFAULT_MENTORSHIP_RULES,
    DEFAULT_MENTORSHIP_WEIGHTS,
    Match,
    Mentee,
    Mentor,
    MentorshipMode,
    MentorshipResult,
    MentorshipRules,
    MentorshipWeights,
)

MAX_CAPACITY = 5


def mentorship_assign(
    mentees: Sequence[Mentee],
    mentors: Sequence[Mentor],
    *,
    managers: Mapping[int, int | None],
    rules: MentorshipRules = DEFAULT_MENTORSHIP_RULES,
    weights: MentorshipWeights = DEFAULT_MENTORSHIP_WEIGHTS,
    mode: MentorshipMode = "best_total",
    locked: Collection[tuple[int, int]] = (),
    forbidden: Collection[tuple[int, int]] = (),
    rng: random.Random,
) -> MentorshipResult:
    """Exact optimal assignment.

    ``best_total``: maximize the sum of match scores (a match scoring <= 0 is not made).
    ``leave_nobody_unmatched``: maximize the number of matched mentees first, then the total score.
    ``locked``: (mentee_id, mentor_id) pairs kept as given (they use capacity); ValueError if one
    breaks a hard rule or a capacity. ``forbidden``: (mentee_id, mentor_id) pairs never made (swaps,
    rematch requests). ``managers``: person id -> manager's person id, for the reporting-line rule.
    The optimum is exact; ``rng`` is accepted for a uniform interface (ties break by input order).
    """
    del rng  # exact and deterministic: nothing to draw
    if mode not in ("best_total", "leave_nobody_unmatched"):
        raise ValueError(f"unknown mode {mode!r}")
    mentee_ids = [x.id for x in mentees]
    mentor_ids = [x.id for x in mentors]
    if len(set(mentee_ids)) != len(mentee_ids) or len(set(mentor_ids)) != len(mentor_ids):
        raise ValueError("each mentee and each mentor may take part once")
    for each in mentors:
        if not 1 <= each.capacity <= MAX_CAPACITY:
            raise ValueError(f"capacity must be between 1 and {MAX_CAPACITY}")
    by_mentee = {x.id: x for x in mentees}
    by_mentor = {x.id: x for x in mentors}
    forbidden_set = set(forbidden)
    remaining = {x.id: x.capacity for x in mentors}
    kept: list[Match] = []
    for mentee_id, mentor_id in sorted(set(locked)):
        mentee, mentor = by_mentee.get(mentee_id), by_mentor.get(mentor_id)
        if mentee is None or mentor is None:
            raise ValueError(f"locked pair ({mentee_id}, {mentor_id}) is not in the cohort")
        if any(m.mentee_id == mentee_id for m in kept):
            raise ValueError(f"mentee {mentee_id} is locked to two mentors")
        blocker = mentorship_pair_blocker(mentee, mentor, managers=managers, rules=rules)
        if blocker or (mentee_id, mentor_id) in forbidden_set:
            raise ValueError(
                f"locked pair ({mentee_id}, {mentor_id}) breaks a rule: {blocker or 'forbidden'}"
            )
        remaining[mentor_id] -= 1
        if rules.respect_capacity and remaining[mentor_id] < 0:
            raise ValueError(f"mentor {mentor_id} is locked beyond capacity")
        kept.append(_match(mentee, mentor, weights, locked=True))
    done = {m.mentee_id for m in kept}
    free = [x for x in mentees if x.id not in done]
    score, allowed = mentorship_matrix(free, mentors, managers=managers, rules=rules, weights=weights)
    if forbidden_set:
        row = {x.id: r for r, x in enumerate(free)}
        col = {x.id: c for c, x in enumerate(mentors)}
        for mentee_id, mentor_id in forbidden_set:
            r, c = row.get(mentee_id), col.get(mentor_id)
            if r is not None and c is not None:
                allowed[r, c] = False
    capacity = np.asarray(
        [max(0, remaining[x.id]) if rules.respect_capacity else len(free) for x in mentors], dtype=np.int64
    )
    pairs = _solve(score, allowed, capacity, mode)
    made = kept + [_match(free[r], mentors[c], weights) for r, c in pairs]
    made.sort(key=lambda m: m.mentee_id)
    matched = {m.mentee_id for m in made}
    return MentorshipResult(
        matches=tuple(made),
        unmatched=tuple(sorted(x.id for x in mentees if x.id not in matched)),
        total_score=float(sum(m.score for m in made)),
        method="exact-assignment",
    )


def _match(mentee: Mentee, mentor: Mentor, weights: MentorshipWeights, *, locked: bool = False) -> Match:
    ps = mentorship_pair_score(mentee, mentor, weights=weights)
    return Match(mentee_id=mentee.id, mentor_id=mentor.id, score=ps.score, reasons=ps.reasons, locked=locked)


def solve_weights(score: FloatArray, allowed: npt.NDArray[np.bool_], mode: str) -> FloatArray:
    """The matrix the assignment maximizes: see the module docstring."""
    if mode == "best_total":
        return np.where(allowed & (score > 0), score, 0.0)
    spread = float(score.max() - score.min()) if score.size else 0.0
    big = (spread + 1.0) * (score.shape[0] + 1)
    return np.where(allowed, big + score, 0.0)


def _solve(
    score: FloatArray, allowed: npt.NDArray[np.bool_], capacity: npt.NDArray[np.int64], mode: str
) -> list[tuple[int, int]]:
    """Exact (mentee row, mentor column) pairs."""
    m, k = score.shape
    if m == 0 or k == 0 or int(capacity.sum()) == 0:
        return []
    W = solve_weights(score, allowed, mode)
    if int(capacity.min()) >= m:
        # Capacities cannot bind: each mentee simply takes their best mentor.
        best = np.argmax(W, axis=1)
        return [(r, int(c)) for r, c in enumerate(best) if W[r, c] > 0]
    if mode != "best_total":
        # The best total over positive pairs is also the lexicographic optimum when it already matches
        # as many mentees as can be matched at all (every place, or every mentee): no assignment of
        # that size totals more, pairs of no use included. Only otherwise is the large constant needed.
        best = solve_weights(score, allowed, "best_total")
        assign, _ = assign_exact(best, capacity)
        if int((assign >= 0).sum()) == min(m, int(capacity.sum())):
            return [(int(r), int(assign[r])) for r in np.flatnonzero(assign >= 0)]
    assign, _ = assign_exact(W, capacity)
    return [(int(r), int(assign[r])) for r in np.flatnonzero(assign >= 0)]
