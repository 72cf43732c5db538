"""Benchmark of the pairing engine (courtyard.pairing.domain) against what other tools do.

    .venv/bin/python bench/pairing_engine.py            # full: also the slow exact references
    .venv/bin/python bench/pairing_engine.py --quick    # small sizes and no slow oracles

Synthetic organization: departments of skewed sizes, teams of ~7 with a lead reporting to a department
head, 8 offices in 6 time zones, interests with Zipf-like popularity, small groups, a year of history
(26 biweekly rounds paired by a random coffee bot). Figures are printed as Markdown tables.
"""

from __future__ import annotations

import argparse
import functools
import itertools
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np
import rustworkx as rx
from scipy import sparse
from scipy.optimize import linprog

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from courtyard.pairing.domain import (
    baseline_coffee,
    baseline_deferred_acceptance,
    coffee_evaluate,
    coffee_round,
    mentorship_assign,
    teams_evaluate,
    teams_form,
)
from courtyard.pairing.domain.coffee import REPEAT_PENALTY, SCALE, _left, _Solver, group_sizes
from courtyard.pairing.domain.mentorship import solve_weights
from courtyard.pairing.domain.scoring import CoffeeData, mentorship_matrix
from courtyard.pairing.domain.types import (
    CoffeeResult,
    CoffeeRules,
    CoffeeWeights,
    Mentee,
    Mentor,
    MentorshipResult,
    MentorshipRules,
    MentorshipWeights,
    Person,
    TeamsRequest,
)

T = TypeVar("T")

INTERESTS = [
    "running",
    "cooking",
    "photography",
    "board games",
    "climbing",
    "jazz",
    "chess",
    "gardening",
    "opera",
    "sourdough",
    "cycling",
    "yoga",
    "hiking",
    "football",
    "tennis",
    "knitting",
    "podcasts",
    "sci-fi",
    "poetry",
    "painting",
    "pottery",
    "swimming",
    "sailing",
    "birdwatching",
    "astronomy",
    "coffee",
    "tea",
    "wine",
    "baking",
    "guitar",
    "piano",
    "choir",
    "theatre",
    "film",
    "anime",
    "gaming",
    "lego",
    "travel",
    "languages",
    "volunteering",
]
SKILLS = [
    "python",
    "sql",
    "negotiation",
    "public speaking",
    "leadership",
    "design",
    "finance",
    "writing",
    "data analysis",
    "product management",
    "hiring",
    "coaching",
    "sales",
    "marketing",
    "security",
    "cloud",
]
OFFICES = [(0, "en"), (0, "en"), (60, "de"), (60, "fr"), (120, "fi"), (-300, "en"), (330, "en"), (540, "ja")]
LOOKBACK = 6


CPU: dict[str, float] = {}


def timed(fn: Callable[[], T]) -> tuple[T, float]:
    """Wall seconds; the process CPU seconds of the last call are kept in CPU["last"] (the machine is
    shared, so wall time includes waiting for a core)."""
    t, c = time.perf_counter(), time.process_time()
    out = fn()
    CPU["last"] = time.process_time() - c
    return out, time.perf_counter() - t


