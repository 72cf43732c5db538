"""The surveys API: surveys, answering, results (aggregates only), pulses, the question bank, ideas and
"you said, we did". Thin handlers over the same access functions, services and selectors as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status

from courtyard.accounts.http import ApiRequest
from courtyard.core.access import require_admin
from courtyard.core.schemas import CleanText, DbId, InputSchema, PersonRef
from courtyard.surveys import selectors, services
from courtyard.surveys.access import (
    access_idea,
    access_series,
    access_survey,
    access_survey_admin,
    is_recipient,
)
from courtyard.surveys.domain import questions as q
from courtyard.surveys.models import Action, Idea, IdeaComment, PulseSeries, Question, Survey

router = Router()

AudienceName = Literal["everyone", "departments", "locations", "groups", "newcomers"]
QuestionKind = Literal["likert", "enps", "single", "multiple", "text"]
Theme = Literal["belonging", "engagement", "wellbeing", "growth", "manager", "connection", "communication", "open",
                "custom"]
IdeaStatus = Literal["new", "under_review", "planned", "done", "wont_do"]
Id = Field(..., ge=1, le=2**62)


class Throttled(Schema):
    """429: the member posts too often (ideas, comments); what they wrote is kept on their side."""

    code: str
    message: str


# --- Schemas: surveys ---------------------------------------------------------------------------


class SurveyQuestionOut(Schema):
    id: int = Field(..., description="The id to answer with (a question as asked in this survey)")
    text: str
    kind: QuestionKind
    options: list[str]
    required: bool


class MyStatus(Schema):
    asked: bool
    answered_on: dt.date | None
    can_answer: bool
    can_change: bool


class SurveySummary(Schema):
    id: int
    title: str
    anonymous: bool = Field(..., description="Anonymous: answers are stored without any link to who gave them")
    status: Literal["draft", "open", "closed"]
    closes_at: dt.datetime | None
    round_number: int | None
    answered_on: dt.date | None
    url: str


class SurveyList(Schema):
    waiting: list[SurveySummary]
    answered: list[SurveySummary]


class SurveyOut(SurveySummary):
    description: str
    description_html: str
    allow_changes: bool
    audience: AudienceName
    min_group_size: int
    min_comment_group_size: int
    questions: list[SurveyQuestionOut]
    me: MyStatus


class SurveyIn(InputSchema):
    title: str = Field(..., max_length=200)
    description: CleanText = Field("", max_length=4000)
    question_ids: list[DbId] = Field(..., min_length=1, max_length=30)
    anonymous: bool = True
    allow_changes: bool = False
    audience: AudienceName = "everyone"
    department_ids: list[DbId] = Field(default_factory=list, max_length=200)
    location_ids: list[DbId] = Field(default_factory=list, max_length=200)
    group_ids: list[DbId] = Field(default_factory=list, max_length=200)
    min_group_size: int | None = Field(None, ge=3, le=100)
    min_comment_group_size: int | None = Field(None, ge=3, le=100)
    closes_at: dt.datetime | None = None


class AnswerItem(InputSchema):
    question_id: int = Id
    value: int | None = Field(None, ge=0, le=10, description="Agree scale 1–5, 0–10, or a single choice's index")
    choices: list[int] = Field(default_factory=list, max_length=12, description="Multiple choice: option indexes")
    text: CleanText = Field("", max_length=2000, description="Free text")


class AnswersIn(InputSchema):
    answers: list[AnswerItem] = Field(..., max_length=30)


class Receipt(Schema):
    survey_id: int
    counted: bool
    answered_on: dt.date
    anonymous: bool
    message: str


class Share(Schema):
    value: int
    label: str
    count: int
    share: float


class QuestionStats(Schema):
    question_id: int
    answers: int
    favourable: float | None = None
    mean: float | None = None
    enps: float | None = None
    distribution: list[Share] = Field(default_factory=list)


class SegmentOut(Schema):
    key: str
    kind: Literal["all", "dept", "loc", "tenure"]
    label: str
    shown: bool
    withheld_because: Literal["small", "derivable"] | None
    respondents: int | None
    belonging_index: float | None
    enps: float | None
    questions: list[QuestionStats]


class ParticipationRow(Schema):
    key: str
    label: str
    shown: bool
    invited: int | None
    responded: int | None
    rate: float | None
    low: bool


class Participation(Schema):
    invited: int
    responded: int
    rate: float | None
    low: bool
    departments: list[ParticipationRow]


class ResultQuestion(Schema):
    id: int
    text: str
    kind: QuestionKind
    options: list[str]
    belonging: bool


class Comments(Schema):
    question_id: int
    withheld: bool
    comments: list[str] = Field(..., description="Shuffled, undated, for everyone only")


class ResultsOut(Schema):
    survey_id: int
    released: bool = Field(..., description="False while an anonymous survey is open: no figure is computed "
                                            "from its answers until it closes, only participation")
    minimum: int
    comment_minimum: int
    respondents: int | None
    participation: Participation
    questions: list[ResultQuestion]
    segments: list[SegmentOut]
    comments: list[Comments]


# --- Schemas: bank and pulses -------------------------------------------------------------------


class BankQuestionOut(Schema):
    id: int
    key: str | None
    text: str
    kind: QuestionKind
    theme: str
    options: list[str]
    belonging: bool
    active: bool


class SurveyQuestionIn(InputSchema):
    text: str = Field(..., max_length=300)
    kind: QuestionKind
    theme: Theme = "custom"
    options: list[str] = Field(default_factory=list, max_length=12)


class PulseOut(Schema):
    id: int
    title: str
    anonymous: bool
    audience: AudienceName
    interval_days: int
    open_days: int
    questions_per_round: int
    include_belonging: bool
    themes: list[str]
    is_active: bool
    next_open_at: dt.datetime
    rounds: int


class PulseIn(InputSchema):
    title: str = Field(..., max_length=200)
    description: CleanText = Field("", max_length=2000)
    anonymous: bool = True
    interval_days: int = Field(14, ge=1, le=366)
    open_days: int = Field(7, ge=1, le=366)
    questions_per_round: int = Field(3, ge=0, le=5)
    include_belonging: bool = True
    themes: list[Theme] = Field(default_factory=list, max_length=9)
    audience: AudienceName = "everyone"
    department_ids: list[DbId] = Field(default_factory=list, max_length=200)
    location_ids: list[DbId] = Field(default_factory=list, max_length=200)
    group_ids: list[DbId] = Field(default_factory=list, max_length=200)
    min_group_size: int | None = Field(None, ge=3, le=100)
    min_comment_group_size: int | None = Field(None, ge=3, le=100)
    first_open_at: dt.datetime | None = None


class TrendRoundOut(Schema):
    survey_id: int
    round_number: int | None
    opened_at: dt.datetime | None
    shown: bool
    respondents: int | None
    participation: float | None
    belonging_index: float | None
    enps: float | None


class TrendOut(Schema):
    rounds: list[TrendRoundOut]


# --- Schemas: ideas and actions -----------------------------------------------------------------


class IdeaOut(Schema):
    id: int
    title: str
    body: str
    body_html: str
    anonymous: bool
    author: PersonRef | None = Field(..., description="Null for anonymous ideas: no author is stored")
    status: IdeaStatus
    vote_count: int
    comment_count: int
    created_at: dt.datetime
    voted: bool
    url: str


class IdeaPage(Schema):
    count: int
    items: list[IdeaOut]


class CommentOut(Schema):
    id: int
    author: PersonRef | None
    body: str
    body_html: str
    official: bool
    created_at: dt.datetime


class IdeaDetailOut(IdeaOut):
    comments: list[CommentOut]
    mine: bool = Field(..., description="You posted it (only ever true for you, also when anonymous)")


class MyIdeaOut(IdeaOut):
    replies: list[CommentOut]


class IdeaIn(InputSchema):
    title: str = Field(..., max_length=200)
    body: CleanText = Field(..., max_length=10_000)
    anonymous: bool = False


class IdeaCommentIn(InputSchema):
    body: CleanText = Field(..., max_length=10_000)


class StatusIn(InputSchema):
    status: IdeaStatus
    note: CleanText = Field("", max_length=10_000)


class VoteOut(Schema):
    voted: bool
    vote_count: int


class ActionOut(Schema):
    id: int
    title: str
    body: str
    body_html: str
    survey_id: int | None
    idea_id: int | None
    published_at: dt.datetime
    url: str


class ActionIn(InputSchema):
    title: str = Field(..., max_length=200)
    body: CleanText = Field(..., max_length=10_000)
    survey_id: int | None = Field(None, ge=1, le=2**62)
    idea_id: int | None = Field(None, ge=1, le=2**62)


# --- Conversions --------------------------------------------------------------------------------


def person(profile: Any) -> dict[str, Any] | None:
    return {"id": profile.pk, "display_name": profile.display_name} if profile is not None else None


def summary_out(survey: Survey, answered_on: dt.date | None = None) -> dict[str, Any]:
    return {
        "id": survey.pk, "title": survey.title, "anonymous": survey.anonymous, "status": survey.status,
        "closes_at": survey.closes_at, "round_number": survey.round_number,
        "answered_on": answered_on if answered_on is not None else getattr(survey, "answered_on", None),
        "url": reverse("surveys:survey", args=[survey.pk]),
    }


def survey_out(request: ApiRequest, survey: Survey) -> dict[str, Any]:
    response = selectors.my_response(request.auth, survey)
    asked = is_recipient(request.auth, survey)
    can_change = bool(response and survey.allow_changes and not survey.anonymous and survey.is_open)
    return {
        **summary_out(survey, response.answered_on if response else None),
        "description": survey.description, "description_html": survey.description_html,
        "allow_changes": survey.allow_changes, "audience": survey.audience, "min_group_size": survey.min_group_size,
        "min_comment_group_size": survey.min_comment_group_size,
        "questions": [
            {"id": sq.pk, "text": sq.question.text, "kind": sq.question.kind, "options": list(sq.question.options),
             "required": sq.question.kind in q.CLOSED_KINDS}
            for sq in selectors.survey_questions(survey)
        ],
        "me": {"asked": asked, "answered_on": response.answered_on if response else None,
               "can_answer": asked and survey.is_open and response is None, "can_change": can_change},
    }


def raw_answers(payload: AnswersIn) -> dict[int, list[str]]:
    raw: dict[int, list[str]] = {}
    for item in payload.answers:
        values = [str(c) for c in item.choices]
        if item.value is not None:
            values.append(str(item.value))
        if item.text:
            values.append(item.text)
        raw[item.question_id] = values
    return raw


def results_out(survey: Survey, results: dict[str, Any]) -> dict[str, Any]:
    segments = []
    for segment in results["segments"]:
        data = results["by_segment"].get(segment["key"]) if segment["shown"] else None
        segments.append({
            "key": segment["key"], "kind": segment["kind"], "label": segment["label"], "shown": segment["shown"],
            "withheld_because": segment["reason"], "respondents": segment.get("respondents"),
            "belonging_index": data["belonging_index"] if data else None, "enps": data["enps"] if data else None,
            "questions": [
                {"question_id": qid, "answers": s["n"], "favourable": s.get("favourable"), "mean": s.get("mean"),
                 "enps": s.get("enps"), "distribution": s.get("distribution", [])}
                for qid, s in (data["questions"].items() if data else [])
            ],
        })
    text_ids = [x["id"] for x in results["questions"] if x["kind"] == q.TEXT]
    return {
        "survey_id": survey.pk, "released": results["released"], "minimum": results["minimum"],
        "comment_minimum": results["comment_minimum"],
        "respondents": results["respondents"],
        "participation": {**results["participation"], "departments": [
            {k: row[k] for k in ("key", "label", "shown", "invited", "responded", "rate", "low")}
            for row in results["participation"]["departments"]
        ]},
        "questions": results["questions"], "segments": segments,
        "comments": [{"question_id": qid, "withheld": results["comments_withheld"].get(qid, False),
                      "comments": results["comments"].get(qid, [])} for qid in text_ids],
    }


def bank_out(question: Question) -> dict[str, Any]:
    return {"id": question.pk, "key": question.key, "text": question.text, "kind": question.kind,
            "theme": question.theme, "options": list(question.options), "belonging": question.is_belonging,
            "active": question.is_active}


def comment_out(comment: IdeaComment) -> dict[str, Any]:
    return {"id": comment.pk, "author": person(comment.author), "body": comment.body, "body_html": comment.body_html,
            "official": comment.official, "created_at": comment.created_at}


def idea_out(idea: Idea, voted: bool | None = None) -> dict[str, Any]:
    return {
        "id": idea.pk, "title": idea.title, "body": idea.body, "body_html": idea.body_html,
        "anonymous": idea.anonymous, "author": None if idea.anonymous else person(idea.author),
        "status": idea.status, "vote_count": idea.vote_count, "comment_count": idea.comment_count,
        "created_at": idea.created_at, "voted": bool(voted if voted is not None else getattr(idea, "voted", False)),
        "url": reverse("surveys:idea", args=[idea.pk]),
    }


def action_out(action: Action) -> dict[str, Any]:
    return {"id": action.pk, "title": action.title, "body": action.body, "body_html": action.body_html,
            "survey_id": action.survey_id, "idea_id": action.idea_id, "published_at": action.published_at,
            "url": reverse("surveys:action", args=[action.pk])}


# --- Literal paths first (so that no word is mistaken for a survey id) --------------------------


@router.get("/", response=SurveyList, summary="Surveys you were asked: waiting for you, and answered")
def surveys_list(request: ApiRequest) -> dict[str, Any]:
    mine = selectors.surveys_for_member(request.auth)
    return {"waiting": [summary_out(s) for s in mine["waiting"]],
            "answered": [summary_out(s) for s in mine["answered"]]}


@router.post("/", response={201: SurveyOut}, summary="Create a draft survey (community admins)")
def survey_create(request: ApiRequest, payload: SurveyIn) -> Status:
    data = payload.dict()
    survey = services.survey_create(actor=request.auth, **data)
    return Status(201, survey_out(request, survey))


@router.get("/questions", response=list[BankQuestionOut], summary="The question bank (community admins)")
def questions_list(request: ApiRequest) -> list[dict[str, Any]]:
    require_admin(request.auth)
    services.question_bank_ensure()
    return [bank_out(x) for x in selectors.question_bank(include_retired=True)]


@router.post("/questions", response={201: BankQuestionOut}, summary="Add a question to the bank (community admins)")
def question_create(request: ApiRequest, payload: SurveyQuestionIn) -> Status:
    question = services.question_create(actor=request.auth, **payload.dict())
    return Status(201, bank_out(question))


@router.get("/pulses", response=list[PulseOut], summary="Recurring pulses (community admins)")
def pulses_list(request: ApiRequest) -> list[PulseSeries]:
    require_admin(request.auth)
    return list(PulseSeries.objects.order_by("-created_at", "-id"))


@router.post("/pulses", response={201: PulseOut}, summary="Start a recurring pulse (community admins)")
def pulse_create(request: ApiRequest, payload: PulseIn) -> Status:
    series = services.series_create(actor=request.auth, **payload.dict())
    return Status(201, series)


@router.get("/pulses/{series_id}/trend", response=TrendOut, summary="A pulse's rounds over time (community admins)")
def pulse_trend(request: ApiRequest, series_id: str) -> dict[str, Any]:
    series = access_series(request.auth, series_id)
    trend = selectors.series_trend(series)
    return {"rounds": [
        {"survey_id": r.survey.pk, "round_number": r.survey.round_number, "opened_at": r.survey.opened_at,
         "shown": r.shown, "respondents": r.respondents, "participation": r.participation,
         "belonging_index": r.belonging_index, "enps": r.enps}
        for r in trend["rounds"]
    ]}


@router.get("/ideas", response=IdeaPage, summary="The idea board")
def ideas_list(
    request: ApiRequest,
    sort: Literal["top", "new"] = "top",
    status: Literal["", "new", "under_review", "planned", "done", "wont_do"] = "",
    page: int = Query(1, ge=1, le=10_000),
) -> dict[str, Any]:
    result = selectors.ideas_page(request.auth, sort=sort, status=status, page_number=page)
    items = [idea_out(i) for i in result.object_list] if page <= result.paginator.num_pages else []
    return {"count": result.paginator.count, "items": items}


@router.post("/ideas", response={201: IdeaOut, 429: Throttled}, summary="Post an idea or a concern, openly or anonymously")
def idea_create(request: ApiRequest, payload: IdeaIn) -> Status:
    idea = services.idea_create(actor=request.auth, **payload.dict())
    return Status(201, idea_out(idea, voted=False))


@router.get("/ideas/mine", response=list[MyIdeaOut], summary="Your ideas (anonymous ones too) with admins' replies")
def ideas_mine(request: ApiRequest) -> list[dict[str, Any]]:
    return [{**idea_out(i, voted=False), "replies": [comment_out(c) for c in i.official_replies]}  # type: ignore[attr-defined]
            for i in selectors.ideas_mine(request.auth)]


@router.get("/ideas/{idea_id}", response=IdeaDetailOut, summary="One idea with its comments")
def idea_detail(request: ApiRequest, idea_id: str) -> dict[str, Any]:
    idea = access_idea(request.auth, idea_id)
    detail = selectors.idea_detail(request.auth, idea)
    return {**idea_out(idea, voted=detail["voted"]), "comments": [comment_out(c) for c in detail["comments"]],
            "mine": detail["is_anonymous_author"] or (idea.author is not None and idea.author.user_id == request.auth.pk)}


@router.post("/ideas/{idea_id}/vote", response=VoteOut, summary="Vote for an idea")
def idea_vote(request: ApiRequest, idea_id: str) -> dict[str, Any]:
    idea = services.idea_vote(actor=request.auth, idea=access_idea(request.auth, idea_id), on=True)
    return {"voted": True, "vote_count": idea.vote_count}


@router.delete("/ideas/{idea_id}/vote", response=VoteOut, summary="Take back your vote")
def idea_unvote(request: ApiRequest, idea_id: str) -> dict[str, Any]:
    idea = services.idea_vote(actor=request.auth, idea=access_idea(request.auth, idea_id), on=False)
    return {"voted": False, "vote_count": idea.vote_count}


@router.post("/ideas/{idea_id}/comments", response={201: CommentOut, 429: Throttled}, summary="Comment on an idea (under your name)")
def idea_comment(request: ApiRequest, idea_id: str, payload: IdeaCommentIn) -> Status:
    comment = services.idea_comment(actor=request.auth, idea=access_idea(request.auth, idea_id), body=payload.body)
    return Status(201, comment_out(comment))


@router.post("/ideas/{idea_id}/replies", response={201: CommentOut, 429: Throttled},
             summary="Reply officially to an idea's author, also an anonymous one (community admins)")
def idea_reply(request: ApiRequest, idea_id: str, payload: IdeaCommentIn) -> Status:
    idea = access_idea(request.auth, idea_id)
    require_admin(request.auth)
    comment = services.idea_comment(actor=request.auth, idea=idea, body=payload.body, official=True)
    return Status(201, comment_out(comment))


@router.post("/ideas/{idea_id}/status", response={200: IdeaOut, 429: Throttled}, summary="Set an idea's status (community admins)")
def idea_status(request: ApiRequest, idea_id: str, payload: StatusIn) -> dict[str, Any]:
    idea = access_idea(request.auth, idea_id)
    idea = services.idea_set_status(actor=request.auth, idea=idea, status=payload.status, note=payload.note)
    return idea_out(idea, voted=False)


@router.get("/actions", response=list[ActionOut], summary="You said, we did: what was done about feedback")
def actions_list(request: ApiRequest) -> list[dict[str, Any]]:
    return [action_out(a) for a in selectors.actions_for(request.auth)]


@router.post("/actions", response={201: ActionOut}, summary="Publish what was done (community admins)")
def action_publish(request: ApiRequest, payload: ActionIn) -> Status:
    require_admin(request.auth)
    survey = access_survey_admin(request.auth, payload.survey_id) if payload.survey_id else None
    idea = access_idea(request.auth, payload.idea_id) if payload.idea_id else None
    action = services.action_publish(actor=request.auth, title=payload.title, body=payload.body, survey=survey,
                                     idea=idea)
    return Status(201, action_out(action))


# --- One survey ---------------------------------------------------------------------------------


@router.get("/{survey_id}", response=SurveyOut, summary="One survey, its questions and your status")
def survey_detail(request: ApiRequest, survey_id: str) -> dict[str, Any]:
    return survey_out(request, access_survey(request.auth, survey_id))


@router.post("/{survey_id}/responses", response={201: Receipt}, summary="Answer a survey (once)")
def response_submit(request: ApiRequest, survey_id: str, payload: AnswersIn) -> Status:
    survey = access_survey(request.auth, survey_id)
    response = services.response_submit(actor=request.auth, survey=survey, answers=raw_answers(payload))
    return Status(201, {"survey_id": survey.pk, "counted": True, "answered_on": response.answered_on,
                        "anonymous": survey.anonymous, "message": "Thank you! Your answer was counted."})


@router.put("/{survey_id}/responses/mine", response=Receipt,
            summary="Change your answers (attributed surveys that allow it, while open)")
def response_change(request: ApiRequest, survey_id: str, payload: AnswersIn) -> dict[str, Any]:
    survey = access_survey(request.auth, survey_id)
    response = services.response_change(actor=request.auth, survey=survey, answers=raw_answers(payload))
    return {"survey_id": survey.pk, "counted": True, "answered_on": response.answered_on,
            "anonymous": survey.anonymous, "message": "Your answers were updated."}


@router.get("/{survey_id}/results", response=ResultsOut,
            summary="Aggregated results; segments under the minimum or derivable by subtraction are withheld")
def survey_results(request: ApiRequest, survey_id: str) -> dict[str, Any]:
    survey = access_survey_admin(request.auth, survey_id)
    return results_out(survey, selectors.survey_results(survey))


@router.post("/{survey_id}/open", response=SurveyOut, summary="Open a draft and ask its audience (community admins)")
def survey_open(request: ApiRequest, survey_id: str) -> dict[str, Any]:
    survey = access_survey_admin(request.auth, survey_id)
    return survey_out(request, services.survey_open(actor=request.auth, survey=survey))


@router.post("/{survey_id}/close", response=SurveyOut, summary="Close an open survey (community admins)")
def survey_close(request: ApiRequest, survey_id: str) -> dict[str, Any]:
    survey = access_survey_admin(request.auth, survey_id)
    return survey_out(request, services.survey_close(actor=request.auth, survey=survey))
