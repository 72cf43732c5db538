"""Writes for surveys, pulses, answers, ideas and "you said, we did".

What these services never do for anonymous content: write an audit entry, a notification, a log line or an
activity fact that carries an answer, the author of an anonymous idea, or an exact time that could be joined
to an answer. Answering an anonymous survey records *that* the member answered (the ``Response`` row and an
``answered_survey`` fact at midnight UTC of that day) and, separately, *what* was answered (``Answer`` rows
with a random key, a week and the respondent's segments), inserted in a random order.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from courtyard.accounts.models import User
from courtyard.core import clock
from courtyard.core.access import is_admin, require_admin
from courtyard.core.activity import participation_record
from courtyard.core.audit import audit_record
from courtyard.core.domain.anonymity import MIN_GROUP_SIZE_FLOOR, coarse_date
from courtyard.core.errors import ApplicationError, Conflict, PermissionDenied
from courtyard.core.markdown import render_markdown
from courtyard.core.ratelimit import ratelimit_check
from courtyard.core.validation import clean_text
from courtyard.groups.models import Group
from courtyard.groups.selectors import active_member_ids
from courtyard.people.access import actor_profile
from courtyard.people.models import Department, Location, Profile
from courtyard.people.selectors import department_subtree_ids
from courtyard.surveys import notify
from courtyard.surveys.access import check_can_answer
from courtyard.surveys.caching import home_actions_invalidate, results_key
from courtyard.surveys.domain import questions as q
from courtyard.surveys.domain.anonymity import coarse_week, tenure_band
from courtyard.surveys.domain.rotation import MAX_PER_ROUND, next_open, next_questions
from courtyard.surveys.mailbox import mailbox_tag
from courtyard.surveys.models import (
    Action,
    Answer,
    AttributedAnswer,
    Audience,
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

IDEA_LIMITS = ((5, 60), (30, 3600))
COMMENT_LIMITS = ((10, 60), (60, 3600))
MAX_QUESTIONS = 30
MAX_MINIMUM = 100
_shuffler = random.SystemRandom()


def _clean_text(value: str, *, field: str, max_length: int, required: bool = True) -> str:
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


def _minimum(value: int | None, *, field: str, default: int = 5) -> int:
    if value is None:
        return default
    if value < MIN_GROUP_SIZE_FLOOR:
        raise ApplicationError(
            _("%(field)s cannot be below %(floor)d: smaller groups would expose people.")
            % {"field": field, "floor": MIN_GROUP_SIZE_FLOOR},
            code="minimum_too_small",
        )
    if value > MAX_MINIMUM:
        raise ApplicationError(_("%(field)s is at most %(max)d.") % {"field": field, "max": MAX_MINIMUM},
                               code="minimum_too_large")
    return value


def _day_start(moment: dt.datetime) -> dt.datetime:
    """Midnight UTC of a moment's day: the only time recorded for anonymous participation."""
    return dt.datetime.combine(coarse_date(moment), dt.time(), tzinfo=dt.UTC)


# --- Question bank ------------------------------------------------------------------------------


def question_bank_ensure() -> int:
    """The built-in bank (with the belonging set) exists; returns how many questions were added."""
    existing = set(Question.objects.filter(key__isnull=False).values_list("key", flat=True))
    now = clock.now()
    missing = [
        Question(key=b.key, text=b.text, kind=b.kind, theme=b.theme, options=list(b.options), created_at=now)
        for b in q.BANK
        if b.key not in existing
    ]
    Question.objects.bulk_create(missing)
    return len(missing)


@transaction.atomic
def question_create(
    *, actor: User, text: str, kind: str, options: Sequence[str] = (), theme: str = "custom", in_bank: bool = True
) -> Question:
    require_admin(actor)
    text = _clean_text(text, field=_("The question"), max_length=300)
    if kind not in dict(q.KINDS):
        raise ApplicationError(_("Choose a kind of question from the list."), code="invalid_choice")
    if theme not in dict(q.THEMES):
        raise ApplicationError(_("Choose a theme from the list."), code="invalid_choice")
    try:
        cleaned = q.clean_options(kind, options)
    except q.AnswerError as error:
        raise ApplicationError(str(error), code="bad_options") from None
    question = Question.objects.create(
        text=text, kind=kind, theme=theme, options=list(cleaned), in_bank=in_bank,
        created_by=actor_profile(actor), created_at=clock.now(),
    )
    audit_record(action="surveys.question.created", actor=actor, target=question, data={"kind": kind})
    return question


