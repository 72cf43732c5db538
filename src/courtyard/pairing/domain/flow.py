"""Exact capacitated assignment (mentees to mentors with capacities) by successive shortest paths.

The problem is a min-cost flow: each mentee sends one unit either to a mentor (arc cost ``-w``, the
negated fit) or straight to the sink (cost 0: left unmatched), and mentor ``j`` passes at most
``capacity[j]`` units on to the sink. Mentees are added one at a time, each along a shortest augmenting
path found by Dijkstra on reduced costs (Hungarian method, mentor side with capacities instead of
one column per place), so that after each step the flow is optimal for the mentees added so far and
the node potentials are a feasible dual.

``assign_sparse`` solves it on a sparse set of candidate arcs, compiled with numba. ``assign_exact``
makes the answer exact for the full, dense problem: it starts from each mentee's best mentors and each
mentor's best mentees, then checks the potentials against *every* pair (a pair (i, j) left out may
only improve the total if ``w[i, j] > u[i] - v[j]``; LP duality). Pairs that fail the check join the
candidates and the sparse problem is solved again, until none fails; so the result is the exact
optimum of the full problem, certified by the dual.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from numba import njit

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

# Every mentee considers at least its PER_MENTEE best mentors, and every mentor at least
# PER_PLACE x capacity of its best mentees, before the dual check adds what they miss.
PER_MENTEE = 8
PER_PLACE = 12
# Problems this small are solved on every arc at once (no candidate rounds).
DENSE_ARCS = 40_000


@njit(cache=True)
def _heap_push(hd: FloatArray, hn: IntArray, size: int, d: float, node: int) -> int:
    i = size
    hd[i] = d
    hn[i] = node
    while i > 0:
        parent = (i - 1) >> 1
        if hd[parent] <= hd[i]:
            break
        hd[parent], hd[i] = hd[i], hd[parent]
        hn[parent], hn[i] = hn[i], hn[parent]
        i = parent
    return size + 1


@njit(cache=True)
def _heap_pop(hd: FloatArray, hn: IntArray, size: int) -> int:
    size -= 1
    hd[0] = hd[size]
    hn[0] = hn[size]
    i = 0
    while True:
        left = 2 * i + 1
        if left >= size:
            break
        small = left
        if left + 1 < size and hd[left + 1] < hd[left]:
            small = left + 1
        if hd[i] <= hd[small]:
            break
        hd[small], hd[i] = hd[i], hd[small]
        hn[small], hn[i] = hn[i], hn[small]
        i = small
    return size


@njit(cache=True)
def _ssp(
    indptr: IntArray, indices: IntArray, cost: FloatArray, capacity: IntArray
) -> tuple[IntArray, FloatArray, FloatArray]:
    """Successive shortest paths over CSR arcs (mentee rows -> mentor columns, ``cost`` = -fit).

    Returns (mentor of each mentee or -1, mentee potentials, mentor potentials), reduced cost of an
    arc being ``cost + u[i] - v[j]`` (>= 0 for every arc not in the flow, 0 for those in it)."""
    m = indptr.shape[0] - 1
    k = capacity.shape[0]
    inf = np.inf
    # Row reduction: each mentee priced at its best fit (or 0), every mentor and the sink at 0, so that
    # a mentee whose best mentor has room takes it at once (distance 0).
    u = np.zeros(m)
    v = np.zeros(k)
    vt = 0.0
    for i in range(m):
        for e in range(indptr[i], indptr[i + 1]):
            if -cost[e] > u[i]:
                u[i] = -cost[e]
    offset = np.zeros(k + 1, dtype=np.int64)
    for j in range(k):
        offset[j + 1] = offset[j] + capacity[j]
    members = np.empty(offset[k] + 1, dtype=np.int64)
    load = np.zeros(k, dtype=np.int64)
    pos = np.full(m, -1, dtype=np.int64)
    assign = np.full(m, -1, dtype=np.int64)

    dist = np.full(k, inf)
    done = np.zeros(k, dtype=np.bool_)
    came = np.full(k, -1, dtype=np.int64)  # the mentee a mentor was reached from
    dmentee = np.zeros(m)
    seen_mentors = np.empty(k, dtype=np.int64)
    seen_mentees = np.empty(m, dtype=np.int64)
    heap_cap = indices.shape[0] + k + 1
    hd = np.empty(heap_cap)
    hn = np.empty(heap_cap, dtype=np.int64)

    for s in range(m):
        n_mentors = 0
        n_mentees = 1
        seen_mentees[0] = s
        dmentee[s] = 0.0
        size, n_mentors, dt, t_from_mentee = _relax(
            s,
            0.0,
            indptr,
            indices,
            cost,
            u,
            v,
            vt,
            dist,
            done,
            came,
            seen_mentors,
            n_mentors,
            hd,
            hn,
            0,
            inf,
            -1,
        )
        t_from_mentor = -1
        while True:
            # The next mentor to settle: the nearest one, unless the sink is no farther.
            j = -1
            while size > 0:
                top = hn[0]
                dtop = hd[0]
                size = _heap_pop(hd, hn, size)
                if not done[top] and dtop <= dist[top]:
                    j = top
                    break
            if j < 0 or dist[j] >= dt:
                break
            done[j] = True
            d = dist[j]
            if load[j] < capacity[j] and d + v[j] - vt < dt:
                dt = d + v[j] - vt
                t_from_mentor = j
                t_from_mentee = -1
            # Its mentees (backward arcs of reduced cost 0) are reached at the same distance.
            for p in range(offset[j], offset[j] + load[j]):
                q = members[p]
                seen_mentees[n_mentees] = q
                n_mentees += 1
                dmentee[q] = d
                before = t_from_mentee
                size, n_mentors, dt, t_from_mentee = _relax(
                    q,
                    d,
                    indptr,
                    indices,
                    cost,
                    u,
                    v,
                    vt,
                    dist,
                    done,
                    came,
                    seen_mentors,
                    n_mentors,
                    hd,
                    hn,
                    size,
                    dt,
                    t_from_mentee,
                )
                if t_from_mentee != before:
                    t_from_mentor = -1
        # Potentials: settled nodes move by (distance - dt); the rest by 0 (a shift of all by dt
        # changes no reduced cost).
        for a in range(n_mentors):
            j = seen_mentors[a]
            if done[j]:
                v[j] += dist[j] - dt
            dist[j] = inf
            done[j] = False
        for a in range(n_mentees):
            q = seen_mentees[a]
            u[q] += dmentee[q] - dt
        # Augment along the path, from the sink back to s.
        if t_from_mentee >= 0:
            q = t_from_mentee
            if q == s:
                continue  # s stays unmatched
            j = assign[q]
            _remove(members, offset, load, pos, assign, q)
        else:
            j = t_from_mentor
        while True:
            q = came[j]
            prev = assign[q]
            if prev >= 0:
                _remove(members, offset, load, pos, assign, q)
            p = offset[j] + load[j]
            members[p] = q
            pos[q] = p
            load[j] += 1
            assign[q] = j
            if q == s:
                break
            j = prev
    return assign, u, v


@njit(cache=True)
def _remove(
    members: IntArray, offset: IntArray, load: IntArray, pos: IntArray, assign: IntArray, q: int
) -> None:
    j = assign[q]
    last = offset[j] + load[j] - 1
    p = pos[q]
    other = members[last]
    members[p] = other
    pos[other] = p
    load[j] -= 1
    pos[q] = -1
    assign[q] = -1


@njit(cache=True)
def _relax(
    q: int,
    d: float,
    indptr: IntArray,
    indices: IntArray,
    cost: FloatArray,
    u: FloatArray,
    v: FloatArray,
    vt: float,
    dist: FloatArray,
    done: npt.NDArray[np.bool_],
    came: IntArray,
    seen_mentors: IntArray,
    n_mentors: int,
    hd: FloatArray,
    hn: IntArray,
    size: int,
    dt: float,
    t_from_mentee: int,
) -> tuple[int, int, float, int]:
    """Relax the arcs of mentee q, reached at distance d: to each mentor, and to the sink (q leaves
    its mentor, or stays unmatched)."""
    for e in range(indptr[q], indptr[q + 1]):
        j = indices[e]
        if done[j]:
            continue
        nd = d + cost[e] + u[q] - v[j]
        if nd < dist[j]:
            if dist[j] == np.inf:
                seen_mentors[n_mentors] = j
                n_mentors += 1
            dist[j] = nd
            came[j] = q
            size = _heap_push(hd, hn, size, nd, j)
    nd = d + u[q] - vt
    if nd < dt:
        dt = nd
        t_from_mentee = q
    return size, n_mentors, dt, t_from_mentee


def assign_sparse(
    rows: IntArray, cols: IntArray, weight: FloatArray, capacity: IntArray, m: int
) -> tuple[IntArray, FloatArray, FloatArray]:
    """Max-weight assignment on the arcs (rows[e], cols[e]) of positive ``weight``: each mentee at most
    once, mentor j at most ``capacity[j]`` times. Returns (mentor of each mentee or -1, mentee
    potentials u, mentor potentials v) with ``w[i, j] <= u[i] - v[j]`` for every arc (the dual)."""
    # Mentees with the best fits first: the places fill with those who value them most, and the
    # shortest paths of later mentees stay short (about half the work of input order).
    best = np.zeros(m)
    np.maximum.at(best, rows, weight)
    rank = np.empty(m, dtype=np.int64)
    by_best = np.argsort(-best, kind="stable")
    rank[by_best] = np.arange(m)
    order = np.lexsort((cols, rank[rows]))
    indptr = np.zeros(m + 1, dtype=np.int64)
    np.cumsum(np.bincount(rank[rows], minlength=m), out=indptr[1:])
    assign, u, v = _ssp(
        indptr,
        np.ascontiguousarray(cols[order], dtype=np.int64),
        np.ascontiguousarray(-weight[order], dtype=np.float64),
        np.ascontiguousarray(capacity, dtype=np.int64),
    )
    return assign[rank], u[rank], v


def _candidates(fit: FloatArray, capacity: IntArray) -> npt.NDArray[np.bool_]:
    """Each mentee's PER_MENTEE best mentors and each mentor's PER_PLACE x capacity best mentees."""
    m, k = fit.shape
    cand = np.zeros((m, k), dtype=np.bool_)
    if k > PER_MENTEE:
        best = np.argpartition(-fit, PER_MENTEE, axis=1)[:, :PER_MENTEE]
        np.put_along_axis(cand, best, True, axis=1)
    else:
        cand[:] = True
    want = PER_PLACE * capacity
    top = int(want.max()) if k else 0
    if top < m:
        best = np.argpartition(-fit, top, axis=0)[:top, :]  # unordered top rows of each column
        ranked = np.take_along_axis(best, np.argsort(-np.take_along_axis(fit, best, axis=0), axis=0), axis=0)
        keep = np.arange(top)[:, None] < want[None, :]
        cand[ranked[keep], np.broadcast_to(np.arange(k), ranked.shape)[keep]] = True
    else:
        cand[:] = True
    return cand


def assign_exact(fit: FloatArray, capacity: IntArray) -> tuple[IntArray, int]:
    """Exact max-weight capacitated assignment on the dense weights ``fit`` (mentees x mentors; a pair of
    weight <= 0 is never made). Returns (mentor column of each mentee or -1, rounds of candidates)."""
    m, k = fit.shape
    positive = fit > 0
    cand = positive if m * k <= DENSE_ARCS else positive & _candidates(fit, capacity)
    tol = 1e-10 * max(1.0, float(np.abs(fit).max(initial=0.0)))
    rounds = 0
    while True:
        rounds += 1
        r, c = np.nonzero(cand)
        assign, u, v = assign_sparse(r, c, fit[r, c], capacity, m)
        # The dual check over every pair: one left out may only help if w > u_i - v_j.
        slack = u[:, None] - v[None, :]
        missing = positive & ~cand & (slack + tol < fit)
        if not missing.any():
            return assign, rounds
        cand |= missing
