"""Deterministic demo data for Voice: `seed_surveys(rng=..., ...)`, after people (and groups).

- A fortnightly anonymous **pulse** with six rounds over the last three months (the last one still open):
  the belonging set every round plus questions rotating through the bank, about 55 % participation that
  varies by department and round, and realistic answers: most people agree, eNPS slightly positive, a
  slow improvement over time, and one department (``low_department``) noticeably lower on belonging.
- A one-off anonymous **survey** about hybrid work, closed, with a single-choice question and comments.
- An **idea board**: open and anonymous ideas with skewed votes, comments, statuses and official replies,
  and "you said, we did" updates about the pulse and two ideas.

Rows are written with ``bulk_create`` exactly as the services would write them: who answered (``Response``,
UTC day) apart from what was answered (``Answer``, week and segments, random key, shuffled order), the
``answered_survey`` facts at midnight UTC, no author on anonymous ideas. Same ``rng`` and people → same data;
only dates move with ``today``. The demo (~300 people) gets about 1,000 responses.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from courtyard.core.markdown import render_markdown
from courtyard.core.models import Participation
from courtyard.core.seeding import SeedContext, SeedReport
from courtyard.people.models import Profile
from courtyard.people.seed import seeded_profiles
from courtyard.surveys.domain import questions as q
from courtyard.surveys.domain.anonymity import coarse_week, tenure_band
from courtyard.surveys.domain.rotation import next_questions
from courtyard.surveys.mailbox import mailbox_tag
from courtyard.surveys.models import (
    Action,
    Answer,
    Idea,
    IdeaComment,
    IdeaVote,
    PulseSeries,
    Question,
    Recipient,
    Response,
    Survey,
    SurveyQuestion,
)
from courtyard.surveys.services import question_bank_ensure

Progress = Callable[[int], Any]
ROUNDS = 6
INTERVAL_DAYS = 14
OPEN_DAYS = 7
BATCH = 10_000

IDEAS = (
    ("A quiet room on every floor", "Open space is great for talking, hard for thinking. A bookable quiet room?"),
    ("Onboarding buddies for every newcomer", "My first weeks would have been easier with a named buddy."),
    ("Meeting-free Wednesday mornings", "Protect one block a week for focused work."),
    ("Better coffee in the Lisbon office", "The machine has been broken for a month."),
    ("Publish the promotion criteria", "It is not clear what is expected at the next level."),
    ("Bike racks at the main entrance", "More people cycle than there is space for."),
    ("Share the roadmap more often", "We learn about priorities too late."),
    ("Cross-team lunch roulette", "Random lunches with people from other departments."),
    ("Workload is too high in support", "We have been short-staffed since spring; evenings are normal now."),
    ("Learning budget per person", "A small yearly budget for books and courses."),
    ("Recognise behind-the-scenes work", "Operations work is invisible until it breaks."),
    ("Sign-language basics course", "Several colleagues would like to learn."),
    ("Clearer parental leave policy", "The wiki page contradicts the contract."),
    ("Standing desks", "A few adjustable desks per team."),
    ("Fewer all-hands, more Q&A", "The all-hands is one-way; an open Q&A would help."),
    ("Mentoring for new managers", "First-time managers are left alone."),
    ("Volunteering day", "One paid day a year to volunteer."),
    ("Translate the handbook", "Not everyone reads English comfortably."),
    ("Plant-based options in the canteen", "There is one vegetarian dish and it is often gone."),
    ("Async stand-ups for distributed teams", "Time zones make the morning stand-up hard."),
    ("Night-shift access to the gym", "The gym closes before the night shift ends."),
    ("Fix the VPN on Mondays", "Every Monday morning it is unusable."),
    ("A wall of thanks in the kitchen", "A place to leave notes for colleagues."),
    ("Clarify on-call compensation", "On-call pay differs between teams."),
    ("Open salary bands", "Publish the bands for each role."),
)
COMMENTS = (
    "+1, this would help a lot.", "Same in our team.", "We tried this before; what was different then?",
    "Happy to help organise it.", "Could we pilot it in one office first?", "Yes please!",
    "I disagree: this would make it worse for the night shift.", "Is there a budget for it?",
)
REPLIES = (
    "Thank you for raising this. We are looking at it with the facilities team and will update here.",
    "We discussed this at the leadership meeting: it is planned for next quarter.",
    "Done: see the update on the Voice page.",
    "We cannot do this right now because of the budget freeze; we will revisit it in the autumn.",
)
HYBRID_OPTIONS = ("Mostly in the office", "Two or three days in the office", "Mostly remote", "It depends on the week")
HYBRID_COMMENTS = (
    "Please keep Fridays flexible.", "The office is too loud for calls.", "More desks near the windows.",
    "I miss seeing my team in person.", "Commuting takes two hours for me.", "Core hours would help.",
    "Booking desks is confusing.", "Team days in the office work well.", "Better headsets for hybrid meetings.",
)


@dataclasses.dataclass(frozen=True)
class SurveysSeedResult:
    rounds: int
    surveys: int
    responses: int
    answers: int
    ideas: int
    anonymous_ideas: int
    votes: int
    comments: int
    actions: int
    low_department: str


@dataclasses.dataclass(frozen=True)
class Member:
    pk: int
    user_id: int
    department_id: int | None
    location_id: int | None
    start_date: dt.date | None


def _likert(rng: random.Random, mean: float) -> int:
    return max(1, min(5, round(rng.gauss(mean, 0.9))))


def _enps(rng: random.Random, mean: float) -> int:
    return max(0, min(10, round(rng.gauss(mean, 2.0))))


def _at(day: dt.date, rng: random.Random) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(rng.randint(7, 18), rng.randint(0, 59)), tzinfo=dt.UTC)


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


class _Writer:
    def __init__(self, progress: Progress | None) -> None:
        self.responses: list[Response] = []
        self.answers: list[Answer] = []
        self.facts: list[Participation] = []
        self.progress = progress
        self.response_total = 0
        self.answer_total = 0

    def flush(self, rng: random.Random, force: bool = False) -> None:
        if not force and len(self.answers) < BATCH:
            return
        Response.objects.bulk_create(self.responses, batch_size=BATCH)
        rng.shuffle(self.answers)  # what was answered is stored in no particular order
        Answer.objects.bulk_create(self.answers, batch_size=BATCH)
        Participation.objects.bulk_create(self.facts, batch_size=BATCH)
        if self.progress:
            self.progress(len(self.responses))
        self.response_total += len(self.responses)
        self.answer_total += len(self.answers)
        self.responses, self.answers, self.facts = [], [], []


def _open_survey(survey: Survey, members: list[Member], questions: list[Question]) -> list[SurveyQuestion]:
    asked = SurveyQuestion.objects.bulk_create(
        SurveyQuestion(survey=survey, question=x, position=i) for i, x in enumerate(questions))
    Recipient.objects.bulk_create(
        (Recipient(survey=survey, member_id=m.pk, department_id=m.department_id) for m in members), batch_size=BATCH)
    return asked


def _respond(writer: _Writer, rng: random.Random, survey: Survey, member: Member, day: dt.date,
             values: list[tuple[SurveyQuestion, int | None, str]]) -> None:
    writer.responses.append(Response(survey=survey, member_id=member.pk, answered_on=day))
    band = tenure_band(member.start_date, day)
    for sq, value, text in values:
        writer.answers.append(Answer(
            survey=survey, question=sq, value=value, text=text, answered_week=coarse_week(day),
            department_id=member.department_id, location_id=member.location_id, tenure_band=band,
        ))
    writer.facts.append(Participation(
        member_id=member.pk, verb="answered_survey", department_id=member.department_id, occurred_at=_midnight(day),
        program_id=survey.pk, object_type="survey", object_id=survey.pk,
    ))


@transaction.atomic
def seed_surveys(
    *, rng: random.Random, today: dt.date | None = None, progress: Progress | None = None
) -> SurveysSeedResult:
    today = today or timezone.now().date()
    seeded_surveys_delete()
    question_bank_ensure()
    rows = list(seeded_profiles().filter(is_active=True).order_by("pk")
                .values_list("pk", "user_id", "department_id", "location_id", "start_date"))
    members = [Member(*row) for row in rows]
    if not members:
        return SurveysSeedResult(0, 0, 0, 0, 0, 0, 0, 0, 0, "")
    admin = Profile.objects.filter(user__is_staff=True, pk__in=[m.pk for m in members[:2000]]).order_by("pk").first()
    sizes = Counter(m.department_id for m in members if m.department_id is not None)
    ranked = [d for d, _n in sizes.most_common()]
    low_department = ranked[min(2, len(ranked) - 1)] if ranked else None
    low_name = (Profile.objects.filter(department_id=low_department).values_list("department__path", flat=True).first()
                if low_department is not None else None) or ""
    department_rate = {d: 0.3 + 0.45 * rng.random() for d in ranked}
    bank = list(Question.objects.filter(in_bank=True, is_active=True).order_by("theme", "id"))
    belonging = [x for x in bank if x.is_belonging]
    rotating = [x for x in bank if not x.is_belonging and x.kind != q.TEXT]
    by_pk = {x.pk: x for x in bank}
    now = timezone.now()
    writer = _Writer(progress)
    series = PulseSeries.objects.create(
        title="Fortnightly pulse", description="Three minutes every two weeks: how are things, really?",
        anonymous=True, interval_days=INTERVAL_DAYS, open_days=OPEN_DAYS, questions_per_round=3,
        include_belonging=True, themes=[], created_by=admin,
        created_at=now - dt.timedelta(days=INTERVAL_DAYS * ROUNDS + 1),
        next_open_at=_midnight(today - dt.timedelta(days=INTERVAL_DAYS * (ROUNDS - 1))) + dt.timedelta(
            days=INTERVAL_DAYS * ROUNDS, hours=9),
        rounds=ROUNDS,
    )
    history: list[list[int]] = []
    surveys: list[Survey] = []
    for number in range(1, ROUNDS + 1):
        opened_day = today - dt.timedelta(days=INTERVAL_DAYS * (ROUNDS - number))
        opened = _midnight(opened_day) + dt.timedelta(hours=9)
        chosen = next_questions([x.pk for x in rotating], history, 3, [x.pk for x in belonging])
        history.append(chosen)
        last = number == ROUNDS
        survey = Survey.objects.create(
            title=f"Fortnightly pulse · round {number}", description=series.description,
            description_html=str(render_markdown(series.description)), anonymous=True, series=series,
            round_number=number, status=Survey.Status.OPEN if last else Survey.Status.CLOSED,
            opened_at=opened, closes_at=opened + dt.timedelta(days=OPEN_DAYS),
            closed_at=None if last else opened + dt.timedelta(days=OPEN_DAYS), recipient_count=len(members),
            created_by=admin, created_at=opened,
        )
        surveys.append(survey)
        asked = _open_survey(survey, members, [by_pk[i] for i in chosen])
        trend = 0.08 * number  # things slowly get better
        answered = 0
        for member in members:
            rate = department_rate.get(member.department_id or 0, 0.5) * (0.55 if last else 1.0) + 0.05
            if rng.random() >= rate:
                continue
            low = member.department_id == low_department
            mood = rng.gauss(0, 0.35)
            days_in = rng.randint(0, min(OPEN_DAYS - 1, (today - opened_day).days))
            day = opened_day + dt.timedelta(days=days_in)
            values: list[tuple[SurveyQuestion, int | None, str]] = []
            for sq in asked:
                question = sq.question
                if question.kind == q.ENPS:
                    values.append((sq, _enps(rng, 7.2 + 2 * mood + trend - (1.5 if low else 0)), ""))
                else:
                    base = 3.9 + mood + trend
                    if question.is_belonging and low:
                        base -= 1.3
                    values.append((sq, _likert(rng, base), ""))
            _respond(writer, rng, survey, member, day, values)
            answered += 1
            writer.flush(rng)
        Survey.objects.filter(pk=survey.pk).update(response_count=answered)
    # A one-off survey about hybrid work, closed a month ago.
    custom = Question.objects.create(text="Where do you prefer to work?", kind=q.SINGLE, theme="custom",
                                     options=list(HYBRID_OPTIONS), in_bank=False, created_by=admin, created_at=now)
    open_text = next(x for x in bank if x.kind == q.TEXT)
    opened_day = today - dt.timedelta(days=45)
    hybrid = Survey.objects.create(
        title="Hybrid work survey", description="How should our offices work for you?",
        description_html=str(render_markdown("How should our offices work for you?")), anonymous=True,
        status=Survey.Status.CLOSED, opened_at=_midnight(opened_day), closes_at=_midnight(opened_day + dt.timedelta(days=14)),
        closed_at=_midnight(opened_day + dt.timedelta(days=14)), recipient_count=len(members), created_by=admin,
        created_at=_midnight(opened_day),
    )
    surveys.append(hybrid)
    asked = _open_survey(hybrid, members, [custom, by_pk[belonging[0].pk], open_text])
    answered = 0
    for member in members:
        if rng.random() >= 0.5:
            continue
        day = opened_day + dt.timedelta(days=rng.randint(0, 13))
        comment = rng.choice(HYBRID_COMMENTS) if rng.random() < 0.35 else ""
        _respond(writer, rng, hybrid, member, day, [
            (asked[0], rng.choices(range(4), weights=(2, 6, 3, 2))[0], ""),
            (asked[1], _likert(rng, 3.9 - (1.3 if member.department_id == low_department else 0)), ""),
            *([(asked[2], None, comment)] if comment else []),
        ])
        answered += 1
        writer.flush(rng)
    Survey.objects.filter(pk=hybrid.pk).update(response_count=answered)
    writer.flush(rng, force=True)
    ideas, votes, comments, actions, anonymous_ideas = _seed_ideas(rng, members, admin, today, surveys, hybrid)
    return SurveysSeedResult(
        rounds=ROUNDS, surveys=len(surveys), responses=writer.response_total, answers=writer.answer_total,
        ideas=ideas, anonymous_ideas=anonymous_ideas, votes=votes, comments=comments, actions=actions,
        low_department=low_name,
    )


def _seed_ideas(rng: random.Random, members: list[Member], admin: Profile | None, today: dt.date,
                surveys: list[Survey], hybrid: Survey) -> tuple[int, int, int, int, int]:
    count = min(len(IDEAS), max(8, len(members) // 12))
    statuses = [s for s, _label in Idea.Status.choices]
    created: list[Idea] = []
    facts: list[Participation] = []
    for i in range(count):
        title, body = IDEAS[i]
        author = rng.choice(members)
        anonymous = rng.random() < 0.4
        day = today - dt.timedelta(days=rng.randint(1, 90))
        at = _midnight(day) if anonymous else _at(day, rng)
        # Only the server key makes a tag checkable, so a nonce drawn from the seed's stream keeps demos reproducible.
        nonce = f"{rng.getrandbits(128):032x}" if anonymous else ""
        created.append(Idea(
            title=title, body=body, body_html=str(render_markdown(body)), anonymous=anonymous,
            author_id=None if anonymous else author.pk, mailbox_nonce=nonce,
            mailbox_tag=mailbox_tag(author.pk, nonce) if anonymous else "",
            status=statuses[min(int(rng.random() ** 1.5 * len(statuses)), len(statuses) - 1)], created_at=at,
        ))
    created = Idea.objects.bulk_create(created)
    for idea in created:
        if not idea.anonymous and idea.author_id:
            department = next((m.department_id for m in members if m.pk == idea.author_id), None)
            facts.append(Participation(member_id=idea.author_id, verb="posted_idea", department_id=department,
                                       occurred_at=idea.created_at, object_type="idea", object_id=idea.pk))
    vote_rows: list[IdeaVote] = []
    comment_rows: list[IdeaComment] = []
    for rank, idea in enumerate(created):
        popularity = max(1, int(len(members) * 0.25 / (1 + rank) ** 0.8))
        voters = rng.sample(members, min(len(members), popularity))
        for voter in voters:
            at = idea.created_at + dt.timedelta(hours=rng.randint(1, 24 * 20))
            vote_rows.append(IdeaVote(idea=idea, member_id=voter.pk, created_at=at))
            facts.append(Participation(member_id=voter.pk, verb="voted_idea", department_id=voter.department_id,
                                       occurred_at=at, object_type="idea", object_id=idea.pk))
        for _ in range(rng.randint(0, 4)):
            commenter = rng.choice(members)
            at = idea.created_at + dt.timedelta(hours=rng.randint(2, 24 * 20))
            text = rng.choice(COMMENTS)
            comment_rows.append(IdeaComment(idea=idea, author_id=commenter.pk, body=text,
                                            body_html=str(render_markdown(text)), created_at=at))
            facts.append(Participation(member_id=commenter.pk, verb="commented_idea",
                                       department_id=commenter.department_id, occurred_at=at, object_type="idea",
                                       object_id=idea.pk))
        if admin is not None and (idea.status != Idea.Status.NEW or (idea.anonymous and rng.random() < 0.7)):
            text = rng.choice(REPLIES)
            comment_rows.append(IdeaComment(idea=idea, author=admin, body=text, body_html=str(render_markdown(text)),
                                            official=True, created_at=idea.created_at + dt.timedelta(days=3)))
        idea.vote_count = len(voters)
        idea.comment_count = sum(1 for c in comment_rows if c.idea is idea)
        idea.last_reply_at = max((c.created_at for c in comment_rows if c.idea is idea and c.official), default=None)
        if idea.status != Idea.Status.NEW:
            idea.status_changed_at = idea.created_at + dt.timedelta(days=3)
    IdeaVote.objects.bulk_create(vote_rows, batch_size=BATCH)
    IdeaComment.objects.bulk_create(comment_rows, batch_size=BATCH)
    Idea.objects.bulk_update(created, ["vote_count", "comment_count", "last_reply_at", "status_changed_at"])
    Participation.objects.bulk_create(facts, batch_size=BATCH)
    now = timezone.now()
    done = [i for i in created if i.status == Idea.Status.DONE][:2]
    action_rows = [
        Action(title="Belonging: listening sessions in every department",
               body="Belonging scores were lower in some teams. Each department head now runs a monthly listening "
                    "session, and the next rounds of the pulse will tell us if it helps.",
               survey=surveys[ROUNDS - 2], published_by=admin, published_at=now - dt.timedelta(days=10)),
        Action(title="Team days and quieter offices",
               body="You told us you prefer two or three office days and quieter spaces. Teams now pick a shared "
                    "office day, and every floor gets a quiet room.",
               survey=hybrid, published_by=admin, published_at=now - dt.timedelta(days=20)),
        *[Action(title=f"Done: {i.title}", body="Thank you for the idea and the votes. It is in place now.", idea=i,
                 published_by=admin, published_at=now - dt.timedelta(days=5 + n)) for n, i in enumerate(done)],
    ]
    for action in action_rows:
        action.body_html = str(render_markdown(action.body))
    Action.objects.bulk_create(action_rows)
    return (len(created), len(vote_rows), len(comment_rows), len(action_rows),
            sum(1 for i in created if i.anonymous))


def seeded_surveys_delete() -> int:
    """What an earlier seed made (found by its titles), so that ``seed --force`` does not add a second copy."""
    titles = [title for title, _body in IDEAS]
    Action.objects.filter(idea__title__in=titles).delete()
    Idea.objects.filter(title__in=titles).delete()
    series = PulseSeries.objects.filter(title="Fortnightly pulse")
    surveys = Survey.objects.filter(series__in=series) | Survey.objects.filter(title="Hybrid work survey")
    deleted, _ = surveys.delete()
    series.delete()
    Question.objects.filter(in_bank=False, text="Where do you prefer to work?").delete()
    return deleted


# --- The seeder (core/seeding.py) ---------------------------------------------------------------------------


class SurveysSeeder:
    name = "surveys"
    order = 60

    def counts(self) -> dict[str, int]:
        return {"surveys": Survey.objects.count()}

    def delete_seeded(self, ctx: SeedContext) -> SeedReport:
        return SeedReport()  # seeding removes an earlier seed's surveys first (seeded_surveys_delete)

    def seed(self, ctx: SeedContext) -> SeedReport:
        started = time.perf_counter()
        with ctx.progress(None, "responses", "Seeding surveys") as bar:
            voice = seed_surveys(rng=ctx.rng(self.name), progress=bar)
        return SeedReport(
            headline=(
                f"Seeded {voice.surveys} surveys ({voice.rounds} pulse rounds) with {voice.responses:,} responses and "
                f"{voice.answers:,} answers, {voice.ideas} ideas ({voice.anonymous_ideas} anonymous, {voice.votes:,} "
                f"votes, {voice.comments:,} comments), {voice.actions} \"we did\" updates in "
                f"{time.perf_counter() - started:.1f} s."
            ),
            details=[f"  lower belonging in: {voice.low_department}"],
            result=voice,
        )


SEEDER = SurveysSeeder()
