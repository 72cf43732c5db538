"""Voice pages: building a survey through the forms, answering and the receipt, htmx votes, safe Markdown."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from courtyard.surveys import services
from courtyard.surveys.models import Idea, IdeaVote, Response, Survey
from tests.surveys.conftest import bank

pytestmark = pytest.mark.django_db

XSS = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '[x](javascript:alert(1))']


def client_for(profile) -> Client:
    client = Client()
    client.force_login(profile.user)
    client.get("/healthz")
    return client


def test_an_admin_builds_edits_and_opens_a_survey_through_the_pages(org):
    admin = client_for(org.admin)
    form = {"title": "Team health", "description": "Be *honest*", "anonymous": "on",
            "questions": bank("belonging.belong", "enps.recommend"), "audience": "departments",
            "departments": [org.engineering.pk], "min_group_size": 5, "min_comment_group_size": 5}
    response = admin.post(reverse("surveys:survey_new"), form)
    assert response.status_code == 302
    survey = Survey.objects.get(title="Team health")
    assert survey.status == "draft"
    assert admin.post(reverse("surveys:survey_edit", args=[survey.pk]), {**form, "title": "Team health v2"}).status_code == 302
    assert admin.post(reverse("surveys:survey_open", args=[survey.pk])).status_code == 302
    survey.refresh_from_db()
    assert survey.title == "Team health v2"
    assert survey.status == "open"
    assert survey.recipient_count == 10
    assert admin.get(reverse("surveys:survey_edit", args=[survey.pk])).status_code == 409  # open: as announced


def test_answering_shows_the_label_first_and_the_receipt_after(org):
    survey = services.survey_open(actor=org.admin.user, survey=services.survey_create(
        actor=org.admin.user, title="Quick", question_ids=bank("belonging.belong", "open.better")))
    member = client_for(org.platform_people[0])
    page = member.get(reverse("surveys:survey", args=[survey.pk])).content.decode()
    assert "Anonymous." in page
    assert "cannot be changed once sent" in page
    sq = {s.question.kind: s.pk for s in survey.survey_questions.select_related("question")}
    bad = member.post(reverse("surveys:survey", args=[survey.pk]), {f"q{sq['text']}": "draft words"})
    assert bad.status_code == 400
    assert "draft words" in bad.content.decode()
    ok = member.post(reverse("surveys:survey", args=[survey.pk]), {f"q{sq['likert']}": "5", f"q{sq['text']}": "ok"})
    assert ok.status_code == 302
    receipt = member.get(reverse("surveys:survey", args=[survey.pk])).content.decode()
    assert "Your answer was counted on" in receipt
    assert "Send my answers" not in receipt
    assert member.post(reverse("surveys:survey", args=[survey.pk]), {f"q{sq['likert']}": "1"}).status_code == 403
    assert Response.objects.filter(survey=survey).count() == 1


def test_attributed_surveys_say_so_before_answering(org):
    survey = services.survey_open(actor=org.admin.user, survey=services.survey_create(
        actor=org.admin.user, title="Named", anonymous=False, allow_changes=True, question_ids=bank("belonging.belong")))
    page = client_for(org.platform_people[0]).get(reverse("surveys:survey", args=[survey.pk])).content.decode()
    assert "Not anonymous." in page
    assert "admins can see them" in page
    assert "change your answers" in page


def test_votes_swap_in_place_with_htmx(org):
    idea = services.idea_create(actor=org.sales_people[0].user, title="Racks", body="More")
    member = client_for(org.platform_people[0])
    response = member.post(reverse("surveys:idea_vote", args=[idea.pk]), {"vote": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'aria-pressed="true"' in response.content.decode()
    assert IdeaVote.objects.filter(idea=idea).count() == 1
    assert Idea.objects.get(pk=idea.pk).vote_count == 1


@pytest.mark.parametrize("payload", XSS)
def test_member_text_is_sanitized(org, payload):
    member = client_for(org.platform_people[0])
    member.post(reverse("surveys:idea_new"), {"title": "Safe", "body": payload})
    idea = Idea.objects.get(title="Safe")
    member.post(reverse("surveys:idea", args=[idea.pk]), {"body": payload})
    body = member.get(reverse("surveys:idea", args=[idea.pk])).content.decode()
    assert "<script>alert" not in body
    assert "<img src=x" not in body
    assert 'href="javascript:' not in body


def test_the_home_page_shows_we_did_for_everyone(org):
    services.action_publish(actor=org.admin.user, title="Quiet rooms are open", body="Floor 2")
    assert "Quiet rooms are open" in client_for(org.platform_people[0]).get(reverse("home")).content.decode()
