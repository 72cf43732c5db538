"""Coffee programs end to end through the services: opt in and out, rounds, history, facts, follow-ups."""

from __future__ import annotations

import datetime as dt
import itertools
import zoneinfo
from unittest import mock

import pytest

from courtyard.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from courtyard.core.models import Interaction, Participation
from courtyard.groups.models import Group
from courtyard.pairing import services
from courtyard.pairing.models import CoffeeMatch, CoffeeMatchMember, CoffeeRound, DoNotPair, Program, Signup
from tests.factories import make_profile
from tests.helpers import db_snapshot
from tests.pairing.conftest import coffee_program, join_all, make_group

pytestmark = pytest.mark.django_db


def groups_of(coffee: CoffeeRound) -> list[set[int]]:
    members: dict[int, set[int]] = {}
    for match_id, profile_id in CoffeeMatchMember.objects.filter(round=coffee).values_list("match_id", "profile_id"):
        members.setdefault(match_id, set()).add(profile_id)
    return list(members.values())


def run(program: Program, day: dt.date) -> CoffeeRound:
    coffee = services.coffee_round_run(program_id=program.pk, round_date=day)
    assert coffee is not None
    return coffee


def test_only_admins_start_organization_programs(member, organizer):
    with pytest.raises(PermissionDenied):
        coffee_program(member)
    program = coffee_program(organizer, cadence="biweekly", weekday=2, local_time=dt.time(9, 30),
                             timezone="Europe/Berlin", group_size=3)
    assert program.owner == organizer
    assert program.next_round_at is not None
    local = program.next_round_at.astimezone(zoneinfo.ZoneInfo("Europe/Berlin"))
    assert (local.weekday(), local.hour, local.minute) == (2, 9, 30)


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"group_size": 5}, "bad_group_size"),
        ({"timezone": "Mars/Olympus"}, "bad_timezone"),
        ({"cadence": "daily"}, "invalid_choice"),
        ({"lookback_rounds": 99}, "bad_lookback"),
        ({"name": "  "}, "required"),
        ({"starts_on": dt.date(2025, 5, 1), "ends_on": dt.date(2025, 4, 1)}, "bad_dates"),
        ({"colour": "blue"}, "invalid"),
    ],
)
def test_bad_settings_are_refused_and_change_nothing(organizer, changes, code):
    before = db_snapshot()
    with pytest.raises(ApplicationError) as error:
        coffee_program(organizer, **changes)
    assert error.value.code == code
    assert db_snapshot() == before


def test_a_round_pairs_everyone_once_with_reasons_and_facts(organizer, crowd, sent):
    program = coffee_program(organizer)
    join_all(program, crowd[:11])  # odd: one trio
    assert Participation.objects.filter(verb="joined_coffee", program_id=program.pk).count() == 11
    coffee = run(program, dt.date(2025, 3, 3))
    groups = groups_of(coffee)
    assert sorted(len(g) for g in groups) == [2, 2, 2, 2, 3]
    assert set().union(*groups) == {p.pk for p in crowd[:11]}
    for group in groups:  # never with one's own manager
        assert not {crowd[0].pk, crowd[1].pk} <= group
    match = CoffeeMatch.objects.filter(round=coffee).first()
    assert match.reasons
    assert {"label", "points"} <= set(match.reasons[0])
    assert match.starter
    assert Participation.objects.filter(verb="paired", program_id=program.pk).count() == 11
    # Each group is told once, every member by name.
    assert len(sent) == 11
    assert {s["kind"] for s in sent} == {"coffee_match"}
    assert coffee.participants == 11
    assert coffee.groups == 5
    assert coffee.status == "done"


def test_a_retried_round_does_not_pair_twice(organizer, crowd, sent):
    program = coffee_program(organizer)
    join_all(program, crowd)
    day = dt.date(2025, 3, 3)
    run(program, day)
    before = db_snapshot()
    sent.clear()
    assert services.coffee_round_run(program_id=program.pk, round_date=day) is None
    assert db_snapshot() == before
    assert not sent
    # "Run now" on a day that already ran is a conflict.
    with pytest.raises(Conflict), mock.patch("courtyard.pairing.services.coffee.clock.today_in", return_value=day):
        services.coffee_round_run_now(actor=organizer.user, program=program)