@transaction.atomic
def question_set_active(*, actor: User, question: Question, active: bool) -> Question:
    """Retire a bank question (kept for the surveys that asked it) or bring it back."""
    require_admin(actor)
    if question.is_active != active:
        question.is_active = active
        question.save(update_fields=["is_active"])
        audit_record(action="surveys.question.retired" if not active else "surveys.question.restored",
                     actor=actor, target=question)
    return question


# --- Audience -----------------------------------------------------------------------------------


def _audience_ids(values: Iterable[int] | None) -> list[int]:
    return sorted({int(v) for v in values or ()})


def _check_audience(audience: str, departments: list[int], locations: list[int], groups: list[int]) -> None:
    if audience not in Audience.values:
        raise ApplicationError(_("Choose who the survey is for."), code="invalid_choice")
    chosen = {Audience.DEPARTMENTS: departments, Audience.LOCATIONS: locations, Audience.GROUPS: groups}
    if audience in chosen and not chosen[Audience(audience)]:
        raise ApplicationError(_("Choose at least one for the audience."), code="audience_empty")
    if departments and Department.objects.filter(pk__in=departments).count() != len(departments):
        raise ApplicationError(_("One of the departments does not exist."), code="unknown_department")
    if locations and Location.objects.filter(pk__in=locations).count() != len(locations):
        raise ApplicationError(_("One of the locations does not exist."), code="unknown_location")
    if groups and Group.objects.filter(pk__in=groups, archived_at__isnull=True).count() != len(groups):
        raise ApplicationError(_("One of the groups does not exist or is archived."), code="unknown_group")


def _set_audience(target: Survey | PulseSeries, departments: list[int], locations: list[int], groups: list[int]) -> None:
    target.departments.set(departments if target.audience == Audience.DEPARTMENTS else [])
    target.locations.set(locations if target.audience == Audience.LOCATIONS else [])
    target.groups.set(groups if target.audience == Audience.GROUPS else [])


def audience_profiles(target: Survey | PulseSeries, *, today: dt.date | None = None) -> QuerySet[Profile]:
    """The active members a survey (or a pulse's rounds) is for, right now."""
    people = Profile.objects.filter(is_active=True, user__is_active=True)
    if target.audience == Audience.DEPARTMENTS:
        ids: set[int] = set()
        for department in target.departments.all():
            ids.update(department_subtree_ids(department))
        return people.filter(department_id__in=ids)
    if target.audience == Audience.LOCATIONS:
        return people.filter(location__in=target.locations.all())
    if target.audience == Audience.GROUPS:
        return people.filter(pk__in=active_member_ids(target.groups.all()))
    if target.audience == Audience.NEWCOMERS:
        day = today or clock.now().date()
        return people.filter(start_date__gte=day - dt.timedelta(days=settings.NEWCOMER_DAYS), start_date__lte=day)
    return people


# --- Surveys ------------------------------------------------------------------------------------


def _questions_for(ids: Sequence[int]) -> list[Question]:
    wanted = list(dict.fromkeys(int(i) for i in ids))
    if not wanted:
        raise ApplicationError(_("Add at least one question."), code="no_questions")
    if len(wanted) > MAX_QUESTIONS:
        raise ApplicationError(_("A survey has at most %(n)d questions.") % {"n": MAX_QUESTIONS}, code="too_many")
    found = {question.pk: question for question in Question.objects.filter(pk__in=wanted, is_active=True)}
    if len(found) != len(wanted):
        raise ApplicationError(_("One of the questions does not exist or was retired."), code="unknown_question")
    return [found[i] for i in wanted]


def _closing(closes_at: dt.datetime | None) -> dt.datetime | None:
    if closes_at is not None and closes_at <= clock.now():
        raise ApplicationError(_("The closing date must be in the future."), code="closes_in_past")
    return closes_at


