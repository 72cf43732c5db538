"""Team formation: the split of the pool, the organizer's adjustments and requests, publication, and a
published team's own group.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections import defaultdict

from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from courtyard.accounts.models import User
from courtyard.core import clock
from courtyard.core.audit import audit_record
from courtyard.core.errors import ApplicationError, Conflict, NotFound
from courtyard.core.models import Interaction, Participation
from courtyard.groups import services as groups_services
from courtyard.groups.models import Group
from courtyard.pairing import adapters, notify
from courtyard.pairing.access import check, standing
from courtyard.pairing.domain import policy, teams_evaluate, teams_form
from courtyard.pairing.domain.types import TeamsRequest
from courtyard.pairing.models import FormedTeam, Program, Signup, TeamMember, TeamRequest
from courtyard.pairing.services._common import _rng
from courtyard.people.access import actor_profile
from courtyard.people.models import Profile

# --- Teams ------------------------------------------------------------------------------------


def _teams_request(program: Program) -> tuple[TeamsRequest, dict[int, Signup]]:
    signups = {s.profile_id: s for s in Signup.objects.filter(program=program, role=Signup.Role.POOL,
                                                              withdrawn_at__isnull=True).prefetch_related("skills")}
    people = adapters.people_for(list(signups), today=clock.now().date(), at=clock.now(), with_skills=True,
                                 with_small_groups=False)
    persons = []
    for pk in sorted(people):
        extra = frozenset(t.name for t in signups[pk].skills.all())
        persons.append(dataclasses.replace(people[pk], skills=people[pk].skills | extra))
    together: list[set[int]] = []
    apart: set[frozenset[int]] = set()
    for kind, first, second in TeamRequest.objects.filter(program=program).values_list("kind", "first_id", "second_id"):
        if first not in people or second not in people:
            continue
        if kind == TeamRequest.Kind.APART:
            apart.add(frozenset((first, second)))
            continue
        joined = [s for s in together if first in s or second in s]
        merged = {first, second}.union(*joined) if joined else {first, second}
        together = [s for s in together if s not in joined] + [merged]
    request = TeamsRequest(
        people=tuple(persons), min_size=program.team_min, max_size=program.team_max,
        keep_together=tuple(frozenset(s) for s in together), keep_apart=frozenset(apart),
    )
    return request, signups


@transaction.atomic
def teams_run(*, actor: User, program: Program) -> int:
    """Split the pool into teams (replacing an earlier draft); the organizer reviews before publishing."""
    program = Program.objects.select_for_update().get(pk=program.pk)
    check(policy.can_run(standing(actor, program)), _("Only the program's owner forms the teams."))
    if program.kind != Program.Kind.TEAMS:
        raise ApplicationError(_("This is not a team formation."), code="wrong_kind")
    request, _signups = _teams_request(program)
    if len(request.people) < program.team_min:
        raise Conflict(_("The pool has %(n)d people: fewer than one team of %(min)d.")
                       % {"n": len(request.people), "min": program.team_min}, code="pool_too_small")
    try:
        result = teams_form(request, rng=_rng("teams", program.pk))
    except ValueError as error:
        raise Conflict(_("No split meets the rules: %(why)s") % {"why": error}, code="no_split") from None
    FormedTeam.objects.filter(program=program).delete()
    now = clock.now()
    teams = [FormedTeam(program=program, number=i, name=_("Team %(n)d") % {"n": i}, score=float(t.score),
                        reasons=adapters.reasons_json(t.reasons), created_at=now)
             for i, t in enumerate(result.teams, 1)]
    FormedTeam.objects.bulk_create(teams)
    TeamMember.objects.bulk_create([
        TeamMember(team=row, program=program, profile_id=pk)
        for row, team in zip(teams, result.teams, strict=True) for pk in team.member_ids
    ])
    program.status = Program.Status.REVIEW
    program.save(update_fields=["status"])
    audit_record(action="pairing.teams.ran", actor=actor, target=program,
                 data={"teams": len(teams), "unplaced": len(result.unplaced)})
    return len(teams)


def _rescore(program: Program, teams: list[FormedTeam]) -> None:
    request, _signups = _teams_request(program)
    members: dict[int, list[int]] = defaultdict(list)
    for team_id, profile_id in TeamMember.objects.filter(team__in=teams).values_list("team_id", "profile_id"):
        members[team_id].append(profile_id)
    known = {p.id for p in request.people}
    evaluated = teams_evaluate(request, [[pk for pk in members[t.pk] if pk in known] for t in teams])
    for team, scored in zip(teams, evaluated.teams, strict=True):
        team.score = float(scored.score)
        team.reasons = adapters.reasons_json(scored.reasons)
        team.save(update_fields=["score", "reasons"])


@transaction.atomic
def team_member_move(*, actor: User, member: TeamMember, team: FormedTeam) -> TeamMember:
    """Move someone to another team of the draft: within the size bounds and the keep-apart requests."""
    program = Program.objects.select_for_update().get(pk=member.program_id)
    check(policy.can_review(standing(actor, program)), _("Only the program's owner adjusts the draft."))
    if team.program_id != program.pk:
        raise NotFound(_("No such team."))
    source = member.team
    if source.pk == team.pk:
        return member
    target_size = TeamMember.objects.filter(team=team).count()
    if target_size >= program.team_max:
        raise Conflict(_("%(team)s already has %(n)d people, the most a team may have.")
                       % {"team": team.name, "n": target_size}, code="team_full")
    mates = set(TeamMember.objects.filter(team=team).values_list("profile_id", flat=True))
    apart = TeamRequest.objects.filter(program=program, kind=TeamRequest.Kind.APART).filter(
        Q(first=member.profile_id, second__in=mates) | Q(second=member.profile_id, first__in=mates)
    )
    if apart.exists():
        raise Conflict(_("Someone in %(team)s is to be kept apart from this person.") % {"team": team.name},
                       code="keep_apart")
    member.team = team
    member.moved = True
    member.save(update_fields=["team", "moved"])
    _rescore(program, list(FormedTeam.objects.filter(program=program)))
    audit_record(action="pairing.teams.moved", actor=actor, target=program,
                 data={"profile": member.profile_id, "from": source.pk, "to": team.pk})
    return member


@transaction.atomic
def team_request_add(*, actor: User, program: Program, kind: str, first: Profile, second: Profile) -> TeamRequest:
    check(policy.can_manage(standing(actor, program)), _("Only the program's owner sets team requests."))
    if program.kind != Program.Kind.TEAMS or program.status not in (Program.Status.OPEN, Program.Status.REVIEW):
        raise Conflict(_("Requests apply before the teams are published."), code="published")
    if kind not in TeamRequest.Kind.values:
        raise ApplicationError(_("Choose keep together or keep apart."), code="invalid_choice")
    if first.pk == second.pk:
        raise ApplicationError(_("Choose two different people."), code="same_person")
    pool = set(Signup.objects.filter(program=program, role=Signup.Role.POOL, withdrawn_at__isnull=True,
                                     profile__in=[first, second]).values_list("profile_id", flat=True))
    if pool != {first.pk, second.pk}:
        raise ApplicationError(_("Both people must be in the pool."), code="not_in_pool")
    low, high = sorted((first, second), key=lambda p: p.pk)
    existing = TeamRequest.objects.filter(program=program, first=low, second=high).first()
    if existing is not None:
        if existing.kind != kind:
            existing.kind = kind
            existing.save(update_fields=["kind"])
        return existing
    request = TeamRequest.objects.create(program=program, kind=kind, first=low, second=high, created_at=clock.now())
    audit_record(action="pairing.teams.request_added", actor=actor, target=program, data={"kind": kind})
    return request


@transaction.atomic
def team_request_remove(*, actor: User, request: TeamRequest) -> None:
    check(policy.can_manage(standing(actor, request.program)), _("Only the program's owner sets team requests."))
    request.delete()
    audit_record(action="pairing.teams.request_removed", actor=actor, target=request.program)


@transaction.atomic
def teams_publish(*, actor: User, program: Program) -> int:
    program = Program.objects.select_for_update().get(pk=program.pk)
    check(policy.can_review(standing(actor, program)), _("Only the program's owner publishes, after a run."))
    teams = list(FormedTeam.objects.filter(program=program).annotate(size=Count("members")))
    small = [t.name for t in teams if t.size < program.team_min]
    if small:
        raise Conflict(_("Too few people in %(teams)s: move someone in first.") % {"teams": ", ".join(small)},
                       code="team_too_small")
    now = clock.now()
    members: dict[int, list[Profile]] = defaultdict(list)
    for row in TeamMember.objects.filter(program=program).select_related("profile", "profile__user"):
        members[row.team_id].append(row.profile)
    participations, interactions = [], []
    for team in teams:
        people = members[team.pk]
        for person in people:
            participations.append(Participation(
                member_id=person.pk, verb="joined_team", department_id=person.department_id, occurred_at=now,
                program_id=program.pk, group_id=program.group_id, object_type="team", object_id=team.pk))
        for a, b in itertools.permutations(people, 2):
            interactions.append(Interaction(
                actor_id=a.pk, other_id=b.pk, kind="teammates", actor_department_id=a.department_id,
                other_department_id=b.department_id, occurred_at=now, program_id=program.pk,
                group_id=program.group_id))
    Participation.objects.bulk_create(participations, batch_size=2000)
    Interaction.objects.bulk_create(interactions, batch_size=2000)
    program.status = Program.Status.PUBLISHED
    program.save(update_fields=["status"])
    audit_record(action="pairing.teams.published", actor=actor, target=program, data={"teams": len(teams)})
    for team in teams:
        notify.team_published(program_name=program.name, program_id=program.pk, team_name=team.name,
                              members=members[team.pk], actor=actor)
    return len(teams)


@transaction.atomic
def team_group_create(*, actor: User, team: FormedTeam) -> Group:
    """Turn a published team into a private cross-functional group: the organizer starts it (through the
    groups service, so they become its organizer) and invites every member."""
    program = team.program
    check(policy.can_manage(standing(actor, program)), _("Only the program's owner can do that."))
    if program.status != Program.Status.PUBLISHED:
        raise Conflict(_("Publish the teams first."), code="not_published")
    if team.group_id is not None:
        raise Conflict(_("This team already has a group."), code="has_group")
    group = groups_services.group_create(
        actor=actor, name=f"{program.name}: {team.name}"[:100], kind=Group.Kind.CROSS_FUNCTIONAL,
        join_policy=Group.JoinPolicy.INVITATION, read_access=Group.ReadAccess.MEMBERS,
        description=_("The group of %(team)s, formed in %(program)s.") % {"team": team.name, "program": program.name},
    )
    me = actor_profile(actor)
    for row in TeamMember.objects.filter(team=team).select_related("profile"):
        if row.profile_id != me.pk and row.profile.is_active:
            groups_services.membership_invite(actor=actor, group=group, profile=row.profile)
    team.group = group
    team.save(update_fields=["group"])
    audit_record(action="pairing.teams.group_created", actor=actor, target=program, data={"team": team.pk, "group": group.pk})
    return group
