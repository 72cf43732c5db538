"""Deterministic demo data for pairing: `seed_pairing(rng=...)`, after people and groups.

- **Coffee for everyone**: an organization-wide weekly program with ~a quarter of the members opted in and
  16 weekly rounds of history, paired by the real engine with the program's own history; most groups met,
  some said they did not, some never answered (the latest round is still open).
- **Newcomers × seasoned**: a cross program started ten weeks ago (every 2 weeks): each newcomer meets a
  seasoned colleague; sides are decided on each round's date, as the service does.
- **Mentorship**: a cohort of senior mentors and newer mentees assigned by the engine and published, with
  check-ins, goal progress, one completed mentorship and mid-point pulse answers.
- **Teams**: an autumn hackathon pool split into published teams of 5 to 7.

Every row is bulk-inserted, and the activity facts (joined_coffee, paired, met + coffee_met,
joined_mentorship, mentoring_checkin, completed_mentorship, joined_team + teammates) are written as the
services would. Same people and the same ``rng`` give the same programs; only dates move with ``today``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import random
import time
from typing import Any

from django.db import transaction

from courtyard.core import clock
from courtyard.core.domain.anonymity import coarse_date
from courtyard.core.markdown import render_markdown
from courtyard.core.models import Interaction, Participation
from courtyard.core.seeding import SeedContext, SeedReport
from courtyard.pairing import adapters
from courtyard.pairing.domain import coffee_round, mentorship_assign, schedule, teams_form
from courtyard.pairing.domain.types import CoffeeRules, Mentee, Mentor, Person, TeamsRequest
from courtyard.pairing.models import (
    Checkin,
    CoffeeMatch,
    CoffeeMatchMember,
    CoffeeRound,
    FormedTeam,
    MentorshipMatch,
    Program,
    PulseAnswer,
    PulseResponse,
    Signup,
    TeamMember,
)
from courtyard.people.models import Tag
from courtyard.people.seed import seeded_profiles

COFFEE_NAME = "Coffee roulette"
CROSS_NAME = "Newcomers × seasoned colleagues"
MENTORSHIP_NAME = "Grow together: mentoring 2025"
TEAMS_NAME = "Autumn hackathon"
DEMO_NAMES = (COFFEE_NAME, CROSS_NAME, MENTORSHIP_NAME, TEAMS_NAME)
COFFEE_ROUNDS = 16
MAX_COFFEE = 3_000  # the large organization: a program as big as one office's, so seeding stays minutes
CHECKIN_NOTES = (
    "Talked about **goals for the quarter** and picked one to focus on.",
    "Reviewed a design doc together; next time: estimation.",
    "Went through the feedback from the last review.\n\n- practice presenting\n- ask for a stretch project",
    "Coffee walk. Mostly about career paths and how to find a sponsor.",
    "Shadowed a customer call, then debriefed.",
)
PULSE_COMMENTS = ("Really helpful so far.", "We struggle to find time.", "Great match!", "", "", "Clear goals help.")


@dataclasses.dataclass
class PairingSeedResult:
    programs: int = 0
    coffee_rounds: int = 0
    coffee_matches: int = 0
    met: int = 0
    mentorships: int = 0
    checkins: int = 0
    teams: int = 0
    participations: int = 0
    interactions: int = 0


def _delete_earlier() -> None:
    """Programs of an earlier demo seed lost their owner with the seeded people: remove them and their facts."""
    old = list(Program.objects.filter(name__in=DEMO_NAMES, owner__isnull=True).values_list("pk", flat=True))
    if old:
        Participation.objects.filter(program_id__in=old).delete()
        Interaction.objects.filter(program_id__in=old).delete()
        Program.objects.filter(pk__in=old).delete()


class Facts:
    def __init__(self, departments: dict[int, int | None], result: PairingSeedResult) -> None:
        self.departments = departments
        self.result = result
        self.participations: list[Participation] = []
        self.interactions: list[Interaction] = []

    def took_part(self, member: int, verb: str, at: dt.datetime, program: Program, object_type: str = "",
                  object_id: int | None = None) -> None:
        self.participations.append(Participation(
            member_id=member, verb=verb, department_id=self.departments.get(member), occurred_at=at,
            program_id=program.pk, object_type=object_type, object_id=object_id))

    def met(self, actor: int, other: int, kind: str, at: dt.datetime, program: Program) -> None:
        self.interactions.append(Interaction(
            actor_id=actor, other_id=other, kind=kind, actor_department_id=self.departments.get(actor),
            other_department_id=self.departments.get(other), occurred_at=at, program_id=program.pk))

    def flush(self) -> None:
        Participation.objects.bulk_create(self.participations, batch_size=5000)
        Interaction.objects.bulk_create(self.interactions, batch_size=5000)
        self.result.participations += len(self.participations)
        self.result.interactions += len(self.interactions)
        self.participations, self.interactions = [], []


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


def _run_coffee(program: Program, rounds: list[dt.date], people_of: Any, rng: random.Random, today: dt.date,
                facts: Facts, result: PairingSeedResult) -> None:
    """Pair each round with the engine and the program's own history; write rounds, matches and outcomes."""
    history: dict[frozenset[int], int] = {}
    for index, day in enumerate(rounds):
        people = people_of(day)
        rules = CoffeeRules(lookback_rounds=program.lookback_rounds, group_size=program.group_size,
                            cross=program.scope == Program.Scope.CROSS)
        outcome = coffee_round(people, history=history, rules=rules, rng=random.Random(f"{program.name}:{day}"))
        started = _at(day, program.local_time.hour)
        coffee = CoffeeRound.objects.create(
            program=program, round_date=day, status=CoffeeRound.Status.DONE, started_at=started, finished_at=started,
            participants=len(people), groups=len(outcome.groups), unmatched=len(outcome.unmatched),
            total_score=outcome.stats.total_score, method=outcome.stats.method[:40],
            follow_up_sent_at=started + dt.timedelta(days=4) if day + dt.timedelta(days=4) <= today else None,
        )
        by_id = {p.id: p for p in people}
        open_round = index == len(rounds) - 1 and (today - day).days < 4
        matches, members = [], []
        for group in outcome.groups:
            shared = frozenset.intersection(*(by_id[i].interests for i in group.member_ids))
            departments = {by_id[i].department_id for i in group.member_ids}
            draw = rng.random()
            met = not open_round and draw < 0.74
            answered = not open_round and draw < 0.86
            matches.append(CoffeeMatch(
                program=program, round=coffee, score=group.score, reasons=adapters.reasons_json(group.reasons),
                starter=schedule.conversation_starter(sorted(shared), rng)[:300], created_at=started,
                outcome=CoffeeMatch.Outcome.MET if met else CoffeeMatch.Outcome.NOT_MET if answered else "",
                answered_by_id=group.member_ids[0] if answered else None,
                answered_at=started + dt.timedelta(days=rng.randint(1, 5)) if answered else None,
                crosses_departments=len(departments) > 1 and None not in departments,
            ))
            members.append(group.member_ids)
        CoffeeMatch.objects.bulk_create(matches, batch_size=2000)
        CoffeeMatchMember.objects.bulk_create(
            [CoffeeMatchMember(match=m, round=coffee, program=program, profile_id=pk)
             for m, ids in zip(matches, members, strict=True) for pk in ids], batch_size=5000)
        for match, ids in zip(matches, members, strict=True):
            for pk in ids:
                facts.took_part(pk, "paired", started, program, "coffee_match", match.pk)
            if match.outcome == CoffeeMatch.Outcome.MET and match.answered_at is not None:
                result.met += 1
                for pk in ids:
                    facts.took_part(pk, "met", match.answered_at, program, "coffee_match", match.pk)
                for a, b in itertools.permutations(ids, 2):
                    facts.met(a, b, "coffee_met", match.answered_at, program)
        history = {pair: ago + 1 for pair, ago in history.items()}
        for ids in members:
            for a, b in itertools.combinations(ids, 2):
                history[frozenset((a, b))] = 1
        result.coffee_rounds += 1
        result.coffee_matches += len(matches)
        facts.flush()


