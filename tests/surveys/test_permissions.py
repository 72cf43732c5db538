"""The Voice permission matrix: every surveys page and API operation, as four people.

People: anonymous; *member* (in Engineering / Platform: asked the Engineering survey, author of an anonymous
idea, answered the attributed survey); *outsider* (in Sales: not asked the Engineering survey); a community
*admin* (asked only what is asked of everyone). The expected outcomes are written by hand from the rules:

- a survey exists only for those it was asked of, and for admins (drafts for admins only): others get a 404;
- only those asked answer (an admin who was not asked gets 403), once; attributed answers change while open;
- results, exports, management, pulses, the question bank, statuses, official replies and publishing "we did"
  are for admins (members get 403, which says nothing about what exists);
- the idea board is for every signed-in member; a "we did" about a survey is visible to those it was asked of;
- anonymous visitors are sent to the sign-in page (pages) or get 401 (API).

Every refused request (and every read) changes nothing; every allowed write changes something. Each cell runs
in a savepoint that is rolled back, so every person acts on the same world.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from courtyard.surveys import services
from courtyard.surveys.models import Action, Idea, PulseSeries, Question, Survey, SurveyQuestion
from tests.helpers import db_snapshot
from tests.surveys.conftest import answer, bank, make_survey

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "member", "outsider", "admin")
L = "login"

# Every Voice route; tests/test_permissions.py lists them in OTHER_MATRICES (checked below).
SURVEY_ROUTES = {
    "voice/", "voice/surveys/<str:survey_id>/", "voice/surveys/<str:survey_id>/results/",
    "voice/surveys/<str:survey_id>/results.csv", "voice/manage/", "voice/manage/new/", "voice/manage/questions/",
    "voice/manage/questions/<str:question_id>/active/", "voice/manage/pulses/new/",
    "voice/manage/pulses/<str:series_id>/", "voice/manage/pulses/<str:series_id>/active/",
    "voice/manage/<str:survey_id>/edit/", "voice/manage/<str:survey_id>/open/", "voice/manage/<str:survey_id>/close/",
    "voice/manage/<str:survey_id>/remind/", "voice/ideas/", "voice/ideas/new/", "voice/ideas/mine/",
    "voice/ideas/<str:idea_id>/", "voice/ideas/<str:idea_id>/vote/", "voice/ideas/<str:idea_id>/status/",
    "voice/ideas/<str:idea_id>/reply/", "voice/actions/", "voice/actions/new/", "voice/actions/<str:action_id>/",
    "api/surveys/", "api/surveys/questions", "api/surveys/pulses", "api/surveys/pulses/<series_id>/trend",
    "api/surveys/ideas", "api/surveys/ideas/mine", "api/surveys/ideas/<idea_id>", "api/surveys/ideas/<idea_id>/vote",
    "api/surveys/ideas/<idea_id>/comments", "api/surveys/ideas/<idea_id>/replies",
    "api/surveys/ideas/<idea_id>/status", "api/surveys/actions", "api/surveys/<survey_id>",
    "api/surveys/<survey_id>/responses", "api/surveys/<survey_id>/responses/mine", "api/surveys/<survey_id>/results",
    "api/surveys/<survey_id>/open", "api/surveys/<survey_id>/close",
}


@dataclasses.dataclass
class World:
    org: Any
    clients: dict[str, Client]
    survey: Survey  # open, anonymous, asked of Engineering (member yes, outsider no)
    draft: Survey
    attributed: Survey  # open, attributed, allows changes; the member already answered
    series: PulseSeries
    question: Question
    open_idea: Idea  # by the outsider
    anonymous_idea: Idea  # by the member
    action: Action  # about the Engineering survey
    general_action: Action


def _client(profile) -> Client:
    client = Client()
    client.force_login(profile.user)
    assert client.get("/healthz").status_code == 200
    return client


@pytest.fixture
def world(org) -> World:
    admin, member, outsider = org.admin, org.platform_people[0], org.sales_people[0]
    survey = make_survey(admin, title="Engineering pulse", audience="departments", department_ids=[org.engineering.pk])
    draft = make_survey(admin, title="Draft survey", open_now=False)
    attributed = make_survey(admin, title="Named survey", anonymous=False, allow_changes=True,
                             keys=("belonging.belong", "open.better"))
    answer(attributed, member, **{"belonging.belong": 3, "open.better": "Named words"})
    series = services.series_create(actor=admin.user, title="Pulse", first_open_at=None)
    question = Question.objects.get(key="growth.career")
    open_idea = services.idea_create(actor=outsider.user, title="Bike racks", body="More")
    anonymous_idea = services.idea_create(actor=member.user, title="Quiet room", body="Please", anonymous=True)
    action = services.action_publish(actor=admin.user, title="We listened", body="Changes", survey=survey)
    general = services.action_publish(actor=admin.user, title="General update", body="Thanks")
    clients = {"anonymous": Client(), "member": _client(member), "outsider": _client(outsider), "admin": _client(admin)}
    return World(org=org, clients=clients, survey=survey, draft=draft, attributed=attributed, series=series,
                 question=question, open_idea=open_idea, anonymous_idea=anonymous_idea, action=action,
                 general_action=general)


@dataclasses.dataclass(frozen=True)
class Case:
    name: str
    method: str
    url: Callable[[World], str]
    expected: tuple[int | str, int | str, int | str, int | str]
    data: Callable[[World], dict[str, Any]] | None = None
    api: bool = False
    noop: tuple[str, ...] = ()  # roles whose allowed write has nothing to change

    def __str__(self) -> str:
        return self.name


def v(name: str, *args: Callable[[World], object]) -> Callable[[World], str]:
    return lambda w: reverse(f"surveys:{name}", args=[f(w) for f in args])


def sq_answers(survey_attr: str, value: int = 4) -> Callable[[World], dict[str, Any]]:
    def data(w: World) -> dict[str, Any]:
        survey = getattr(w, survey_attr)
        out: dict[str, Any] = {}
        for sq in SurveyQuestion.objects.filter(survey=survey).select_related("question"):
            out[f"q{sq.pk}"] = "words" if sq.question.kind == "text" else str(value)
        return out
    return data


def api_answers(survey_attr: str) -> Callable[[World], dict[str, Any]]:
    def data(w: World) -> dict[str, Any]:
        survey = getattr(w, survey_attr)
        items = []
        for sq in SurveyQuestion.objects.filter(survey=survey).select_related("question"):
            items.append({"question_id": sq.pk, "text": "words"} if sq.question.kind == "text"
                         else {"question_id": sq.pk, "value": 4})
        return {"answers": items}
    return data


S = lambda w: w.survey.pk  # noqa: E731
D = lambda w: w.draft.pk  # noqa: E731
A = lambda w: w.attributed.pk  # noqa: E731
I = lambda w: w.open_idea.pk  # noqa: E731, E741
N = lambda w: w.anonymous_idea.pk  # noqa: E731

SIGNED_IN = (L, 200, 200, 200)
SIGNED_IN_WRITE = (L, 302, 302, 302)
ADMIN_PAGE = (L, 403, 403, 200)
ADMIN_WRITE = (L, 403, 403, 302)
API_OK = (401, 200, 200, 200)
API_ADMIN = (401, 403, 403, 200)

survey_form = lambda w: {  # noqa: E731
    "title": "New one", "description": "", "anonymous": "on", "questions": bank("belonging.belong"),
    "audience": "everyone", "min_group_size": 5, "min_comment_group_size": 5}
pulse_form = lambda w: {  # noqa: E731
    "title": "Monthly", "anonymous": "on", "interval_days": 30, "open_days": 7, "questions_per_round": 2,
    "include_belonging": "on", "audience": "everyone", "min_group_size": 5, "min_comment_group_size": 5}

CASES = [
    # --- pages -------------------------------------------------------------------------------------
    Case("voice home", "get", v("index"), SIGNED_IN),
    Case("survey page", "get", v("survey", S), (L, 200, 404, 200)),
    Case("draft page", "get", v("survey", D), (L, 404, 404, 200)),
    Case("answer", "post", v("survey", S), (L, 302, 404, 403), data=sq_answers("survey")),
    Case("change attributed answer", "post", v("survey", A), (L, 302, 302, 302), data=sq_answers("attributed", 5)),
    Case("results", "get", v("results", S), ADMIN_PAGE),
    Case("results of a segment", "get", lambda w: v("results", S)(w) + "?segment=all", ADMIN_PAGE),
    Case("results csv", "get", v("results_csv", S), ADMIN_PAGE),
    Case("manage", "get", v("manage"), ADMIN_PAGE),
    Case("new survey page", "get", v("survey_new"), ADMIN_PAGE),
    Case("new survey", "post", v("survey_new"), ADMIN_WRITE, data=survey_form),
    Case("edit draft page", "get", v("survey_edit", D), ADMIN_PAGE),
    Case("edit draft", "post", v("survey_edit", D), ADMIN_WRITE, data=survey_form),
    Case("open draft", "post", v("survey_open", D), ADMIN_WRITE),
    Case("close survey", "post", v("survey_close", S), ADMIN_WRITE),
    Case("remind", "post", v("survey_remind", S), ADMIN_WRITE),
    Case("question bank", "get", v("questions"), ADMIN_PAGE),
    Case("add question", "post", v("questions"), ADMIN_WRITE,
         data=lambda w: {"text": "Do you like Fridays?", "kind": "likert", "theme": "custom"}),
    Case("retire question", "post", v("question_active", lambda w: w.question.pk), ADMIN_WRITE,
         data=lambda w: {"active": "0"}),
    Case("new pulse page", "get", v("pulse_new"), ADMIN_PAGE),
    Case("new pulse", "post", v("pulse_new"), ADMIN_WRITE, data=pulse_form),
    Case("pulse page", "get", v("pulse", lambda w: w.series.pk), ADMIN_PAGE),
    Case("pause pulse", "post", v("pulse_active", lambda w: w.series.pk), ADMIN_WRITE, data=lambda w: {"active": "0"}),
    Case("idea board", "get", v("ideas"), SIGNED_IN),
    Case("idea board newest", "get", lambda w: v("ideas")(w) + "?sort=new&status=new", SIGNED_IN),
    Case("new idea page", "get", v("idea_new"), SIGNED_IN),
    Case("post idea", "post", v("idea_new"), SIGNED_IN_WRITE, data=lambda w: {"title": "Plants", "body": "More"}),
    Case("my ideas", "get", v("ideas_mine"), SIGNED_IN),
    Case("idea page", "get", v("idea", I), SIGNED_IN),
    Case("anonymous idea page", "get", v("idea", N), SIGNED_IN),
    Case("comment", "post", v("idea", I), SIGNED_IN_WRITE, data=lambda w: {"body": "Agreed"}),
    Case("vote", "post", v("idea_vote", I), SIGNED_IN_WRITE, data=lambda w: {"vote": "1"}),
    Case("set status", "post", v("idea_status", N), ADMIN_WRITE, data=lambda w: {"status": "planned", "note": ""}),
    Case("official reply", "post", v("idea_reply", N), ADMIN_WRITE, data=lambda w: {"reply": "We hear you"}),
    Case("we did list", "get", v("actions"), SIGNED_IN),
    Case("we did about a survey", "get", v("action", lambda w: w.action.pk), (L, 200, 404, 200)),
    Case("general we did", "get", v("action", lambda w: w.general_action.pk), SIGNED_IN),
    Case("publish page", "get", v("action_new"), ADMIN_PAGE),
    Case("publish", "post", v("action_new"), ADMIN_WRITE,
         data=lambda w: {"title": "Done", "body": "Really", "survey": w.survey.pk}),
    # --- API ---------------------------------------------------------------------------------------
    Case("api: my surveys", "get", lambda w: "/api/surveys/", API_OK, api=True),
    Case("api: create survey", "post", lambda w: "/api/surveys/", (401, 403, 403, 201), api=True,
         data=lambda w: {"title": "API survey", "question_ids": bank("belonging.belong")}),
    Case("api: bank", "get", lambda w: "/api/surveys/questions", API_ADMIN, api=True),
    Case("api: add question", "post", lambda w: "/api/surveys/questions", (401, 403, 403, 201), api=True,
         data=lambda w: {"text": "Is lunch good?", "kind": "likert"}),
    Case("api: pulses", "get", lambda w: "/api/surveys/pulses", API_ADMIN, api=True),
    Case("api: start pulse", "post", lambda w: "/api/surveys/pulses", (401, 403, 403, 201), api=True,
         data=lambda w: {"title": "API pulse"}),
    Case("api: trend", "get", lambda w: f"/api/surveys/pulses/{w.series.pk}/trend", API_ADMIN, api=True),
    Case("api: ideas", "get", lambda w: "/api/surveys/ideas", API_OK, api=True),
    Case("api: post idea", "post", lambda w: "/api/surveys/ideas", (401, 201, 201, 201), api=True,
         data=lambda w: {"title": "API idea", "body": "Body", "anonymous": True}),
    Case("api: my ideas", "get", lambda w: "/api/surveys/ideas/mine", API_OK, api=True),
    Case("api: idea", "get", lambda w: f"/api/surveys/ideas/{w.anonymous_idea.pk}", API_OK, api=True),
    Case("api: vote", "post", lambda w: f"/api/surveys/ideas/{w.open_idea.pk}/vote", API_OK, api=True),
    Case("api: unvote", "delete", lambda w: f"/api/surveys/ideas/{w.open_idea.pk}/vote", API_OK, api=True,
         noop=("member", "outsider", "admin")),
    Case("api: comment", "post", lambda w: f"/api/surveys/ideas/{w.open_idea.pk}/comments", (401, 201, 201, 201),
         api=True, data=lambda w: {"body": "Agreed"}),
    Case("api: reply", "post", lambda w: f"/api/surveys/ideas/{w.anonymous_idea.pk}/replies", (401, 403, 403, 201),
         api=True, data=lambda w: {"body": "We hear you"}),
    Case("api: status", "post", lambda w: f"/api/surveys/ideas/{w.anonymous_idea.pk}/status", API_ADMIN, api=True,
         data=lambda w: {"status": "done"}),
    Case("api: we did", "get", lambda w: "/api/surveys/actions", API_OK, api=True),
    Case("api: publish", "post", lambda w: "/api/surveys/actions", (401, 403, 403, 201), api=True,
         data=lambda w: {"title": "Done", "body": "Really", "idea_id": w.open_idea.pk}),
    Case("api: survey", "get", lambda w: f"/api/surveys/{w.survey.pk}", (401, 200, 404, 200), api=True),
    Case("api: draft", "get", lambda w: f"/api/surveys/{w.draft.pk}", (401, 404, 404, 200), api=True),
    Case("api: answer", "post", lambda w: f"/api/surveys/{w.survey.pk}/responses", (401, 201, 404, 403), api=True,
         data=api_answers("survey")),
    Case("api: change answer", "put", lambda w: f"/api/surveys/{w.attributed.pk}/responses/mine",
         (401, 200, 200, 409), api=True, data=api_answers("attributed")),  # the admin has not answered yet
    Case("api: results", "get", lambda w: f"/api/surveys/{w.survey.pk}/results", API_ADMIN, api=True),
    Case("api: open", "post", lambda w: f"/api/surveys/{w.draft.pk}/open", API_ADMIN, api=True),
    Case("api: close", "post", lambda w: f"/api/surveys/{w.survey.pk}/close", API_ADMIN, api=True),
]


def refused(expected: int | str) -> bool:
    return expected == L or (isinstance(expected, int) and expected >= 400)


def run(world: World, case: Case, role: str):
    client = world.clients[role]
    url = case.url(world)
    data = case.data(world) if case.data else None
    if case.api:
        if case.method in ("get", "delete"):
            return getattr(client, case.method)(url)
        return getattr(client, case.method)(url, json.dumps(data or {}), content_type="application/json")
    return client.get(url) if case.method == "get" else client.post(url, data or {})


def test_permission_matrix(world):
    # The outsider answered the attributed survey (asked of everyone) too, so both may change their answers.
    answer(world.attributed, world.org.sales_people[0], **{"belonging.belong": 2})
    before = db_snapshot()
    problems: list[str] = []
    for case in CASES:
        for role, expected in zip(ROLES, case.expected, strict=True):
            with transaction.atomic():
                response = run(world, case, role)
                status = response.status_code
                if expected == L:
                    if status != 302 or not response["Location"].startswith(reverse("account_login")):
                        problems.append(f"{case} / {role}: expected sign-in, got {status}")
                elif status != expected:
                    problems.append(f"{case} / {role}: expected {expected}, got {status}")
                after = db_snapshot()
                if refused(expected) or case.method == "get":
                    if after != before:
                        changed = sorted(k for k in before if before[k] != after.get(k))
                        problems.append(f"{case} / {role}: a refusal or a read changed {changed}")
                elif role not in case.noop and after == before:
                    problems.append(f"{case} / {role}: an allowed write changed nothing")
                transaction.set_rollback(True)
    assert not problems, "\n".join(problems)


def test_the_matrix_covers_every_voice_route():
    from tests import url_coverage

    ours = {r for r in url_coverage.routes_to_cover() if r.startswith(("voice/", "api/surveys/"))}
    assert ours == SURVEY_ROUTES
    from tests.test_permissions import OTHER_MATRICES

    assert SURVEY_ROUTES <= OTHER_MATRICES


BAD_IDS = ["abc", "0", "-1", "99999999999999999999999", "1.5", "%20"]


@pytest.mark.parametrize("bad", BAD_IDS)
def test_bad_ids_are_404_for_admins_too(world, bad):
    client = world.clients["admin"]
    before = db_snapshot()
    for method, url in [
        ("get", reverse("surveys:survey", args=[bad])), ("post", reverse("surveys:survey", args=[bad])),
        ("get", reverse("surveys:results", args=[bad])), ("get", reverse("surveys:results_csv", args=[bad])),
        ("get", reverse("surveys:survey_edit", args=[bad])), ("post", reverse("surveys:survey_open", args=[bad])),
        ("post", reverse("surveys:survey_close", args=[bad])), ("post", reverse("surveys:survey_remind", args=[bad])),
        ("post", reverse("surveys:question_active", args=[bad])), ("get", reverse("surveys:pulse", args=[bad])),
        ("post", reverse("surveys:pulse_active", args=[bad])), ("get", reverse("surveys:idea", args=[bad])),
        ("post", reverse("surveys:idea_vote", args=[bad])), ("post", reverse("surveys:idea_status", args=[bad])),
        ("post", reverse("surveys:idea_reply", args=[bad])), ("get", reverse("surveys:action", args=[bad])),
        ("get", f"/api/surveys/{bad}"), ("get", f"/api/surveys/ideas/{bad}"), ("get", f"/api/surveys/{bad}/results"),
    ]:
        response = client.get(url) if method == "get" else client.post(url, {})
        assert response.status_code == 404, (method, url, response.status_code)
    assert db_snapshot() == before


def test_bad_input_is_a_clear_4xx_that_changes_nothing(world):
    admin, member = world.clients["admin"], world.clients["member"]
    before = db_snapshot()
    cases = [
        (member, "post", reverse("surveys:survey", args=[world.survey.pk]), {}),  # nothing answered
        (member, "post", reverse("surveys:survey", args=[world.survey.pk]), {"q1": "x"}),
        (admin, "post", reverse("surveys:survey_new"), {"title": "", "questions": []}),
        (admin, "post", reverse("surveys:survey_new"), {**survey_form(world), "min_group_size": 2}),
        (admin, "post", reverse("surveys:survey_new"), {**survey_form(world), "audience": "departments"}),
        (admin, "post", reverse("surveys:questions"), {"text": "Pick", "kind": "single", "theme": "custom",
                                                        "options": "only one"}),
        (admin, "post", reverse("surveys:pulse_new"), {**pulse_form(world), "open_days": 60}),
        (member, "post", reverse("surveys:idea_new"), {"title": "", "body": ""}),
        (member, "get", reverse("surveys:ideas") + "?sort=weird", None),
        (admin, "get", reverse("surveys:results", args=[world.survey.pk]) + "?segment=dept:999999", None),
        (admin, "post", reverse("surveys:action_new"), {"title": "x", "body": "y", "survey": 999999}),
    ]
    for client, method, url, data in cases:
        response = client.get(url) if method == "get" else client.post(url, data)
        assert 400 <= response.status_code < 500, (url, data, response.status_code)
        assert response.status_code != 404 or "segment" in url or method == "post"
    api_cases = [
        ("post", f"/api/surveys/{world.survey.pk}/responses", {"answers": [{"question_id": 1, "value": 11}]}),
        ("post", f"/api/surveys/{world.survey.pk}/responses", {"answers": []}),
        ("post", "/api/surveys/ideas", {"title": " ", "body": "x"}),
        ("post", "/api/surveys/ideas", {"title": "x"}),
    ]
    for _method, url, data in api_cases:
        response = member.post(url, json.dumps(data), content_type="application/json")
        assert 400 <= response.status_code < 500, (url, data, response.status_code)
        assert response.json()["message"]
    assert db_snapshot() == before
