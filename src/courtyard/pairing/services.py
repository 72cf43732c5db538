"""Writes for pairing: programs, sign-ups, coffee rounds, mentorship cohorts and team formations.

Each write checks permission, validates before saving, runs in one transaction, records the audit log
and the activity facts insights need (core/domain/facts.py), and tells people through ``notify``.
The matching itself is the engine's (``courtyard.pairing.domain``); here rows become its plain data
and its results become rows.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import random
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from courtyard.accounts.models import User
from courtyard.core import clock
from courtyard.core.access import is_admin
from courtyard.core.activity import interaction_record, participation_record
from courtyard.core.audit import audit_record
from courtyard.core.errors import ApplicationError, Conflict, NotFound
from courtyard.core.markdown import render_markdown
from courtyard.core.models import Interaction, Participation
from courtyard.core.validation import clean_text
from courtyard.groups import selectors as groups_selectors
from courtyard.groups.models import Group
from courtyard.pairing import adapters, notify
from courtyard.pairing.access import can_create_in_group, check, standing
from courtyard.pairing.domain import (
    coffee_round,
    mentorship_assign,
    mentorship_pair_blocker,
    mentorship_pair_score,
    policy,
    schedule,
    teams_evaluate,
    teams_form,
)
from courtyard.pairing.domain.types import (
    CoffeeRules,
    Mentee,
    Mentor,
    MentorshipRules,
    MentorshipWeights,
    Person,
    TeamsRequest,
)
from courtyard.pairing.models import (
    Checkin,
    CoffeeMatch,
    CoffeeMatchMember,
    CoffeeRound,
    DoNotPair,
    FormedTeam,
    MentorshipMatch,
    Program,
    PulseAnswer,
    PulseResponse,
    Signup,
    TeamMember,
    TeamRequest,
)
from courtyard.people.access import actor_profile
from courtyard.people.models import Department, Profile, Tag
from courtyard.people.services import tags_resolve

HISTORY_ROUNDS = 52  # rounds of history the engine sees (a year of weekly rounds): "met before" beyond the look-back
FOLLOW_UP_AFTER = dt.timedelta(days=4)  # "did you meet?" this long after a round
MAX_SNOOZE = dt.timedelta(days=366)
MENTORSHIP_WEIGHT_FIELDS = (
    "skill_fit", "department_difference", "seniority_gap", "timezone_overlap", "language", "preference",
    "preferred_mentor",
)
TENURES = ("any", "newcomers", "seasoned")


def _clean_text(value: str | None, *, field: str, max_length: int, required: bool = False) -> str:
    value = (value or "").strip()
    # The last line behind every surface; whether line breaks are allowed is each surface's call.
    value = clean_text(value, multiline=True, field=field)
    if required and not value:
        raise ApplicationError(_("%(field)s cannot be empty.") % {"field": field}, code="required")
    if len(value) > max_length:
        raise ApplicationError(
            _("%(field)s is longer than %(max)d characters.") % {"field": field, "max": max_length}, code="too_long"
        )
    return value


def _rng(*parts: object) -> random.Random:
    """A random stream fixed by what it is for, so that a rerun of the same thing gives the same result."""
    return random.Random(":".join(str(p) for p in parts))  # noqa: S311 - reproducible matching, not secrets


# --- Programs ---------------------------------------------------------------------------------


def _clean_side(raw: Mapping[str, Any] | None, name: str) -> dict[str, Any]:
    raw = raw or {}
    if not isinstance(raw, Mapping):
        raise ApplicationError(_("Side %(name)s is not valid.") % {"name": name}, code="bad_side")
    try:
        departments = sorted({int(d) for d in raw.get("departments") or []})
        groups = sorted({int(g) for g in raw.get("groups") or []})
    except (TypeError, ValueError):
        raise ApplicationError(_("Side %(name)s lists something that is not an id.") % {"name": name},
                               code="bad_side") from None
    tenure = raw.get("tenure") or "any"
    if tenure not in TENURES:
        raise ApplicationError(_("Choose newcomers, seasoned people or anyone for side %(name)s.") % {"name": name},
                               code="bad_side")
    if len(departments) > 50 or len(groups) > 50:
        raise ApplicationError(_("Side %(name)s lists too many departments or groups.") % {"name": name},
                               code="bad_side")
    if Department.objects.filter(pk__in=departments).count() != len(departments):
        raise ApplicationError(_("Side %(name)s names a department that does not exist.") % {"name": name},
                               code="bad_side")
    if Group.objects.filter(pk__in=groups).count() != len(groups):
        raise ApplicationError(_("Side %(name)s names a group that does not exist.") % {"name": name},
                               code="bad_side")
    if not departments and not groups and tenure == "any":
        raise ApplicationError(
            _("Say who is on side %(name)s: departments, groups, newcomers or seasoned people.") % {"name": name},
            code="bad_side",
        )
    label = _clean_text(str(raw.get("label") or ""), field=_("The side's name"), max_length=60)
    return {"departments": departments, "groups": groups, "tenure": tenure, "label": label}


def _clean_weights(raw: Mapping[str, Any] | None) -> dict[str, float]:
    weights: dict[str, float] = {}
    for key, value in (raw or {}).items():
        if key not in MENTORSHIP_WEIGHT_FIELDS:
            raise ApplicationError(_("Unknown weight “%(key)s”.") % {"key": key}, code="bad_weight")
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ApplicationError(_("Weights are numbers.") , code="bad_weight") from None
        if not -20 <= number <= 20:
            raise ApplicationError(_("Weights are between -20 and 20."), code="bad_weight")
        weights[key] = number
    return weights


def _schedule_next(program: Program, after: dt.datetime) -> None:
    if program.kind != Program.Kind.COFFEE or program.status != Program.Status.OPEN:
        program.next_round_at = None
        return
    _day, moment = schedule.next_round(
        cadence=program.cadence, weekday=program.weekday, local_time=program.local_time, tz_name=program.timezone,
        starts_on=program.starts_on, after=after,
    )
    program.next_round_at = moment


SETTINGS_FIELDS = (
    "name", "description", "starts_on", "ends_on", "cadence", "weekday", "local_time", "timezone", "group_size",
    "lookback_rounds", "goals", "objective", "weights", "require_shared_language", "team_min", "team_max",
    "side_a", "side_b",
)


def _apply_settings(program: Program, data: Mapping[str, Any]) -> list[str]:
    """Validate and set the program's settings; returns the names of the fields that changed."""
    changed: list[str] = []

    def put(field: str, value: Any) -> None:
        if getattr(program, field) != value:
            setattr(program, field, value)
            changed.append(field)

    if "name" in data:
        put("name", _clean_text(data["name"], field=_("The name"), max_length=100, required=True))
    if "description" in data:
        description = _clean_text(data["description"], field=_("The description"), max_length=5000)
        put("description", description)
        program.description_html = str(render_markdown(description))
    if "goals" in data:
        put("goals", _clean_text(data["goals"], field=_("The goals"), max_length=5000))
    for field in ("starts_on", "ends_on"):
        if field in data:
            value = data[field]
            if value is not None and not isinstance(value, dt.date):
                raise ApplicationError(_("Dates look like 2025-03-31."), code="bad_date")
            put(field, value)
    if program.starts_on and program.ends_on and program.ends_on < program.starts_on:
        raise ApplicationError(_("The program cannot end before it starts."), code="bad_dates")
    if "cadence" in data:
        if data["cadence"] not in Program.Cadence.values:
            raise ApplicationError(_("Choose weekly, every 2 weeks or monthly."), code="invalid_choice")
        put("cadence", data["cadence"])
    if "weekday" in data:
        if not isinstance(data["weekday"], int) or not 0 <= data["weekday"] <= 6:
            raise ApplicationError(_("Choose a day of the week."), code="invalid_choice")
        put("weekday", data["weekday"])
    if "local_time" in data:
        if not isinstance(data["local_time"], dt.time):
            raise ApplicationError(_("Times look like 10:00."), code="bad_time")
        put("local_time", data["local_time"].replace(second=0, microsecond=0, tzinfo=None))
    if "timezone" in data:
        tz_name = _clean_text(data["timezone"], field=_("The time zone"), max_length=64, required=True)
        if schedule.zone(tz_name) is dt.UTC and tz_name not in ("UTC", "Etc/UTC"):
            raise ApplicationError(_("“%(tz)s” is not a time zone; try Europe/Berlin.") % {"tz": tz_name},
                                   code="bad_timezone")
        put("timezone", tz_name)
    if "group_size" in data:
        if not isinstance(data["group_size"], int) or not 2 <= data["group_size"] <= 4:
            raise ApplicationError(_("Groups are of 2, 3 or 4 people."), code="bad_group_size")
        put("group_size", data["group_size"])
    if "lookback_rounds" in data:
        if not isinstance(data["lookback_rounds"], int) or not 0 <= data["lookback_rounds"] <= 52:
            raise ApplicationError(_("Look back 0 to 52 rounds."), code="bad_lookback")
        put("lookback_rounds", data["lookback_rounds"])
    if "objective" in data:
        if data["objective"] not in Program.Objective.values:
            raise ApplicationError(_("Choose best total fit or leave nobody unmatched."), code="invalid_choice")
        put("objective", data["objective"])
    if "weights" in data:
        put("weights", _clean_weights(data["weights"]))
    if "require_shared_language" in data:
        put("require_shared_language", bool(data["require_shared_language"]))
    for field in ("team_min", "team_max"):
        if field in data:
            if not isinstance(data[field], int) or not 2 <= data[field] <= 50:
                raise ApplicationError(_("Teams have 2 to 50 people."), code="bad_team_size")
            put(field, data[field])
    if program.team_min > program.team_max:
        raise ApplicationError(_("The smallest team size cannot be above the largest."), code="bad_team_size")
    for field, name in (("side_a", "A"), ("side_b", "B")):
        if field in data and program.scope == Program.Scope.CROSS:
            put(field, _clean_side(data[field], name))
    return changed


