"""The Voice API: the same rules as the pages, every answer validated against the OpenAPI document."""

from __future__ import annotations

import pytest

from courtyard.surveys.models import Response, Survey, SurveyQuestion
from tests.api.conftest import api_for
from tests.helpers import db_snapshot
from tests.surveys.conftest import PLANTED, answer, bank, make_survey

pytestmark = pytest.mark.django_db


def test_build_open_answer_and_read_aggregates(org):
    admin = api_for(org.admin)
    created = admin.request("post", "/api/surveys/", {
        "title": "API pulse", "question_ids": bank("belonging.belong", "enps.recommend", "open.better"),
        "audience": "departments", "department_ids": [org.engineering.pk], "min_comment_group_size": 3})
    assert created.status_code == 201
    assert created.body["status"] == "draft"
    survey_id = created.body["id"]
    opened = admin.request("post", f"/api/surveys/{survey_id}/open")
    assert opened.body["status"] == "open"
    member = api_for(org.platform_people[0])
    waiting = member.request("get", "/api/surveys/").body
    assert [s["id"] for s in waiting["waiting"]] == [survey_id]
    detail = member.request("get", f"/api/surveys/{survey_id}").body
    assert detail["anonymous"] is True
    assert detail["me"]["can_answer"] is True
    ids = {q["kind"]: q["id"] for q in detail["questions"]}
    receipt = member.request("post", f"/api/surveys/{survey_id}/responses", {"answers": [
        {"question_id": ids["likert"], "value": 4}, {"question_id": ids["enps"], "value": 10},
        {"question_id": ids["text"], "text": PLANTED}]})
    assert receipt.status_code == 201
    assert receipt.body["counted"] is True
    again = member.request("post", f"/api/surveys/{survey_id}/responses", {"answers": [
        {"question_id": ids["likert"], "value": 1}, {"question_id": ids["enps"], "value": 0}]})
    assert again.status_code == 409
    assert again.body["code"] == "already_answered"
    assert member.request("get", f"/api/surveys/{survey_id}").body["me"]["answered_on"] is not None
    assert member.request("get", f"/api/surveys/{survey_id}/results").status_code == 403
    outsider = api_for(org.sales_people[0])
    assert outsider.request("get", f"/api/surveys/{survey_id}").status_code == 404
    results = admin.request("get", f"/api/surveys/{survey_id}/results").body
    assert results["respondents"] is None  # one respondent: withheld
    assert all(not s["shown"] for s in results["segments"])
    assert results["comments"][0]["comments"] == []
    for person in org.platform_people[1:6]:
        survey = Survey.objects.get(pk=survey_id)
        answer(survey, person, **{"belonging.belong": 5, "enps.recommend": 9, "open.better": "fine"})
    results = admin.request("get", f"/api/surveys/{survey_id}/results").body
    # Open: who took part, nothing of what they answered.
    assert results["released"] is False
    assert results["segments"] == []
    assert results["participation"]["responded"] == 6
    closed = admin.request("post", f"/api/surveys/{survey_id}/close")
    assert closed.body["status"] == "closed"
    results = admin.request("get", f"/api/surveys/{survey_id}/results").body
    assert results["released"] is True
    everyone = next(s for s in results["segments"] if s["key"] == "all")
    assert everyone["respondents"] == 6
    assert everyone["enps"] == pytest.approx(100.0)
    assert sorted(results["comments"][0]["comments"]) == sorted([PLANTED] + ["fine"] * 5)
    assert PLANTED not in str(everyone)


def test_attributed_answers_change_through_the_api(org):
    survey = make_survey(org.admin, anonymous=False, allow_changes=True, keys=("belonging.belong",))
    member = api_for(org.platform_people[0])
    question_id = SurveyQuestion.objects.get(survey=survey).pk
    assert member.request("put", f"/api/surveys/{survey.pk}/responses/mine",
                          {"answers": [{"question_id": question_id, "value": 2}]}).status_code == 409
    member.request("post", f"/api/surveys/{survey.pk}/responses", {"answers": [{"question_id": question_id, "value": 2}]})
    changed = member.request("put", f"/api/surveys/{survey.pk}/responses/mine",
                             {"answers": [{"question_id": question_id, "value": 5}]})
    assert changed.status_code == 200
    assert Response.objects.filter(survey=survey).count() == 1


