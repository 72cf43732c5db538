"""Team forming without a database: sizes, keep-together, keep-apart, determinism, explanations, and
better diversity than a random split."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courtyard.pairing.domain import teams_evaluate, teams_form
from courtyard.pairing.domain.types import Person, TeamsRequest

PROPS = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
SKILLS = ["python", "sql", "design", "sales", "finance", "writing"]


@st.composite
def request_st(draw):
    n = draw(st.integers(0, 60))
    lo = draw(st.integers(2, 5))
    hi = draw(st.integers(lo + 1, lo + 4))
    rnd = random.Random(draw(st.integers(0, 999)))
    people = tuple(
        Person(
            id=k + 1,
            department_id=rnd.randrange(5),
            skills=frozenset(rnd.sample(SKILLS, rnd.randint(0, 2))),
            tenure_days=rnd.randrange(3000),
        )
        for k in range(n)
    )
    ids = [p.id for p in people]
    together = tuple(frozenset(rnd.sample(ids, 2)) for _ in range(n // 15)) if n >= 2 else ()
    apart = frozenset(frozenset(rnd.sample(ids, 2)) for _ in range(n // 10)) if n >= 2 else frozenset()
    apart = frozenset(p for p in apart if not any(p <= t for t in together))
    return TeamsRequest(people=people, min_size=lo, max_size=hi, keep_together=together, keep_apart=apart)


@PROPS
@given(request_st())
def test_sizes_and_requests_are_honoured(request):
    try:
        result = teams_form(request, rng=random.Random(1))
    except ValueError:
        return  # overlapping requests that cannot be met are refused, not half-honoured
    placed = [x for team in result.teams for x in team.member_ids]
    assert len(placed) == len(set(placed))
    assert set(placed) | set(result.unplaced) == {p.id for p in request.people}
    if len(request.people) >= request.min_size:
        assert result.unplaced == ()
    for team in result.teams:
        assert request.min_size <= len(team.member_ids) <= request.max_size
        members = set(team.member_ids)
        for pair in request.keep_apart:
            assert not pair <= members
    team_of = {x: k for k, team in enumerate(result.teams) for x in team.member_ids}
    for group in request.keep_together:
        assert len({team_of[x] for x in group if x in team_of}) <= 1


@PROPS
@given(request_st())
def test_same_seed_same_teams(request):
    try:
        a = teams_form(request, rng=random.Random(7))
    except ValueError:
        return
    assert a == teams_form(request, rng=random.Random(7))


def test_better_than_a_random_split():
    rnd = random.Random(2)
    people = tuple(
        Person(
            id=k,
            department_id=rnd.choice([0, 0, 0, 1, 1, 2, 3, 4]),
            skills=frozenset(rnd.sample(SKILLS, 1)),
            tenure_days=rnd.randrange(4000),
        )
        for k in range(200)
    )
    request = TeamsRequest(people=people, min_size=5, max_size=8)
    ours = teams_form(request, rng=random.Random(1))
    ids = [p.id for p in people]
    rnd.shuffle(ids)
    k = len(ours.teams)
    split = teams_evaluate(request, [ids[i::k] for i in range(k)])
    assert ours.total_score > split.total_score
    mean = lambda res: sum(t.metrics.departments for t in res.teams) / len(res.teams)  # noqa: E731
    assert mean(ours) > mean(split)


def test_explanations_add_up():
    people = tuple(Person(id=k, department_id=k % 3, skills=frozenset({SKILLS[k % 6]})) for k in range(12))
    result = teams_form(TeamsRequest(people=people, min_size=3, max_size=4), rng=random.Random(0))
    for team in result.teams:
        assert team.score == pytest.approx(sum(r.points for r in team.reasons))
        assert any("departments" in r.label for r in team.reasons)


def test_small_pools_and_impossible_requests():
    few = tuple(Person(id=k) for k in range(3))
    assert teams_form(TeamsRequest(people=few, min_size=5, max_size=8), rng=random.Random(0)).unplaced == (
        0,
        1,
        2,
    )
    assert teams_form(TeamsRequest(people=(), min_size=5, max_size=8), rng=random.Random(0)).teams == ()
    people = tuple(Person(id=k) for k in range(10))
    with pytest.raises(ValueError, match="larger than the largest team"):
        teams_form(
            TeamsRequest(people=people, min_size=2, max_size=3, keep_together=(frozenset(range(5)),)),
            rng=random.Random(0),
        )
    with pytest.raises(ValueError, match="kept together and kept apart"):
        teams_form(
            TeamsRequest(
                people=people,
                min_size=2,
                max_size=3,
                keep_together=(frozenset({1, 2}),),
                keep_apart=frozenset({frozenset({1, 2})}),
            ),
            rng=random.Random(0),
        )