@transaction.atomic
def program_create(
    *,
    actor: User,
    kind: str,
    name: str,
    scope: str = Program.Scope.ORGANIZATION,
    group: Group | None = None,
    **settings: Any,
) -> Program:
    """Community admins start organization-wide and cross programs; group organizers start their group's."""
    owner = actor_profile(actor)
    if kind not in Program.Kind.values or scope not in Program.Scope.values:
        raise ApplicationError(_("Choose a kind of program and who it is for."), code="invalid_choice")
    if scope == Program.Scope.GROUP:
        if group is None:
            raise ApplicationError(_("Choose the group this program is for."), code="group_required")
        check(can_create_in_group(actor, group.pk), _("Only the group's organizers can start a program for it."))
        if group.archived_at is not None:
            raise ApplicationError(_("That group is archived."), code="archived")
    else:
        check(is_admin(actor), _("Only community admins start programs for the whole organization."))
        group = None
    if scope == Program.Scope.CROSS and kind != Program.Kind.COFFEE:
        raise ApplicationError(_("Only coffee programs pair two sets of people across."), code="invalid_choice")
    unknown = set(settings) - set(SETTINGS_FIELDS)
    if unknown:
        raise ApplicationError(_("Unknown settings: %(names)s.") % {"names": ", ".join(sorted(unknown))},
                               code="invalid")
    now = clock.now()
    program = Program(kind=kind, scope=scope, group=group, owner=owner, created_at=now, status=Program.Status.OPEN)
    if scope == Program.Scope.CROSS:
        settings.setdefault("side_a", None)
        settings.setdefault("side_b", None)
    _apply_settings(program, {"name": name, **settings})
    _schedule_next(program, now)
    program.save()
    audit_record(action="pairing.program.created", actor=actor, target=program, data={"kind": kind, "scope": scope})
    return program