@transaction.atomic
def survey_create(
    *,
    actor: User,
    title: str,
    question_ids: Sequence[int],
    description: str = "",
    anonymous: bool = True,
    allow_changes: bool = False,
    audience: str = Audience.EVERYONE,
    department_ids: Iterable[int] = (),
    location_ids: Iterable[int] = (),
    group_ids: Iterable[int] = (),
    min_group_size: int | None = None,
    min_comment_group_size: int | None = None,
    closes_at: dt.datetime | None = None,
) -> Survey:
    """A draft survey; nobody is asked until it opens."""
    require_admin(actor)
    title = _clean_text(title, field=_("The title"), max_length=200)
    description = _clean_text(description, field=_("The description"), max_length=4000, required=False)
    if anonymous and allow_changes:
        raise ApplicationError(
            _("Anonymous answers cannot be changed: nothing links them to their author. "
              "Make the survey attributed to allow changes."),
            code="anonymous_no_changes",
        )
    departments, locations, groups = _audience_ids(department_ids), _audience_ids(location_ids), _audience_ids(group_ids)
    _check_audience(audience, departments, locations, groups)
    chosen = _questions_for(question_ids)
    survey = Survey.objects.create(
        title=title, description=description, description_html=str(render_markdown(description)),
        anonymous=anonymous, allow_changes=allow_changes, audience=audience,
        min_group_size=_minimum(min_group_size, field=_("The minimum group size")),
        min_comment_group_size=_minimum(min_comment_group_size, field=_("The minimum for comments")),
        closes_at=_closing(closes_at), created_by=actor_profile(actor), created_at=clock.now(),
    )
    _set_audience(survey, departments, locations, groups)
    SurveyQuestion.objects.bulk_create(
        SurveyQuestion(survey=survey, question=question, position=i) for i, question in enumerate(chosen)
    )
    audit_record(action="surveys.survey.created", actor=actor, target=survey,
                 data={"anonymous": anonymous, "audience": audience, "questions": len(chosen)})
    return survey


@transaction.atomic
def survey_update(*, actor: User, survey: Survey, data: Mapping[str, Any]) -> Survey:
    """Change a draft (title, text, audience, questions, minimums, closing). An open survey keeps its questions
    and audience; only its closing date and description can move."""
    require_admin(actor)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.status == Survey.Status.CLOSED:
        raise Conflict(_("This survey is closed."), code="closed")
    draft = survey.status == Survey.Status.DRAFT
    structural = {"question_ids", "audience", "department_ids", "location_ids", "group_ids", "anonymous",
                  "allow_changes", "min_group_size", "min_comment_group_size"}
    if not draft and structural & {k for k, v in data.items() if v is not None}:
        raise Conflict(_("Once a survey is open, its questions, audience and anonymity stay as announced."),
                       code="already_open")
    if data.get("title") is not None:
        survey.title = _clean_text(data["title"], field=_("The title"), max_length=200)
    if data.get("description") is not None:
        survey.description = _clean_text(data["description"], field=_("The description"), max_length=4000,
                                         required=False)
        survey.description_html = str(render_markdown(survey.description))
    if "closes_at" in data:
        survey.closes_at = _closing(data["closes_at"])
    if draft:
        if data.get("anonymous") is not None:
            survey.anonymous = bool(data["anonymous"])
        if data.get("allow_changes") is not None:
            survey.allow_changes = bool(data["allow_changes"])
        if survey.anonymous and survey.allow_changes:
            raise ApplicationError(_("Anonymous answers cannot be changed: nothing links them to their author."),
                                   code="anonymous_no_changes")
        for field, label in (("min_group_size", _("The minimum group size")),
                             ("min_comment_group_size", _("The minimum for comments"))):
            if data.get(field) is not None:
                setattr(survey, field, _minimum(data[field], field=label))
        if data.get("audience") is not None:
            survey.audience = data["audience"]
            departments = _audience_ids(data.get("department_ids"))
            locations = _audience_ids(data.get("location_ids"))
            groups = _audience_ids(data.get("group_ids"))
            _check_audience(survey.audience, departments, locations, groups)
            _set_audience(survey, departments, locations, groups)
        if data.get("question_ids") is not None:
            chosen = _questions_for(data["question_ids"])
            SurveyQuestion.objects.filter(survey=survey).delete()
            SurveyQuestion.objects.bulk_create(
                SurveyQuestion(survey=survey, question=question, position=i) for i, question in enumerate(chosen)
            )
    survey.save()
    audit_record(action="surveys.survey.updated", actor=actor, target=survey, data={"fields": sorted(data)})
    return survey


