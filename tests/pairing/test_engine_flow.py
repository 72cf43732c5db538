"""The exact capacitated assignment (pairing/domain/flow.py) against scipy's linear_sum_assignment on
the matrix expanded to one column per place, including on the candidate path with its dual check."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy.optimize import linear_sum_assignment

from courtyard.pairing.domain import flow
from courtyard.pairing.domain.mentorship import solve_weights

PROPS = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)


def reference(W: np.ndarray, capacity: np.ndarray) -> float:
    """The optimum by the Hungarian method on one column per place (pairs of weight <= 0 unused)."""
    slots = np.repeat(np.arange(W.shape[1]), capacity)
    if W.size == 0 or len(slots) == 0:
        return 0.0
    E = np.maximum(W[:, slots], 0.0)
    rows, cols = linear_sum_assignment(E, maximize=True)
    return float(E[rows, cols].sum())


def check(W: np.ndarray, capacity: np.ndarray, assign: np.ndarray) -> float:
    """The assignment keeps every rule; returns its total."""
    made = np.flatnonzero(assign >= 0)
    assert (W[made, assign[made]] > 0).all()
    assert (np.bincount(assign[made], minlength=W.shape[1]) <= capacity).all()
    return float(W[made, assign[made]].sum())


problems = st.integers(1, 14).flatmap(
    lambda m: st.integers(1, 6).flatmap(
        lambda k: st.tuples(
            # Coarse values: many ties and many pairs of no use (<= 0).
            hnp.arrays(np.float64, (m, k), elements=st.integers(-4, 12).map(lambda x: x / 2)),
            hnp.arrays(np.int64, (k,), elements=st.integers(1, 4)),
        )
    )
)


@PROPS
@given(problems)
def test_dense_equals_the_hungarian_method(problem):
    W, capacity = problem
    assign, rounds = flow.assign_exact(W, capacity)
    assert rounds == 1
    assert check(W, capacity, assign) == pytest.approx(reference(W, capacity))


@PROPS
@given(problems, st.integers(1, 3), st.integers(1, 3))
def test_candidates_and_the_dual_check_reach_the_same_optimum(monkeypatch, problem, per_mentee, per_place):
    """Forced onto the candidate path with few candidates, the dual check must add what is missing."""
    W, capacity = problem
    with monkeypatch.context() as patch:
        patch.setattr(flow, "DENSE_ARCS", 0)
        patch.setattr(flow, "PER_MENTEE", per_mentee)
        patch.setattr(flow, "PER_PLACE", per_place)
        assign, _ = flow.assign_exact(W, capacity)
    assert check(W, capacity, assign) == pytest.approx(reference(W, capacity))


@pytest.mark.parametrize("seed", range(6))
def test_a_larger_cohort_needs_more_rounds_and_stays_exact(monkeypatch, seed):
    gen = np.random.default_rng(seed)
    m, k = 300, 60
    W = np.round(gen.normal(3.0, 3.0, (m, k)), 2)
    W[gen.random((m, k)) < 0.2] = 0.0  # forbidden pairs
    capacity = gen.integers(1, 6, k)
    monkeypatch.setattr(flow, "DENSE_ARCS", 0)
    monkeypatch.setattr(flow, "PER_MENTEE", 2)
    monkeypatch.setattr(flow, "PER_PLACE", 1)
    assign, rounds = flow.assign_exact(W, capacity)
    assert rounds > 1
    assert check(W, capacity, assign) == pytest.approx(reference(W, capacity))


@pytest.mark.parametrize("seed", range(20))
def test_leave_nobody_unmatched_is_lexicographic(seed):
    """With BIG + score, the flow matches as many mentees as any assignment can, then the best total."""
    gen = np.random.default_rng(seed)
    m, k = int(gen.integers(1, 30)), int(gen.integers(1, 10))
    score = np.round(gen.normal(2.0, 3.0, (m, k)), 1)
    allowed = gen.random((m, k)) < gen.choice([0.3, 0.7, 1.0])
    capacity = gen.integers(1, 4, k)
    W = solve_weights(score, allowed, "leave_nobody_unmatched")
    assign, _ = flow.assign_exact(W, capacity)
    made = np.flatnonzero(assign >= 0)
    assert allowed[made, assign[made]].all()
    slots = np.repeat(np.arange(k), capacity)
    E = W[:, slots]
    rows, cols = linear_sum_assignment(E, maximize=True)
    used = [(r, slots[c]) for r, c in zip(rows, cols, strict=True) if allowed[r, slots[c]]]
    assert len(made) == len(used)
    assert score[made, assign[made]].sum() == pytest.approx(sum(score[r, c] for r, c in used))


def test_empty_and_no_useful_pair():
    assert flow.assign_exact(np.zeros((0, 3)), np.ones(3, dtype=np.int64))[0].tolist() == []
    assign, _ = flow.assign_exact(-np.ones((3, 2)), np.ones(2, dtype=np.int64))
    assert assign.tolist() == [-1, -1, -1]