@transaction.atomic
def program_update(*, actor: User, program: Program, data: Mapping[str, Any]) -> Program:
    check(policy.can_manage(standing(actor, program)), _("Only the program's owner can change it."))
    unknown = set(data) - set(SETTINGS_FIELDS)
    if unknown:
        raise ApplicationError(_("Unknown settings: %(names)s.") % {"names": ", ".join(sorted(unknown))},
                               code="invalid")
    changed = _apply_settings(program, data)
    if changed:
        _schedule_next(program, clock.now())
        program.save()
        audit_record(action="pairing.program.updated", actor=actor, target=program, data={"fields": changed})
    return program


@transaction.atomic
def program_set_status(*, actor: User, program: Program, status: str) -> Program:
    """Coffee: pause, resume or close. Mentorship: close (completes every published match)."""
    check(policy.can_manage(standing(actor, program)), _("Only the program's owner can change it."))
    allowed = {
        Program.Kind.COFFEE: {Program.Status.OPEN, Program.Status.PAUSED, Program.Status.CLOSED},
        Program.Kind.MENTORSHIP: {Program.Status.CLOSED},
        Program.Kind.TEAMS: {Program.Status.CLOSED},
    }[Program.Kind(program.kind)]
    if status not in allowed:
        raise ApplicationError(_("That change is not possible for this program."), code="bad_status")
    if program.status == Program.Status.CLOSED:
        raise Conflict(_("This program is closed."), code="closed")
    if status == program.status:
        return program
    if program.kind == Program.Kind.MENTORSHIP:
        MentorshipMatch.objects.filter(program=program, status=MentorshipMatch.Status.DRAFT).delete()
        for match in _published_matches(program):
            _mentorship_complete(match, actor=actor)
    program.status = status
    _schedule_next(program, clock.now())
    program.save(update_fields=["status", "next_round_at"])
    audit_record(action=f"pairing.program.{status}", actor=actor, target=program)
    return program


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


# --- Coffee rounds ----------------------------------------------------------------------------


def _coffee_history(program: Program, before: dt.date) -> dict[frozenset[int], int]:
    """Unordered pair -> how many rounds ago they were last put together in this program (1 = last round)."""
    rounds = list(
        CoffeeRound.objects.filter(program=program, round_date__lt=before, status=CoffeeRound.Status.DONE)
        .order_by("-round_date").values_list("pk", flat=True)[:HISTORY_ROUNDS]
    )
    ago = {pk: index for index, pk in enumerate(rounds, 1)}
    members: dict[int, list[int]] = defaultdict(list)
    match_round: dict[int, int] = {}
    for match_id, round_id, profile_id in CoffeeMatchMember.objects.filter(round_id__in=rounds).values_list(
        "match_id", "round_id", "profile_id"
    ):
        members[match_id].append(profile_id)
        match_round[match_id] = round_id
    history: dict[frozenset[int], int] = {}
    for match_id, people in members.items():
        rounds_ago = ago[match_round[match_id]]
        for a, b in itertools.combinations(people, 2):
            key = frozenset((a, b))
            if key not in history or history[key] > rounds_ago:
                history[key] = rounds_ago
    return history


def _coffee_participants(program: Program, today: dt.date, at: dt.datetime) -> list[Person]:
    signups = Signup.objects.filter(program=program, role=Signup.Role.COFFEE, withdrawn_at__isnull=True).filter(
        Q(snoozed_until__isnull=True) | Q(snoozed_until__lte=today)
    )
    if program.group_id is not None:
        signups = signups.filter(profile_id__in=groups_selectors.active_member_ids([program.group_id]))
    ids = signups.values("profile_id")
    people = adapters.people_for(ids, today=today, at=at)
    if program.scope == Program.Scope.CROSS:
        side_a = adapters.side_members(program.side_a, ids, today=today)
        side_b = adapters.side_members(program.side_b, ids, today=today) - side_a
        sided = []
        for pk in sorted(people):
            side = "a" if pk in side_a else "b" if pk in side_b else ""
            if side:
                sided.append(dataclasses.replace(people[pk], side=side))
        return sided
    return [people[pk] for pk in sorted(people)]


