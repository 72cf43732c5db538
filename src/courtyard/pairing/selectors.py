"""Reads for pairing, each with its own joins so pages and API lists run a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet, Value

from courtyard.accounts.models import User
from courtyard.core import clock
from courtyard.core.access import parse_id
from courtyard.core.domain.anonymity import effective_minimum, withheld
from courtyard.core.errors import NotFound
from courtyard.pairing import adapters
from courtyard.pairing.access import visible_programs
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
from courtyard.people.access import actor_profile, can_see_all_fields
from courtyard.people.domain.directory import visible_optional_fields
from courtyard.people.models import Profile

CURRENT_MATCH_DAYS = 45  # a coffee match older than this is not "current" any more
PROGRAMS_LIMIT = 100
ROUNDS_SHOWN = 12


def _members_prefetch() -> Prefetch[Any]:
    return Prefetch(
        "members",
        queryset=CoffeeMatchMember.objects.select_related(
            "profile", "profile__department", "profile__team", "profile__location", "profile__user",
        ).order_by("profile__full_name"),
    )


def programs_for(actor: User, *, kind: str = "", status: str = "") -> list[Program]:
    """The programs the actor may see, open ones first, with participant counts and the actor's sign-up."""
    me = actor_profile(actor)
    programs = visible_programs(actor).select_related("group", "owner")
    if kind:
        programs = programs.filter(kind=kind)
    if status:
        programs = programs.filter(status=status)
    programs = programs.annotate(
        participant_count=Count("signups", filter=Q(signups__withdrawn_at__isnull=True), distinct=True)
    ).prefetch_related(
        Prefetch("signups", queryset=Signup.objects.filter(profile=me, withdrawn_at__isnull=True), to_attr="my_signups")
    ).order_by("status", "-created_at", "-id")
    return list(programs[:PROGRAMS_LIMIT])


def current_coffee_matches(profile: Profile, *, program: Program | None = None) -> list[CoffeeMatch]:
    """The member's latest match in each coffee program (the one of its most recent round), with everyone in it
    and, as ``partners``, the people other than the member."""
    since = clock.now() - dt.timedelta(days=CURRENT_MATCH_DAYS)
    matches = CoffeeMatch.objects.filter(members__profile=profile, created_at__gte=since)
    if program is not None:
        matches = matches.filter(program=program)
    rows = list(
        matches.select_related("program", "round").prefetch_related(_members_prefetch())
        .order_by("-round__round_date", "-id")[:20]
    )
    latest: dict[int, CoffeeMatch] = {}
    for match in rows:
        latest.setdefault(match.program_id, match)
    for match in latest.values():
        match.partners = [m.profile for m in match.members.all() if m.profile_id != profile.pk]  # type: ignore[attr-defined]
    return list(latest.values())


def coffee_match_detail(match: CoffeeMatch) -> CoffeeMatch:
    return (
        CoffeeMatch.objects.select_related("program", "round", "answered_by", "meet_suggested_by")
        .prefetch_related(_members_prefetch())
        .get(pk=match.pk)
    )


def contact_card(viewer: User, profile: Profile) -> dict[str, Any]:
    """How to reach a match partner: what their directory profile shows this viewer, no more. The optional
    fields follow the partner's choices (``hidden_fields``) as on the profile page; their local time is read
    on their own clock. No query: the match's members are loaded with their department, team, location and
    account."""
    visible = visible_optional_fields(
        Profile.OPTIONAL_FIELDS, profile.hidden_fields, viewer_sees_all=can_see_all_fields(viewer, profile)
    )
    card: dict[str, Any] = {"profile": profile, "email": profile.user.email if profile.user_id else "",
                            "department": profile.department, "team": profile.team}
    if "pronouns" in visible and profile.pronouns:
        card["pronouns"] = profile.pronouns
    if "location" in visible and profile.location is not None:
        card["location"] = profile.location.name
    if "languages" in visible and profile.languages:
        card["languages"] = profile.languages
    if "timezone" in visible and profile.timezone:
        card["timezone"] = profile.timezone
        card["local_time"] = clock.now().astimezone(clock.safe_zone(profile.timezone)).time()
    return card


def my_mentorships(profile: Profile) -> list[MentorshipMatch]:
    return list(
        MentorshipMatch.objects.filter(Q(mentor__profile=profile) | Q(mentee__profile=profile))
        .exclude(status=MentorshipMatch.Status.DRAFT)
        .select_related("program", "mentor__profile", "mentee__profile")
        .order_by("-published_at", "-id")[:20]
    )


