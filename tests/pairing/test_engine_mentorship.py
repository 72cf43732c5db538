"""The mentorship engine without a database: exact against networkx's min-cost flow (an independent
solver), hard rules (capacity, language, reporting line, forbidden pairs), locks, both modes, the
deferred-acceptance baseline, and explanations equal to the vectorized scores."""

from __future__ import annotations

import random

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courtyard.pairing.domain import (
    baseline_deferred_acceptance,
    mentorship_assign,
    mentorship_pair_blocker,
    mentorship_pair_score,
)
from courtyard.pairing.domain.scoring import mentorship_matrix, reporting_chain
from courtyard.pairing.domain.types import Mentee, Mentor, MentorshipRules, MentorshipWeights, Person

PROPS = settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
SKILLS = ["python", "sql", "design", "sales", "finance"]
W = MentorshipWeights()
SCALE = 10**6


@st.composite
def cohort_st(draw, max_mentees=10, max_mentors=5):
    n_mentees = draw(st.integers(0, max_mentees))
    n_mentors = draw(st.integers(0, max_mentors))
    ids = list(range(1, n_mentees + n_mentors + 1))
    managers = {pid: draw(st.one_of(st.none(), st.sampled_from(ids))) for pid in ids}

    def person(pid):
        return Person(
            id=pid,
            department_id=draw(st.one_of(st.none(), st.integers(0, 2))),
            location_id=draw(st.one_of(st.none(), st.integers(0, 1))),
            manager_id=managers[pid],
            languages=frozenset(draw(st.lists(st.sampled_from(["en", "de", "fr"]), max_size=2))),
            utc_offset_minutes=draw(st.sampled_from([0, 60, 540])),
            tenure_days=draw(st.integers(0, 4000)),
            seniority=draw(st.integers(0, 4)),
        )

    mentees = [
        Mentee(
            person=person(pid),
            skills_wanted=frozenset(draw(st.lists(st.sampled_from(SKILLS), max_size=3))),
            same_location=draw(st.one_of(st.none(), st.booleans())),
            same_department=draw(st.one_of(st.none(), st.booleans())),
            preferred_mentor_ids=tuple(draw(st.lists(st.sampled_from(ids), max_size=2))),
        )
        for pid in ids[:n_mentees]
    ]
    mentors = [
        Mentor(
            person=person(pid),
            capacity=draw(st.integers(1, 3)),
            offers=frozenset(draw(st.lists(st.sampled_from(SKILLS), max_size=3))),
        )
        for pid in ids[n_mentees:]
    ]
    rules = MentorshipRules(
        respect_capacity=True,
        require_shared_language=draw(st.booleans()),
        forbid_reporting_line=True,
    )
    rnd = random.Random(draw(st.integers(0, 999)))
    forbidden = {(a.id, b.id) for a in mentees for b in mentors if rnd.random() < 0.15}
    return mentees, mentors, managers, rules, forbidden


def flow_optimum(mentees, mentors, managers, rules, mode, forbidden=()):
    """networkx min-cost flow on integer (micro-point) costs, built from the per-pair explanations."""
    g = nx.DiGraph()
    for e in mentees:
        g.add_edge("s", ("e", e.id), capacity=1, weight=0)
        if mode == "best_total":
            g.add_edge(("e", e.id), "t", capacity=1, weight=0)  # staying unmatched costs nothing
    for m in mentors:
        g.add_edge(
            ("m", m.id), "t", capacity=m.capacity if rules.respect_capacity else len(mentees), weight=0
        )
    for e in mentees:
        for m in mentors:
            if (e.id, m.id) in forbidden or mentorship_pair_blocker(e, m, managers=managers, rules=rules):
                continue
            score = mentorship_pair_score(e, m, weights=W).score
            if mode == "best_total" and score <= 0:
                continue
            g.add_edge(("e", e.id), ("m", m.id), capacity=1, weight=-round(score * SCALE))
    if "s" not in g or "t" not in g:
        return 0, 0.0
    flow = nx.max_flow_min_cost(g, "s", "t")
    matched = 0
    total = 0.0
    for e in mentees:
        for m in mentors:
            if flow.get(("e", e.id), {}).get(("m", m.id), 0):
                matched += 1
                total += mentorship_pair_score(e, m, weights=W).score
    return matched, total