def _do_not_pair(program_people: Iterable[int]) -> frozenset[frozenset[int]]:
    ids = list(program_people)
    rows = DoNotPair.objects.filter(profile_id__in=ids, other_id__in=ids).values_list("profile_id", "other_id")
    return frozenset(frozenset(row) for row in rows)


def coffee_round_run(*, program_id: int, round_date: dt.date, actor: User | None = None) -> CoffeeRound | None:
    """Pair a coffee program's participants for the round of ``round_date``, once.

    The (program, round date) row is claimed under the program's row lock and a unique constraint: a
    retried or duplicated job finds the round done and changes nothing. Returns the round, or None when
    this call did not run it (done before, or the program is not running)."""
    with transaction.atomic():
        program = Program.objects.select_for_update().filter(pk=program_id, kind=Program.Kind.COFFEE).first()
        if program is None:
            return None
        if actor is None and program.status != Program.Status.OPEN:
            return None
        if CoffeeRound.objects.filter(program=program, round_date=round_date).exists():
            return None
        now = clock.now()
        try:
            with transaction.atomic():
                coffee = CoffeeRound.objects.create(program=program, round_date=round_date, started_at=now)
        except IntegrityError:
            return None  # another worker claimed it between our check and insert (no row lock on SQLite)
        moment = schedule.round_moment(round_date, program.local_time, program.timezone)
        people = _coffee_participants(program, round_date, moment)
        rules = CoffeeRules(
            lookback_rounds=program.lookback_rounds, group_size=program.group_size,
            do_not_pair=_do_not_pair(p.id for p in people), cross=program.scope == Program.Scope.CROSS,
        )
        result = coffee_round(people, history=_coffee_history(program, round_date), rules=rules,
                              rng=_rng("coffee", program.pk, round_date.isoformat()))
        _coffee_store(program, coffee, result.groups, people, now)
        coffee.status = CoffeeRound.Status.DONE
        coffee.finished_at = clock.now()
        coffee.participants = len(people)
        coffee.groups = len(result.groups)
        coffee.unmatched = len(result.unmatched)
        coffee.total_score = float(result.stats.total_score)
        coffee.method = result.stats.method[:40]
        coffee.save()
        if program.status == Program.Status.OPEN:
            _schedule_next(program, max(now, moment))
            program.save(update_fields=["next_round_at"])
        audit_record(action="pairing.round.ran", actor=actor, target=program,
                     data={"round": coffee.pk, "date": round_date.isoformat(), "groups": coffee.groups})
        return coffee


def _coffee_store(program: Program, coffee: CoffeeRound, groups: Iterable[Any], people: list[Person],
                  now: dt.datetime) -> None:
    by_id = {p.id: p for p in people}
    rng = _rng("starter", program.pk, coffee.round_date.isoformat())
    profiles = {p.pk: p for p in Profile.objects.filter(pk__in=[p.id for p in people]).select_related("user")}
    matches: list[CoffeeMatch] = []
    member_lists: list[tuple[int, ...]] = []
    for group in groups:
        ids = tuple(group.member_ids)
        shared = frozenset.intersection(*(by_id[i].interests for i in ids)) if ids else frozenset()
        departments = {by_id[i].department_id for i in ids}
        matches.append(CoffeeMatch(
            program=program, round=coffee, score=float(group.score), reasons=adapters.reasons_json(group.reasons),
            starter=schedule.conversation_starter(sorted(shared), rng)[:300], created_at=now,
            crosses_departments=len(departments) > 1 and None not in departments,
        ))
        member_lists.append(ids)
    CoffeeMatch.objects.bulk_create(matches, batch_size=1000)
    CoffeeMatchMember.objects.bulk_create(
        [CoffeeMatchMember(match=m, round=coffee, program=program, profile_id=pk)
         for m, ids in zip(matches, member_lists, strict=True) for pk in ids],
        batch_size=2000,
    )
    Participation.objects.bulk_create(
        [Participation(member_id=pk, verb="paired", department_id=by_id[pk].department_id, occurred_at=now,
                       group_id=program.group_id, program_id=program.pk, object_type="coffee_match", object_id=m.pk)
         for m, ids in zip(matches, member_lists, strict=True) for pk in ids],
        batch_size=2000,
    )
    for match, ids in zip(matches, member_lists, strict=True):
        notify.coffee_paired(program_name=program.name, match_id=match.pk,
                             members=[profiles[pk] for pk in ids if pk in profiles], starter=match.starter)


def coffee_round_run_now(*, actor: User, program: Program) -> CoffeeRound:
    """The organizer runs today's round by hand (a scheduled round on the same date then does nothing)."""
    check(policy.can_run(standing(actor, program)), _("Only the program's owner can run a round."))
    today = clock.today_in(program.timezone)
    coffee = coffee_round_run(program_id=program.pk, round_date=today, actor=actor)
    if coffee is None:
        raise Conflict(_("Today's round already ran."), code="round_done")
    return coffee


def coffee_rounds_due(*, now: dt.datetime | None = None) -> list[tuple[int, dt.date]]:
    """(program id, round date) of every coffee round whose time has come."""
    now = now or clock.now()
    due = Program.objects.filter(kind=Program.Kind.COFFEE, status=Program.Status.OPEN, next_round_at__lte=now)
    return [(pk, schedule.round_date_of(at, tz)) for pk, at, tz in due.values_list("pk", "next_round_at", "timezone")
            if at is not None]


