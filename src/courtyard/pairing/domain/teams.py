"""Cross-functional teams: split a pool into diverse, balanced teams within size bounds.

A team scores department diversity (distinct departments per member), skill coverage (share of the
wanted skills someone in the team has) and tenure balance (closeness of its mean tenure to the pool's).
Forming is a heuristic: people are dealt round-robin, grouped by department (so that colleagues spread
out), keep-together sets first, then random moves and swaps that raise the total are kept.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Sequence

from courtyard.pairing.domain.types import Reason, Team, TeamMetrics, TeamsRequest, TeamsResult

ATTEMPTS_PER_PERSON = 40
MAX_ATTEMPTS = 60_000


class _Pool:
    def __init__(self, request: TeamsRequest) -> None:
        self.request = request
        self.people = sorted(request.people, key=lambda p: p.id)
        self.index = {p.id: k for k, p in enumerate(self.people)}
        if len(self.index) != len(self.people):
            raise ValueError("each person may be in the pool once")
        skills: set[str] = set()
        for p in self.people:
            skills |= p.skills
        self.required = request.required_skills or frozenset(skills)
        self.skills = [p.skills & self.required for p in self.people]
        tenures = [p.tenure_days for p in self.people]
        self.pool_mean = sum(tenures) / len(tenures) if tenures else 0.0
        self.apart: dict[int, set[int]] = {}
        for pair in request.keep_apart:
            if len(pair) != 2:
                continue
            x, y = (self.index.get(v) for v in pair)
            if x is None or y is None:
                continue
            self.apart.setdefault(x, set()).add(y)
            self.apart.setdefault(y, set()).add(x)

    def units(self) -> list[list[int]]:
        """Keep-together sets merged where they overlap; everyone else alone."""
        parent = list(range(len(self.people)))

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for group in self.request.keep_together:
            members = [self.index[v] for v in sorted(group) if v in self.index]
            for other in members[1:]:
                parent[find(other)] = find(members[0])
        by_root: dict[int, list[int]] = {}
        for k in range(len(self.people)):
            by_root.setdefault(find(k), []).append(k)
        units = list(by_root.values())
        for unit in units:
            if len(unit) > self.request.max_size:
                raise ValueError("a keep-together set is larger than the largest team")
            for x in unit:
                if self.apart.get(x, set()) & set(unit):
                    raise ValueError("two people are both kept together and kept apart")
        return units

    def team_score(self, members: Sequence[int]) -> tuple[float, tuple[Reason, ...], TeamMetrics]:
        w = self.request.weights
        size = len(members)
        depts = {self.people[k].department_id for k in members} - {None}
        covered: set[str] = set()
        for k in members:
            covered |= self.skills[k]
        mean = sum(self.people[k].tenure_days for k in members) / size if size else 0.0
        reasons: list[Reason] = []
        if size:
            reasons.append(
                Reason(
                    f"{len(depts)} departments among {size} people",
                    w.department_diversity * len(depts) / size,
                )
            )
        if self.required:
            reasons.append(
                Reason(
                    f"covers {len(covered)} of {len(self.required)} skills",
                    w.skill_coverage * len(covered) / len(self.required),
                )
            )
        if size:
            gap = abs(mean - self.pool_mean) / max(self.pool_mean, 1.0)
            reasons.append(
                Reason(
                    f"mean tenure {mean / 365:.1f} years (pool {self.pool_mean / 365:.1f})",
                    w.tenure_balance * max(0.0, 1.0 - gap),
                )
            )
        score = 0.0
        for r in reasons:
            score += r.points
        return (
            score,
            tuple(reasons),
            TeamMetrics(departments=len(depts), skills_covered=len(covered), mean_tenure_days=mean),
        )


def _team_count(n: int, request: TeamsRequest) -> int:
    lo, hi = request.min_size, request.max_size
    if lo < 1 or hi < lo:
        raise ValueError("team sizes must satisfy 1 <= min_size <= max_size")
    fewest, most = math.ceil(n / hi), n // lo
    if request.team_count is not None:
        if not fewest <= request.team_count <= most:
            raise ValueError("that many teams cannot respect the size bounds")
        return request.team_count
    if fewest > most:
        return 0
    return min(most, max(fewest, round(n / ((lo + hi) / 2))))


def teams_form(request: TeamsRequest, *, rng: random.Random) -> TeamsResult:
    """Greedy seeding by department and skill, then local swaps and moves, honouring sizes,
    keep-together and keep-apart. ValueError when the pool cannot satisfy the rules at all."""
    pool = _Pool(request)
    n = len(pool.people)
    t = _team_count(n, request)
    if t == 0:
        return TeamsResult(teams=(), unplaced=tuple(p.id for p in pool.people), total_score=0.0)
    units = pool.units()
    base, extra = divmod(n, t)
    target = [base + 1] * extra + [base] * (t - extra)
    # Deal: keep-together units first (largest first), then people grouped by department, most common
    # departments first, so that each team receives one of a department before anyone gets a second.
    dept_size = Counter(pool.people[u[0]].department_id for u in units if len(u) == 1)
    singles = [u for u in units if len(u) == 1]
    rng.shuffle(singles)
    singles.sort(
        key=lambda u: (-dept_size[pool.people[u[0]].department_id], str(pool.people[u[0]].department_id))
    )
    multi = sorted((u for u in units if len(u) > 1), key=lambda u: (-len(u), u))
    teams: list[list[int]] = [[] for _ in range(t)]
    cursor = 0
    for unit in multi + singles:
        if len(unit) == 1:
            order = [(cursor + step) % t for step in range(t)]
        else:
            order = sorted(range(t), key=lambda x: (len(teams[x]), x))
        chosen = next(
            (
                k
                for limit in (target, [request.max_size] * t)
                for k in order
                if len(teams[k]) + len(unit) <= limit[k] and not _conflict(pool, unit, teams[k])
            ),
            None,
        )
        if chosen is None:
            raise ValueError("the keep-apart requests cannot be honoured with these team sizes")
        teams[chosen].extend(unit)
        cursor = (chosen + 1) % t
    _repair_sizes(pool, teams, units)
    teams = _improve(pool, teams, units, rng)
    return _result(pool, teams)


def _repair_sizes(pool: _Pool, teams: list[list[int]], units: list[list[int]]) -> None:
    """Keep-apart detours can leave a team short: move single people to it from teams that can spare."""
    lo = pool.request.min_size
    single = {u[0] for u in units if len(u) == 1}
    for short in teams:
        while len(short) < lo:
            donor = next(
                (
                    (team, x)
                    for team in sorted(teams, key=len, reverse=True)
                    if len(team) > lo and team is not short
                    for x in team
                    if x in single and not _conflict(pool, [x], short)
                ),
                None,
            )
            if donor is None:
                raise ValueError("the keep-apart requests cannot be honoured with these team sizes")
            donor[0].remove(donor[1])
            short.append(donor[1])


def _conflict(pool: _Pool, unit: Sequence[int], team: Sequence[int]) -> bool:
    members = set(team)
    return any(pool.apart.get(x, set()) & members for x in unit)


def _improve(
    pool: _Pool, teams: list[list[int]], units: list[list[int]], rng: random.Random
) -> list[list[int]]:
    """Random moves and swaps of units between two teams, kept when the total rises."""
    t = len(teams)
    if t < 2:
        return teams
    lo, hi = pool.request.min_size, pool.request.max_size
    unit_of = {x: i for i, u in enumerate(units) for x in u}
    team_of = {x: k for k, team in enumerate(teams) for x in team}
    scores = [pool.team_score(team)[0] for team in teams]
    attempts = min(MAX_ATTEMPTS, ATTEMPTS_PER_PERSON * len(pool.people))
    n = len(pool.people)
    for _ in range(attempts):
        p = rng.randrange(n)
        a = team_of[p]
        b = rng.randrange(t - 1)
        b = b + 1 if b >= a else b
        u = units[unit_of[p]]
        rest_a = [x for x in teams[a] if x not in u]
        if rng.random() < 0.25:  # move
            if len(rest_a) < lo or len(teams[b]) + len(u) > hi or _conflict(pool, u, teams[b]):
                continue
            new_a, new_b = rest_a, teams[b] + u
        else:  # swap with a unit of the other team
            q = teams[b][rng.randrange(len(teams[b]))]
            v = units[unit_of[q]]
            rest_b = [x for x in teams[b] if x not in v]
            new_a, new_b = rest_a + v, rest_b + u
            if not (lo <= len(new_a) <= hi and lo <= len(new_b) <= hi):
                continue
            if _conflict(pool, u, rest_b) or _conflict(pool, v, rest_a):
                continue
        sa, sb = pool.team_score(new_a)[0], pool.team_score(new_b)[0]
        if sa + sb > scores[a] + scores[b] + 1e-9:
            teams[a], teams[b] = new_a, new_b
            scores[a], scores[b] = sa, sb
            for x in new_a:
                team_of[x] = a
            for x in new_b:
                team_of[x] = b
    return teams


def _result(pool: _Pool, teams: Sequence[Sequence[int]]) -> TeamsResult:
    out: list[Team] = []
    placed: set[int] = set()
    total = 0.0
    for members in teams:
        if not members:
            continue
        score, reasons, metrics = pool.team_score(members)
        ids = tuple(sorted(pool.people[k].id for k in members))
        placed.update(ids)
        total += score
        out.append(Team(member_ids=ids, score=score, reasons=reasons, metrics=metrics))
    out.sort(key=lambda team: team.member_ids)
    unplaced = tuple(p.id for p in pool.people if p.id not in placed)
    return TeamsResult(teams=tuple(out), unplaced=unplaced, total_score=total)


def teams_evaluate(request: TeamsRequest, teams: Sequence[Sequence[int]]) -> TeamsResult:
    """Score and explain a given split (an organizer's edit, a random split). Ids not in the pool are
    ignored; people of the pool in no team are reported as unplaced."""
    pool = _Pool(request)
    return _result(pool, [[pool.index[x] for x in team if x in pool.index] for team in teams])
