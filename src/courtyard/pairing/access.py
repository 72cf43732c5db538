"""The only doors to pairing programs and what is in them: fetch and authorize in one step.

A program of a private group, and everything in it, is the same 404 as something that does not exist.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from courtyard.accounts.models import User
from courtyard.core.access import is_admin, parse_id, require_signed_in
from courtyard.core.errors import NotFound, PermissionDenied
from courtyard.groups import access as group_access
from courtyard.groups.domain import rules as group_rules
from courtyard.groups.selectors import readable_group_ids
from courtyard.pairing.domain import policy
from courtyard.pairing.models import CoffeeMatch, MentorshipMatch, Program, Signup, TeamMember
from courtyard.people.access import actor_profile


def check(allowed: bool, message: str = "You are not allowed to do that.") -> None:
    if not allowed:
        raise PermissionDenied(message)


def visible_programs(actor: User) -> QuerySet[Program]:
    """Programs the actor may see: every organization-wide and cross program, and those of groups whose content
    they may read (a members-only group's programs are its members' business, like its discussions)."""
    programs = Program.objects.all()
    if is_admin(actor):
        return programs
    return programs.filter(Q(group__isnull=True) | Q(group__in=readable_group_ids(actor)))


def standing(actor: User, program: Program, signup: Signup | object | None = ...) -> policy.Standing:
    """The actor's standing in a program. Pass their sign-up when already loaded to save a query."""
    profile = actor_profile(actor)
    if signup is ...:
        signup = Signup.objects.filter(program=program, profile=profile, withdrawn_at__isnull=True).first()
    active = signup if isinstance(signup, Signup) and signup.withdrawn_at is None else None
    can_see_group, in_group = True, True
    if program.group_id is not None and program.group is not None:
        group_standing = group_access.standing(actor, program.group)
        can_see_group = group_rules.can_read(group_standing)
        in_group = group_standing.is_member
    matched = False
    if active is not None and program.kind == Program.Kind.TEAMS and program.status == Program.Status.PUBLISHED:
        matched = TeamMember.objects.filter(program=program, profile=profile).exists()
    return policy.Standing(
        kind=program.kind,
        status=program.status,
        is_admin=is_admin(actor),
        is_owner=program.owner_id is not None and program.owner_id == profile.pk,
        can_see_group=can_see_group,
        in_group=in_group,
        role=active.role if active is not None else None,
        matched=matched,
    )


def access_program(actor: User, program_id: object) -> tuple[Program, policy.Standing, Signup | None]:
    """A program the actor may see, their standing in it and their active sign-up (if any)."""
    require_signed_in(actor)
    program = Program.objects.select_related("group", "owner").filter(pk=parse_id(program_id)).first()
    if program is None:
        raise NotFound("No such program.")
    signup = Signup.objects.filter(program=program, profile=actor_profile(actor), withdrawn_at__isnull=True).first()
    current = standing(actor, program, signup)
    if not policy.can_see(current):
        raise NotFound("No such program.")
    return program, current, signup


def access_managed_program(actor: User, program_id: object) -> tuple[Program, policy.Standing]:
    """A program the actor runs (its owner, or a community admin). Others may know it exists: 403."""
    program, current, _signup = access_program(actor, program_id)
    check(policy.can_manage(current), "Only the program's owner can do that.")
    return program, current


def access_coffee_match(actor: User, match_id: object) -> CoffeeMatch:
    """A coffee match the actor is in (organizers see figures, never other people's matches one by one)."""
    require_signed_in(actor)
    profile = actor_profile(actor)
    match = (
        CoffeeMatch.objects.select_related("program", "program__group", "round")
        .filter(pk=parse_id(match_id), members__profile=profile)
        .first()
    )
    if match is None:
        raise NotFound("No such match.")
    return match


def access_mentorship(actor: User, match_id: object, *, for_owner: bool = False) -> tuple[MentorshipMatch, bool]:
    """A published (or finished) mentorship the actor is the mentor or mentee of; with ``for_owner``, also
    any match of a program the actor runs. Returns the match and whether the actor is one of the pair."""
    require_signed_in(actor)
    profile = actor_profile(actor)
    match = (
        MentorshipMatch.objects.select_related(
            "program", "program__group", "program__owner", "mentor__profile", "mentee__profile",
            "mentor__profile__department", "mentee__profile__department",
        )
        .filter(pk=parse_id(match_id))
        .first()
    )
    if match is None:
        raise NotFound("No such mentorship.")
    in_pair = profile.pk in (match.mentor.profile_id, match.mentee.profile_id)
    if in_pair and match.status != MentorshipMatch.Status.DRAFT:
        return match, True
    if for_owner:
        current = standing(actor, match.program, None)
        if policy.can_manage(current):
            return match, False
    raise NotFound("No such mentorship.")


def can_create_in_group(actor: User, group_id: int) -> bool:
    """Group organizers (and admins) start programs for their group."""
    try:
        _group, current, _membership = group_access.access_group(actor, group_id)
    except NotFound:
        return False
    return group_rules.can_manage(current)