@transaction.atomic
def coffee_outcome_set(*, actor: User, match: CoffeeMatch, met: bool) -> CoffeeMatch:
    """Either person answers "did you meet?". "We met" records the facts: everyone met, and every pair
    interacted (both ways). A meeting confirmed stays confirmed."""
    profile = actor_profile(actor)
    match = CoffeeMatch.objects.select_for_update().get(pk=match.pk)
    member_ids = list(CoffeeMatchMember.objects.filter(match=match).values_list("profile_id", flat=True))
    check(profile.pk in member_ids, _("Only the people of this match can answer."))
    if match.outcome == CoffeeMatch.Outcome.MET:
        return match
    wanted = CoffeeMatch.Outcome.MET if met else CoffeeMatch.Outcome.NOT_MET
    if match.outcome == wanted:
        return match
    now = clock.now()
    match.outcome = wanted
    match.answered_by = profile
    match.answered_at = now
    match.save(update_fields=["outcome", "answered_by", "answered_at"])
    audit_record(action="pairing.coffee.answered", actor=actor, target=match, data={"met": met})
    if met:
        departments = dict(Profile.objects.filter(pk__in=member_ids).values_list("pk", "department_id"))
        program = match.program
        Participation.objects.bulk_create([
            Participation(member_id=pk, verb="met", department_id=departments.get(pk), occurred_at=now,
                          group_id=program.group_id, program_id=program.pk, object_type="coffee_match",
                          object_id=match.pk)
            for pk in member_ids
        ])
        Interaction.objects.bulk_create([
            Interaction(actor_id=a, other_id=b, kind="coffee_met", actor_department_id=departments.get(a),
                        other_department_id=departments.get(b), occurred_at=now, group_id=program.group_id,
                        program_id=program.pk)
            for a, b in itertools.permutations(member_ids, 2)
        ])
    return match


def coffee_follow_ups_send(*, now: dt.datetime | None = None) -> int:
    """Ask "did you meet?" of every unanswered match of rounds that ran FOLLOW_UP_AFTER ago, once per round
    (the round is claimed by setting its mark in one conditional update). Returns how many matches were asked."""
    now = now or clock.now()
    asked = 0
    due = CoffeeRound.objects.filter(status=CoffeeRound.Status.DONE, follow_up_sent_at__isnull=True,
                                     started_at__lte=now - FOLLOW_UP_AFTER)
    for round_id in list(due.values_list("pk", flat=True)[:200]):
        with transaction.atomic():
            claimed = CoffeeRound.objects.filter(pk=round_id, follow_up_sent_at__isnull=True).update(follow_up_sent_at=now)
            if not claimed:
                continue
            members: dict[int, list[Profile]] = defaultdict(list)
            rows = CoffeeMatchMember.objects.filter(round_id=round_id, match__outcome="").select_related(
                "profile", "profile__user")
            for row in rows:
                members[row.match_id].append(row.profile)
            for match_id, people in members.items():
                notify.coffee_follow_up(match_id=match_id, members=people)
                asked += 1
    return asked


# --- Mentorship -------------------------------------------------------------------------------


def _mentorship_weights(program: Program) -> MentorshipWeights:
    known = {k: float(v) for k, v in (program.weights or {}).items() if k in MENTORSHIP_WEIGHT_FIELDS}
    return MentorshipWeights(**known)


def _mentorship_rules(program: Program) -> MentorshipRules:
    return MentorshipRules(respect_capacity=True, require_shared_language=program.require_shared_language,
                           forbid_reporting_line=True)


def _preference(value: str) -> bool | None:
    return {"same": True, "different": False}.get(value)


def mentorship_inputs(program: Program, signups: Iterable[Signup] | None = None) -> dict[str, Any]:
    """The engine's view of a cohort: mentees, mentors (by person id) and the reporting lines above them."""
    today = clock.now().date()
    rows = list(signups) if signups is not None else list(
        Signup.objects.filter(program=program, withdrawn_at__isnull=True, role__in=[Signup.Role.MENTOR, Signup.Role.MENTEE])
        .prefetch_related("skills", "preferred_mentors")
    )
    people = adapters.people_for([s.profile_id for s in rows], today=today, at=clock.now(), with_skills=True,
                                 with_small_groups=False)
    mentees: dict[int, Mentee] = {}
    mentors: dict[int, Mentor] = {}
    for signup in rows:
        person = people.get(signup.profile_id)
        if person is None:
            continue  # deactivated
        skills = frozenset(t.name for t in signup.skills.all())
        if signup.role == Signup.Role.MENTEE:
            mentees[person.id] = Mentee(
                person=person, goals=tuple(line.strip() for line in signup.goals.splitlines() if line.strip()),
                skills_wanted=skills, same_location=_preference(signup.location_preference),
                same_department=_preference(signup.department_preference),
                preferred_mentor_ids=tuple(p.pk for p in signup.preferred_mentors.all()),
            )
        else:
            topics = frozenset(t.strip() for t in signup.topics.split(",") if t.strip())
            mentors[person.id] = Mentor(person=person, capacity=signup.capacity, offers=skills | topics,
                                        languages=schedule.parse_languages(signup.languages))
    return {
        "mentees": mentees, "mentors": mentors,
        "managers": adapters.reporting_lines(list(mentees) + list(mentors)),
        "signups": {s.profile_id: s for s in rows},
    }