def _open(survey: Survey, *, actor: User | None) -> int:
    """Fix the audience (one row per member asked) and tell them. Returns how many were asked."""
    now = clock.now()
    people = list(audience_profiles(survey).select_related("user").only("pk", "department_id", "user"))
    Recipient.objects.bulk_create(
        (Recipient(survey=survey, member=p, department_id=p.department_id) for p in people),
        batch_size=5_000, ignore_conflicts=True,
    )
    survey.status = Survey.Status.OPEN
    survey.opened_at = now
    survey.recipient_count = len(people)
    survey.save(update_fields=["status", "opened_at", "recipient_count"])
    notify.survey_opened(survey=survey, recipients=[p.user for p in people], actor=actor)
    return len(people)


@transaction.atomic
def survey_open(*, actor: User, survey: Survey) -> Survey:
    require_admin(actor)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.status != Survey.Status.DRAFT:
        raise Conflict(_("Only a draft can be opened."), code="not_draft")
    if survey.closes_at is not None and survey.closes_at <= clock.now():
        raise ApplicationError(_("The closing date has passed; move it before opening."), code="closes_in_past")
    if not SurveyQuestion.objects.filter(survey=survey).exists():
        raise ApplicationError(_("Add at least one question."), code="no_questions")
    asked = _open(survey, actor=actor)
    audit_record(action="surveys.survey.opened", actor=actor, target=survey, data={"recipients": asked})
    return survey


@transaction.atomic
def survey_close(*, actor: User | None, survey: Survey) -> Survey:
    if actor is not None:
        require_admin(actor)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.status != Survey.Status.OPEN:
        if actor is None:
            return survey
        raise Conflict(_("Only an open survey can be closed."), code="not_open")
    survey.status = Survey.Status.CLOSED
    survey.closed_at = clock.now()
    survey.save(update_fields=["status", "closed_at"])
    audit_record(action="surveys.survey.closed", actor=actor, target=survey)
    if survey.anonymous and survey.answers_dirty:
        transaction.on_commit(lambda: answers_reshuffle(survey_id=survey.pk))
    return survey


def surveys_close_due(*, now: dt.datetime | None = None) -> int:
    moment = now or clock.now()
    closed = 0
    for survey in Survey.objects.filter(status=Survey.Status.OPEN, closes_at__lte=moment):
        survey_close(actor=None, survey=survey)
        closed += 1
    return closed


# --- Answering ----------------------------------------------------------------------------------


def _parse(survey: Survey, raw: Mapping[int, Sequence[str]]) -> list[tuple[SurveyQuestion, int | None, str]]:
    """Every closed question needs an answer; comments are optional. Errors name the question."""
    parsed: list[tuple[SurveyQuestion, int | None, str]] = []
    problems: dict[str, str] = {}
    asked = list(SurveyQuestion.objects.filter(survey=survey).select_related("question"))
    known = {sq.pk for sq in asked}
    unknown = [k for k in raw if k not in known]
    if unknown:
        raise ApplicationError(_("Some answers are for questions this survey does not ask."), code="unknown_question")
    for sq in asked:
        question = sq.question
        try:
            value, text = q.parse_answer(question.kind, question.options, raw.get(sq.pk, ()))
        except q.AnswerError as error:
            problems[str(sq.pk)] = str(error)
            continue
        if question.kind in q.CLOSED_KINDS and value is None:
            problems[str(sq.pk)] = _("Please answer this question.")
            continue
        if value is None and not text:
            continue
        parsed.append((sq, value, text))
    if problems:
        raise ApplicationError(_("Please check your answers."), code="invalid_answers", details=problems)
    return parsed


def _answer_rows(survey: Survey, parsed: list[tuple[SurveyQuestion, int | None, str]], member: Profile,
                 now: dt.datetime) -> list[Answer]:
    day = coarse_date(now)
    rows = [
        Answer(
            survey=survey, question=sq, value=value, text=text, answered_week=coarse_week(day),
            department_id=member.department_id, location_id=member.location_id,
            tenure_band=tenure_band(member.start_date, day),
        )
        for sq, value, text in parsed
    ]
    _shuffler.shuffle(rows)  # not even the order of one respondent's answers is kept
    return rows