def test_rounds_avoid_repeats_within_the_lookback(organizer, crowd):
    program = coffee_program(organizer, lookback_rounds=3)
    join_all(program, crowd[2:10])  # 8 people, no reporting line among them
    seen: list[set[frozenset[int]]] = []
    day = dt.date(2025, 1, 6)
    for week in range(4):
        coffee = run(program, day + dt.timedelta(weeks=week))
        seen.append({frozenset(g) for g in groups_of(coffee)})
    for later in range(1, 4):
        for earlier in range(max(0, later - 3), later):
            assert not seen[later] & seen[earlier], (earlier, later)


def test_do_not_pair_snooze_and_leaving(organizer, crowd):
    program = coffee_program(organizer)
    a, b, c, d = crowd[2], crowd[3], crowd[4], crowd[5]
    join_all(program, [a, b, c, d])
    services.do_not_pair_add(actor=a.user, other=b)
    services.do_not_pair_add(actor=a.user, other=c)
    assert DoNotPair.objects.filter(profile=a).count() == 2
    coffee = run(program, dt.date(2025, 1, 6))
    assert {a.pk, d.pk} in groups_of(coffee)
    with pytest.raises(ApplicationError):
        services.do_not_pair_add(actor=a.user, other=a)
    services.signup_snooze(actor=c.user, program=program, until=dt.date.today() + dt.timedelta(days=30))
    services.signup_withdraw(actor=d.user, program=program)
    coffee = run(program, dt.date.today())
    assert groups_of(coffee) == [{a.pk, b.pk}] or groups_of(coffee) == []  # a never meets b: nobody left to pair
    assert Signup.objects.get(program=program, profile=d).withdrawn_at is not None
    with pytest.raises(ApplicationError) as error:
        services.signup_snooze(actor=c.user, program=program, until=dt.date.today() - dt.timedelta(days=1))
    assert error.value.code == "bad_date"


def test_group_programs_take_group_members_only(organizer, crowd):
    group = make_group(organizer, join_policy=Group.JoinPolicy.INVITATION, members=crowd[:4])
    program = coffee_program(organizer, scope=Program.Scope.GROUP, group=group)
    join_all(program, crowd[:4])
    with pytest.raises(PermissionDenied):
        services.signup_join(actor=crowd[5].user, program=program)
    member = crowd[6]
    with pytest.raises(PermissionDenied):  # a member who is not the group's organizer
        coffee_program(member, scope=Program.Scope.GROUP, group=group)


def test_cross_programs_pair_side_a_with_side_b(organizer, crowd):
    today = dt.date.today()
    newcomers = [make_profile(full_name=f"New {i}", department="Engineering", start_date=today - dt.timedelta(days=10 + i))
                 for i in range(3)]
    program = coffee_program(
        organizer, scope=Program.Scope.CROSS,
        side_a={"tenure": "newcomers", "label": "Newcomers"}, side_b={"tenure": "seasoned"},
    )
    join_all(program, newcomers + crowd[2:6])
    assert services.cross_side(program, newcomers[0]) == "a"
    assert services.cross_side(program, crowd[3]) == "b"
    coffee = run(program, today)
    for group in groups_of(coffee):
        assert group & {p.pk for p in newcomers}
        assert group & {p.pk for p in crowd[2:6]}
    with pytest.raises(ApplicationError) as error:
        coffee_program(organizer, scope=Program.Scope.CROSS, side_a={"tenure": "any"}, side_b={"tenure": "seasoned"})
    assert error.value.code == "bad_side"