def _published_matches(program: Program) -> list[MentorshipMatch]:
    return list(MentorshipMatch.objects.filter(program=program, status=MentorshipMatch.Status.PUBLISHED)
                .select_related("mentor__profile", "mentee__profile"))


@transaction.atomic
def mentorship_run(*, actor: User, program: Program) -> dict[str, Any]:
    """Whole-cohort assignment. Published and locked matches stay as they are; every other draft is
    re-optimized; pairs that ended in a rematch are never made again."""
    program = Program.objects.select_for_update().get(pk=program.pk)
    current = standing(actor, program)
    check(policy.can_run(current), _("Only the program's owner can run the assignment."))
    if program.kind != Program.Kind.MENTORSHIP:
        raise ApplicationError(_("This is not a mentorship program."), code="wrong_kind")
    MentorshipMatch.objects.filter(program=program, status=MentorshipMatch.Status.DRAFT, locked=False).delete()
    kept = list(MentorshipMatch.objects.filter(program=program, status__in=[MentorshipMatch.Status.DRAFT,
                                                                              MentorshipMatch.Status.PUBLISHED])
                .select_related("mentor", "mentee"))
    inputs = mentorship_inputs(program)
    mentees, mentors = inputs["mentees"], inputs["mentors"]
    locked = [(m.mentee.profile_id, m.mentor.profile_id) for m in kept
              if m.mentee.profile_id in mentees and m.mentor.profile_id in mentors]
    ended = MentorshipMatch.objects.filter(program=program, status=MentorshipMatch.Status.ENDED).values_list(
        "mentee__profile_id", "mentor__profile_id")
    try:
        result = mentorship_assign(
            list(mentees.values()), list(mentors.values()), managers=inputs["managers"],
            rules=_mentorship_rules(program), weights=_mentorship_weights(program),
            mode=program.objective,  # type: ignore[arg-type]
            locked=locked, forbidden=set(ended), rng=_rng("mentorship", program.pk),
        )
    except ValueError as error:
        raise Conflict(_("A locked match breaks a rule or a capacity: %(why)s") % {"why": error},
                       code="locked_invalid") from None
    kept_pairs = set(locked)
    signups = inputs["signups"]
    now = clock.now()
    created = [
        MentorshipMatch(program=program, mentor=signups[m.mentor_id], mentee=signups[m.mentee_id], score=float(m.score),
                        reasons=adapters.reasons_json(m.reasons), created_at=now)
        for m in result.matches if (m.mentee_id, m.mentor_id) not in kept_pairs
    ]
    MentorshipMatch.objects.bulk_create(created)
    # Refresh the explanation of locked drafts: weights may have changed since.
    scores = {(m.mentee_id, m.mentor_id): m for m in result.matches}
    for match in kept:
        found = scores.get((match.mentee.profile_id, match.mentor.profile_id))
        if found is not None and match.status == MentorshipMatch.Status.DRAFT:
            match.score, match.reasons = float(found.score), adapters.reasons_json(found.reasons)
            match.save(update_fields=["score", "reasons"])
    program.status = Program.Status.REVIEW
    program.save(update_fields=["status"])
    audit_record(action="pairing.mentorship.ran", actor=actor, target=program,
                 data={"matches": len(result.matches), "unmatched": len(result.unmatched), "method": result.method})
    return {"matches": len(result.matches), "new": len(created), "unmatched": list(result.unmatched),
            "total_score": float(result.total_score)}


def _draft(actor: User, match: MentorshipMatch) -> Program:
    program = match.program
    check(policy.can_review(standing(actor, program)), _("Only the program's owner reviews the draft."))
    if match.status != MentorshipMatch.Status.DRAFT:
        raise Conflict(_("That match is already published."), code="published")
    return program


@transaction.atomic
def mentorship_match_lock(*, actor: User, match: MentorshipMatch, locked: bool) -> MentorshipMatch:
    _draft(actor, match)
    if match.locked != locked:
        match.locked = locked
        match.save(update_fields=["locked"])
        audit_record(action="pairing.mentorship.locked" if locked else "pairing.mentorship.unlocked", actor=actor,
                     target=match)
    return match


@transaction.atomic
def mentorship_match_swap(*, actor: User, match: MentorshipMatch, mentor: Signup) -> MentorshipMatch:
    """Give a mentee another mentor by hand: checked against the hard rules and capacity, then locked."""
    program = _draft(actor, match)
    if mentor.program_id != program.pk or mentor.role != Signup.Role.MENTOR or mentor.withdrawn_at is not None:
        raise ApplicationError(_("Choose a mentor of this program."), code="not_a_mentor")
    if mentor.pk == match.mentor_id:
        return match
    Signup.objects.select_for_update().filter(pk=mentor.pk).first()
    taken = MentorshipMatch.objects.filter(mentor=mentor, status__in=[MentorshipMatch.Status.DRAFT,
                                                                      MentorshipMatch.Status.PUBLISHED]).count()
    if taken >= mentor.capacity:
        raise Conflict(_("%(name)s already has %(n)d mentee(s), their capacity.")
                       % {"name": mentor.profile.display_name, "n": mentor.capacity}, code="capacity")
    inputs = mentorship_inputs(program, Signup.objects.filter(pk__in=[mentor.pk, match.mentee_id])
                               .prefetch_related("skills", "preferred_mentors"))
    mentee_input = inputs["mentees"].get(match.mentee.profile_id)
    mentor_input = inputs["mentors"].get(mentor.profile_id)
    if mentee_input is None or mentor_input is None:
        raise ApplicationError(_("That person is no longer active."), code="inactive")
    blocker = mentorship_pair_blocker(mentee_input, mentor_input, managers=inputs["managers"],
                                      rules=_mentorship_rules(program))
    if blocker:
        raise Conflict(_("Not possible: %(why)s.") % {"why": blocker}, code="hard_rule")
    fit = mentorship_pair_score(mentee_input, mentor_input, weights=_mentorship_weights(program))
    match.mentor = mentor
    match.score = float(fit.score)
    match.reasons = adapters.reasons_json(fit.reasons)
    match.locked = True
    match.save(update_fields=["mentor", "score", "reasons", "locked"])
    audit_record(action="pairing.mentorship.swapped", actor=actor, target=match, data={"mentor": mentor.profile_id})
    return match