def test_bad_answers_are_422_or_400_and_change_nothing(org):
    survey = make_survey(org.admin)
    member = api_for(org.platform_people[0])
    before = db_snapshot()
    for body in ({"answers": [{"question_id": 1, "value": 99}]}, {"answers": "no"}, {"nope": 1},
                 {"answers": [{"question_id": 999999, "value": 3}]}, {"answers": []}):
        response = member.request("post", f"/api/surveys/{survey.pk}/responses", body)
        assert response.status_code in (400, 422), body
    assert db_snapshot() == before


def test_bank_pulses_and_trend(org):
    admin = api_for(org.admin)
    bank_list = admin.request("get", "/api/surveys/questions").body
    assert sum(1 for q in bank_list if q["belonging"]) == 4
    added = admin.request("post", "/api/surveys/questions",
                          {"text": "Which office?", "kind": "single", "options": ["Berlin", "Lisbon"]})
    assert added.status_code == 201
    assert added.body["options"] == ["Berlin", "Lisbon"]
    assert admin.request("post", "/api/surveys/questions", {"text": "Pick", "kind": "single",
                                                             "options": ["one"]}).status_code == 400
    pulse = admin.request("post", "/api/surveys/pulses", {"title": "Monthly", "interval_days": 30,
                                                          "questions_per_round": 2})
    assert pulse.status_code == 201
    assert admin.request("get", "/api/surveys/pulses").body[0]["title"] == "Monthly"
    assert admin.request("get", f"/api/surveys/pulses/{pulse.body['id']}/trend").body == {"rounds": []}
    assert admin.request("post", "/api/surveys/pulses", {"title": "Bad", "interval_days": 3,
                                                         "open_days": 5}).status_code == 400


def test_ideas_votes_replies_and_we_did(org):
    author, fan, admin_profile = org.platform_people[0], org.sales_people[0], org.admin
    api_author, api_fan, api_admin = api_for(author), api_for(fan), api_for(admin_profile)
    posted = api_author.request("post", "/api/surveys/ideas", {"title": "Lanterns", "body": "On the roof",
                                                               "anonymous": True})
    assert posted.status_code == 201
    assert posted.body["author"] is None
    idea_id = posted.body["id"]
    assert api_fan.request("post", f"/api/surveys/ideas/{idea_id}/vote").body == {"voted": True, "vote_count": 1}
    assert api_fan.request("delete", f"/api/surveys/ideas/{idea_id}/vote").body == {"voted": False, "vote_count": 0}
    assert api_fan.request("post", f"/api/surveys/ideas/{idea_id}/comments", {"body": "Yes"}).status_code == 201
    assert api_fan.request("post", f"/api/surveys/ideas/{idea_id}/replies", {"body": "x"}).status_code == 403
    assert api_admin.request("post", f"/api/surveys/ideas/{idea_id}/replies", {"body": "We will"}).status_code == 201
    status = api_admin.request("post", f"/api/surveys/ideas/{idea_id}/status", {"status": "planned", "note": "May"})
    assert status.body["status"] == "planned"
    mine = api_author.request("get", "/api/surveys/ideas/mine").body
    assert [r["body"] for r in mine[0]["replies"]] == ["We will", "May"]
    assert api_fan.request("get", "/api/surveys/ideas/mine").body == []
    board = api_fan.request("get", "/api/surveys/ideas", {"sort": "new"}).body
    assert board["count"] == 1
    assert board["items"][0]["author"] is None
    published = api_admin.request("post", "/api/surveys/actions", {"title": "Lanterns up", "body": "Done",
                                                                   "idea_id": idea_id})
    assert published.status_code == 201
    assert [a["title"] for a in api_fan.request("get", "/api/surveys/actions").body] == ["Lanterns up"]