def test_we_met_records_facts_once_both_ways(organizer, crowd):
    program = coffee_program(organizer, group_size=3)
    join_all(program, crowd[2:5])
    coffee = run(program, dt.date(2025, 1, 6))
    match = CoffeeMatch.objects.get(round=coffee)
    with pytest.raises(PermissionDenied):
        services.coffee_outcome_set(actor=crowd[6].user, match=match, met=True)
    services.coffee_outcome_set(actor=crowd[2].user, match=match, met=False)
    assert not Interaction.objects.filter(kind="coffee_met").exists()
    services.coffee_outcome_set(actor=crowd[3].user, match=match, met=True)
    services.coffee_outcome_set(actor=crowd[4].user, match=match, met=True)  # the other person answers too
    services.coffee_outcome_set(actor=crowd[4].user, match=match, met=False)  # confirmed stays confirmed
    match.refresh_from_db()
    assert match.outcome == "met"
    assert match.answered_by == crowd[3]
    assert Participation.objects.filter(verb="met", program_id=program.pk).count() == 3
    pairs = set(Interaction.objects.filter(kind="coffee_met").values_list("actor_id", "other_id"))
    assert pairs == set(itertools.permutations([p.pk for p in crowd[2:5]], 2))


def test_follow_ups_are_sent_once_per_round(organizer, crowd, sent):
    program = coffee_program(organizer)
    join_all(program, crowd[2:6])
    coffee = run(program, dt.date(2025, 1, 6))
    first = CoffeeMatch.objects.filter(round=coffee).first()
    services.coffee_outcome_set(actor=first.members.first().profile.user, match=first, met=True)
    sent.clear()
    assert services.coffee_follow_ups_send(now=coffee.started_at + dt.timedelta(days=1)) == 0
    assert services.coffee_follow_ups_send(now=coffee.started_at + dt.timedelta(days=5)) == 1
    assert len(sent) == 2
    assert sent[0]["kind"] == "coffee_follow_up"
    assert services.coffee_follow_ups_send(now=coffee.started_at + dt.timedelta(days=6)) == 0


def test_the_scheduler_finds_due_rounds_and_moves_on(organizer, crowd):
    program = coffee_program(organizer, weekday=0, local_time=dt.time(10, 0), timezone="America/New_York")
    join_all(program, crowd[2:6])
    due_at = program.next_round_at
    assert services.coffee_rounds_due(now=due_at - dt.timedelta(minutes=1)) == []
    due = services.coffee_rounds_due(now=due_at)
    assert due == [(program.pk, due_at.astimezone(zoneinfo.ZoneInfo("America/New_York")).date())]
    from courtyard.pairing.tasks import coffee_round_job, coffee_rounds_schedule

    with mock.patch("courtyard.pairing.services.coffee.clock.now", return_value=due_at):
        coffee_rounds_schedule.call_local()  # queues the job (run at once in tests)
    coffee_round_job.call_local(program.pk, due[0][1].isoformat())  # a retry
    coffee_round_job.call_local(program.pk, due[0][1].isoformat())
    assert CoffeeRound.objects.filter(program=program).count() == 1
    program.refresh_from_db()
    assert program.next_round_at > due_at


def test_paused_programs_do_not_run(organizer, crowd):
    program = coffee_program(organizer)
    join_all(program, crowd[2:6])
    services.program_set_status(actor=organizer.user, program=program, status=Program.Status.PAUSED)
    program.refresh_from_db()
    assert program.next_round_at is None
    assert services.coffee_round_run(program_id=program.pk, round_date=dt.date(2025, 1, 6)) is None
    with pytest.raises(PermissionDenied):
        services.program_set_status(actor=crowd[2].user, program=program, status=Program.Status.OPEN)


def test_a_members_only_groups_programs_are_for_those_who_may_read_it(organizer, crowd):
    """A listed members-only group (by request) shows its name to everyone, but its programs, like its
    discussions, only to its members."""
    from courtyard.groups import services as group_services
    from courtyard.pairing.access import access_program, visible_programs

    group = make_group(organizer, join_policy=Group.JoinPolicy.REQUEST, members=crowd[:2])
    program = coffee_program(organizer, scope=Program.Scope.GROUP, group=group)
    outsider, member = crowd[5], crowd[0]
    assert program not in visible_programs(outsider.user)
    with pytest.raises(NotFound):
        access_program(outsider.user, program.pk)
    assert program in visible_programs(member.user)
    group_services.group_update(actor=organizer.user, group=group, data={"read_access": "organization"})
    assert program in visible_programs(outsider.user)