@transaction.atomic
def response_submit(*, actor: User, survey: Survey, answers: Mapping[int, Sequence[str]]) -> Response:
    """Record one member's answers once. Twice (also two requests at the same moment) is a 409: the unique
    constraint on (survey, member) decides, inside this transaction, before any answer is written."""
    member = actor_profile(actor)
    check_can_answer(actor, survey)
    now = clock.now()
    current = Survey.objects.filter(pk=survey.pk).values_list("status", "closes_at").first()
    if current is None or current[0] != Survey.Status.OPEN or (current[1] is not None and current[1] <= now):
        raise Conflict(_("This survey is not open for answers."), code="not_open")
    parsed = _parse(survey, answers)
    try:
        with transaction.atomic():
            response = Response.objects.create(survey=survey, member=member, answered_on=coarse_date(now))
    except IntegrityError:
        raise Conflict(_("You already answered this survey."), code="already_answered") from None
    written = Answer.objects.bulk_create(_answer_rows(survey, parsed, member, now))
    if not survey.anonymous:
        AttributedAnswer.objects.bulk_create(AttributedAnswer(response=response, answer=a) for a in written)
        audit_record(action="surveys.response.recorded", actor=actor, target=survey)
    Survey.objects.filter(pk=survey.pk).update(response_count=F("response_count") + 1, answers_dirty=True)
    participation_record(
        member_id=member.pk, verb="answered_survey", department_id=member.department_id,
        occurred_at=_day_start(now), program_id=survey.pk, object_type="survey", object_id=survey.pk,
    )
    return response


@transaction.atomic
def response_change(*, actor: User, survey: Survey, answers: Mapping[int, Sequence[str]]) -> Response:
    """Replace one's answers to an attributed survey that allows it, while it is open. Anonymous answers cannot
    be changed: nothing links them to their author, so there is nothing to find."""
    member = actor_profile(actor)
    check_can_answer(actor, survey)
    if survey.anonymous or not survey.allow_changes:
        raise PermissionDenied(_("Answers to this survey cannot be changed once sent."), code="no_changes")
    now = clock.now()
    if survey.status != Survey.Status.OPEN or (survey.closes_at and survey.closes_at <= now):
        raise Conflict(_("This survey is closed: answers can no longer change."), code="not_open")
    response = Response.objects.select_for_update().filter(survey=survey, member=member).first()
    if response is None:
        raise Conflict(_("You have not answered this survey yet."), code="not_answered")
    parsed = _parse(survey, answers)
    old = list(AttributedAnswer.objects.filter(response=response).values_list("answer_id", flat=True))
    Answer.objects.filter(pk__in=old).delete()
    written = Answer.objects.bulk_create(_answer_rows(survey, parsed, member, now))
    AttributedAnswer.objects.bulk_create(AttributedAnswer(response=response, answer=a) for a in written)
    audit_record(action="surveys.response.changed", actor=actor, target=survey)

    cache.delete(results_key(survey))
    return response


def answers_reshuffle(*, survey_id: int) -> int:
    """Rewrite an anonymous survey's answers in a random order with new keys, in one transaction, so that
    storage order and transaction ids no longer tell which answers arrived together. Idempotent."""
    with transaction.atomic():
        survey = Survey.objects.select_for_update().filter(pk=survey_id, anonymous=True).first()
        if survey is None:
            return 0
        rows = list(Answer.objects.filter(survey_id=survey_id).values(
            "question_id", "value", "text", "answered_week", "department_id", "location_id", "tenure_band"))
        _shuffler.shuffle(rows)
        Answer.objects.filter(survey_id=survey_id).delete()
        Answer.objects.bulk_create((Answer(survey_id=survey_id, **row) for row in rows), batch_size=5_000)
        Survey.objects.filter(pk=survey_id).update(answers_dirty=False)
    return len(rows)


def answers_reshuffle_due() -> int:
    ids = list(Survey.objects.filter(anonymous=True, answers_dirty=True).values_list("pk", flat=True))
    for pk in ids:
        answers_reshuffle(survey_id=pk)
    return len(ids)


# --- Reminders ----------------------------------------------------------------------------------