def make_people(n: int, seed: int) -> list[Person]:
    r = random.Random(seed)
    dept_weights = [1 / (k + 1) for k in range(12)]
    weights = [1 / (k + 1) ** 0.8 for k in range(len(INTERESTS))]
    people: list[Person] = []
    heads: dict[int, int] = {}
    team_lead: dict[int, int] = {}
    team_dept: dict[int, int] = {}
    next_team = 0
    current_team: dict[int, tuple[int, int]] = {}  # dept -> (team id, filled)
    for k in range(n):
        pid = k + 1
        dept = r.choices(range(12), dept_weights)[0]
        if dept not in heads:
            heads[dept] = pid
            manager = None
            team = None
        else:
            team, filled = current_team.get(dept, (-1, 99))
            if filled >= 7:
                team, filled = next_team, 0
                next_team += 1
                team_dept[team] = dept
            current_team[dept] = (team, filled + 1)
            if team not in team_lead:
                team_lead[team] = pid
                manager = heads[dept]
            else:
                manager = team_lead[team]
        office = r.randrange(len(OFFICES))
        offset, lang = OFFICES[office]
        people.append(
            Person(
                id=pid,
                department_id=dept,
                team_id=team,
                manager_id=manager,
                location_id=office,
                interests=frozenset(r.choices(INTERESTS, weights, k=r.randint(0, 5))),
                skills=frozenset(r.sample(SKILLS, r.randint(1, 4))),
                languages=frozenset({lang, "en"} if r.random() < 0.8 else {lang}),
                utc_offset_minutes=offset,
                work_hours=(r.choice([8, 9, 9, 10]), r.choice([16, 17, 17, 18])),
                tenure_days=int(r.expovariate(1 / 1200)),
                seniority=min(5, int(r.expovariate(1 / 1.3))),
                small_groups=frozenset({r.randrange(max(1, n // 8))}) if r.random() < 0.3 else frozenset(),
            )
        )
    return people


def make_history(people: list[Person], rounds: int, seed: int) -> dict[frozenset[int], int]:
    """A year of a random coffee bot: each round a random perfect matching."""
    gen = np.random.default_rng(seed)
    ids = np.asarray([p.id for p in people])
    history: dict[frozenset[int], int] = {}
    for ago in range(rounds, 0, -1):
        perm = gen.permutation(ids)
        for a, b in zip(perm[0::2].tolist(), perm[1::2].tolist(), strict=False):
            history[frozenset((a, b))] = ago
    return history


def exact_optimum(
    people: list[Person], history: dict[frozenset[int], int], rules: CoffeeRules
) -> tuple[float, float]:
    """The optimum total score of pairs over the complete graph (rustworkx blossom), and its time."""
    ordered = sorted(people, key=lambda p: p.id)
    data = CoffeeData(ordered, history=history, rules=rules, weights=CoffeeWeights())
    t = time.perf_counter()
    n = len(ordered)
    a, b = np.triu_indices(n, 1)
    score, recent = data.score(a, b)
    ok = data.allowed(a, b)
    a, b, w = a[ok], b[ok], np.rint((score[ok] - REPEAT_PENALTY * recent[ok]) * SCALE).astype(np.int64)
    graph = rx.PyGraph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from(list(zip(a.tolist(), b.tolist(), w.tolist(), strict=True)))
    matching = rx.max_weight_matching(graph, max_cardinality=True, weight_fn=int)
    total = 0.0
    for u, v in matching:
        s, _ = data.score(np.asarray([u]), np.asarray([v]))
        total += float(s[0])
    return total, time.perf_counter() - t


def rule_breaks(res: CoffeeResult, people: list[Person], rules: CoffeeRules) -> int:
    """Pairs with one's own manager or a do-not-pair choice."""
    by_id = {p.id: p for p in people}
    broken = 0
    for g in res.groups:
        for x, y in itertools.combinations(g.member_ids, 2):
            a, b = by_id[x], by_id[y]
            broken += a.manager_id == y or b.manager_id == x or frozenset((x, y)) in rules.do_not_pair
    return broken


def coffee_row(
    label: str,
    res: CoffeeResult,
    seconds: float,
    optimum: float | None,
    bound: float | None,
    before: CoffeeResult | None,
    people: list[Person],
    rules: CoffeeRules,
) -> str:
    st = res.stats
    pairs = max(1, st.pairs)
    gap = f"{100 * st.total_score / optimum:.2f}%" if optimum else "–"
    of_bound = f"{100 * st.total_score / bound:.2f}%" if bound else "–"
    vs_before = f"{st.total_score / before.stats.total_score:.4f}×" if before else "–"
    return (
        f"| {label} | {seconds:.2f} / {CPU['last']:.2f} | {st.total_score:,.0f} | {gap} | {of_bound} | {vs_before} | "
        f"{100 * st.never_met_pairs / pairs:.1f}% | {100 * st.repeats_within_lookback / pairs:.2f}% | "
        f"{100 * st.cross_department_pairs / pairs:.1f}% | {rule_breaks(res, people, rules)} | {st.unmatched} |"
    )


def do_not_pair(people: list[Person], seed: int) -> frozenset[frozenset[int]]:
    """About 3% of people keep a private do-not-pair list of one or two colleagues."""
    r = random.Random(seed)
    by_dept: dict[int | None, list[int]] = {}
    for p in people:
        by_dept.setdefault(p.department_id, []).append(p.id)
    out = set()
    for p in people:
        if r.random() < 0.03:
            for other in r.sample(by_dept[p.department_id], min(2, len(by_dept[p.department_id]))):
                if other != p.id:
                    out.add(frozenset((p.id, other)))
    return frozenset(out)


def dual_bound(
    people: list[Person],
    history: dict[frozenset[int], int],
    rules: CoffeeRules,
    top: int = 48,
    rounds: int = 40,
) -> tuple[float, float]:
    """An upper bound on the total score of any arrangement in pairs that repeats no recent pair, and
    its time: a feasible dual of the matching LP (y_i + y_j >= w_ij for every allowed pair), whose sum
    bounds every matching. Two scans of all n^2 pairs in row blocks (CoffeeData.dense): the first
    keeps each person's best partners, on which y is improved by averaged steps
    y <- (y + max_j (w_ij - y_j)) / 2; the second computes y'_i = max over *all* j of w_ij - y_j, and
    (y + y') / 2 is feasible whatever y was, so the bound does not rest on the kept partners."""
    ordered = sorted(people, key=lambda p: p.id)
    data = CoffeeData(ordered, history=history, rules=rules, weights=CoffeeWeights())
    t = time.perf_counter()
    n = data.n
    everyone = np.arange(n, dtype=np.int64)
    chunk = max(1, 2_000_000 // n)

    def rows_weights(rows: np.ndarray) -> np.ndarray:
        score, recent, ok = data.dense(rows, everyone)
        return np.where(ok, score - REPEAT_PENALTY * recent, -np.inf)

    best_w = np.empty((n, top))
    best_j = np.empty((n, top), dtype=np.int64)
    for r0 in range(0, n, chunk):
        rows = everyone[r0 : r0 + chunk]
        w = rows_weights(rows)
        j = np.argpartition(-w, top - 1, axis=1)[:, :top]
        best_w[rows], best_j[rows] = np.take_along_axis(w, j, axis=1), j
    y = best_w.max(axis=1) / 2
    for _ in range(rounds):
        y = (y + (best_w - y[best_j]).max(axis=1)) / 2
    y_all = np.empty(n)
    for r0 in range(0, n, chunk):
        rows = everyone[r0 : r0 + chunk]
        y_all[rows] = (rows_weights(rows) - y[None, :]).max(axis=1)
    return float(((y + y_all) / 2).sum()), time.perf_counter() - t


def before_blocks(
    people: list[Person], history: dict[frozenset[int], int], rules: CoffeeRules, rng: random.Random
) -> CoffeeResult:
    """The previous method for rounds above 1,500, kept here as the baseline: people shuffled into
    blocks of ~1,000, each solved on everyone's 8 best partners in the block (plus 3 random ones),
    the leftovers matched together."""
    ordered = sorted(people, key=lambda p: p.id)
    data = CoffeeData(ordered, history=history, rules=rules, weights=CoffeeWeights())
    gen = np.random.default_rng(rng.getrandbits(64))
    solver = _Solver(data, gen)
    count = max(1, round(data.n / 1000))
    pairs: list[list[int]] = []
    leftovers: list[int] = []
    for block in np.array_split(gen.permutation(data.n), count):
        block = np.sort(block)
        i, j = solver._candidates(block, 8)
        matched = solver._matching(block, i, j)
        pairs.extend(matched)
        leftovers.extend(_left(block, matched))
    groups = solver._place_leftovers(pairs, leftovers)
    return coffee_evaluate(
        ordered,
        [[int(data.ids[k]) for k in g] for g in groups],
        history=history,
        rules=rules,
        method="before",
    )


def random_groups(
    people: list[Person], history: dict[frozenset[int], int], rules: CoffeeRules, rng: random.Random
) -> CoffeeResult:
    """What a coffee bot does for groups: shuffle, cut into the planned sizes."""
    ids = [p.id for p in people]
    rng.shuffle(ids)
    groups, at = [], 0
    for size in group_sizes(len(ids), rules.group_size):
        groups.append(ids[at : at + size])
        at += size
    return coffee_evaluate(people, groups, history=history, rules=rules, method="random")


def org_round(
    n: int, seed: int, group_size: int = 2
) -> tuple[list[Person], dict[frozenset[int], int], CoffeeRules]:
    people = make_people(n, seed=seed)
    history = make_history(people, 26, seed=seed + 1)
    rules = CoffeeRules(
        lookback_rounds=LOOKBACK, do_not_pair=do_not_pair(people, seed), group_size=group_size
    )
    return people, history, rules


def bench_coffee(sizes: list[tuple[int, int]], exact_upto: int, bound_upto: int) -> None:
    print("\n### Coffee rounds (pairs, look-back 6 rounds, 26 rounds of history)\n")
    print(
        "| people · method | seconds wall / CPU | total score | of exact optimum | of upper bound | "
        "vs before | never met | repeated within look-back | cross-department | "
        "with own manager or do-not-pair | unmatched |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n, seed in sizes:
        people, history, rules = org_round(n, seed)
        args = {"history": history, "rules": rules}
        label = f"{n:,}" + ("" if seed == n else f" (instance {seed})")
        ours, t_ours = timed(functools.partial(coffee_round, people, rng=random.Random(7), **args))
        cpu_ours = CPU["last"]
        bot, t_bot = timed(functools.partial(baseline_coffee, people, rng=random.Random(7), **args))
        cpu_bot = CPU["last"]
        before = None
        if n > 1500:
            before, t_before = timed(
                functools.partial(before_blocks, people, history, rules, random.Random(7))
            )
            cpu_before = CPU["last"]
        optimum = bound = None
        if n <= exact_upto:
            optimum, t_exact = exact_optimum(people, history, rules)
            print(
                f"| {label} · exact optimum (rustworkx, complete graph) | {t_exact:.2f} | {optimum:,.0f} | 100% | | | | | | | |"
            )
        if n <= bound_upto:
            bound, t_bound = dual_bound(people, history, rules)
            of_opt = f"{100 * optimum / bound:.2f}% of it" if optimum else ""
            print(
                f"| {label} · upper bound (LP dual, all pairs) | {t_bound:.2f} | {bound:,.0f} | {of_opt} | 100% | | | | | | |"
            )
        rows = [(f"Courtyard ({ours.stats.method})", ours, t_ours, cpu_ours)]
        if before is not None:
            rows.append(("before: random blocks of 1,000, 8 candidates", before, t_before, cpu_before))
        rows.append(("coffee bot (random, 20 redraws)", bot, t_bot, cpu_bot))
        for name, res, secs, cpu in rows:
            CPU["last"] = cpu
            print(coffee_row(f"{label} · {name}", res, secs, optimum, bound, before, people, rules))
        if before is not None:
            print(
                f"| {label} · Courtyard / before | {t_ours / t_before:.2f}× wall, {cpu_ours / max(cpu_before, 1e-9):.2f}× CPU | "
                f"{ours.stats.total_score / before.stats.total_score:.4f}× | | | | | | | | |"
            )
        sys.stdout.flush()


def bench_groups(sizes: list[int]) -> None:
    """Groups of 3 and 4 against random groups of the same sizes (what a coffee bot does)."""
    print("\n### Coffee rounds in groups of 3 and 4 (look-back 6 rounds, 26 rounds of pairs as history)\n")
    print(
        "| people · group size · method | seconds wall / CPU | total score | vs random groups | sizes | "
        "repeated within look-back | cross-department | with own manager or do-not-pair | unmatched |"
    )
    print("|---|---:|---:|---:|---|---:|---:|---:|---:|")
    for n in sizes:
        for g in (3, 4):
            people, history, rules = org_round(n, n, group_size=g)
            ours, t_ours = timed(
                functools.partial(coffee_round, people, history=history, rules=rules, rng=random.Random(7))
            )
            cpu_ours = CPU["last"]
            rand, t_rand = timed(functools.partial(random_groups, people, history, rules, random.Random(7)))
            cpu_rand = CPU["last"]
            for name, res, secs, cpu in (
                ("Courtyard", ours, t_ours, cpu_ours),
                ("random groups", rand, t_rand, cpu_rand),
            ):
                st = res.stats
                pairs = max(1, st.pairs)
                counts: dict[int, int] = {}
                for grp in res.groups:
                    counts[len(grp.member_ids)] = counts.get(len(grp.member_ids), 0) + 1
                sizes_text = ", ".join(f"{c:,}×{k}" for k, c in sorted(counts.items()))
                print(
                    f"| {n:,} · {g} · {name} | {secs:.2f} / {cpu:.2f} | {st.total_score:,.0f} | "
                    f"{st.total_score / rand.stats.total_score:.3f}× | {sizes_text} | "
                    f"{100 * st.repeats_within_lookback / pairs:.2f}% | {100 * st.cross_department_pairs / pairs:.1f}% | "
                    f"{rule_breaks(res, people, rules)} | {st.unmatched} |"
                )
            sys.stdout.flush()


def trio_optimum(
    people: list[Person], history: dict[frozenset[int], int], rules: CoffeeRules
) -> tuple[float, float]:
    """Exact optimum of an odd round, independently of the engine: every allowed trio, with
    rustworkx's blossom on everyone else (complete graph), ranked by (placed, weight)."""
    ordered = sorted(people, key=lambda p: p.id)
    data = CoffeeData(ordered, history=history, rules=rules, weights=CoffeeWeights())
    t = time.perf_counter()
    n = data.n
    score, recent, ok = data.dense(np.arange(n, dtype=np.int64))
    w = np.where(ok, np.rint((score - REPEAT_PENALTY * recent) * SCALE), -1).astype(np.int64)
    best = None
    for trio in itertools.combinations(range(n), 3):
        if min(w[trio[0], trio[1]], w[trio[0], trio[2]], w[trio[1], trio[2]]) < -REPEAT_PENALTY * SCALE * 10:
            continue
        if not (ok[trio[0], trio[1]] and ok[trio[0], trio[2]] and ok[trio[1], trio[2]]):
            continue
        rest = [k for k in range(n) if k not in trio]
        graph = rx.PyGraph()
        graph.add_nodes_from(rest)
        edges = [
            (a, b, int(w[rest[a], rest[b]]))
            for a, b in itertools.combinations(range(len(rest)), 2)
            if ok[rest[a], rest[b]]
        ]
        graph.add_edges_from(edges)
        matching = rx.max_weight_matching(graph, max_cardinality=True, weight_fn=int)
        pairs = [(rest[a], rest[b]) for a, b in matching]
        total = (
            sum(w[a, b] for a, b in pairs) + w[trio[0], trio[1]] + w[trio[0], trio[2]] + w[trio[1], trio[2]]
        )
        placed = 2 * len(pairs) + 3
        if best is None or (placed, total) > best[0]:
            best = ((placed, total), pairs, trio)
    assert best is not None
    _, pairs, trio = best
    real = sum(float(score[a, b]) for a, b in pairs) + sum(
        float(score[a, b]) for a, b in itertools.combinations(trio, 2)
    )
    return real, time.perf_counter() - t


def odd_bound(people: list[Person], history: dict[frozenset[int], int], rules: CoffeeRules) -> float:
    """An upper bound for an odd round: the trio's pairs other than the third's form, with the rest,
    a maximum-cardinality matching of everyone, which weighs at most the best such matching; the third
    adds at most their two best pairs."""
    ordered = sorted(people, key=lambda p: p.id)
    data = CoffeeData(ordered, history=history, rules=rules, weights=CoffeeWeights())
    n = data.n
    score, recent, ok = data.dense(np.arange(n, dtype=np.int64))
    w = np.where(ok, score - REPEAT_PENALTY * recent, -np.inf)
    graph = rx.PyGraph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from(
        [(a, b, int(np.rint(w[a, b] * SCALE))) for a, b in itertools.combinations(range(n), 2) if ok[a, b]]
    )
    matching = rx.max_weight_matching(graph, max_cardinality=True, weight_fn=int)
    top2 = np.sort(w, axis=1)[:, -2:].sum(axis=1)
    return float(sum(w[a, b] for a, b in matching) + top2.max())


def bench_odd_rounds(sizes: list[int]) -> None:
    """Small odd programs (one trio): the engine against the exact optimum (every trio) where that
    takes seconds, against an upper bound above."""
    print("\n### Small odd rounds (pairs and one trio)\n")
    print("| people | method | seconds wall / CPU | total score | of exact optimum / of upper bound |")
    print("|---:|---|---:|---:|---:|")
    for n in sizes:
        people, history, rules = org_round(n, n)
        runs = []
        for _ in range(3):  # the median of three: short runs on a shared machine are noisy
            res, secs = timed(
                functools.partial(coffee_round, people, history=history, rules=rules, rng=random.Random(7))
            )
            runs.append((secs, CPU["last"]))
        secs, cpu = sorted(runs)[1]
        if n <= 31:
            optimum, t_opt = trio_optimum(people, history, rules)
            print(
                f"| {n} | exact optimum (every trio + blossom on the rest) | {t_opt:.2f} | {optimum:,.2f} | 100% |"
            )
            print(
                f"| {n} | Courtyard ({res.stats.method}) | {secs:.3f} / {cpu:.3f} | {res.stats.total_score:,.2f} | {100 * res.stats.total_score / optimum:.2f}% |"
            )
        else:
            bound = odd_bound(people, history, rules)
            print(
                f"| {n} | upper bound (best matching + the best third's two best pairs) | | {bound:,.2f} | 100% |"
            )
            print(
                f"| {n} | Courtyard ({res.stats.method}) | {secs:.3f} / {cpu:.3f} | {res.stats.total_score:,.2f} | {100 * res.stats.total_score / bound:.2f}% |"
            )
        sys.stdout.flush()


def bench_small_programs() -> None:
    """Per-group programs: after a year, most people have met most others; a repeat within the
    look-back is avoidable only by planning the whole round."""
    print("\n### Small programs after a year (26 rounds of the program itself, look-back 6)\n")
    print("| people | method | repeated within look-back | met before (any time) | cross-department |")
    print("|---:|---|---:|---:|---:|")
    rules = CoffeeRules(lookback_rounds=LOOKBACK)
    for n in (12, 30, 60):
        people = make_people(n, seed=100 + n)
        for label, planner in (("Courtyard", coffee_round), ("coffee bot", baseline_coffee)):
            history: dict[frozenset[int], int] = {}
            totals = [0, 0, 0, 0]
            rng = random.Random(n)
            for _ in range(26):
                res = planner(people, history=history, rules=rules, rng=rng)
                totals[0] += res.stats.repeats_within_lookback
                totals[1] += res.stats.pairs - res.stats.never_met_pairs
                totals[2] += res.stats.cross_department_pairs
                totals[3] += res.stats.pairs
                history = {k: v + 1 for k, v in history.items()}
                for g in res.groups:
                    for x, y in itertools.combinations(g.member_ids, 2):
                        history[frozenset((x, y))] = 1
            pairs = max(1, totals[3])
            print(
                f"| {n} | {label} | {100 * totals[0] / pairs:.1f}% | {100 * totals[1] / pairs:.1f}% | "
                f"{100 * totals[2] / pairs:.1f}% |"
            )


def make_cohort(
    n_mentees: int, n_mentors: int, seed: int
) -> tuple[list[Mentee], list[Mentor], dict[int, int | None]]:
    r = random.Random(seed)
    people = make_people(n_mentees + n_mentors, seed)
    managers = {p.id: p.manager_id for p in people}
    by_seniority = sorted(people, key=lambda p: (p.seniority, p.tenure_days, p.id))
    juniors, seniors = by_seniority[:n_mentees], by_seniority[n_mentees:]
    mentors = [
        Mentor(
            person=p,
            capacity=r.choices([1, 2, 3, 4, 5], [1, 1, 2, 3, 8])[0],
            offers=p.skills | frozenset(r.sample(SKILLS, 2)),
        )
        for p in seniors
    ]
    mentor_ids = [m.id for m in mentors]
    mentees = []
    for p in juniors:
        prefs = tuple(r.sample(mentor_ids, r.randint(0, 3))) if r.random() < 0.5 else ()
        mentees.append(
            Mentee(
                person=p,
                skills_wanted=frozenset(r.sample(SKILLS, r.randint(1, 3))),
                same_location=r.choice([None, None, True, False]),
                same_department=r.choice([None, None, True, False]),
                preferred_mentor_ids=prefs,
            )
        )
    return mentees, mentors, managers


def lp_optimum(
    mentees: list[Mentee], mentors: list[Mentor], managers: dict[int, int | None], mode: str
) -> tuple[float, float]:
    """Independent exact optimum: the transportation LP solved by HiGHS (its constraint matrix is
    totally unimodular, so the LP optimum is the integer optimum)."""
    t = time.perf_counter()
    score, allowed = mentorship_matrix(
        mentees, mentors, managers=managers, rules=MentorshipRules(), weights=MentorshipWeights()
    )
    W = solve_weights(score, allowed, mode)
    r, c = np.nonzero(W > 0)
    w = W[r, c]
    e = len(r)
    m, k = W.shape
    A = sparse.vstack(
        [
            sparse.csr_matrix((np.ones(e), (r, np.arange(e))), shape=(m, e)),
            sparse.csr_matrix((np.ones(e), (c, np.arange(e))), shape=(k, e)),
        ]
    ).tocsr()
    b = np.concatenate([np.ones(m), np.asarray([x.capacity for x in mentors], dtype=float)])
    res = linprog(-w, A_ub=A, b_ub=b, bounds=(0, 1), method="highs")
    x = res.x
    total = float(score[r, c] @ np.rint(x))
    return total, time.perf_counter() - t


def mentorship_row(
    label: str, res: MentorshipResult, seconds: float, mentees: list[Mentee], optimum: float | None
) -> str:
    wanted = {m.id: set(m.preferred_mentor_ids) for m in mentees}
    stated = [m for m in res.matches if wanted[m.mentee_id]]
    with_prefs = sum(1 for m in mentees if m.preferred_mentor_ids)
    share = sum(1 for m in stated if m.mentor_id in wanted[m.mentee_id]) / max(1, with_prefs)
    gap = f"{100 * res.total_score / optimum:.4f}%" if optimum else "–"
    mean = res.total_score / max(1, len(res.matches))
    return (
        f"| {label} | {seconds:.2f} / {CPU['last']:.2f} | {res.total_score:,.1f} | {gap} | {mean:.2f} | {len(res.unmatched):,} | "
        f"{100 * share:.1f}% |"
    )


def bench_mentorship(n_mentees: int, n_mentors: int, oracle: bool) -> None:
    mentees, mentors, managers = make_cohort(n_mentees, n_mentors, seed=11)
    slots = sum(m.capacity for m in mentors)
    print(f"\n### Mentorship: {n_mentees:,} mentees × {n_mentors:,} mentors ({slots:,} places)\n")
    print(
        "| method | seconds wall / CPU | total fit | of exact optimum | mean fit per match | mentees unmatched | matched to a stated preference |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    # The first call in a process compiles the flow kernel with numba (or loads it from numba's cache
    # in __pycache__); it is timed apart so that the rows below are what every later run costs.
    _, t_first = timed(
        lambda: mentorship_assign(mentees[:40], mentors[:8], managers=managers, rng=random.Random(1))
    )  # type: ignore[misc]
    print(
        f"| first call in a new process (40 × 8: compile or cache load) | {t_first:.2f} / {CPU['last']:.2f} | | | | | |"
    )
    for mode in ("best_total", "leave_nobody_unmatched"):
        runs = []
        for _ in range(3):  # the median of three: one noisy run on a shared machine does not decide
            ours, t = timed(
                lambda mode=mode: mentorship_assign(
                    mentees, mentors, managers=managers, mode=mode, rng=random.Random(1)
                )
            )  # type: ignore[misc]
            runs.append((t, CPU["last"]))
        t, cpu = sorted(runs)[1]
        CPU["last"] = cpu
        optimum = None
        if oracle:
            optimum, t_lp = lp_optimum(mentees, mentors, managers, mode)
            CPU["last"] = cpu
            print(
                f"| exact optimum, {mode} (HiGHS LP, independent) | {t_lp:.2f} | {optimum:,.1f} | 100% | | | |"
            )
        print(mentorship_row(f"Courtyard, {mode}", ours, t, mentees, optimum))
    da, t = timed(lambda: baseline_deferred_acceptance(mentees, mentors, managers=managers))
    print(mentorship_row("deferred acceptance (mentee-proposing)", da, t, mentees, None))


def bench_teams(n: int) -> None:
    people = make_people(n, seed=5)
    r = random.Random(3)
    ids = [p.id for p in people]
    together = tuple(frozenset(r.sample(ids, 2)) for _ in range(n // 50))
    apart = frozenset(frozenset(r.sample(ids, 2)) for _ in range(n // 50))
    request = TeamsRequest(
        people=tuple(people), min_size=5, max_size=8, keep_together=together, keep_apart=apart
    )
    ours, t = timed(lambda: teams_form(request, rng=random.Random(1)))
    cpu = CPU["last"]
    sizes = [len(team.member_ids) for team in ours.teams]
    r.shuffle(ids)
    k = len(ours.teams)
    random_split = teams_evaluate(request, [ids[i::k] for i in range(k)])
    print(f"\n### Teams: {n:,} people into teams of 5–8 ({k} teams, sizes {min(sizes)}–{max(sizes)})\n")
    print(
        "| method | seconds wall / CPU | total score | mean departments per team | mean skills covered (of 16) | mean tenure gap to pool (days) |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    pool_mean = sum(p.tenure_days for p in people) / n
    for label, res, secs, cpu_s in (("Courtyard", ours, t, cpu), ("random split", random_split, 0.0, 0.0)):
        teams = res.teams
        d = sum(x.metrics.departments for x in teams) / len(teams)
        s = sum(x.metrics.skills_covered for x in teams) / len(teams)
        g = sum(abs(x.metrics.mean_tenure_days - pool_mean) for x in teams) / len(teams)
        print(
            f"| {label} | {secs:.2f} / {cpu_s:.2f} | {res.total_score:,.1f} | {d:.2f} | {s:.2f} | {g:.0f} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, no slow exact references")
    parser.add_argument(
        "--no-oracle",
        action="store_true",
        help="skip the slow independent exact solvers (HiGHS) for mentorship",
    )
    parser.add_argument(
        "--only",
        choices=("coffee", "groups", "odd", "small", "mentorship", "teams"),
        help="run one section of the benchmark",
    )
    args = parser.parse_args()
    sections = {
        "coffee": lambda: (
            bench_coffee([(1000, 1000), (10000, 10000)], exact_upto=0, bound_upto=0)
            if args.quick
            else bench_coffee(
                [(1000, 1000), (2000, 2000), (2000, 4242), (10000, 10000), (50000, 50000)],
                exact_upto=2000,
                bound_upto=50000,
            )
        ),
        "groups": lambda: bench_groups([1000, 10000]),
        "odd": lambda: bench_odd_rounds([15, 31, 59]),
        "small": bench_small_programs,
        "mentorship": lambda: (
            bench_mentorship(1000, 200, oracle=not args.no_oracle)
            if args.quick
            else bench_mentorship(5000, 1000, oracle=not args.no_oracle)
        ),
        "teams": lambda: bench_teams(300) if args.quick else bench_teams(1000),
    }
    for name, run in sections.items():
        if args.only in (None, name):
            run()


if __name__ == "__main__":
    main()