@transaction.atomic
def mentorship_publish(*, actor: User, program: Program) -> int:
    """Publish the reviewed drafts: the pairs are told, and their check-ins begin."""
    program = Program.objects.select_for_update().get(pk=program.pk)
    check(policy.can_review(standing(actor, program)), _("Only the program's owner publishes, after a run."))
    drafts = list(MentorshipMatch.objects.filter(program=program, status=MentorshipMatch.Status.DRAFT)
                  .select_related("mentor__profile__user", "mentee__profile__user"))
    now = clock.now()
    for match in drafts:
        match.status = MentorshipMatch.Status.PUBLISHED
        match.published_at = now
    MentorshipMatch.objects.bulk_update(drafts, ["status", "published_at"])
    program.status = Program.Status.PUBLISHED
    program.save(update_fields=["status"])
    audit_record(action="pairing.mentorship.published", actor=actor, target=program, data={"matches": len(drafts)})
    for match in drafts:
        notify.mentorship_published(program_name=program.name, match_id=match.pk, mentor=match.mentor.profile,
                                    mentee=match.mentee.profile, actor=actor)
    return len(drafts)


def _in_pair(actor: User, match: MentorshipMatch) -> Profile:
    profile = actor_profile(actor)
    check(profile.pk in (match.mentor.profile_id, match.mentee.profile_id), _("Only the mentor and the mentee can do that."))
    return profile


@transaction.atomic
def mentorship_rematch_request(*, actor: User, match: MentorshipMatch, reason: str = "") -> MentorshipMatch:
    """Either side ends the match and asks for another: the mentee is matched again at the next run, never
    with the same mentor; the owner is told."""
    profile = _in_pair(actor, match)
    match = MentorshipMatch.objects.select_for_update(of=("self",)).select_related("program", "program__owner__user",
                                                                       "mentor", "mentee").get(pk=match.pk)
    if match.status != MentorshipMatch.Status.PUBLISHED:
        raise Conflict(_("Only a running mentorship can be rematched."), code="not_running")
    match.status = MentorshipMatch.Status.ENDED
    match.ended_at = clock.now()
    match.rematch_requested_by = profile
    match.rematch_reason = _clean_text(reason, field=_("The reason"), max_length=500)
    match.save(update_fields=["status", "ended_at", "rematch_requested_by", "rematch_reason"])
    audit_record(action="pairing.mentorship.rematch_requested", actor=actor, target=match)
    notify.mentorship_rematch(program_id=match.program_id, program_name=match.program.name, owner=match.program.owner,
                              asked_by=profile)
    return match


@transaction.atomic
def checkin_add(*, actor: User, match: MentorshipMatch, met_on: dt.date, notes: str = "") -> Checkin:
    """Log a meeting. The notes are for the pair only; the facts say only that they met."""
    profile = _in_pair(actor, match)
    if match.status != MentorshipMatch.Status.PUBLISHED:
        raise Conflict(_("This mentorship is not running."), code="not_running")
    today = clock.now().date()
    if met_on > today + dt.timedelta(days=1) or met_on < today - dt.timedelta(days=366):
        raise ApplicationError(_("Give the date you met (within the past year)."), code="bad_date")
    notes = _clean_text(notes, field=_("The notes"), max_length=5000)
    checkin = Checkin.objects.create(match=match, author=profile, met_on=met_on, notes=notes,
                                     notes_html=str(render_markdown(notes)), created_at=clock.now())
    other = match.mentee.profile if profile.pk == match.mentor.profile_id else match.mentor.profile
    program = match.program
    participation_record(member_id=profile.pk, verb="mentoring_checkin", department_id=profile.department_id,
                         program_id=program.pk, group_id=program.group_id, object_type="mentorship",
                         object_id=match.pk)
    interaction_record(actor_id=profile.pk, other_id=other.pk, kind="mentoring_checkin",
                       actor_department_id=profile.department_id, other_department_id=other.department_id,
                       program_id=program.pk, group_id=program.group_id)
    audit_record(action="pairing.mentorship.checkin", actor=actor, target=match)
    return checkin