def survey_remind(*, actor: User | None, survey: Survey) -> int:
    """Remind those asked who have not answered, found from the *who* table alone; once per survey."""
    if actor is not None:
        require_admin(actor)
    with transaction.atomic():
        locked = Survey.objects.select_for_update().get(pk=survey.pk)
        if locked.status != Survey.Status.OPEN:
            raise Conflict(_("Only an open survey can send reminders."), code="not_open")
        if locked.reminded_at is not None:
            if actor is None:
                return 0
            raise Conflict(_("A reminder was already sent for this survey."), code="already_reminded")
        answered = Response.objects.filter(survey=locked).values("member_id")
        waiting = list(
            User.objects.filter(profile__in=Recipient.objects.filter(survey=locked).exclude(member_id__in=answered)
                                .values("member_id"), is_active=True)
        )
        locked.reminded_at = clock.now()
        locked.save(update_fields=["reminded_at"])
        notify.survey_reminder(survey=locked, recipients=waiting)
        audit_record(action="surveys.survey.reminded", actor=actor, target=locked, data={"reminded": len(waiting)})
    return len(waiting)


def survey_reminders_due(*, now: dt.datetime | None = None, ahead: dt.timedelta = dt.timedelta(days=2)) -> int:
    """Open surveys closing within two days that have not reminded yet."""
    moment = now or clock.now()
    sent = 0
    for survey in Survey.objects.filter(status=Survey.Status.OPEN, reminded_at__isnull=True,
                                        closes_at__gt=moment, closes_at__lte=moment + ahead):
        sent += survey_remind(actor=None, survey=survey)
    return sent


# --- Pulses -------------------------------------------------------------------------------------


@transaction.atomic
def series_create(
    *,
    actor: User,
    title: str,
    description: str = "",
    anonymous: bool = True,
    interval_days: int = 14,
    open_days: int = 7,
    questions_per_round: int = 3,
    include_belonging: bool = True,
    themes: Sequence[str] = (),
    audience: str = Audience.EVERYONE,
    department_ids: Iterable[int] = (),
    location_ids: Iterable[int] = (),
    group_ids: Iterable[int] = (),
    min_group_size: int | None = None,
    min_comment_group_size: int | None = None,
    first_open_at: dt.datetime | None = None,
) -> PulseSeries:
    require_admin(actor)
    title = _clean_text(title, field=_("The title"), max_length=200)
    description = _clean_text(description, field=_("The description"), max_length=2000, required=False)
    if not 1 <= interval_days <= 366:
        raise ApplicationError(_("Repeat every 1 to 366 days."), code="bad_interval")
    if not 1 <= open_days <= interval_days:
        raise ApplicationError(_("A round stays open at least a day and no longer than the interval."),
                               code="bad_open_days")
    if not 0 <= questions_per_round <= MAX_PER_ROUND or (questions_per_round == 0 and not include_belonging):
        raise ApplicationError(_("Ask 1 to %(n)d rotating questions per round.") % {"n": MAX_PER_ROUND},
                               code="bad_per_round")
    unknown = set(themes) - set(dict(q.THEMES))
    if unknown:
        raise ApplicationError(_("Choose themes from the list."), code="invalid_choice")
    departments, locations, groups = _audience_ids(department_ids), _audience_ids(location_ids), _audience_ids(group_ids)
    _check_audience(audience, departments, locations, groups)
    now = clock.now()
    series = PulseSeries.objects.create(
        title=title, description=description, anonymous=anonymous, interval_days=interval_days,
        open_days=open_days, questions_per_round=questions_per_round, include_belonging=include_belonging,
        themes=sorted(set(themes)), audience=audience,
        min_group_size=_minimum(min_group_size, field=_("The minimum group size")),
        min_comment_group_size=_minimum(min_comment_group_size, field=_("The minimum for comments")),
        next_open_at=first_open_at or now, created_by=actor_profile(actor), created_at=now,
    )
    _set_audience(series, departments, locations, groups)
    question_bank_ensure()
    audit_record(action="surveys.pulse.created", actor=actor, target=series, data={"every": interval_days})
    return series


@transaction.atomic
def series_set_active(*, actor: User, series: PulseSeries, active: bool) -> PulseSeries:
    require_admin(actor)
    if series.is_active != active:
        series.is_active = active
        if active and series.next_open_at < clock.now():
            series.next_open_at = clock.now()
        series.save(update_fields=["is_active", "next_open_at"])
        audit_record(action="surveys.pulse.resumed" if active else "surveys.pulse.paused", actor=actor, target=series)
    return series


