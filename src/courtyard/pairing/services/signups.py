"""Sign-ups: joining, withdrawing and snoozing, and one's private never-pair list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from courtyard.accounts.models import User
from courtyard.core import clock
from courtyard.core.activity import participation_record
from courtyard.core.audit import audit_record
from courtyard.core.errors import ApplicationError, Conflict, NotFound
from courtyard.pairing import adapters
from courtyard.pairing.access import check, standing
from courtyard.pairing.domain import policy
from courtyard.pairing.models import DoNotPair, MentorshipMatch, Program, Signup, TeamMember
from courtyard.pairing.services._common import _clean_text
from courtyard.people.access import actor_profile
from courtyard.people.models import Profile, Tag
from courtyard.people.services import tags_resolve

MAX_SNOOZE = dt.timedelta(days=366)


# --- Sign-ups ---------------------------------------------------------------------------------


def _role_for(program: Program, role: str | None) -> str:
    if program.kind == Program.Kind.COFFEE:
        return Signup.Role.COFFEE
    if program.kind == Program.Kind.TEAMS:
        return Signup.Role.POOL
    if role not in (Signup.Role.MENTOR, Signup.Role.MENTEE):
        raise ApplicationError(_("Sign up as a mentor or as a mentee."), code="role_required")
    return role


def cross_side(program: Program, profile: Profile, today: dt.date | None = None) -> str:
    """Which side of a cross program someone is on ("a", "b"), or "" when on neither."""
    today = today or clock.now().date()
    ids = Profile.objects.filter(pk=profile.pk).values("pk")
    if profile.pk in adapters.side_members(program.side_a, ids, today=today):
        return "a"
    if profile.pk in adapters.side_members(program.side_b, ids, today=today):
        return "b"
    return ""


@transaction.atomic
def signup_join(
    *,
    actor: User,
    program: Program,
    role: str | None = None,
    capacity: int = 1,
    goals: str = "",
    topics: str = "",
    languages: str = "",
    skills: Iterable[str] = (),
    location_preference: str = "",
    department_preference: str = "",
    preferred_mentors: Iterable[Profile] = (),
) -> Signup:
    """Opt into coffee, or sign up as a mentor, a mentee or to a team pool. Signing up again updates the details."""
    profile = actor_profile(actor)
    existing = Signup.objects.select_for_update().filter(program=program, profile=profile).first()
    current = standing(actor, program, existing)
    check(policy.can_join(current), _("You cannot join this program."))
    role = _role_for(program, role)
    if program.scope == Program.Scope.CROSS and not cross_side(program, profile):
        raise ApplicationError(
            _("This program pairs %(a)s with %(b)s, and you are in neither.")
            % {"a": adapters.side_label(program.side_a), "b": adapters.side_label(program.side_b)},
            code="not_on_a_side",
        )
    if not isinstance(capacity, int) or not 1 <= capacity <= 5:
        raise ApplicationError(_("Mentors take 1 to 5 mentees."), code="bad_capacity")
    preferences = Signup.Preference.values
    if location_preference not in preferences or department_preference not in preferences:
        raise ApplicationError(_("Choose a preference from the list."), code="invalid_choice")
    mentors = [p for p in preferred_mentors if p.pk != profile.pk]
    if len(mentors) > 3:
        raise ApplicationError(_("Name at most 3 preferred mentors."), code="too_many")
    goals = _clean_text(goals, field=_("Your goals"), max_length=2000, required=role == Signup.Role.MENTEE)
    topics = _clean_text(topics, field=_("Topics"), max_length=300)
    languages = _clean_text(languages, field=_("Languages"), max_length=200)
    skill_names = list(skills)
    if len(skill_names) > 30:
        raise ApplicationError(_("List at most 30 skills."), code="too_many")
    current_matches = MentorshipMatch.objects.filter(
        Q(mentor=existing) | Q(mentee=existing), status__in=[MentorshipMatch.Status.DRAFT, MentorshipMatch.Status.PUBLISHED])
    if existing is not None and existing.withdrawn_at is None and existing.role != role and current_matches.exists():
        raise Conflict(_("You are matched as a %(role)s; ask the owner before changing.") % {"role": existing.role},
                           code="matched")
    now = clock.now()
    joined = existing is None or existing.withdrawn_at is not None
    signup = existing or Signup(program=program, profile=profile, created_at=now)
    signup.role = role
    signup.withdrawn_at = None
    signup.capacity = capacity if role == Signup.Role.MENTOR else 1
    signup.goals = goals if role == Signup.Role.MENTEE else ""
    signup.topics = topics if role == Signup.Role.MENTOR else ""
    signup.languages = languages
    signup.location_preference = location_preference if role == Signup.Role.MENTEE else ""
    signup.department_preference = department_preference if role == Signup.Role.MENTEE else ""
    if joined:
        signup.created_at = now
        signup.snoozed_until = None
    signup.save()
    signup.skills.set(tags_resolve(Tag.Kind.SKILL, skill_names) if role != Signup.Role.COFFEE else [])
    signup.preferred_mentors.set(mentors if role == Signup.Role.MENTEE else [])
    if joined:
        verb = {Program.Kind.COFFEE: "joined_coffee", Program.Kind.MENTORSHIP: "joined_mentorship"}.get(
            Program.Kind(program.kind))
        if verb:
            participation_record(member_id=profile.pk, verb=verb, department_id=profile.department_id,
                                 program_id=program.pk, group_id=program.group_id)
        audit_record(action="pairing.signup.joined", actor=actor, target=program, data={"role": role})
    else:
        audit_record(action="pairing.signup.updated", actor=actor, target=program, data={"role": role})
    return signup


@transaction.atomic
def signup_withdraw(*, actor: User, program: Program) -> None:
    """Opt out or withdraw. Past rounds and finished mentorships stay; a draft match or team place is released."""
    profile = actor_profile(actor)
    signup = Signup.objects.select_for_update().filter(program=program, profile=profile, withdrawn_at__isnull=True).first()
    if signup is None:
        return
    current = standing(actor, program, signup)
    check(policy.can_leave(current), _("You are in a published team; ask the organizer to move you."))
    if MentorshipMatch.objects.filter(Q(mentor=signup) | Q(mentee=signup), status=MentorshipMatch.Status.PUBLISHED).exists():
        raise Conflict(_("You are in a mentorship: ask for a rematch, or mark it complete, first."), code="matched")
    MentorshipMatch.objects.filter(Q(mentor=signup) | Q(mentee=signup), status=MentorshipMatch.Status.DRAFT).delete()
    TeamMember.objects.filter(program=program, profile=profile).delete()
    signup.withdrawn_at = clock.now()
    signup.save(update_fields=["withdrawn_at"])
    audit_record(action="pairing.signup.withdrawn", actor=actor, target=program)


@transaction.atomic
def signup_snooze(*, actor: User, program: Program, until: dt.date | None) -> Signup:
    """Skip coffee rounds until a date (None: back in the next round)."""
    profile = actor_profile(actor)
    signup = Signup.objects.select_for_update().filter(program=program, profile=profile, withdrawn_at__isnull=True).first()
    if signup is None or program.kind != Program.Kind.COFFEE:
        raise ApplicationError(_("Join the coffee program first."), code="not_joined")
    today = clock.today_in(program.timezone)
    if until is not None and not today < until <= today + MAX_SNOOZE:
        raise ApplicationError(_("Snooze until a date in the coming year."), code="bad_date")
    if signup.snoozed_until != until:
        signup.snoozed_until = until
        signup.save(update_fields=["snoozed_until"])
        audit_record(action="pairing.signup.snoozed", actor=actor, target=program,
                     data={"until": until.isoformat() if until else None})
    return signup


@transaction.atomic
def do_not_pair_add(*, actor: User, other: Profile) -> DoNotPair:
    """Add someone to one's private never-pair list (nobody else ever sees it)."""
    profile = actor_profile(actor)
    if other.pk == profile.pk:
        raise ApplicationError(_("You are never paired with yourself."), code="self")
    if not other.is_active:
        raise ApplicationError(_("%(name)s is deactivated.") % {"name": other.display_name}, code="inactive")
    entry = DoNotPair.objects.filter(profile=profile, other=other).first()
    if entry is not None:
        return entry
    if DoNotPair.objects.filter(profile=profile).count() >= 50:
        raise ApplicationError(_("Your list holds at most 50 people."), code="too_many")
    return DoNotPair.objects.create(profile=profile, other=other, created_at=clock.now())


@transaction.atomic
def do_not_pair_remove(*, actor: User, entry_id: int) -> None:
    profile = actor_profile(actor)
    deleted, _rows = DoNotPair.objects.filter(profile=profile, pk=entry_id).delete()
    if not deleted:
        raise NotFound(_("Not on your list."))