@transaction.atomic
def mentorship_progress_set(*, actor: User, match: MentorshipMatch, progress: int, note: str = "") -> MentorshipMatch:
    _in_pair(actor, match)
    if match.status != MentorshipMatch.Status.PUBLISHED:
        raise Conflict(_("This mentorship is not running."), code="not_running")
    if not isinstance(progress, int) or not 0 <= progress <= 100:
        raise ApplicationError(_("Progress is a percentage from 0 to 100."), code="bad_progress")
    match.goal_progress = progress
    match.goal_note = _clean_text(note, field=_("The note"), max_length=500)
    match.save(update_fields=["goal_progress", "goal_note"])
    audit_record(action="pairing.mentorship.progress", actor=actor, target=match, data={"progress": progress})
    return match


def _mentorship_complete(match: MentorshipMatch, *, actor: User) -> None:
    now = clock.now()
    match.status = MentorshipMatch.Status.COMPLETED
    match.ended_at = now
    match.save(update_fields=["status", "ended_at"])
    program = match.program
    for signup in (match.mentor, match.mentee):
        person = signup.profile
        participation_record(member_id=person.pk, verb="completed_mentorship", department_id=person.department_id,
                             program_id=program.pk, group_id=program.group_id, object_type="mentorship",
                             object_id=match.pk, occurred_at=now)
        _celebrate(person, match, now)
    audit_record(action="pairing.mentorship.completed", actor=actor, target=match)


def _celebrate(person: Profile, match: MentorshipMatch, at: dt.datetime) -> None:
    """Recognition celebrates the milestone (once per person and program; it respects their opt-out)."""
    from courtyard.recognition.services import celebration_milestone_record

    celebration_milestone_record(
        profile_id=person.pk, program_id=match.program_id, occurred_at=at,
        title=_("Completed a mentorship in %(program)s") % {"program": match.program.name},
    )


@transaction.atomic
def mentorship_complete(*, actor: User, match: MentorshipMatch) -> MentorshipMatch:
    """The mentor or mentee marks their mentorship complete."""
    _in_pair(actor, match)
    match = MentorshipMatch.objects.select_for_update(of=("self",)).select_related(
        "program", "mentor__profile", "mentee__profile").get(pk=match.pk)
    if match.status == MentorshipMatch.Status.COMPLETED:
        return match
    if match.status != MentorshipMatch.Status.PUBLISHED:
        raise Conflict(_("This mentorship is not running."), code="not_running")
    _mentorship_complete(match, actor=actor)
    return match


@transaction.atomic
def pulse_answer(*, actor: User, program: Program, phase: str, score: int, comment: str = "") -> None:
    """A participant's mid-point or final pulse. Who answered and what they answered are stored apart, with
    no key between them; the answer keeps only its date."""
    profile = actor_profile(actor)
    if phase not in PulseResponse.Phase.values:
        raise ApplicationError(_("Choose the mid-point or the final pulse."), code="invalid_choice")
    if not isinstance(score, int) or not 1 <= score <= 5:
        raise ApplicationError(_("Answer with 1 to 5."), code="bad_score")
    in_match = MentorshipMatch.objects.filter(
        Q(mentor__profile=profile) | Q(mentee__profile=profile), program=program,
        status__in=[MentorshipMatch.Status.PUBLISHED, MentorshipMatch.Status.COMPLETED],
    ).exists()
    check(in_match, _("Only mentors and mentees with a match answer the pulse."))
    if phase not in pulse_phases(program):
        raise Conflict(_("That pulse is not open now."), code="pulse_closed")
    comment = _clean_text(comment, field=_("The comment"), max_length=2000)
    try:
        with transaction.atomic():
            PulseResponse.objects.create(program=program, phase=phase, profile=profile)
    except IntegrityError:
        raise Conflict(_("You already answered this pulse."), code="already_answered") from None
    from courtyard.core.domain.anonymity import coarse_date

    PulseAnswer.objects.create(program=program, phase=phase, score=score, comment=comment,
                               answered_on=coarse_date(clock.now()))


def pulse_phases(program: Program) -> tuple[str, ...]:
    return schedule.pulse_phases_open(
        today=clock.now().date(), starts_on=program.starts_on, ends_on=program.ends_on,
        published=MentorshipMatch.objects.filter(program=program).exclude(status=MentorshipMatch.Status.DRAFT).exists(),
        closed=program.status == Program.Status.CLOSED,
    )


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
    from courtyard.groups import services as groups

    program = team.program
    check(policy.can_manage(standing(actor, program)), _("Only the program's owner can do that."))
    if program.status != Program.Status.PUBLISHED:
        raise Conflict(_("Publish the teams first."), code="not_published")
    if team.group_id is not None:
        raise Conflict(_("This team already has a group."), code="has_group")
    group = groups.group_create(
        actor=actor, name=f"{program.name}: {team.name}"[:100], kind=Group.Kind.CROSS_FUNCTIONAL,
        join_policy=Group.JoinPolicy.INVITATION, read_access=Group.ReadAccess.MEMBERS,
        description=_("The group of %(team)s, formed in %(program)s.") % {"team": team.name, "program": program.name},
    )
    me = actor_profile(actor)
    for row in TeamMember.objects.filter(team=team).select_related("profile"):
        if row.profile_id != me.pk and row.profile.is_active:
            groups.membership_invite(actor=actor, group=group, profile=row.profile)
    team.group = group
    team.save(update_fields=["group"])
    audit_record(action="pairing.teams.group_created", actor=actor, target=program, data={"team": team.pk, "group": group.pk})
    return group