def round_questions(series: PulseSeries) -> list[Question]:
    """The next round's questions: the belonging set (if chosen) and the next ones of the rotation."""
    bank = Question.objects.filter(in_bank=True, is_active=True)
    if series.themes:
        bank = bank.filter(theme__in=series.themes)
    belonging = list(Question.objects.filter(key__in=q.BELONGING_KEYS, is_active=True).order_by("key"))
    rotating = [x for x in bank.order_by("theme", "id") if not x.is_belonging]
    history: list[list[int]] = []
    asked = SurveyQuestion.objects.filter(survey__series=series).values_list("survey__round_number", "question_id")
    by_round: dict[int, list[int]] = {}
    for round_number, question_id in asked:
        by_round.setdefault(round_number or 0, []).append(question_id)
    history = [by_round[k] for k in sorted(by_round)]
    pinned = [x.pk for x in belonging] if series.include_belonging else []
    chosen = next_questions([x.pk for x in rotating], history, series.questions_per_round, pinned)
    found = {x.pk: x for x in [*belonging, *rotating]}
    return [found[i] for i in chosen]


def pulse_round_open(*, series_id: int, now: dt.datetime | None = None) -> Survey | None:
    """Open the series' next round when it is due (idempotent: a round number is opened once)."""
    moment = now or clock.now()
    with transaction.atomic():
        series = PulseSeries.objects.select_for_update().filter(pk=series_id, is_active=True).first()
        if series is None or series.next_open_at > moment:
            return None
        chosen = round_questions(series)
        number = series.rounds + 1
        survey = Survey.objects.create(
            title=_("%(title)s · round %(n)d") % {"title": series.title, "n": number},
            description=series.description, description_html=str(render_markdown(series.description)),
            anonymous=series.anonymous, audience=series.audience, series=series, round_number=number,
            min_group_size=series.min_group_size, min_comment_group_size=series.min_comment_group_size,
            closes_at=moment + dt.timedelta(days=series.open_days), created_by=series.created_by, created_at=moment,
        )
        survey.departments.set(series.departments.all())
        survey.locations.set(series.locations.all())
        survey.groups.set(series.groups.all())
        SurveyQuestion.objects.bulk_create(
            SurveyQuestion(survey=survey, question=x, position=i) for i, x in enumerate(chosen)
        )
        _open(survey, actor=None)
        series.rounds = number
        series.next_open_at = next_open(series.next_open_at, series.interval_days, moment)
        series.save(update_fields=["rounds", "next_open_at"])
        audit_record(action="surveys.pulse.round_opened", target=survey, data={"series": series.pk, "round": number})
    return survey


def pulses_open_due(*, now: dt.datetime | None = None) -> int:
    moment = now or clock.now()
    opened = 0
    for pk in PulseSeries.objects.filter(is_active=True, next_open_at__lte=moment).values_list("pk", flat=True):
        if pulse_round_open(series_id=pk, now=moment) is not None:
            opened += 1
    return opened


# --- Ideas --------------------------------------------------------------------------------------


@transaction.atomic
def idea_create(*, actor: User, title: str, body: str, anonymous: bool = False) -> Idea:
    """Post an idea or a concern. Anonymous ones store no author, no exact time, no audit entry and no activity
    fact; only the author's keyed mailbox tag lets them (and nobody else) find it and its replies."""
    member = actor_profile(actor)
    title = _clean_text(title, field=_("The title"), max_length=200)
    body = _clean_text(body, field=_("The text"), max_length=10_000)
    ratelimit_check(scope="idea", key=actor.pk, limits=IDEA_LIMITS)
    now = clock.now()
    if anonymous:
        nonce = secrets.token_hex(16)
        return Idea.objects.create(
            title=title, body=body, body_html=str(render_markdown(body)), anonymous=True, author=None,
            mailbox_nonce=nonce, mailbox_tag=mailbox_tag(member.pk, nonce), created_at=_day_start(now),
        )
    idea = Idea.objects.create(
        title=title, body=body, body_html=str(render_markdown(body)), anonymous=False, author=member, created_at=now,
    )
    audit_record(action="surveys.idea.created", actor=actor, target=idea)
    participation_record(member_id=member.pk, verb="posted_idea", department_id=member.department_id,
                         object_type="idea", object_id=idea.pk)
    return idea


