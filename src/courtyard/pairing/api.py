"""The pairing API: thin handlers over access, services and selectors."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.urls import reverse
from ninja import Field, Router, Schema, Status

from courtyard.accounts.http import ApiRequest
from courtyard.core.access import is_admin
from courtyard.core.errors import ApplicationError
from courtyard.core.schemas import CleanText, DbId, InputSchema, Ok, PersonRef
from courtyard.groups.access import access_group
from courtyard.pairing import selectors, services
from courtyard.pairing.access import (
    access_coffee_match,
    access_managed_program,
    access_mentorship,
    access_program,
    actor_profile,
)
from courtyard.pairing.domain import policy
from courtyard.pairing.models import CoffeeMatch, MentorshipMatch, Program, Signup
from courtyard.people.models import Profile

router = Router()


class ReasonOut(Schema):
    label: str
    points: float


class MySignup(Schema):
    role: str
    snoozed_until: dt.date | None


class ProgramOut(Schema):
    id: int
    kind: str
    name: str
    description: str
    description_html: str
    status: str
    scope: str
    group: str | None = Field(None, description="The group's slug, for group programs")
    owner: PersonRef | None
    starts_on: dt.date | None
    ends_on: dt.date | None
    cadence: str
    weekday: int
    local_time: str
    timezone: str
    group_size: int
    lookback_rounds: int
    next_round_at: dt.datetime | None
    goals: str
    objective: str
    team_min: int
    team_max: int
    my_signup: MySignup | None
    can_manage: bool
    url: str


class SideIn(InputSchema):
    label: str = Field("", max_length=60)
    departments: list[DbId] = Field(default_factory=list, max_length=50)
    groups: list[DbId] = Field(default_factory=list, max_length=50)
    tenure: Literal["any", "newcomers", "seasoned"] = "any"


class WeightsIn(InputSchema):
    skill_fit: float | None = Field(None, ge=-20, le=20)
    department_difference: float | None = Field(None, ge=-20, le=20)
    seniority_gap: float | None = Field(None, ge=-20, le=20)
    timezone_overlap: float | None = Field(None, ge=-20, le=20)
    language: float | None = Field(None, ge=-20, le=20)
    preference: float | None = Field(None, ge=-20, le=20)
    preferred_mentor: float | None = Field(None, ge=-20, le=20)


class ProgramSettings(InputSchema):
    description: CleanText | None = Field(None, max_length=5000)
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    cadence: Literal["weekly", "biweekly", "monthly"] | None = None
    weekday: int | None = Field(None, ge=0, le=6)
    local_time: dt.time | None = None
    timezone: str | None = Field(None, max_length=64)
    group_size: int | None = Field(None, ge=2, le=4)
    lookback_rounds: int | None = Field(None, ge=0, le=52)
    goals: CleanText | None = Field(None, max_length=5000)
    objective: Literal["best_total", "leave_nobody_unmatched"] | None = None
    weights: WeightsIn | None = None
    require_shared_language: bool | None = None
    team_min: int | None = Field(None, ge=2, le=50)
    team_max: int | None = Field(None, ge=2, le=50)
    side_a: SideIn | None = None
    side_b: SideIn | None = None


class ProgramIn(ProgramSettings):
    kind: Literal["coffee", "mentorship", "teams"]
    name: str = Field(..., min_length=1, max_length=100)
    scope: Literal["organization", "group", "cross"] = "organization"
    group: str | None = Field(None, max_length=110, description="Slug or id of the group (group programs)")


class ProgramPatch(ProgramSettings):
    name: str | None = Field(None, min_length=1, max_length=100)


class SignupIn(InputSchema):
    role: Literal["mentor", "mentee"] | None = Field(None, description="Mentorship only")
    capacity: int = Field(1, ge=1, le=5)
    goals: CleanText = Field("", max_length=2000)
    topics: str = Field("", max_length=300)
    languages: str = Field("", max_length=200)
    skills: list[str] = Field(default_factory=list, max_length=30)
    location_preference: Literal["", "same", "different"] = ""
    department_preference: Literal["", "same", "different"] = ""
    preferred_mentor_ids: list[DbId] = Field(default_factory=list, max_length=3)


class SignupOut(Schema):
    id: int
    person: PersonRef
    role: str
    capacity: int
    goals: str
    topics: str
    skills: list[str]
    snoozed_until: dt.date | None
    created_at: dt.datetime


class SnoozeIn(InputSchema):
    until: dt.date | None = None


class RoundOut(Schema):
    id: int
    round_date: dt.date
    status: str
    participants: int
    groups: int
    unmatched: int
    met: int


class CoffeeMatchOut(Schema):
    id: int
    program_id: int
    program: str
    round_date: dt.date
    people: list[PersonRef]
    score: float
    reasons: list[ReasonOut]
    starter: str
    outcome: str
    url: str


class AnswerIn(InputSchema):
    met: bool


class MentorshipOut(Schema):
    id: int
    program_id: int
    program: str
    status: str
    mentor: PersonRef
    mentee: PersonRef
    score: float
    reasons: list[ReasonOut]
    locked: bool
    goal_progress: int
    url: str


class MatchPatch(InputSchema):
    locked: bool | None = None
    mentor_signup_id: int | None = Field(None, ge=1, description="Give the mentee this mentor (locks the match)")


class CheckinIn(InputSchema):
    met_on: dt.date
    notes: CleanText = Field("", max_length=5000)


class CheckinOut(Schema):
    id: int
    author: PersonRef
    met_on: dt.date
    notes: str
    notes_html: str
    created_at: dt.datetime


class RunOut(Schema):
    kind: str
    status: str
    groups: int = Field(0, description="Coffee: groups made; mentorship: matches; teams: teams")
    unmatched: int = 0


class PublishOut(Schema):
    published: int


def person(profile: Profile | None) -> dict[str, Any] | None:
    return {"id": profile.pk, "display_name": profile.display_name} if profile is not None else None


def program_out(program: Program, current: policy.Standing, signup: Signup | None) -> dict[str, Any]:
    return {
        "id": program.pk, "kind": program.kind, "name": program.name, "description": program.description,
        "description_html": program.description_html, "status": program.status, "scope": program.scope,
        "group": program.group.slug if program.group is not None else None, "owner": person(program.owner),
        "starts_on": program.starts_on, "ends_on": program.ends_on, "cadence": program.cadence,
        "weekday": program.weekday, "local_time": program.local_time.strftime("%H:%M"), "timezone": program.timezone,
        "group_size": program.group_size, "lookback_rounds": program.lookback_rounds,
        "next_round_at": program.next_round_at, "goals": program.goals, "objective": program.objective,
        "team_min": program.team_min, "team_max": program.team_max,
        "my_signup": {"role": signup.role, "snoozed_until": signup.snoozed_until} if signup else None,
        "can_manage": policy.can_manage(current), "url": reverse("pairing:program", args=[program.pk]),
    }


def _settings(payload: ProgramSettings) -> dict[str, Any]:
    data = payload.dict(exclude_unset=True)
    if "weights" in data:
        data["weights"] = {k: v for k, v in (data["weights"] or {}).items() if v is not None}
    for field in ("name", "description", "cadence", "weekday", "local_time", "timezone", "group_size",
                  "lookback_rounds", "goals", "objective", "require_shared_language", "team_min", "team_max"):
        if field in data and data[field] is None:
            del data[field]  # null means "unchanged" for settings that always have a value
    return data


def coffee_match_out(match: CoffeeMatch) -> dict[str, Any]:
    return {
        "id": match.pk, "program_id": match.program_id, "program": match.program.name,
        "round_date": match.round.round_date, "people": [person(m.profile) for m in match.members.all()],
        "score": match.score, "reasons": match.reasons, "starter": match.starter, "outcome": match.outcome,
        "url": reverse("pairing:coffee_match", args=[match.pk]),
    }


def mentorship_out(match: MentorshipMatch) -> dict[str, Any]:
    return {
        "id": match.pk, "program_id": match.program_id, "program": match.program.name, "status": match.status,
        "mentor": person(match.mentor.profile), "mentee": person(match.mentee.profile), "score": match.score,
        "reasons": match.reasons, "locked": match.locked, "goal_progress": match.goal_progress,
        "url": reverse("pairing:mentorship", args=[match.pk]),
    }


def signup_out(signup: Signup) -> dict[str, Any]:
    return {
        "id": signup.pk, "person": person(signup.profile), "role": signup.role, "capacity": signup.capacity,
        "goals": signup.goals, "topics": signup.topics, "skills": [t.name for t in signup.skills.all()],
        "snoozed_until": signup.snoozed_until, "created_at": signup.created_at,
    }


# --- Programs ---------------------------------------------------------------------------------


@router.get("/programs", response=list[ProgramOut], summary="The programs you may see")
def programs_list(
    request: ApiRequest,
    kind: Literal["", "coffee", "mentorship", "teams"] = "",
    status: Literal["", "open", "review", "published", "paused", "closed"] = "",
) -> list[dict[str, Any]]:
    me = actor_profile(request.auth)
    rows = []
    for program in selectors.programs_for(request.auth, kind=kind, status=status):
        mine = program.my_signups[0] if program.my_signups else None  # type: ignore[attr-defined]
        # Listed means visible: the standing needs no group lookup per program.
        current = policy.Standing(kind=program.kind, status=program.status, is_admin=is_admin(request.auth),
                                  is_owner=program.owner_id == me.pk, role=mine.role if mine else None)
        rows.append(program_out(program, current, mine))
    return rows


@router.post("/programs", response={201: ProgramOut}, summary="Start a program (admins; group organizers for their group)")
def program_create(request: ApiRequest, payload: ProgramIn) -> Status:
    group = None
    if payload.group:
        group, _current, _membership = access_group(request.auth, payload.group)
    settings = _settings(payload)
    for field in ("kind", "name", "scope", "group"):
        settings.pop(field, None)
    program = services.program_create(actor=request.auth, kind=payload.kind, name=payload.name, scope=payload.scope,
                                      group=group, **settings)
    program, current, signup = access_program(request.auth, program.pk)
    return Status(201, program_out(program, current, signup))


@router.get("/programs/{program_id}", response=ProgramOut, summary="One program")
def program_detail(request: ApiRequest, program_id: int) -> dict[str, Any]:
    program, current, signup = access_program(request.auth, program_id)
    return program_out(program, current, signup)


@router.patch("/programs/{program_id}", response=ProgramOut, summary="Change a program's settings (its owner)")
def program_update(request: ApiRequest, program_id: int, payload: ProgramPatch) -> dict[str, Any]:
    program, current, signup = access_program(request.auth, program_id)
    services.program_update(actor=request.auth, program=program, data=_settings(payload))
    return program_out(program, current, signup)


@router.post("/programs/{program_id}/signup", response=SignupOut, summary="Join: opt into coffee, sign up as mentor or mentee, or to a team pool")
def signup_join(request: ApiRequest, program_id: int, payload: SignupIn) -> dict[str, Any]:
    program, _current, _signup = access_program(request.auth, program_id)
    data = payload.dict()
    mentor_ids = data.pop("preferred_mentor_ids")
    mentors = list(Profile.objects.filter(pk__in=mentor_ids, is_active=True))
    if len(mentors) != len(set(mentor_ids)):
        raise ApplicationError("A preferred mentor is not in the directory.", code="unknown_person")
    signup = services.signup_join(actor=request.auth, program=program, preferred_mentors=mentors, **data)
    return signup_out(signup)


@router.delete("/programs/{program_id}/signup", response=Ok, summary="Opt out or withdraw")
def signup_withdraw(request: ApiRequest, program_id: int) -> dict[str, bool]:
    program, _current, _signup = access_program(request.auth, program_id)
    services.signup_withdraw(actor=request.auth, program=program)
    return {"ok": True}


@router.post("/programs/{program_id}/snooze", response=MySignup, summary="Skip coffee rounds until a date (null: back now)")
def signup_snooze(request: ApiRequest, program_id: int, payload: SnoozeIn) -> Signup:
    program, _current, _signup = access_program(request.auth, program_id)
    return services.signup_snooze(actor=request.auth, program=program, until=payload.until)


@router.get("/programs/{program_id}/signups", response=list[SignupOut], summary="Who signed up (the program's owner)")
def signups_list(request: ApiRequest, program_id: int) -> list[dict[str, Any]]:
    program, _current = access_managed_program(request.auth, program_id)
    return [signup_out(s) for s in selectors.signups_of(program)]


@router.post("/programs/{program_id}/run", response=RunOut, summary="Run a coffee round now, the mentorship assignment, or the team formation")
def program_run(request: ApiRequest, program_id: int) -> dict[str, Any]:
    program, _current = access_managed_program(request.auth, program_id)
    if program.is_coffee:
        coffee = services.coffee_round_run_now(actor=request.auth, program=program)
        result = {"groups": coffee.groups, "unmatched": coffee.unmatched}
    elif program.is_mentorship:
        ran = services.mentorship_run(actor=request.auth, program=program)
        result = {"groups": ran["matches"], "unmatched": len(ran["unmatched"])}
    else:
        result = {"groups": services.teams_run(actor=request.auth, program=program), "unmatched": 0}
    program.refresh_from_db(fields=["status"])
    return {"kind": program.kind, "status": program.status, **result}


@router.post("/programs/{program_id}/publish", response=PublishOut, summary="Publish the reviewed matches or teams")
def program_publish(request: ApiRequest, program_id: int) -> dict[str, int]:
    program, _current = access_managed_program(request.auth, program_id)
    if program.is_mentorship:
        return {"published": services.mentorship_publish(actor=request.auth, program=program)}
    if program.is_teams:
        return {"published": services.teams_publish(actor=request.auth, program=program)}
    raise ApplicationError("Coffee rounds are published as they run.", code="wrong_kind")


@router.get("/programs/{program_id}/rounds", response=list[RoundOut], summary="A coffee program's rounds (its owner)")
def rounds_list(request: ApiRequest, program_id: int) -> list[dict[str, Any]]:
    program, _current = access_managed_program(request.auth, program_id)
    return [{"id": r.pk, "round_date": r.round_date, "status": r.status, "participants": r.participants,
             "groups": r.groups, "unmatched": r.unmatched, "met": r.met_count}  # type: ignore[attr-defined]
            for r in selectors.rounds_page(program)]


@router.get("/programs/{program_id}/matches", response=list[MentorshipOut], summary="A mentorship cohort under review (its owner)")
def matches_list(request: ApiRequest, program_id: int) -> list[dict[str, Any]]:
    program, _current = access_managed_program(request.auth, program_id)
    review = selectors.mentorship_review(program)
    for match in review["drafts"] + review["published"]:
        match.program = program
    return [mentorship_out(m) for m in review["drafts"] + review["published"]]


@router.patch("/programs/{program_id}/matches/{match_id}", response=MentorshipOut, summary="Lock, unlock or change the mentor of a draft match")
def match_update(request: ApiRequest, program_id: int, match_id: int, payload: MatchPatch) -> dict[str, Any]:
    program, _current = access_managed_program(request.auth, program_id)
    match = selectors.mentorship_match_in(program, match_id)
    if payload.mentor_signup_id is not None:
        mentor = selectors.signup_in(program, payload.mentor_signup_id)
        match = services.mentorship_match_swap(actor=request.auth, match=match, mentor=mentor)
    if payload.locked is not None:
        match = services.mentorship_match_lock(actor=request.auth, match=match, locked=payload.locked)
    return mentorship_out(match)


# --- Your matches -----------------------------------------------------------------------------


@router.get("/coffee-matches", response=list[CoffeeMatchOut], summary="Your current coffee matches, with why you were paired")
def coffee_matches(request: ApiRequest) -> list[dict[str, Any]]:
    return [coffee_match_out(m) for m in selectors.current_coffee_matches(actor_profile(request.auth))]


@router.post("/coffee-matches/{match_id}/answer", response=CoffeeMatchOut, summary="Did you meet? (either person answers)")
def coffee_answer(request: ApiRequest, match_id: int, payload: AnswerIn) -> dict[str, Any]:
    match = access_coffee_match(request.auth, match_id)
    services.coffee_outcome_set(actor=request.auth, match=match, met=payload.met)
    return coffee_match_out(selectors.coffee_match_detail(match))


@router.get("/mentorships", response=list[MentorshipOut], summary="Your mentorships, as mentor or mentee")
def mentorships(request: ApiRequest) -> list[dict[str, Any]]:
    return [mentorship_out(m) for m in selectors.my_mentorships(actor_profile(request.auth))]


@router.get("/mentorships/{match_id}/checkins", response=list[CheckinOut], summary="Check-ins of your mentorship (private to the pair)")
def checkins_list(request: ApiRequest, match_id: int) -> list[dict[str, Any]]:
    match, _in_pair = access_mentorship(request.auth, match_id)
    return [{"id": c.pk, "author": person(c.author), "met_on": c.met_on, "notes": c.notes, "notes_html": c.notes_html,
             "created_at": c.created_at} for c in selectors.mentorship_detail(match)["checkins"]]


@router.post("/mentorships/{match_id}/checkins", response={201: CheckinOut}, summary="Log a mentoring check-in")
def checkin_create(request: ApiRequest, match_id: int, payload: CheckinIn) -> Status:
    match, _in_pair = access_mentorship(request.auth, match_id)
    c = services.checkin_add(actor=request.auth, match=match, met_on=payload.met_on, notes=payload.notes)
    return Status(201, {"id": c.pk, "author": person(c.author), "met_on": c.met_on, "notes": c.notes,
                        "notes_html": c.notes_html, "created_at": c.created_at})