def _signups(program: Program, rows: list[tuple[int, str, dt.datetime]], facts: Facts, verb: str | None,
             **fields: Any) -> list[Signup]:
    signups = [Signup(program=program, profile_id=pk, role=role, created_at=at, **fields) for pk, role, at in rows]
    Signup.objects.bulk_create(signups, batch_size=5000)
    if verb:
        for pk, _role, at in rows:
            facts.took_part(pk, verb, at, program)
    return signups


def _weekdays_back(today: dt.date, weekday: int, count: int, every: int) -> list[dt.date]:
    last = today - dt.timedelta(days=(today.weekday() - weekday) % 7)
    return sorted(last - dt.timedelta(weeks=every * i) for i in range(count))


@transaction.atomic
def seed_pairing(*, rng: random.Random, today: dt.date | None = None) -> PairingSeedResult:
    today = today or clock.now().date()
    now = clock.now()
    _delete_earlier()
    result = PairingSeedResult()
    profiles = list(seeded_profiles().filter(is_active=True).order_by("pk").values(
        "pk", "department_id", "start_date", "title", "user__is_staff"))
    if len(profiles) < 20:
        return result
    departments: dict[int, int | None] = {p["pk"]: p["department_id"] for p in profiles}
    facts = Facts(departments, result)
    owner = next((p["pk"] for p in profiles if p["user__is_staff"]), profiles[0]["pk"])
    ids = [p["pk"] for p in profiles]
    newcomer_days = 90

    # --- Coffee for everyone ------------------------------------------------------------------------
    rounds = _weekdays_back(today, 0, COFFEE_ROUNDS, 1)
    coffee = Program.objects.create(
        kind=Program.Kind.COFFEE, name=COFFEE_NAME, owner_id=owner, scope=Program.Scope.ORGANIZATION,
        description="Every Monday you get a colleague to have a coffee with: someone you have not met lately, "
                    "ideally from another department. Snooze or leave whenever you like.",
        created_at=_at(rounds[0] - dt.timedelta(days=10)), cadence=Program.Cadence.WEEKLY, weekday=0,
        local_time=dt.time(9, 0), timezone="Europe/Berlin", starts_on=rounds[0],
    )
    coffee.description_html = str(render_markdown(coffee.description))
    _day, coffee.next_round_at = schedule.next_round(cadence=coffee.cadence, weekday=0, local_time=coffee.local_time,
                                                     tz_name=coffee.timezone, starts_on=coffee.starts_on, after=now)
    coffee.save()
    size = min(MAX_COFFEE, max(12, len(ids) // 4))
    chosen = sorted(rng.sample(ids, size))
    joined = {pk: _at(rounds[0] - dt.timedelta(days=rng.randint(1, 9))) for pk in chosen}
    late = set(rng.sample(chosen, len(chosen) // 6))
    for pk in late:  # a few joined along the way
        joined[pk] = _at(rng.choice(rounds[1:]) - dt.timedelta(days=1))
    _signups(coffee, [(pk, Signup.Role.COFFEE, joined[pk]) for pk in chosen], facts, "joined_coffee")
    base = adapters.people_for(chosen, today=today, at=now)
    _run_coffee(coffee, rounds, lambda day: [base[pk] for pk in chosen if pk in base and joined[pk] <= _at(day)],
                rng, today, facts, result)

    # --- Newcomers × seasoned, started ten weeks ago ------------------------------------------------------
    starts = today - dt.timedelta(days=70)
    starts += dt.timedelta(days=(2 - starts.weekday()) % 7)  # a Wednesday
    cross = Program.objects.create(
        kind=Program.Kind.COFFEE, name=CROSS_NAME, owner_id=owner, scope=Program.Scope.CROSS,
        side_a={"departments": [], "groups": [], "tenure": "newcomers", "label": "Newcomers"},
        side_b={"departments": [], "groups": [], "tenure": "seasoned", "label": "Seasoned colleagues"},
        description="In your first months, meet someone who knows the ropes, every two weeks.",
        created_at=_at(starts - dt.timedelta(days=7)), cadence=Program.Cadence.BIWEEKLY, weekday=2,
        local_time=dt.time(11, 0), timezone="Europe/London", starts_on=starts,
    )
    cross.description_html = str(render_markdown(cross.description))
    _day, cross.next_round_at = schedule.next_round(cadence=cross.cadence, weekday=2, local_time=cross.local_time,
                                                    tz_name=cross.timezone, starts_on=starts, after=now)
    cross.save()
    starts_by: dict[int, dt.date | None] = {p["pk"]: p["start_date"] for p in profiles}
    recent = today - dt.timedelta(days=newcomer_days + 70)
    newcomers = [pk for pk in ids if (starts_by[pk] or dt.date.min) >= recent]
    seasoned = sorted(rng.sample([pk for pk in ids if pk not in set(newcomers)], min(len(ids) // 10, 40)))
    members = sorted(set(newcomers) | set(seasoned))
    cross_joined = {pk: max(_at(starts - dt.timedelta(days=3)), _at(starts_by[pk] or starts)) for pk in members}
    _signups(cross, [(pk, Signup.Role.COFFEE, cross_joined[pk]) for pk in members], facts, "joined_coffee")
    cross_base = adapters.people_for(members, today=today, at=now)
    cross_rounds = [d for d in (starts + dt.timedelta(weeks=2 * i) for i in range(6)) if d <= today]

    def cross_people(day: dt.date) -> list[Person]:
        out = []
        for pk in members:
            person, start = cross_base.get(pk), starts_by[pk]
            if person is None or cross_joined[pk] > _at(day):
                continue
            side = "a" if start and day - dt.timedelta(days=newcomer_days) <= start <= day else "b"
            if side == "b" and pk not in seasoned:
                continue  # newcomers who grew out of the program
            out.append(dataclasses.replace(person, side=side))
        return out

    _run_coffee(cross, cross_rounds, cross_people, rng, today, facts, result)

    # --- Mentorship ------------------------------------------------------------------------------------
    m_start, m_end = today - dt.timedelta(days=100), today + dt.timedelta(days=80)
    mentorship = Program.objects.create(
        kind=Program.Kind.MENTORSHIP, name=MENTORSHIP_NAME, owner_id=owner, status=Program.Status.PUBLISHED,
        description="Six months, one mentor, your own goals. Mentors give an hour every two weeks.",
        goals="Grow a skill you will use next year.\nMeet someone outside your department.\nPlan your next step.",
        created_at=_at(m_start - dt.timedelta(days=20)), starts_on=m_start, ends_on=m_end,
        objective=Program.Objective.LEAVE_NOBODY_UNMATCHED, require_shared_language=False,
    )
    mentorship.description_html = str(render_markdown(mentorship.description))
    mentorship.save()
    by_pk = {p["pk"]: p for p in profiles}
    senior = [pk for pk in ids if schedule.seniority_from_title(by_pk[pk]["title"]) >= 3]
    mentor_ids = sorted(rng.sample(senior, min(len(senior), max(4, len(ids) // 25))))
    junior = [pk for pk in ids if pk not in set(mentor_ids) and schedule.seniority_from_title(by_pk[pk]["title"]) <= 2]
    mentee_ids = sorted(rng.sample(junior, min(len(junior), max(6, len(ids) // 15))))
    skills = list(Tag.objects.filter(kind=Tag.Kind.SKILL).order_by("pk")[:40])
    signed = _at(m_start - dt.timedelta(days=10))
    mentor_rows = _signups(mentorship, [(pk, Signup.Role.MENTOR, signed) for pk in mentor_ids], facts,
                           "joined_mentorship")
    for signup in mentor_rows:
        signup.capacity = rng.randint(1, 3)
    Signup.objects.bulk_update(mentor_rows, ["capacity"])
    mentee_rows = _signups(mentorship, [(pk, Signup.Role.MENTEE, signed) for pk in mentee_ids], facts,
                           "joined_mentorship")
    for signup in mentee_rows:
        signup.goals = rng.choice(["Get better at presenting", "Learn to lead a project", "Move into data work",
                                   "Understand how sales works", "Grow as an engineer"])
    Signup.objects.bulk_update(mentee_rows, ["goals"])
    through = Signup.skills.through
    picks = {s.pk: rng.sample(skills, min(3, len(skills))) for s in mentor_rows + mentee_rows} if skills else {}
    through.objects.bulk_create([through(signup_id=pk, tag_id=t.pk) for pk, tags in picks.items() for t in tags])
    people = adapters.people_for(mentor_ids + mentee_ids, today=today, at=now, with_skills=True,
                                 with_small_groups=False)
    names = {t.pk: t.name for t in skills}
    assignment = mentorship_assign(
        [Mentee(person=people[s.profile_id], skills_wanted=frozenset(names[t.pk] for t in picks.get(s.pk, [])))
         for s in mentee_rows if s.profile_id in people],
        [Mentor(person=people[s.profile_id], capacity=s.capacity,
                offers=frozenset(names[t.pk] for t in picks.get(s.pk, []))) for s in mentor_rows if s.profile_id in people],
        managers=adapters.reporting_lines(mentor_ids + mentee_ids), mode="leave_nobody_unmatched",
        rng=random.Random("mentorship"),
    )
    signup_of = {s.profile_id: s for s in mentor_rows + mentee_rows}
    published = _at(m_start)
    matches = [MentorshipMatch(
        program=mentorship, mentor=signup_of[m.mentor_id], mentee=signup_of[m.mentee_id], score=m.score,
        reasons=adapters.reasons_json(m.reasons), status=MentorshipMatch.Status.PUBLISHED, created_at=published,
        published_at=published, goal_progress=rng.choice([10, 25, 40, 50, 60, 75]),
    ) for m in assignment.matches]
    if matches:
        matches[0].status, matches[0].ended_at, matches[0].goal_progress = (
            MentorshipMatch.Status.COMPLETED, _at(today - dt.timedelta(days=5)), 100)
    MentorshipMatch.objects.bulk_create(matches)
    checkins = []
    for match in matches:
        mentor_pk, mentee_pk = match.mentor.profile_id, match.mentee.profile_id
        for n in range(rng.randint(1, 5)):
            day = m_start + dt.timedelta(days=7 + 14 * n + rng.randint(0, 4))
            if day > today:
                break
            author = rng.choice([mentor_pk, mentee_pk])
            note = rng.choice(CHECKIN_NOTES)
            checkins.append(Checkin(match=match, author_id=author, met_on=day, notes=note,
                                    notes_html=str(render_markdown(note)), created_at=_at(day, 17)))
            facts.took_part(author, "mentoring_checkin", _at(day, 17), mentorship, "mentorship", match.pk)
            facts.met(author, mentee_pk if author == mentor_pk else mentor_pk, "mentoring_checkin", _at(day, 17),
                      mentorship)
        if match.status == MentorshipMatch.Status.COMPLETED and match.ended_at is not None:
            for pk in (mentor_pk, mentee_pk):
                facts.took_part(pk, "completed_mentorship", match.ended_at, mentorship, "mentorship", match.pk)
    Checkin.objects.bulk_create(checkins)
    answering = sorted({m.mentee.profile_id for m in matches} | {m.mentor.profile_id for m in matches})
    answering = rng.sample(answering, min(len(answering), 9))
    PulseResponse.objects.bulk_create([PulseResponse(program=mentorship, phase="midpoint", profile_id=pk)
                                       for pk in answering])
    PulseAnswer.objects.bulk_create(sorted(
        (PulseAnswer(program=mentorship, phase="midpoint", score=rng.choice([3, 4, 4, 5, 5]),
                     comment=rng.choice(PULSE_COMMENTS), answered_on=coarse_date(_at(today - dt.timedelta(days=3))))
         for _pk in answering), key=lambda a: (a.score, a.comment)))
    result.mentorships, result.checkins = len(matches), len(checkins)
    facts.flush()

    # --- Teams ------------------------------------------------------------------------------------------
    teams_program = Program.objects.create(
        kind=Program.Kind.TEAMS, name=TEAMS_NAME, owner_id=owner, status=Program.Status.PUBLISHED,
        description="Two days to build something with people you rarely work with.",
        created_at=_at(today - dt.timedelta(days=30)), starts_on=today + dt.timedelta(days=14),
        ends_on=today + dt.timedelta(days=15), team_min=5, team_max=7,
    )
    teams_program.description_html = str(render_markdown(teams_program.description))
    teams_program.save()
    pool = sorted(rng.sample(ids, min(len(ids), max(10, min(60, len(ids) // 8)))))
    pool_at = _at(today - dt.timedelta(days=20))
    _signups(teams_program, [(pk, Signup.Role.POOL, pool_at) for pk in pool], facts, None)
    pool_people = adapters.people_for(pool, today=today, at=now, with_skills=True, with_small_groups=False)
    formed = teams_form(TeamsRequest(people=tuple(pool_people[pk] for pk in pool if pk in pool_people),
                                     min_size=5, max_size=7), rng=random.Random("teams"))
    published_at = _at(today - dt.timedelta(days=7))
    teams = [FormedTeam(program=teams_program, number=i, name=f"Team {i}", score=t.score,
                        reasons=adapters.reasons_json(t.reasons), created_at=published_at)
             for i, t in enumerate(formed.teams, 1)]
    FormedTeam.objects.bulk_create(teams)
    TeamMember.objects.bulk_create([TeamMember(team=row, program=teams_program, profile_id=pk)
                                    for row, t in zip(teams, formed.teams, strict=True) for pk in t.member_ids])
    for row, t in zip(teams, formed.teams, strict=True):
        for pk in t.member_ids:
            facts.took_part(pk, "joined_team", published_at, teams_program, "team", row.pk)
        for a, b in itertools.permutations(t.member_ids, 2):
            facts.met(a, b, "teammates", published_at, teams_program)
    result.teams = len(teams)
    facts.flush()
    result.programs = 4
    return result


# --- The seeder (core/seeding.py) ---------------------------------------------------------------------------


class PairingSeeder:
    """Programs of an earlier seed are removed when seeding again (``_delete_earlier``, once their owners are gone)."""

    name = "pairing"
    order = 40

    def counts(self) -> dict[str, int]:
        return {"programs": Program.objects.filter(name__in=DEMO_NAMES).count()}

    def delete_seeded(self, ctx: SeedContext) -> SeedReport:
        return SeedReport()

    def seed(self, ctx: SeedContext) -> SeedReport:
        started = time.perf_counter()
        pairing = seed_pairing(rng=ctx.rng(self.name))
        return SeedReport(
            headline=(
                f"Seeded pairing in {time.perf_counter() - started:.1f} s: {pairing.coffee_rounds} coffee rounds "
                f"({pairing.coffee_matches:,} matches, {pairing.met:,} met), {pairing.mentorships} mentorships with "
                f"{pairing.checkins} check-ins, {pairing.teams} teams."
            ),
            result=pairing,
        )


SEEDER = PairingSeeder()