@transaction.atomic
def idea_vote(*, actor: User, idea: Idea, on: bool) -> Idea:
    """Add or take back one's vote (idempotent either way)."""
    member = actor_profile(actor)
    if on:
        try:
            with transaction.atomic():
                IdeaVote.objects.create(idea=idea, member=member, created_at=clock.now())
        except IntegrityError:
            return idea
        Idea.objects.filter(pk=idea.pk).update(vote_count=F("vote_count") + 1)
        participation_record(member_id=member.pk, verb="voted_idea", department_id=member.department_id,
                             object_type="idea", object_id=idea.pk)
    else:
        deleted, _rows = IdeaVote.objects.filter(idea=idea, member=member).delete()
        if deleted:
            Idea.objects.filter(pk=idea.pk).update(vote_count=F("vote_count") - 1)
    idea.refresh_from_db(fields=["vote_count"])
    return idea


@transaction.atomic
def idea_comment(*, actor: User, idea: Idea, body: str, official: bool = False) -> IdeaComment:
    """A comment (always under the commenter's name), or an admin's official reply to the author."""
    member = actor_profile(actor)
    if official and not is_admin(actor):
        raise PermissionDenied(_("Only community admins reply officially."))
    body = _clean_text(body, field=_("The comment"), max_length=10_000)
    ratelimit_check(scope="idea-comment", key=actor.pk, limits=COMMENT_LIMITS)
    now = clock.now()
    comment = IdeaComment.objects.create(
        idea=idea, author=member, body=body, body_html=str(render_markdown(body)), official=official, created_at=now,
    )
    updates: dict[str, Any] = {"comment_count": F("comment_count") + 1}
    if official:
        updates["last_reply_at"] = now
    Idea.objects.filter(pk=idea.pk).update(**updates)
    audit_record(action="surveys.idea.replied" if official else "surveys.idea.commented", actor=actor, target=idea)
    participation_record(member_id=member.pk, verb="commented_idea", department_id=member.department_id,
                         object_type="idea", object_id=idea.pk)
    # The author of an open idea hears about it; an anonymous author is never notified (the notification itself
    # would name them): they see replies on their "My ideas" page.
    if idea.author_id is not None and idea.author_id != member.pk:
        notify.idea_commented(idea=idea, actor=actor, official=official)
    return comment


@transaction.atomic
def idea_set_status(*, actor: User, idea: Idea, status: str, note: str = "") -> Idea:
    require_admin(actor)
    if status not in Idea.Status.values:
        raise ApplicationError(_("Choose a status from the list."), code="invalid_choice")
    changed = idea.status != status
    if changed:
        idea.status = status
        idea.status_changed_at = clock.now()
        idea.save(update_fields=["status", "status_changed_at"])
        audit_record(action="surveys.idea.status_set", actor=actor, target=idea, data={"status": status})
        if idea.author_id is not None:
            notify.idea_status(idea=idea, actor=actor)
    if note.strip():
        idea_comment(actor=actor, idea=idea, body=note, official=True)
    elif not changed:
        return idea
    idea.refresh_from_db()
    return idea


# --- You said, we did ---------------------------------------------------------------------------


@transaction.atomic
def action_publish(*, actor: User, title: str, body: str, survey: Survey | None = None,
                   idea: Idea | None = None) -> Action:
    """Publish what was done in response to a survey or an idea (or to feedback in general)."""
    require_admin(actor)
    title = _clean_text(title, field=_("The title"), max_length=200)
    body = _clean_text(body, field=_("The text"), max_length=10_000)
    if survey is not None and survey.status == Survey.Status.DRAFT:
        raise ApplicationError(_("A draft survey has no answers to act on yet."), code="draft")
    action = Action.objects.create(
        title=title, body=body, body_html=str(render_markdown(body)), survey=survey, idea=idea,
        published_by=actor_profile(actor), published_at=clock.now(),
    )
    audit_record(action="surveys.action.published", actor=actor, target=action,
                 data={"survey": survey.pk if survey else None, "idea": idea.pk if idea else None})
    notify.action_published(action=action, actor=actor)

    home_actions_invalidate()
    return action


def survey_url(survey: Survey) -> str:
    return reverse("surveys:survey", args=[survey.pk])
