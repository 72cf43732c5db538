"""Team formation through the services: pool, requests, run, review (move), publish, become a group."""

from __future__ import annotations

import itertools

import pytest

from courtyard.core.errors import ApplicationError, Conflict, PermissionDenied
from courtyard.core.models import Interaction, Participation
from courtyard.groups.models import Group, Membership
from courtyard.pairing import services
from courtyard.pairing.models import FormedTeam, Program, TeamMember, TeamRequest
from tests.factories import make_profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def pool(organizer):
    program = services.program_create(actor=organizer.user, kind=Program.Kind.TEAMS, name="Hack week",
                                      team_min=3, team_max=4)
    departments = ["Engineering", "Sales", "Design", "Finance"]
    people = [make_profile(full_name=f"Hacker {i:02d}", department=departments[i % 4], skills=[["Python"], ["Figma"],
              ["SQL"]][i % 3]) for i in range(10)]
    for person in people:
        services.signup_join(actor=person.user, program=program, skills=["Pitching"] if person == people[0] else [])
    return program, people


def teams_of(program):
    teams: dict[int, set[int]] = {}
    for team_id, profile_id in TeamMember.objects.filter(program=program).values_list("team_id", "profile_id"):
        teams.setdefault(team_id, set()).add(profile_id)
    return teams


def test_run_forms_teams_within_bounds_and_honours_requests(pool, organizer):
    program, people = pool
    services.team_request_add(actor=organizer.user, program=program, kind="together", first=people[0], second=people[1])
    services.team_request_add(actor=organizer.user, program=program, kind="apart", first=people[2], second=people[3])
    with pytest.raises(ApplicationError):
        services.team_request_add(actor=organizer.user, program=program, kind="apart", first=people[2], second=people[2])
    with pytest.raises(PermissionDenied):
        services.team_request_add(actor=people[4].user, program=program, kind="apart", first=people[5], second=people[6])
    assert services.teams_run(actor=organizer.user, program=program) == 3
    teams = list(teams_of(program).values())
    assert all(3 <= len(t) <= 4 for t in teams)
    assert set().union(*teams) == {p.pk for p in people}
    assert any({people[0].pk, people[1].pk} <= t for t in teams)
    assert not any({people[2].pk, people[3].pk} <= t for t in teams)
    assert all(t.reasons for t in FormedTeam.objects.filter(program=program))


def test_move_publish_facts_and_group(pool, organizer, sent):
    program, people = pool
    services.teams_run(actor=organizer.user, program=program)
    teams = list(FormedTeam.objects.filter(program=program))
    sizes = {t.pk: TeamMember.objects.filter(team=t).count() for t in teams}
    source = next(t for t in teams if sizes[t.pk] == 4)
    target = next(t for t in teams if sizes[t.pk] == 3)
    member = TeamMember.objects.filter(team=source).first()
    with pytest.raises(PermissionDenied):
        services.team_member_move(actor=people[5].user, member=member, team=target)
    services.team_member_move(actor=organizer.user, member=member, team=target)
    member.refresh_from_db()
    assert member.team == target
    assert member.moved
    full_member = TeamMember.objects.filter(team=target).exclude(pk=member.pk).first()
    with pytest.raises(Conflict) as error:  # target is full now (4): moving another in is refused
        services.team_member_move(actor=organizer.user, member=TeamMember.objects.filter(team=source).first(), team=target)
    assert error.value.code == "team_full"
    assert full_member is not None
    sent.clear()
    assert services.teams_publish(actor=organizer.user, program=program) == 3
    assert len(sent) == 10
    assert {s["kind"] for s in sent} == {"team_placed"}
    assert Participation.objects.filter(verb="joined_team", program_id=program.pk).count() == 10
    target_people = list(TeamMember.objects.filter(team=target).values_list("profile_id", flat=True))
    pairs = set(Interaction.objects.filter(kind="teammates").values_list("actor_id", "other_id"))
    assert set(itertools.permutations(target_people, 2)) <= pairs
    program.refresh_from_db()
    with pytest.raises(PermissionDenied):  # a published team stays: the organizer moves people
        services.signup_withdraw(actor=people[0].user, program=program)
    group = services.team_group_create(actor=organizer.user, team=target)
    assert group.kind == Group.Kind.CROSS_FUNCTIONAL
    assert (group.read_access, group.join_policy) == (Group.ReadAccess.MEMBERS, Group.JoinPolicy.INVITATION)
    invited = set(Membership.objects.filter(group=group, status="invited").values_list("profile_id", flat=True))
    assert invited == set(target_people)
    with pytest.raises(Conflict):
        services.team_group_create(actor=organizer.user, team=target)


def test_a_pool_too_small_is_a_clear_conflict(organizer):
    program = services.program_create(actor=organizer.user, kind=Program.Kind.TEAMS, name="Tiny", team_min=5, team_max=6)
    person = make_profile(full_name="Lonely")
    services.signup_join(actor=person.user, program=program)
    with pytest.raises(Conflict) as error:
        services.teams_run(actor=organizer.user, program=program)
    assert error.value.code == "pool_too_small"
    assert not TeamRequest.objects.exists()
