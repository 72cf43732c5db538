"""The checklist, the buddy's checklist, the nudge and the cohort figures, as pure rules (no database)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from courtyard.core.domain.anonymity import DEFAULT_MIN_GROUP_SIZE
from courtyard.pairing.domain.types import Reason
from courtyard.welcome.domain import buddies, checklist, cohorts

facts_st = st.builds(
    checklist.MemberFacts,
    has_photo=st.booleans(),
    interests=st.integers(0, 5),
    has_ask_me_about=st.booleans(),
    groups_joined=st.integers(0, 5),
    met_buddy=st.booleans(),
    coffees_met=st.integers(0, 3),
    events_attended=st.integers(0, 3),
    said_hello=st.booleans(),
    joined_mentoring=st.booleans(),
)

# Each step and the one fact that completes it.
FACT_OF_STEP = {
    checklist.PROFILE: lambda f: f.has_photo and f.interests > 0 and f.has_ask_me_about,
    checklist.GROUPS: lambda f: f.groups_joined >= 2,
    checklist.BUDDY: lambda f: f.met_buddy,
    checklist.COFFEE: lambda f: f.coffees_met > 0,
    checklist.EVENT: lambda f: f.events_attended > 0,
    checklist.HELLO: lambda f: f.said_hello,
    checklist.MENTORING: lambda f: f.joined_mentoring,
}


def test_nothing_done_for_someone_who_did_nothing():
    result = checklist.checklist(checklist.MemberFacts())
    assert [s.key for s in result.steps] == list(checklist.STEP_KEYS)
    assert result.done == 0
    assert result.total == 6
    assert not result.complete
    assert result.step(checklist.MENTORING).optional


@given(facts_st)
def test_a_step_is_complete_exactly_when_its_fact_exists(facts):
    result = checklist.checklist(facts)
    for step in result.steps:
        assert step.done == bool(FACT_OF_STEP[step.key](facts)), step.key
    assert result.done == sum(1 for key in checklist.REQUIRED_STEPS if FACT_OF_STEP[key](facts))
    assert result.complete == all(FACT_OF_STEP[key](facts) for key in checklist.REQUIRED_STEPS)


@given(facts_st, st.sampled_from(list(checklist.STEP_KEYS)))
def test_more_facts_never_undo_a_step(facts, key):
    more = dataclasses.replace(
        facts, interests=facts.interests + 1, groups_joined=facts.groups_joined + 1,
        coffees_met=facts.coffees_met + 1, events_attended=facts.events_attended + 1,
    )
    assert checklist.step_done(key, more) >= checklist.step_done(key, facts)


@given(st.booleans(), st.booleans())
def test_the_card_shows_to_newcomers_who_did_not_dismiss_it(newcomer, dismissed):
    # Progress takes no part in this: ``checklist`` reads the facts alone (and the database tests show the
    # same progress before and after dismissing).
    assert checklist.card_shown(newcomer=newcomer, dismissed=dismissed) == (newcomer and not dismissed)


def test_the_optional_mentoring_step_does_not_count_towards_done():
    facts = checklist.MemberFacts(joined_mentoring=True)
    assert checklist.checklist(facts).done == 0


def test_profile_needs_all_three():
    assert not checklist.profile_complete(checklist.MemberFacts(has_photo=True, interests=2))
    assert not checklist.profile_complete(checklist.MemberFacts(has_photo=True, has_ask_me_about=True))
    assert checklist.profile_complete(checklist.MemberFacts(has_photo=True, interests=1, has_ask_me_about=True))


@given(st.lists(st.integers(0, 40), max_size=5), st.booleans())
def test_buddy_checklist(days, shared):
    start = dt.date(2026, 3, 1)
    meetings = [start + dt.timedelta(days=d) for d in days]
    result = checklist.buddy_checklist(assigned_on=start, meetings=meetings, shared_group_joined=shared)
    assert result.step(checklist.BUDDY_COFFEE).done == bool(days)
    assert result.step(checklist.BUDDY_GROUPS).done == shared
    assert result.step(checklist.BUDDY_CHECKIN).done == any(d >= 14 for d in days)


@given(st.integers(0, 90), st.one_of(st.none(), st.integers(0, 90)))
def test_nudge_after_three_weeks_without_a_connection(days, connected_after):
    start = dt.date(2026, 1, 5)
    first = None if connected_after is None else start + dt.timedelta(days=connected_after)
    nudge = checklist.needs_nudge(start_date=start, today=start + dt.timedelta(days=days), first_connection=first)
    assert nudge == (connected_after is None and days >= 21)


def arrival(pk: int, start: dt.date, steps=(), group=None, event=None, tie=None) -> cohorts.Arrival:
    def after(d):
        return None if d is None else start + dt.timedelta(days=d)

    return cohorts.Arrival(member_id=pk, start_date=start, steps_done=frozenset(steps), first_group=after(group),
                           first_event=after(event), first_cross_tie=after(tie))


def test_cohort_figures_by_hand():
    march = [
        arrival(1, dt.date(2026, 3, 2), {"profile", "groups"}, group=3, event=10, tie=5),
        arrival(2, dt.date(2026, 3, 9), {"profile"}, group=1, tie=7),
        arrival(3, dt.date(2026, 3, 16), {"groups"}, group=5, tie=9),
        arrival(4, dt.date(2026, 3, 20), {"profile"}, group=2, tie=2),
        arrival(5, dt.date(2026, 3, 31), set(), group=4, tie=11),
        arrival(6, dt.date(2026, 3, 31), {"profile"}),
    ]
    february = [arrival(10 + i, dt.date(2026, 2, 1 + i), {"profile"} if i < 2 else set(), group=i + 10) for i in range(5)]
    small = [arrival(20, dt.date(2026, 1, 10), {"profile"}, group=1)]
    result = cohorts.cohorts(march + february + small)
    assert [c.month for c in result] == [dt.date(2026, 3, 1), dt.date(2026, 2, 1), dt.date(2026, 1, 1)]
    mar, feb, jan = result
    assert mar.newcomers == 6
    assert not mar.withheld
    shares = {s.key: (s.done, s.share) for s in mar.steps}
    assert shares["profile"] == (4, 4 / 6)
    assert shares["groups"] == (2, 2 / 6)
    assert shares["event"] == (0, 0.0)
    assert mar.median_days["group"] == 3.0  # 1, 2, 3, 4, 5
    assert mar.median_days["cross_tie"] == 7.0  # 2, 5, 7, 9, 11
    assert mar.median_days["event"] is None  # one person: below the floor
    assert mar.reached["event"] == 1
    assert feb.median_days["group"] == 12.0
    # January has one newcomer: its size only.
    assert jan.newcomers == 1
    assert jan.withheld
    assert all(s.share is None and s.done == 0 for s in jan.steps)
    assert all(v is None for v in jan.median_days.values())
    changes = {c.key: c for c in cohorts.compared(mar, [feb, jan])}
    assert changes["profile"].before == 2 / 5  # January is withheld: not part of "before"
    assert changes["days_to_group"].delta == 3.0 - 12.0


@given(st.lists(st.tuples(st.integers(0, 60), st.sets(st.sampled_from(list(checklist.STEP_KEYS)))), max_size=12))
def test_the_anonymity_floor_holds_for_every_figure(rows):
    arrivals = [arrival(i, dt.date(2026, 4, 1) + dt.timedelta(days=d % 28), steps, group=d, event=d, tie=d)
                for i, (d, steps) in enumerate(rows)]
    for cohort in cohorts.cohorts(arrivals):
        if cohort.newcomers < DEFAULT_MIN_GROUP_SIZE:
            assert cohort.withheld
            assert all(s.share is None for s in cohort.steps)
            assert all(v is None for v in cohort.median_days.values())
        for first, value in cohort.median_days.items():
            if value is not None:
                assert cohort.reached[first] >= DEFAULT_MIN_GROUP_SIZE


def test_why_in_words_keeps_only_what_speaks_for_the_match():
    reasons = [Reason("same location, as asked", 2.0), Reason("working hours overlap 8 h", 2.0),
               Reason("different departments", 1.5), Reason("no shared language", -1.0)]
    text = buddies.why(reasons, ["chess", "climbing"])
    assert text == ("works in the same place; shares working hours; sees the organization from another department; "
                    "also likes chess, climbing")
    assert buddies.why([]) == "an experienced colleague who offered to help newcomers"


def test_forbidden_pairs_take_either_persons_list():
    assert buddies.forbidden_pairs([1, 2], [(1, 9), (8, 2), (7, 6)]) == {(1, 9), (2, 8)}


def test_same_team_pairs():
    teams = {1: 10, 2: 20, 3: 10, 4: None, 5: 10}
    assert buddies.same_team_pairs(teams, [1, 2, 4], [3, 5]) == {(1, 3), (1, 5)}