def coffee_overview(program: Program) -> dict[str, Any]:
    """The organizer's view: participants, rounds with their meeting rate, and how many pairs crossed departments."""
    participants = Signup.objects.filter(program=program, withdrawn_at__isnull=True).aggregate(
        active=Count("pk"), snoozed=Count("pk", filter=Q(snoozed_until__gt=clock.today_in(program.timezone))),
    )
    rounds = list(
        CoffeeRound.objects.filter(program=program).annotate(
            match_count=Count("matches"),
            met_count=Count("matches", filter=Q(matches__outcome=CoffeeMatch.Outcome.MET)),
            answered_count=Count("matches", filter=~Q(matches__outcome="")),
            crossing_count=Count("matches", filter=Q(matches__crosses_departments=True)),
        ).order_by("-round_date")[:ROUNDS_SHOWN]
    )
    totals = CoffeeMatch.objects.filter(program=program).aggregate(
        matches=Count("pk"), met=Count("pk", filter=Q(outcome=CoffeeMatch.Outcome.MET)),
        answered=Count("pk", filter=~Q(outcome="")), crossing=Count("pk", filter=Q(crosses_departments=True)),
    )
    matches = totals["matches"] or 0
    return {
        "participants": participants["active"], "snoozed": participants["snoozed"],
        "rounds": rounds, "round_count": CoffeeRound.objects.filter(program=program).count(),
        "matches": matches,
        "meeting_rate": (totals["met"] / matches) if matches else None,
        "answer_rate": (totals["answered"] / matches) if matches else None,
        "crossing_share": (totals["crossing"] / matches) if matches else None,
    }


def program_sides(program: Program) -> tuple[str, str]:
    if program.scope != Program.Scope.CROSS:
        return "", ""
    return adapters.side_label(program.side_a), adapters.side_label(program.side_b)