@PROPS
@given(cohort_st(), st.sampled_from(["best_total", "leave_nobody_unmatched"]))
def test_assignment_is_exact_against_min_cost_flow(cohort, mode):
    mentees, mentors, managers, rules, forbidden = cohort
    result = mentorship_assign(
        mentees, mentors, managers=managers, rules=rules, mode=mode, forbidden=forbidden, rng=random.Random(0)
    )
    matched, total = flow_optimum(mentees, mentors, managers, rules, mode, forbidden)
    assert result.total_score == pytest.approx(total, abs=1e-4)
    if mode == "leave_nobody_unmatched":
        assert len(result.matches) == matched


@PROPS
@given(cohort_st(max_mentees=14, max_mentors=6), st.sampled_from(["best_total", "leave_nobody_unmatched"]))
def test_hard_rules_hold(cohort, mode):
    mentees, mentors, managers, rules, forbidden = cohort
    result = mentorship_assign(
        mentees, mentors, managers=managers, rules=rules, mode=mode, forbidden=forbidden, rng=random.Random(0)
    )
    by_mentee = {e.id: e for e in mentees}
    by_mentor = {m.id: m for m in mentors}
    load: dict[int, int] = {}
    for match in result.matches:
        e, m = by_mentee[match.mentee_id], by_mentor[match.mentor_id]
        load[m.id] = load.get(m.id, 0) + 1
        assert (e.id, m.id) not in forbidden
        assert m.id not in reporting_chain(e.id, managers)
        assert e.id != m.id
        if rules.require_shared_language and e.person.languages and m.spoken:
            assert e.person.languages & m.spoken
        if mode == "best_total":
            assert match.score > 0
    assert all(load[m] <= by_mentor[m].capacity for m in load)
    assert len({x.mentee_id for x in result.matches}) == len(result.matches)
    assert set(result.unmatched) | {x.mentee_id for x in result.matches} == set(by_mentee)


def test_reporting_line_is_the_whole_upward_chain():
    managers = {1: 2, 2: 3, 3: None, 4: None}
    mentee = Mentee(person=Person(id=1))
    grand_boss = Mentor(person=Person(id=3))
    other = Mentor(person=Person(id=4))
    rules = MentorshipRules()
    assert mentorship_pair_blocker(mentee, grand_boss, managers=managers, rules=rules) == "reporting line"
    assert mentorship_pair_blocker(mentee, other, managers=managers, rules=rules) is None
    result = mentorship_assign(
        [mentee], [grand_boss], managers=managers, rng=random.Random(0), mode="leave_nobody_unmatched"
    )
    assert result.matches == ()
    assert result.unmatched == (1,)
    # A cycle in the data does not hang.
    assert reporting_chain(1, {1: 2, 2: 1}) == {2}


def test_leave_nobody_unmatched_matches_more_than_best_total_when_it_must():
    # Mentor 10 suits both mentees; mentor 11 suits nobody (negative fit) but can take mentee 2.
    e1 = Mentee(person=Person(id=1, seniority=0), skills_wanted=frozenset({"python"}))
    e2 = Mentee(person=Person(id=2, seniority=0), skills_wanted=frozenset({"python"}))
    good = Mentor(person=Person(id=10, seniority=3), offers=frozenset({"python"}), capacity=1)
    poor = Mentor(person=Person(id=11, seniority=0, tenure_days=0), capacity=1)
    weights = MentorshipWeights(timezone_overlap=0.0)
    best = mentorship_assign([e1, e2], [good, poor], managers={}, weights=weights, rng=random.Random(0))
    everyone = mentorship_assign(
        [e1, e2],
        [good, poor],
        managers={},
        weights=weights,
        mode="leave_nobody_unmatched",
        rng=random.Random(0),
    )
    assert len(best.matches) == 1
    assert len(everyone.matches) == 2


def test_locked_pairs_are_kept_and_use_capacity():
    mentees = [Mentee(person=Person(id=k), skills_wanted=frozenset({"sql"})) for k in (1, 2, 3)]
    mentors = [
        Mentor(person=Person(id=10, seniority=3), offers=frozenset({"sql"}), capacity=1),
        Mentor(person=Person(id=11, seniority=2), offers=frozenset({"sql"}), capacity=2),
    ]
    result = mentorship_assign(mentees, mentors, managers={}, locked=[(3, 10)], rng=random.Random(0))
    pairs = {(m.mentee_id, m.mentor_id) for m in result.matches}
    assert (3, 10) in pairs
    assert {(1, 11), (2, 11)} <= pairs
    assert next(m for m in result.matches if m.mentee_id == 3).locked
    swapped = mentorship_assign(mentees, mentors, managers={}, forbidden=[(1, 11)], rng=random.Random(0))
    assert (1, 11) not in {(m.mentee_id, m.mentor_id) for m in swapped.matches}


