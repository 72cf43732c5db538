"""Coffee rounds: group people who should meet, never breaking the hard rules.

How a round is solved (``CoffeeStats.method`` says which):

- ``exact-enumeration`` (at most 8 people, 9 in groups): every arrangement is tried.
- ``exact`` (pairs, at most 300 people): maximum-weight matching (rustworkx's blossom, maximum
  cardinality) on the complete graph of allowed pairs; then the odd one out joins the pair where they
  fit best, and swaps between groups polish the trio. An odd round of at most 15 people is solved
  exactly over every subset instead (a table of 2^15 entries, filled by numpy a subset size at a
  time); up to 59, each person is tried as the trio's third while that can still win.
- ``sparse-exact`` (pairs, at most 1,500 people): the same on a sparse candidate graph: everyone's
  12 best partners, plus a few random allowed partners who have not met recently. The random part
  makes the graph contain a random 3-out graph, which has a perfect matching with high probability
  (Frieze 1986), so the sparse graph almost never forces a repeat that the complete graph would
  avoid; anyone it leaves over is matched again on the complete graph of the leftovers.
- ``blocks`` (pairs, larger rounds): blossom is too slow on a sparse graph of everyone (17 s for
  10,000), so people are cut into blocks of ~700 solved as ``sparse-exact``. The cut follows an
  affinity order (one shared interest, then the working hours' start; departments mixed), so a
  block holds most of its members' good partners; random blocks lost 1-3% of the optimum. Then a
  second pass cuts the pairs along other borders (another interest ranking) and re-solves each block
  with its current pairs among the candidates, which can only improve it. Measured against the
  exact optimum on the complete graph at 2,000 people and against a dual upper bound above that
  (bench/pairing_engine.py).
- ``groups`` (group_size 3-4): seeds, then rounds of linear assignment (scipy) adding one member to
  every group, then best-improvement swaps between groups; blocks of ~600 for large rounds, each
  taking whole groups of the round's plan of sizes.
- ``bipartite`` (cross-group programs): exact assignment of side a to side b (scipy's dense or sparse
  LAPJV), surplus people joining pairs as trios.

The hard rules are kept by construction: forbidden pairs are never edges. A pair that met within the
look-back costs a penalty larger than any possible sum of scores, so a maximum-weight matching with
maximum cardinality has the fewest such repeats among arrangements that place as many people.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence

import numpy as np
import rustworkx as rx
from scipy import sparse
from scipy.optimize import linear_sum_assignment
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from courtyard.pairing.domain.scoring import (
    BoolArray,
    CoffeeData,
    FloatArray,
    IntArray,
    coffee_pair_score,
)
from courtyard.pairing.domain.types import (
    DEFAULT_COFFEE_RULES,
    DEFAULT_COFFEE_WEIGHTS,
    CoffeeGroup,
    CoffeeResult,
    CoffeeRules,
    CoffeeStats,
    CoffeeWeights,
    PairHistory,
    Person,
    Reason,
)

REPEAT_PENALTY = 1e7  # points; more than any arrangement's total score can differ by
FORBIDDEN = -1e10  # internal weight of a pair the hard rules forbid (never kept: checked after)
SCALE = 1000  # rustworkx weighs in integers: milli-points
ENUMERATE_MAX = 8
ENUMERATE_GROUPS_MAX = 9
DENSE_MAX = 300
SPARSE_EXACT_MAX = 1500
BLOCK = 700  # people per block above SPARSE_EXACT_MAX
REBLOCK_PASSES = 1  # passes over other block borders after the first
GROUP_BLOCK = 600
THIRD_TRIALS_MAX = 60
SUBSETS_MAX = 15  # odd pair rounds up to this size: exact, over every subset (2^15 of them)
GROUP_RESTARTS_MAX = 24  # group rounds up to this size are built several times, the best kept
GROUP_RESTARTS = 12
DENSE_BIPARTITE_MAX = 2_000_000
PLACE_BONUS = 1e9  # cross programs: worth more than any repeat penalty, so placing people comes first
CROSS_FORBIDDEN = -1e11  # cells of the side-a x side-b matrix solved densely
POOL_RANDOM = 30
POOL_INTEREST = 20
TOP_K = 12
BLOCK_TOP_K = 12
RANDOM_EXTRA = 3

Groups = list[list[int]]


def size_cost(size: int, group_size: int) -> tuple[int, int]:
    """How far one group is from the asked size, as (seats short of it, squared deviation). Compared
    as tuples (summed over groups): a group below the asked size is worse than any number of groups
    one above it; a trio when pairs were asked costs only its deviation."""
    return max(0, group_size - size), (size - group_size) ** 2


def group_sizes(n: int, group_size: int) -> list[int]:
    """Sizes for ``n`` people: groups of ``group_size`` and ``group_size + 1`` (as many larger groups
    as the remainder needs) whenever such a split exists; otherwise the fewest seats short of
    ``group_size``, then the smallest squared deviation (11 in threes: 4+4+3; 5 in threes: 3+2; 6 in
    fours: 3+3). Each group has 2 to group_size + 1 people. Empty when n < 2."""
    if n < 2:
        return []
    t, extra = divmod(n, group_size)
    if t >= 1 and extra <= t:
        return [group_size + 1] * extra + [group_size] * (t - extra)
    # No such split (a handful of people): the most even split into t groups, the best t.
    best: list[int] = [n]
    best_cost: tuple[int, int] | None = None
    for t in range(max(1, n // (group_size + 1)), n // 2 + 1):
        base, extra = divmod(n, t)  # the most even split into t groups: extra of base + 1
        if base < 2 or base + (extra > 0) > group_size + 1:
            continue
        big, small = size_cost(base + 1, group_size), size_cost(base, group_size)
        cost = (extra * big[0] + (t - extra) * small[0], extra * big[1] + (t - extra) * small[1])
        if best_cost is None or cost < best_cost:
            best, best_cost = [base + 1] * extra + [base] * (t - extra), cost
    return best


def coffee_round(
    people: Sequence[Person],
    *,
    history: PairHistory,
    rules: CoffeeRules = DEFAULT_COFFEE_RULES,
    weights: CoffeeWeights = DEFAULT_COFFEE_WEIGHTS,
    rng: random.Random,
) -> CoffeeResult:
    """Arrange ``people`` into groups of ``rules.group_size`` maximizing the total pair score.

    Hard rules (never broken): do-not-pair, own manager, cross sides. A pair that met within the
    look-back is only repeated when no arrangement placing as many people avoids it. Everyone is placed
    unless the hard rules leave someone no possible group. Deterministic for a given ``rng`` state:
    people are ordered by id first, so the input order does not matter.
    """
    if not 2 <= rules.group_size <= 4:
        raise ValueError("group_size must be 2, 3 or 4")
    if rules.cross and rules.group_size != 2:
        raise ValueError("cross-group programs make pairs (group_size 2)")
    ordered = sorted(people, key=lambda p: p.id)
    if len({p.id for p in ordered}) != len(ordered):
        raise ValueError("each person may take part once")
    data = CoffeeData(ordered, history=history, rules=rules, weights=weights)
    gen = np.random.default_rng(rng.getrandbits(64))
    solver = _Solver(data, gen)
    if rules.cross:
        groups, method = solver.bipartite()
    elif data.n <= (ENUMERATE_MAX if rules.group_size == 2 else ENUMERATE_GROUPS_MAX):
        groups, method = solver.enumerate_all(np.arange(data.n)), "exact-enumeration"
    elif rules.group_size == 2:
        groups, method = solver.pairs()
    else:
        groups, method = solver.groups()
    _check(data, groups)
    return coffee_evaluate(
        ordered,
        [[int(data.ids[k]) for k in g] for g in groups],
        history=history,
        rules=rules,
        weights=weights,
        method=method,
    )


def coffee_evaluate(
    people: Sequence[Person],
    groups: Sequence[Sequence[int]],
    *,
    history: PairHistory,
    rules: CoffeeRules = DEFAULT_COFFEE_RULES,
    weights: CoffeeWeights = DEFAULT_COFFEE_WEIGHTS,
    method: str = "given",
) -> CoffeeResult:
    """Score and explain a given arrangement (an organizer's edit, another tool's output). People not
    in any group are reported as unmatched. Does not check hard rules: see ``coffee_pair_blocker``."""
    by_id = {p.id: p for p in people}
    out: list[CoffeeGroup] = []
    placed: set[int] = set()
    pairs = repeats = never = cross_dept = 0
    total = 0.0
    larger = 0
    for members in groups:
        ids = tuple(sorted(members))
        placed.update(ids)
        if len(ids) > rules.group_size:
            larger += 1
        score = 0.0
        reasons: list[Reason] = []
        for x, y in itertools.combinations(ids, 2):
            a, b = by_id[x], by_id[y]
            if rules.cross and a.side == b.side:
                continue  # the two of one side in a cross-program trio: not a pair of the program
            ps = coffee_pair_score(a, b, history=history, rules=rules, weights=weights)
            score += ps.score
            if len(ids) == 2:
                reasons.extend(ps.reasons)
            else:
                reasons.extend(Reason(f"#{x} & #{y}: {r.label}", r.points) for r in ps.reasons)
            pairs += 1
            ago = history.get(frozenset((x, y)))
            if ago is None:
                never += 1
            elif ago <= rules.lookback_rounds:
                repeats += 1
            if (
                a.department_id is not None
                and b.department_id is not None
                and a.department_id != b.department_id
            ):
                cross_dept += 1
        total += score
        out.append(CoffeeGroup(member_ids=ids, score=score, reasons=tuple(reasons)))
    out.sort(key=lambda g: g.member_ids)
    unmatched = tuple(sorted(p.id for p in people if p.id not in placed))
    stats = CoffeeStats(
        participants=len(people),
        groups=len(out),
        larger_groups=larger,
        unmatched=len(unmatched),
        pairs=pairs,
        repeats_within_lookback=repeats,
        never_met_pairs=never,
        cross_department_pairs=cross_dept,
        total_score=total,
        method=method,
    )
    return CoffeeResult(groups=tuple(out), unmatched=unmatched, stats=stats)


def _check(data: CoffeeData, groups: Groups) -> None:
    """The hard rules, asserted on the way out: a bug must fail loudly rather than pair a manager."""
    seen: set[int] = set()
    xs: list[int] = []
    ys: list[int] = []
    for g in groups:
        if len(g) < 2 or seen & set(g):
            raise AssertionError("malformed round")
        seen.update(g)
        if data.rules.cross and len({int(data.side[x]) for x in g}) != 2:
            raise AssertionError("a cross-program group must mix both sides")
        for x, y in itertools.combinations(g, 2):
            xs.append(x)
            ys.append(y)
    # One vectorized call for every pair (the same rule as _allowed_in_group, pair by pair).
    i, j = np.asarray(xs, dtype=np.int64), np.asarray(ys, dtype=np.int64)
    if len(i) and not bool(data.allowed(i, j, relax_side=True).all()):
        raise AssertionError("a hard rule would be broken")


def _allowed_in_group(data: CoffeeData, x: int, y: int) -> bool:
    """Within a cross-program trio the two people of one side share the group: only the side rule is
    relaxed for them (each meets the other side in the same group)."""
    i, j = np.asarray([x], dtype=np.int64), np.asarray([y], dtype=np.int64)
    return bool(data.allowed(i, j, relax_side=True)[0])


class _Solver:
    def __init__(self, data: CoffeeData, gen: np.random.Generator) -> None:
        self.data = data
        self.gen = gen
        self.g = data.rules.group_size

    # ------------------------------------------------------------------------------ pair weights

    def weights(self, i: IntArray, j: IntArray) -> tuple[FloatArray, BoolArray]:
        """Internal weights (score minus the repeat penalty) and which pairs are allowed."""
        score, recent = self.data.score(i, j)
        return score - REPEAT_PENALTY * recent, self.data.allowed(i, j)

    def dense(self, members: IntArray) -> FloatArray:
        """Internal weights among ``members`` as a symmetric matrix, FORBIDDEN where not allowed."""
        score, recent, ok = self.data.dense(members)
        W = np.where(ok, score - REPEAT_PENALTY * recent, FORBIDDEN)
        np.fill_diagonal(W, 0.0)  # the swap search sums rows over whole groups, oneself included
        return W

    # ------------------------------------------------------------------------------- enumeration

    def enumerate_all(self, members: IntArray) -> Groups:
        """Exact: the best arrangement by (placed, fewest repeats, fewest seats short of group_size,
        sizes closest to it, score)."""
        m = len(members)
        S = np.zeros((m, m))
        R = np.zeros((m, m), dtype=np.int64)
        ok = np.zeros((m, m), dtype=np.bool_)
        if m >= 2:
            a, b = np.triu_indices(m, 1)
            score, recent = self.data.score(members[a], members[b])
            allowed = self.data.allowed(members[a], members[b])
            S[a, b], R[a, b], ok[a, b] = score, recent, allowed
        sizes = range(2, self.g + 2)
        memo: dict[int, tuple[tuple[float, ...], tuple[tuple[int, ...], ...]]] = {}

        def best(mask: int) -> tuple[tuple[float, ...], tuple[tuple[int, ...], ...]]:
            if mask == 0:
                return (0.0, 0.0, 0.0, 0.0, 0.0), ()
            if mask in memo:
                return memo[mask]
            first = (mask & -mask).bit_length() - 1
            rest = [k for k in range(m) if mask >> k & 1 and k != first]
            key, groups = best(mask & ~(1 << first))  # leave `first` out
            result = (key, groups)
            for s in sizes:
                for others in itertools.combinations(rest, s - 1):
                    group = (first, *others)
                    score = 0.0
                    repeats = 0
                    fine = True
                    for x, y in itertools.combinations(group, 2):
                        if not ok[x, y]:
                            fine = False
                            break
                        score += S[x, y]
                        repeats += int(R[x, y])
                    if not fine:
                        continue
                    sub_mask = mask
                    for k in group:
                        sub_mask &= ~(1 << k)
                    sub_key, sub_groups = best(sub_mask)
                    short, dev = size_cost(s, self.g)
                    cand = (
                        sub_key[0] + s,
                        sub_key[1] - repeats,
                        sub_key[2] - short,
                        sub_key[3] - dev,
                        sub_key[4] + score,
                    )
                    if cand > result[0]:
                        result = (cand, (group, *sub_groups))
            memo[mask] = result
            return result

        _, chosen = best((1 << m) - 1)
        return [[int(members[k]) for k in g] for g in chosen]

    # ------------------------------------------------------------------------------------- pairs

    def pairs(self) -> tuple[Groups, str]:
        n = self.data.n
        everyone = np.arange(n, dtype=np.int64)
        if n <= DENSE_MAX:
            W = self.dense(everyone)
            groups = self._dense_pairs(everyone, W)
            groups = self._swap_search(everyone, W, groups)
            return groups, "exact"
        if n <= SPARSE_EXACT_MAX:
            i, j = self._candidates(everyone, TOP_K)
            matched = self._matching(everyone, i, j)
            return self._place_leftovers(matched, _left(everyone, matched)), "sparse-exact"
        units: Groups = [[int(x)] for x in everyone]
        for _ in range(1 + REBLOCK_PASSES):
            units = self._reblock(units)
        pairs = [g for g in units if len(g) == 2]
        return self._place_leftovers(pairs, [g[0] for g in units if len(g) == 1]), "blocks"

    def _reblock(self, units: Groups) -> Groups:
        """One pass of block matching. Units (pairs of the previous pass, or single people) are ordered
        by a random affinity order and cut into blocks of ~BLOCK people; each block is solved as
        ``sparse-exact`` on its own candidates plus the pairs it already holds. The first pass starts
        from single people; later passes cut the same people along other borders, and since a block's
        current pairs remain candidates, a block's matching never gets worse: a pass only improves.
        """
        n = self.data.n
        rank = np.empty(n, dtype=np.int64)
        rank[self._affinity_order(np.arange(n, dtype=np.int64))] = np.arange(n)
        keys = np.fromiter((min(rank[x] for x in u) for u in units), dtype=np.int64, count=len(units))
        ordered = [units[k] for k in np.argsort(keys, kind="stable")]
        sizes = np.cumsum([len(u) for u in ordered])
        count = max(1, round(n / BLOCK))
        cuts = np.searchsorted(sizes, np.arange(1, count) * (n / count))
        out: Groups = []
        for chunk in np.split(np.arange(len(ordered)), cuts):
            if not len(chunk):
                continue
            held = [ordered[k] for k in chunk]
            block = np.sort(np.asarray([x for u in held for x in u], dtype=np.int64))
            pairs = np.asarray([sorted(u) for u in held if len(u) == 2], dtype=np.int64).reshape(-1, 2)
            m = len(block)
            if m <= max(DENSE_MAX, BLOCK_TOP_K + 1):
                i, j = self._candidates(block, BLOCK_TOP_K)
                keys2 = np.unique(np.concatenate([i * n + j, pairs[:, 0] * n + pairs[:, 1]]))
                matched = self._matching(block, keys2 // n, keys2 % n)
            else:
                # The weights come from the block's matrix (the same numbers as ``weights``), and
                # every candidate is allowed: no second scoring of the edges.
                W = self.dense(block)
                held_keys = np.searchsorted(block, pairs[:, 0]) * m + np.searchsorted(block, pairs[:, 1])
                keys2 = np.unique(np.concatenate([self._candidate_keys(W, BLOCK_TOP_K), held_keys]))
                li, lj = keys2 // m, keys2 % m
                found = _blossom(m, li, lj, np.rint(W[li, lj] * SCALE).astype(np.int64))
                matched = sorted(sorted((int(block[u]), int(block[v]))) for u, v in found)
            out.extend(matched)
            out.extend([x] for x in _left(block, matched))
        return out

    def _affinity_order(self, members: IntArray) -> IntArray:
        """``members`` in an order where neighbours tend to be good partners: by one interest each
        (the first they hold in a random ranking of interests: a new ranking per call), then by the
        UTC start of their working day in two-hour steps, then at random. Departments are left mixed,
        so a block cut from this order holds people who share an interest and working hours across
        departments, which is where the high scores are."""
        data = self.data
        m = len(members)
        it = data.interests[members]
        rank = self.gen.permutation(it.shape[1]).astype(np.float64) + 1
        top = np.asarray(it.multiply(rank[None, :]).max(axis=1).todense()).ravel() if it.nnz else np.zeros(m)
        hours = data.start[members] // 120
        return members[np.lexsort((self.gen.random(m), hours, top))]

    def _dense_pairs(self, members: IntArray, W: FloatArray) -> Groups:
        """Complete-graph matching. An odd count needs a trio: up to SUBSETS_MAX people the best
        arrangement over every subset (exact); up to THIRD_TRIALS_MAX, each person in turn is left to
        the matching of the others and joins the pair where they fit best."""
        m = len(members)
        a, b = np.triu_indices(m, 1)
        keep = W[a, b] > FORBIDDEN / 2
        li, lj = a[keep], b[keep]
        if m % 2 == 1 and m <= SUBSETS_MAX:
            return self._subsets(members)
        base = self._matching(members, members[li], members[lj])
        if m % 2 == 0 or m > THIRD_TRIALS_MAX:
            return self._place_leftovers(base, _left(members, base))
        return self._thirds(members, W, li, lj, base)

    def _subsets(self, members: IntArray) -> Groups:
        """Exact for a few people (pairs and trios): a table over every subset, built by subset size
        with numpy. A subset's best arrangement either leaves its lowest member out, pairs them or puts
        them in a trio, plus the best arrangement of what is left. The order of ``_key`` (placed,
        repeats, sizes, score) is packed into one integer per group, score in milli-points as the
        matching weighs it, so the table compares arrangements exactly."""
        m = len(members)
        score, recent, ok = self.data.dense(members)
        s = np.rint(score * SCALE).astype(np.int64)
        r = recent.astype(np.int64)
        # Fields, most significant first: people placed, repeats, trios (the size deviation), score.
        # Each field's largest possible total stays below half the unit of the field above it.
        unit_placed, unit_repeat, unit_trio = 1 << 40, 1 << 32, 1 << 26
        pair = np.where(ok, 2 * unit_placed - unit_repeat * r + s, -1)
        trio = (
            3 * unit_placed
            - unit_trio
            - unit_repeat * (r[:, :, None] + r[:, None, :] + r[None, :, :])
            + s[:, :, None]
            + s[:, None, :]
            + s[None, :, :]
        )
        trio_ok = ok[:, :, None] & ok[:, None, :] & ok[None, :, :]
        trio = np.where(trio_ok, trio, -1)
        size = 1 << m
        masks = np.arange(size, dtype=np.int64)
        count = np.zeros(size, dtype=np.int64)
        for k in range(m):
            count += (masks >> k) & 1
        low = np.zeros(size, dtype=np.int64)
        for k in range(m - 1, -1, -1):
            low = np.where((masks >> k) & 1 == 1, k, low)
        best = np.zeros(size, dtype=np.int64)
        choice = np.zeros(size, dtype=np.int64)  # 0: lowest left out; j + 1: paired with j; else trio
        for c in range(1, m + 1):
            layer = masks[count == c]
            lo = low[layer]
            rest = layer ^ (1 << lo)
            top = best[rest]
            pick = np.zeros(len(layer), dtype=np.int64)
            for j in range(1, m):
                has_j = ((layer >> j) & 1 == 1) & (lo < j)
                w = pair[lo, j]
                cand = np.where(has_j & (w >= 0), w + best[rest & ~(1 << j)], -1)
                better = cand > top
                top = np.where(better, cand, top)
                pick = np.where(better, j + 1, pick)
                if c < 3:
                    continue
                for k in range(j + 1, m):
                    has_k = has_j & ((layer >> k) & 1 == 1)
                    w3 = trio[lo, j, k]
                    cand = np.where(has_k & (w3 >= 0), w3 + best[rest & ~(1 << j) & ~(1 << k)], -1)
                    better = cand > top
                    top = np.where(better, cand, top)
                    pick = np.where(better, (j + 1) * (m + 1) + k + 1, pick)
            best[layer] = top
            choice[layer] = pick
        groups: Groups = []
        mask = size - 1
        while mask:
            lo_k = int(low[mask])
            code = int(choice[mask])
            mask ^= 1 << lo_k
            if code == 0:
                continue
            mates = [code - 1] if code <= m else [code // (m + 1) - 1, code % (m + 1) - 1]
            for x in mates:
                mask ^= 1 << x
            groups.append([int(members[x]) for x in (lo_k, *mates)])
        return groups

    def _thirds(self, members: IntArray, W: FloatArray, li: IntArray, lj: IntArray, base: Groups) -> Groups:
        """Odd rounds of a few dozen: each person in turn is the third, left to the matching of the
        others, then joins the pair where they fit best. A third is tried only if it could win: the
        matching of the others weighs at most the maximum-cardinality matching of everyone (``base``),
        and joining a pair adds at most the third's two best weights. Trials are compared by (placed,
        weight) straight from W; only the winner is built."""
        m = len(members)
        local = {int(x): k for k, x in enumerate(members)}
        edges = np.rint(W[li, lj] * SCALE).astype(np.int64)
        pairs_w = sum(W[local[p[0]], local[p[1]]] for p in base if len(p) == 2)
        ranked = np.sort(np.where(W > FORBIDDEN / 2, W, -np.inf), axis=1)
        bound = pairs_w + ranked[:, -1] + ranked[:, -2]
        best: list[tuple[int, int]] | None = None
        best_value: tuple[int, float] | None = None
        for third in np.argsort(-bound, kind="stable").tolist():
            if best_value is not None and best_value[0] == m and bound[third] <= best_value[1] + 1e-9:
                break  # everyone placed, and no later third can weigh more
            sel = (li != third) & (lj != third)
            trial = _blossom(m, li[sel], lj[sel], edges[sel])
            if not trial:
                continue
            p = np.asarray([u for u, _ in trial], dtype=np.int64)
            q = np.asarray([v for _, v in trial], dtype=np.int64)
            join = W[third, p] + W[third, q]
            joined = bool((join > FORBIDDEN / 2).any())  # the third has a pair to join
            value = (2 * len(trial) + joined, float(W[p, q].sum() + (join.max() if joined else 0.0)))
            if best_value is None or value > best_value:
                best, best_value = trial, value
        if best is None:
            return self._place_leftovers(base, _left(members, base))
        groups = [[int(members[u]), int(members[v])] for u, v in best]
        return self._place_leftovers(groups, _left(members, groups))

    def _key(self, groups: Groups) -> tuple[float, ...]:
        """(placed, -repeats, -seats short, -size deviation, score): the order arrangements are
        compared in. All pairs scored in one vectorized call."""
        placed = sum(len(g) for g in groups)
        short = dev = 0
        xs: list[int] = []
        ys: list[int] = []
        for g in groups:
            cost = size_cost(len(g), self.g)
            short += cost[0]
            dev += cost[1]
            for x, y in itertools.combinations(g, 2):
                xs.append(x)
                ys.append(y)
        s, recent = self.data.score(np.asarray(xs, dtype=np.int64), np.asarray(ys, dtype=np.int64))
        return (placed, -int(recent.sum()), -short, -dev, float(s.sum()))

    def _matching(self, members: IntArray, i: IntArray, j: IntArray) -> Groups:
        """Maximum-cardinality maximum-weight matching over candidate edges (global indices)."""
        if len(i) == 0:
            return []
        local = {int(x): k for k, x in enumerate(members)}
        w, ok = self.weights(i, j)
        i, j, w = i[ok], j[ok], w[ok]
        graph = rx.PyGraph()
        graph.add_nodes_from(range(len(members)))
        wi = np.rint(w * SCALE).astype(np.int64)
        graph.add_edges_from(
            list(
                zip([local[x] for x in i.tolist()], [local[x] for x in j.tolist()], wi.tolist(), strict=True)
            )
        )
        matched = rx.max_weight_matching(graph, max_cardinality=True, weight_fn=int)
        return sorted(sorted((int(members[u]), int(members[v]))) for u, v in matched)

    def _candidates(self, block: IntArray, top_k: int = TOP_K) -> tuple[IntArray, IntArray]:
        """A sparse candidate graph over ``block`` (global indices), each edge once: everyone's
        TOP_K best allowed partners plus RANDOM_EXTRA random allowed ones who did not meet recently."""
        m = len(block)
        if m <= max(DENSE_MAX, top_k + 1):  # few enough for every pair (or too few to pick top_k)
            a, b = np.triu_indices(m, 1)
            return block[a], block[b]
        keys = self._candidate_keys(self.dense(block), top_k)
        return block[keys // m], block[keys % m]

    def _candidate_keys(self, W: FloatArray, top_k: int) -> IntArray:
        """``_candidates`` on a block's weight matrix: the edges as sorted keys lo * m + hi of local
        indices."""
        m = len(W)
        # Ties are common (scores are coarse): a random tie-break spreads everyone's choices.
        jitter = W + self.gen.random((m, m)) * 1e-3
        top = np.argpartition(-jitter, top_k - 1, axis=1)[:, :top_k]
        del jitter
        good = np.take_along_axis(W, top, axis=1) > FORBIDDEN / 2
        src = [np.repeat(np.arange(m), top_k)[good.ravel()]]
        dst = [top[good]]
        # RANDOM_EXTRA random partners who may meet and did not meet recently, out of 4x as many draws.
        draws = self.gen.integers(0, m, size=(m, 4 * RANDOM_EXTRA))
        fresh = W[np.arange(m)[:, None], draws] > -REPEAT_PENALTY / 2
        fresh &= draws != np.arange(m)[:, None]
        rank = np.cumsum(fresh, axis=1)
        good = fresh & (rank <= RANDOM_EXTRA)
        src.append(np.nonzero(good)[0])
        dst.append(draws[good])
        s, d = np.concatenate(src), np.concatenate(dst)
        lo, hi = np.minimum(s, d), np.maximum(s, d)
        return np.unique(lo[lo != hi] * m + hi[lo != hi])

    def _place_leftovers(self, pairs: Groups, leftovers: list[int]) -> Groups:
        """Match leftovers among themselves, then let each remaining one join the pair where they fit
        best (a trio; a pair takes one extra at most). Anyone still left has no possible group."""
        groups = [list(p) for p in pairs]
        if len(leftovers) >= 2:
            rest = np.asarray(sorted(leftovers), dtype=np.int64)
            a, b = np.triu_indices(len(rest), 1)
            more = self._matching(rest, rest[a], rest[b])
            groups.extend(list(p) for p in more)
            leftovers = _left(rest, more)
        for x in leftovers:
            hosts = [k for k, g in enumerate(groups) if len(g) == 2]
            if not hosts:
                break
            p = np.asarray([groups[k][0] for k in hosts], dtype=np.int64)
            q = np.asarray([groups[k][1] for k in hosts], dtype=np.int64)
            xs = np.full(len(hosts), x, dtype=np.int64)
            wp, _ = self.weights(xs, p)
            wq, _ = self.weights(xs, q)
            okp = self.data.allowed(xs, p, relax_side=True)
            okq = self.data.allowed(xs, q, relax_side=True)
            gain = np.where(okp & okq, wp + wq, -np.inf)
            best = int(np.argmax(gain))
            if gain[best] > -np.inf:
                groups[hosts[best]].append(x)
        return groups

    # ------------------------------------------------------------------------------------ groups

    def groups(self) -> tuple[Groups, str]:
        n = self.data.n
        sizes = group_sizes(n, self.g)
        # Blocks take whole groups of the round's plan, so the sizes of the round are the promised
        # ones (blocks planned on their own would each round their own remainder up).
        count = max(1, min(len(sizes), round(n / GROUP_BLOCK)))
        plans = [[int(x) for x in part] for part in np.array_split(np.asarray(sizes, dtype=np.int64), count)]
        cuts = np.cumsum([sum(plan) for plan in plans])[:-1]
        people = np.arange(n, dtype=np.int64) if count == 1 else self.gen.permutation(n)
        out: Groups = []
        for block, plan in zip(np.split(people, cuts), plans, strict=True):
            block = np.sort(block)
            W = self.dense(block)
            restarts = GROUP_RESTARTS if len(block) <= GROUP_RESTARTS_MAX else 1
            best: Groups = []
            best_key: tuple[float, ...] | None = None
            for _ in range(restarts):
                built = self._swap_search(block, W, self._assign_groups(block, W, plan))
                built = self._replace_dropped(block, self._drop_broken(block, W, built))
                key = self._key(built)
                if best_key is None or key > best_key:
                    best, best_key = built, key
            out.extend(best)
        return out, "groups"

    def _replace_dropped(self, block: IntArray, groups: Groups) -> Groups:
        """People a group had to let go join another group that can take them (below g + 1 and no
        conflict), where they fit best; failing that, two of them may form a group of their own."""
        placed = {x for g in groups for x in g}
        for x in [int(v) for v in block if int(v) not in placed]:
            best, best_w = -1, -np.inf
            for k, g in enumerate(groups):
                if len(g) > self.g:
                    continue
                idx = np.asarray(g, dtype=np.int64)
                xs = np.full(len(g), x, dtype=np.int64)
                w, ok = self.weights(xs, idx)
                if ok.all() and float(w.sum()) > best_w:
                    best, best_w = k, float(w.sum())
            if best >= 0:
                groups[best].append(x)
                placed.add(x)
        left = [int(v) for v in block if int(v) not in placed]
        if len(left) >= 2:
            rest = np.asarray(left, dtype=np.int64)
            a, b = np.triu_indices(len(rest), 1)
            groups.extend(self._matching(rest, rest[a], rest[b]))
        return groups

    def _assign_groups(self, block: IntArray, W: FloatArray, sizes: list[int]) -> Groups:
        m = len(block)
        if not sizes:
            return []
        t = len(sizes)
        order = self.gen.permutation(m)
        members: list[list[int]] = [[int(order[k])] for k in range(t)]  # local indices
        remaining = [int(x) for x in order[t:]]
        need = [s - 1 for s in sizes]
        while remaining and any(need):
            open_groups = [k for k in range(t) if need[k] > 0]
            gain = np.zeros((len(open_groups), len(remaining)))
            cols = np.asarray(remaining, dtype=np.int64)
            for r, k in enumerate(open_groups):
                gain[r] = W[np.asarray(members[k])][:, cols].sum(axis=0)
            rows, picked = linear_sum_assignment(gain, maximize=True)
            taken = set()
            for r, c in zip(rows, picked, strict=True):
                members[open_groups[r]].append(remaining[c])
                need[open_groups[r]] -= 1
                taken.add(c)
            remaining = [x for c, x in enumerate(remaining) if c not in taken]
        return [[int(block[x]) for x in g] for g in members]

    def _swap_search(self, block: IntArray, W: FloatArray, groups: Groups, rounds: int = 300) -> Groups:
        """Best-improvement swaps of two people between groups, many disjoint swaps per round."""
        if len(groups) < 2:
            return groups
        local = {int(x): k for k, x in enumerate(block)}
        m = len(block)
        grp = np.full(m, -1, dtype=np.int64)
        for k, g in enumerate(groups):
            for x in g:
                grp[local[x]] = k
        t = len(groups)
        inside = grp >= 0
        idx = np.arange(m)
        # W with a zero column m: groups padded to one width with m gather nothing. (A gather, not
        # a product with a one-hot matrix: cheaper for groups of 2-5, and no BLAS threads.)
        Wz = np.concatenate([W, np.zeros((m, 1))], axis=1)
        width = max(len(g) for g in groups)
        for _ in range(rounds):
            slots = np.full((t, width), m, dtype=np.int64)
            members = np.nonzero(inside)[0]
            order_in = members[np.argsort(grp[members], kind="stable")]
            starts = np.searchsorted(grp[order_in], np.arange(t))
            slots[grp[order_in], np.arange(len(order_in)) - starts[grp[order_in]]] = order_in
            C = Wz[:, slots].sum(axis=2)  # C[p, k]: p's weight with the members of group k
            own = np.where(inside, C[idx, np.maximum(grp, 0)], 0.0)
            X = C - own[:, None]
            G = np.maximum(grp, 0)
            D = X[:, G] + X[:, G].T - 2 * W
            invalid = (grp[:, None] == grp[None, :]) | ~inside[:, None] | ~inside[None, :]
            D[invalid] = -np.inf
            best_q = np.argmax(D, axis=1)
            best_d = D[idx, best_q]
            order = np.argsort(-best_d, kind="stable")
            touched: set[int] = set()
            applied = 0
            for p in order:
                if best_d[p] <= 1e-4:
                    break
                q = int(best_q[p])
                A, B = int(grp[p]), int(grp[q])
                if A in touched or B in touched:
                    continue
                touched.update((A, B))
                grp[p], grp[q] = B, A
                applied += 1
            if not applied:
                break
        out: Groups = [[] for _ in range(t)]
        for p in range(m):
            if grp[p] >= 0:
                out[int(grp[p])].append(int(block[p]))
        return out

    def _drop_broken(self, block: IntArray, W: FloatArray, groups: Groups) -> Groups:
        """Should a construction leave a forbidden pair (only when nothing else was possible), the
        person with the most conflicts leaves the group. Read from the block's matrix: groups are
        never cross-program, so a forbidden pair is exactly a FORBIDDEN entry."""
        local = np.full(self.data.n, -1, dtype=np.int64)
        local[block] = np.arange(len(block))
        out: Groups = []
        for g in groups:
            g = list(g)
            while len(g) >= 2:
                idx = local[np.asarray(g, dtype=np.int64)]
                sub = W[idx][:, idx] <= FORBIDDEN / 2
                np.fill_diagonal(sub, False)
                bad = sub.sum(axis=1)
                worst = int(np.argmax(bad))
                if bad[worst] == 0:
                    break
                g.pop(worst)
            if len(g) >= 2:
                out.append(g)
        return out

    # --------------------------------------------------------------------------------- bipartite

    def bipartite(self) -> tuple[Groups, str]:
        """Exact assignment of the larger side to two places at each person of the smaller side: the
        first place carries a bonus (everyone of the smaller side gets someone), the second makes a trio.
        The same-side pair within such a trio is not a pair of the program: it is neither scored nor
        counted as a repeat, only the hard rules apply to it."""
        side = self.data.side
        A = np.nonzero(side == 0)[0].astype(np.int64)
        B = np.nonzero(side == 1)[0].astype(np.int64)
        if len(A) > len(B):
            A, B = B, A
        if not len(A) or not len(B):
            return [], "bipartite"
        if len(A) * len(B) <= DENSE_BIPARTITE_MAX:
            assigned = self._dense_bipartite(A, B)
        else:
            assigned = self._sparse_bipartite(A, B)
        groups: dict[int, list[int]] = {}
        for a, b in assigned:
            groups.setdefault(a, [a]).append(b)
        return self._repair_trios(list(groups.values())), "bipartite"

    def _dense_bipartite(self, A: IntArray, B: IntArray) -> list[tuple[int, int]]:
        ii, jj = np.meshgrid(B, A, indexing="ij")
        w, ok = self.weights(ii.ravel(), jj.ravel())
        W = w.reshape(len(B), len(A))
        ok = ok.reshape(len(B), len(A))
        M = np.where(
            np.concatenate([ok, ok], axis=1), np.concatenate([W + PLACE_BONUS, W], axis=1), CROSS_FORBIDDEN
        )
        rows, cols = linear_sum_assignment(M, maximize=True)
        na = len(A)
        return [
            (int(A[c % na]), int(B[r]))
            for r, c in zip(rows, cols, strict=True)
            if M[r, c] > CROSS_FORBIDDEN / 2
        ]

    def _sparse_bipartite(self, A: IntArray, B: IntArray) -> list[tuple[int, int]]:
        """Candidates of the smaller side for each person of the larger (and back), two places per
        person of the smaller side, one private dummy per row so that a full matching always exists;
        a row matched to its dummy stays unmatched."""
        gen = self.gen
        na, nb = len(A), len(B)
        width = POOL_RANDOM + POOL_INTEREST
        rows = np.repeat(np.arange(nb), width)
        cols = gen.integers(0, na, size=nb * width)
        back_cols = np.repeat(np.arange(na), width)
        back_rows = gen.integers(0, nb, size=na * width)
        r = np.concatenate([rows, back_rows])
        c = np.concatenate([cols, back_cols])
        keys = np.unique(r * na + c)
        r, c = keys // na, keys % na
        w, ok = self.weights(B[r], A[c])
        r, c, w = r[ok], c[ok], w[ok]
        # Keep each row's best 2 * TOP_K and a random tenth of the rest.
        order = np.lexsort((-w, r))
        r, c, w = r[order], c[order], w[order]
        rank = np.arange(len(r)) - np.searchsorted(r, r, side="left")
        keep = (rank < TOP_K * 2) | (gen.random(len(r)) < 0.1)
        r, c, w = r[keep], c[keep], w[keep]
        big = 10 * PLACE_BONUS
        all_rows = np.concatenate([r, r, np.arange(nb)])
        all_cols = np.concatenate([c, na + c, 2 * na + np.arange(nb)])
        cost = np.concatenate([big - w - PLACE_BONUS, big - w, np.full(nb, big + PLACE_BONUS)])
        M = sparse.csr_matrix((cost, (all_rows, all_cols)), shape=(nb, 2 * na + nb))
        rr, cc = min_weight_full_bipartite_matching(M)
        return [(int(A[y % na]), int(B[x])) for x, y in zip(rr, cc, strict=True) if y < 2 * na]

    def _repair_trios(self, groups: Groups) -> Groups:
        """A trio whose two same-side members may not meet (do-not-pair, manager): the second moves to a
        pair that can take them, or stays out."""
        out: Groups = []
        moving: list[int] = []
        for g in groups:
            if len(g) == 3 and not _allowed_in_group(self.data, g[1], g[2]):
                out.append(g[:2])
                moving.append(g[2])
            elif len(g) >= 2:
                out.append(g)
        for x in moving:
            best, best_w = -1, -np.inf
            for k, g in enumerate(out):
                if len(g) != 2:
                    continue
                a, b = g
                if not (_allowed_in_group(self.data, x, a) and _allowed_in_group(self.data, x, b)):
                    continue
                w, _ = self.weights(np.asarray([x]), np.asarray([a]))
                if float(w[0]) > best_w:
                    best, best_w = k, float(w[0])
            if best >= 0:
                out[best].append(x)
        return out


def _blossom(m: int, i: IntArray, j: IntArray, w: IntArray) -> list[tuple[int, int]]:
    """Maximum-cardinality maximum-weight matching of nodes 0..m-1 over edges (i, j) of integer
    weights w (rustworkx's blossom)."""
    graph = rx.PyGraph()
    graph.add_nodes_from(range(m))
    graph.add_edges_from(list(zip(i.tolist(), j.tolist(), w.tolist(), strict=True)))
    return sorted(rx.max_weight_matching(graph, max_cardinality=True, weight_fn=int))


def _left(members: IntArray, groups: Groups) -> list[int]:
    done = {x for g in groups for x in g}
    return [int(x) for x in members if int(x) not in done]