def mentorship_overview(program: Program) -> dict[str, Any]:
    signups = Signup.objects.filter(program=program, withdrawn_at__isnull=True).aggregate(
        mentors=Count("pk", filter=Q(role=Signup.Role.MENTOR)),
        mentees=Count("pk", filter=Q(role=Signup.Role.MENTEE)),
    )
    by_status = dict(
        MentorshipMatch.objects.filter(program=program).values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    running = by_status.get("published", 0)
    completed = by_status.get("completed", 0)
    return {
        **signups,
        "drafts": by_status.get("draft", 0), "running": running, "completed": completed,
        "rematches": by_status.get("ended", 0),
        "completion_rate": completed / (running + completed) if running + completed else None,
        "checkins": Checkin.objects.filter(match__program=program).count(),
        "pulses": pulse_summary(program),
    }


def pulse_summary(program: Program) -> list[dict[str, Any]]:
    """The owner's aggregate of each pulse: withheld below the anonymity minimum; comments only above it."""
    minimum = effective_minimum(None)
    answers: dict[str, list[PulseAnswer]] = defaultdict(list)
    for answer in PulseAnswer.objects.filter(program=program).only("phase", "score", "comment"):
        answers[answer.phase].append(answer)
    summary = []
    for phase, label in PulseResponse.Phase.choices:
        rows = answers.get(phase, [])
        hidden = withheld(len(rows), minimum) if rows else False
        scores = [a.score for a in rows]
        summary.append({
            "phase": phase, "label": label, "responses": len(rows), "withheld": hidden, "minimum": minimum,
            "average": None if hidden or not rows else round(sum(scores) / len(scores), 2),
            "distribution": None if hidden or not rows else [scores.count(v) for v in range(1, 6)],
            # Sorted by text, never by time: the order must not tell who wrote what.
            "comments": [] if hidden else sorted(a.comment for a in rows if a.comment),
        })
    return summary


def mentorship_review(program: Program) -> dict[str, Any]:
    """Every current match with its reasons, mentors with their load, and the mentees nobody was matched with."""
    matches = list(
        MentorshipMatch.objects.filter(program=program)
        .exclude(status=MentorshipMatch.Status.COMPLETED)
        .select_related("mentor__profile__department", "mentee__profile__department", "rematch_requested_by")
        .order_by("status", "mentee__profile__full_name", "id")
    )
    signups = list(
        Signup.objects.filter(program=program, withdrawn_at__isnull=True, role__in=[Signup.Role.MENTOR, Signup.Role.MENTEE])
        .select_related("profile", "profile__department")
        .order_by("profile__full_name")
    )
    current = [m for m in matches if m.is_current]
    load: dict[int, int] = defaultdict(int)
    matched_mentees = set()
    for match in current:
        load[match.mentor_id] += 1
        matched_mentees.add(match.mentee_id)
    mentors = [s for s in signups if s.role == Signup.Role.MENTOR]
    for mentor in mentors:
        mentor.load = load.get(mentor.pk, 0)  # type: ignore[attr-defined]
    return {
        "drafts": [m for m in current if m.status == MentorshipMatch.Status.DRAFT],
        "published": [m for m in current if m.status == MentorshipMatch.Status.PUBLISHED],
        "ended": [m for m in matches if m.status == MentorshipMatch.Status.ENDED],
        "mentors": mentors,
        "unmatched": [s for s in signups if s.role == Signup.Role.MENTEE and s.pk not in matched_mentees],
        "total_score": round(sum(m.score for m in current), 2),
    }


def mentorship_detail(match: MentorshipMatch) -> dict[str, Any]:
    return {"checkins": list(Checkin.objects.filter(match=match).select_related("author"))}


def teams_overview(program: Program) -> dict[str, Any]:
    teams = list(
        FormedTeam.objects.filter(program=program).prefetch_related(
            Prefetch("members", queryset=TeamMember.objects.select_related("profile", "profile__department")
                     .order_by("profile__full_name"))
        ).select_related("group")
    )
    requests = list(TeamRequest.objects.filter(program=program).select_related("first", "second").order_by("id"))
    pool = list(
        Signup.objects.filter(program=program, role=Signup.Role.POOL, withdrawn_at__isnull=True)
        .select_related("profile", "profile__department").order_by("profile__full_name")
    )
    placed = {m.profile_id for t in teams for m in t.members.all()}
    return {"teams": teams, "requests": requests, "pool": pool, "unplaced": [s for s in pool if s.profile_id not in placed]}


def my_team(program: Program, profile: Profile) -> FormedTeam | None:
    membership = TeamMember.objects.filter(program=program, profile=profile).select_related("team").first()
    if membership is None:
        return None
    team = FormedTeam.objects.prefetch_related(
        Prefetch("members", queryset=TeamMember.objects.select_related("profile", "profile__department")
                 .order_by("profile__full_name"))
    ).get(pk=membership.team_id)
    return team


def my_program_matches(program: Program, profile: Profile) -> list[MentorshipMatch]:
    return list(
        MentorshipMatch.objects.filter(program=program).filter(Q(mentor__profile=profile) | Q(mentee__profile=profile))
        .exclude(status=MentorshipMatch.Status.DRAFT)
        .select_related("mentor__profile", "mentee__profile").order_by("-id")
    )


def do_not_pair_list(profile: Profile) -> list[DoNotPair]:
    return list(DoNotPair.objects.filter(profile=profile).select_related("other", "other__department").order_by("other__full_name"))


def signup_in(program: Program, signup_id: object) -> Signup:
    signup = Signup.objects.select_related("profile").filter(program=program, pk=parse_id(signup_id)).first()
    if signup is None:
        raise NotFound("No such sign-up.")
    return signup


def mentorship_match_in(program: Program, match_id: object) -> MentorshipMatch:
    match = MentorshipMatch.objects.select_related("program", "mentor__profile", "mentee__profile").filter(
        program=program, pk=parse_id(match_id)).first()
    if match is None:
        raise NotFound("No such match.")
    return match


def team_in(program: Program, team_id: object) -> FormedTeam:
    team = FormedTeam.objects.select_related("program").filter(program=program, pk=parse_id(team_id)).first()
    if team is None:
        raise NotFound("No such team.")
    return team


def team_member_in(program: Program, member_id: object) -> TeamMember:
    member = TeamMember.objects.select_related("team", "profile").filter(program=program, pk=parse_id(member_id)).first()
    if member is None:
        raise NotFound("No such team member.")
    return member


def team_request_in(program: Program, request_id: object) -> TeamRequest:
    request = TeamRequest.objects.select_related("program").filter(program=program, pk=parse_id(request_id)).first()
    if request is None:
        raise NotFound("No such request.")
    return request


def rounds_page(program: Program, *, limit: int = 50) -> QuerySet[CoffeeRound]:
    return CoffeeRound.objects.filter(program=program).annotate(
        match_count=Count("matches"), met_count=Count("matches", filter=Q(matches__outcome=CoffeeMatch.Outcome.MET)),
    ).order_by("-round_date")[:limit]


def signups_of(program: Program, *, limit: int = 500) -> list[Signup]:
    return list(
        Signup.objects.filter(program=program, withdrawn_at__isnull=True)
        .select_related("profile", "profile__department").prefetch_related("skills")
        .order_by("role", "profile__full_name")[:limit]
    )


# --- Programs, for insights ------------------------------------------------------------------------
# Insights show a program's figures to whoever runs it (policy.can_manage): its owner and community admins.
# ``profile`` may be a Profile, its id or an OuterRef to one.


def programs_owned_by(profile: Any) -> QuerySet[Program]:
    return Program.objects.filter(owner=profile)


def programs_run_by(profile_id: int) -> list[tuple[int, str]]:
    """(id, name) of the programs the member owns, by name, in one query."""
    return list(programs_owned_by(profile_id).order_by("name", "pk").values_list("pk", "name")[:PROGRAMS_LIMIT])


def program_choices() -> QuerySet[Program, tuple[str, int, str]]:
    """Every program, as ("program", id, name) rows: a picker's options (to combine with others)."""
    return (Program.objects.order_by().annotate(scope_kind=Value("program"), label=F("name"))
            .values_list("scope_kind", "pk", "label"))


def program_name(program_id: int) -> str | None:
    """The name of a program (any: for community admins), or None when there is no such program."""
    return Program.objects.filter(pk=program_id).values_list("name", flat=True).first()