@pytest.mark.parametrize(
    ("locked", "message"),
    [
        ([(1, 10), (2, 10)], "beyond capacity"),
        ([(1, 99)], "not in the cohort"),
        ([(1, 10), (1, 11)], "two mentors"),
        ([(2, 11)], "reporting line"),
    ],
)
def test_impossible_locks_are_refused(locked, message):
    mentees = [Mentee(person=Person(id=1)), Mentee(person=Person(id=2, manager_id=11))]
    mentors = [Mentor(person=Person(id=10), capacity=1), Mentor(person=Person(id=11), capacity=1)]
    with pytest.raises(ValueError, match=message):
        mentorship_assign(mentees, mentors, managers={2: 11}, locked=locked, rng=random.Random(0))


def test_bad_capacity_is_refused():
    with pytest.raises(ValueError, match="capacity"):
        mentorship_assign([], [Mentor(person=Person(id=1), capacity=6)], managers={}, rng=random.Random(0))


@PROPS
@given(cohort_st(max_mentees=8, max_mentors=4))
def test_matrix_equals_the_explanations(cohort):
    mentees, mentors, managers, rules, _ = cohort
    score, allowed = mentorship_matrix(mentees, mentors, managers=managers, rules=rules, weights=W)
    for r, e in enumerate(mentees):
        for c, m in enumerate(mentors):
            ps = mentorship_pair_score(e, m, weights=W)
            assert score[r, c] == pytest.approx(ps.score, abs=1e-9)
            assert ps.score == pytest.approx(sum(x.points for x in ps.reasons))
            assert bool(allowed[r, c]) == (
                mentorship_pair_blocker(e, m, managers=managers, rules=rules) is None
            )


def test_a_match_is_explained():
    mentee = Mentee(
        person=Person(id=1, department_id=1, languages=frozenset({"en"})),
        skills_wanted=frozenset({"python", "sql"}),
        preferred_mentor_ids=(2,),
    )
    mentor = Mentor(
        person=Person(id=2, department_id=2, seniority=2, languages=frozenset({"en", "de"})),
        offers=frozenset({"python"}),
    )
    labels = {r.label: r.points for r in mentorship_pair_score(mentee, mentor, weights=W).reasons}
    assert labels["offers 1 of 2 wanted skills: python"] == 3.0
    assert labels["different departments"] == 1.0
    assert labels["shared language: en"] == 1.0
    assert labels["preferred mentor (choice 1)"] == 4.0


def test_deferred_acceptance_is_stable_and_never_better_than_the_optimum():
    rnd = random.Random(4)
    mentees = [
        Mentee(
            person=Person(id=k, seniority=rnd.randrange(2)),
            skills_wanted=frozenset(rnd.sample(SKILLS, 2)),
            preferred_mentor_ids=(100 + rnd.randrange(10),),
        )
        for k in range(40)
    ]
    mentors = [
        Mentor(
            person=Person(id=100 + k, seniority=2 + rnd.randrange(3)),
            offers=frozenset(rnd.sample(SKILLS, 2)),
            capacity=rnd.randint(1, 4),
        )
        for k in range(10)
    ]
    da = baseline_deferred_acceptance(mentees, mentors, managers={})
    best = mentorship_assign(mentees, mentors, managers={}, rng=random.Random(0))
    assert da.total_score <= best.total_score + 1e-9
    load: dict[int, int] = {}
    for m in da.matches:
        load[m.mentor_id] = load.get(m.mentor_id, 0) + 1
    caps = {m.id: m.capacity for m in mentors}
    assert all(load[k] <= caps[k] for k in load)
    # Stable: no mentee would rather have a mentor (earlier in their list: stated preferences first,
    # then by fit) who has room or holds someone they rank (by fit) below that mentee.
    score, _ = mentorship_matrix(mentees, mentors, managers={}, rules=MentorshipRules(), weights=W)
    col = {m.id: c for c, m in enumerate(mentors)}
    held = {m.mentee_id: m.mentor_id for m in da.matches}
    for r, e in enumerate(mentees):
        stated = [col[x] for x in dict.fromkeys(e.preferred_mentor_ids)]
        order = stated + [int(c) for c in np.argsort(-score[r], kind="stable") if int(c) not in stated]
        mine = order.index(col[held[e.id]]) if e.id in held else len(order)
        for c in order[:mine]:
            holders = [k for k, v in held.items() if v == mentors[c].id]
            assert len(holders) == caps[mentors[c].id]
            assert all(score[k, c] >= score[r, c] for k in holders)
