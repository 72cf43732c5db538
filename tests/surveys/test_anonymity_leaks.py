"""The planted-answer test: a unique answer (and a unique anonymous idea) is planted by one member, then every
page, API response, admin page, export, notification, audit entry, activity fact, database row and captured log
line is searched. The planted words may appear only in aggregates (the results' comment list for everyone, once
the comment minimum holds, shuffled and undated) and never beside the member who wrote them."""

from __future__ import annotations

import json
import logging
import re

import pytest
from django.test import Client
from django.urls import reverse

from courtyard.core.models import AuditEntry, Interaction, Participation
from courtyard.notifications.models import Notification
from courtyard.surveys import services
from courtyard.surveys.models import Action, Answer, Idea, PulseSeries, Question, Survey
from tests.helpers import db_snapshot
from tests.surveys.conftest import PLANTED, answer, close, make_survey

pytestmark = pytest.mark.django_db

IDEA_TITLE = "Ostrich-lantern-5521 for the roof"


def client_for(profile) -> Client:
    client = Client()
    client.force_login(profile.user)
    client.get("/healthz")
    return client


@pytest.fixture
def planted(org, caplog):
    caplog.set_level(logging.DEBUG)
    logging.getLogger("django.db.backends").setLevel(logging.WARNING)  # SQL echo is the database's, not ours
    author = org.platform_people[0]
    survey = make_survey(org.admin, title="Leak check", min_comment_group_size=3)
    answer(survey, author, **{"belonging.belong": 2, "enps.recommend": 3, "open.better": PLANTED})
    for i, person in enumerate(org.platform_people[1:7] + org.sales_people[:3]):
        answer(survey, person, **{"belonging.belong": 4, "enps.recommend": 8,
                                  "open.better": f"ordinary comment {i}" if i < 3 else ""})
    idea = services.idea_create(actor=author.user, title=IDEA_TITLE, body="Lanterns!", anonymous=True)
    services.idea_comment(actor=org.admin.user, idea=idea, body="Reply to the lantern idea", official=True)
    services.idea_set_status(actor=org.admin.user, idea=idea, status="planned")
    services.idea_vote(actor=org.sales_people[0].user, idea=idea, on=True)
    action = services.action_publish(actor=org.admin.user, title="We did the lanterns", body="Done", idea=idea)
    services.survey_remind(actor=org.admin.user, survey=survey)
    services.answers_reshuffle(survey_id=survey.pk)
    survey = close(survey)  # its results are released only now
    series = services.series_create(actor=org.admin.user, title="Pulse")
    return {"author": author, "survey": survey, "idea": idea, "action": action, "series": series}


def crawl_urls(world: dict, org) -> list[str]:
    survey, idea, action, series = world["survey"], world["idea"], world["action"], world["series"]
    urls = [
        reverse("home"), reverse("surveys:index"), reverse("surveys:survey", args=[survey.pk]),
        reverse("surveys:results", args=[survey.pk]), reverse("surveys:results_csv", args=[survey.pk]),
        reverse("surveys:manage"), reverse("surveys:ideas"), reverse("surveys:ideas") + "?sort=new",
        reverse("surveys:ideas_mine"), reverse("surveys:idea", args=[idea.pk]), reverse("surveys:actions"),
        reverse("surveys:action", args=[action.pk]), reverse("surveys:pulse", args=[series.pk]),
        reverse("notifications:list"), reverse("people:profile", args=[world["author"].pk]),
        "/api/surveys/", f"/api/surveys/{survey.pk}", f"/api/surveys/{survey.pk}/results", "/api/surveys/ideas",
        f"/api/surveys/ideas/{idea.pk}", "/api/surveys/ideas/mine", "/api/surveys/actions", "/api/notifications/",
        f"/api/people/{world['author'].pk}",
        "/admin/", "/admin/core/auditentry/", "/admin/surveys/survey/", f"/admin/surveys/survey/{survey.pk}/change/",
        "/admin/surveys/idea/", f"/admin/surveys/idea/{idea.pk}/change/", "/admin/surveys/ideacomment/",
        "/admin/surveys/action/", "/admin/surveys/question/", "/admin/surveys/pulseseries/",
        "/admin/people/profile/", f"/admin/people/profile/{world['author'].pk}/change/",
    ]
    for segment in ("all", f"dept:{org.platform.pk}", f"dept:{org.engineering.pk}", f"loc:{org.berlin.pk}",
                    "tenure:1-3y", "tenure:3y+"):
        urls.append(reverse("surveys:results", args=[survey.pk]) + f"?segment={segment}")
    for entry in AuditEntry.objects.all():
        urls.append(f"/admin/core/auditentry/{entry.pk}/change/")
    return urls


def identifying(profile) -> list[str]:
    return [profile.full_name, profile.user.email, f"/people/{profile.pk}/"]


def test_the_planted_answer_never_appears_beside_its_author(org, planted, caplog):
    author = planted["author"]
    survey = planted["survey"]
    seen_on: list[str] = []
    for viewer in (org.admin, author, org.sales_people[0]):
        client = client_for(viewer)
        for url in crawl_urls(planted, org):
            response = client.get(url)
            assert response.status_code < 500, url
            body = response.content.decode(errors="replace")
            if PLANTED in body:
                seen_on.append(f"{viewer.full_name}: {url}")
                for mark in identifying(author):
                    assert mark not in body, f"{url} shows {PLANTED!r} beside {mark!r}"
                assert IDEA_TITLE not in body or "results" not in url
    # Only the results (page and API, for everyone) may carry it, and only to the admin.
    allowed = {reverse("surveys:results", args=[survey.pk]), f"/api/surveys/{survey.pk}/results",
               reverse("surveys:results", args=[survey.pk]) + "?segment=all"}
    assert seen_on, "the comment reached the minimum, so it must be shown in the results"
    for place in seen_on:
        viewer, url = place.split(": ", 1)
        assert viewer == org.admin.full_name, place
        assert url in allowed, place
    # Never in the export, a notification, the audit log, the activity facts or any log line.
    csv = client_for(org.admin).get(reverse("surveys:results_csv", args=[survey.pk])).content.decode()
    assert PLANTED not in csv
    for text in Notification.objects.values_list("text", flat=True):
        assert PLANTED not in text
    assert PLANTED not in json.dumps(list(AuditEntry.objects.values("action", "data", "object_id")), default=str)
    assert PLANTED not in caplog.text


def test_only_the_answers_table_holds_the_planted_words(org, planted):
    rows = db_snapshot()
    holders = [table for table, values in rows.items() if PLANTED in json.dumps(values, default=str)]
    assert holders == ["surveys.Answer"]
    planted_row = Answer.objects.get(text=PLANTED)
    # ... and that row says nothing about who: no member, no response, no time, a random key
    assert planted_row.answered_week.weekday() == 0
    assert not hasattr(planted_row, "member_id")
    assert not hasattr(planted_row, "response_id")
    assert re.fullmatch(r"[0-9a-f-]{36}", str(planted_row.pk))


def test_comments_are_shuffled_undated_and_only_for_everyone(org, planted):
    client = client_for(org.admin)
    page = client.get(reverse("surveys:results", args=[planted["survey"].pk])).content.decode()
    comments = re.findall(r'<li class="list-group-item">(.*?)</li>', page)
    assert sorted(comments) == sorted([PLANTED, "ordinary comment 0", "ordinary comment 1", "ordinary comment 2"])
    for comment in comments:
        assert not re.search(r"\d{4}-\d{2}-\d{2}|\b20\d\d\b", comment)
    for segment in (f"dept:{org.platform.pk}", f"loc:{org.berlin.pk}", "tenure:3y+"):
        body = client.get(reverse("surveys:results", args=[planted["survey"].pk]) + f"?segment={segment}").content
        assert PLANTED.encode() not in body
    # The order changes from one computation to the next (it is shuffled, not the storage order).
    from courtyard.surveys.selectors import _compute_results

    orders = {tuple(next(iter(_compute_results(planted["survey"])["comments"].values()))) for _ in range(12)}
    assert len(orders) > 1


def test_below_the_comment_minimum_the_comment_is_withheld(org):
    survey = make_survey(org.admin, title="Few comments", min_comment_group_size=5)
    for i, person in enumerate(org.platform_people[:6]):
        answer(survey, person, **{"belonging.belong": 4, "enps.recommend": 8,
                                  "open.better": PLANTED if i == 0 else ""})
    close(survey)
    body = client_for(org.admin).get(reverse("surveys:results", args=[survey.pk])).content.decode()
    assert PLANTED not in body
    assert "Comments are withheld until at least 5" in body


def test_the_anonymous_idea_never_reveals_its_author(org, planted):
    author, idea = planted["author"], planted["idea"]
    for viewer in (org.admin, org.sales_people[0], author):
        client = client_for(viewer)
        for url in crawl_urls(planted, org):
            body = client.get(url).content.decode(errors="replace")
            if IDEA_TITLE in body and viewer != author:
                for mark in identifying(author):
                    assert mark not in body, f"{url} shows the anonymous idea beside {mark!r} to {viewer}"
    api = client_for(org.sales_people[0]).get(f"/api/surveys/ideas/{idea.pk}").json()
    assert api["author"] is None
    assert api["mine"] is False
    assert client_for(author).get(f"/api/surveys/ideas/{idea.pk}").json()["mine"] is True
    # No row anywhere names the author next to the idea: no fact, no notification, no audit entry by them.
    assert not Participation.objects.filter(member_id=author.pk, object_type="idea").exists()
    assert not Notification.objects.filter(recipient=author.user, object_type="idea").exists()
    assert not Notification.objects.filter(recipient=author.user, text__contains="lantern").exists()
    assert not AuditEntry.objects.filter(actor=author.user, object_type="surveys.idea").exists()
    assert not Interaction.objects.filter(actor_id=author.pk).exists()
    assert Idea.objects.get(pk=idea.pk).author_id is None
    # The author sees the admin's reply on "My ideas"; nobody else does.
    mine = client_for(author).get(reverse("surveys:ideas_mine")).content.decode()
    assert IDEA_TITLE in mine
    assert "Reply to the lantern idea" in mine
    assert IDEA_TITLE not in client_for(org.sales_people[0]).get(reverse("surveys:ideas_mine")).content.decode()


def test_the_admin_has_no_page_for_single_answers_or_responses(org, planted):
    client = client_for(org.admin)
    for url in ("/admin/surveys/answer/", "/admin/surveys/response/", "/admin/surveys/attributedanswer/",
                "/admin/surveys/recipient/"):
        assert client.get(url).status_code == 404, url
    index = client.get("/admin/").content.decode()
    assert "/admin/surveys/answer/" not in index


def test_answering_facts_carry_a_day_never_a_time(org, planted):
    for fact in Participation.objects.filter(verb="answered_survey"):
        assert (fact.occurred_at.hour, fact.occurred_at.minute, fact.occurred_at.second,
                fact.occurred_at.microsecond) == (0, 0, 0, 0)
    assert Survey.objects.filter(pk=planted["survey"].pk, answers_dirty=False).exists()
    assert Question.objects.exists()
    assert PulseSeries.objects.exists()
    assert Action.objects.exists()


def _reading(client, survey, department_id: int) -> dict[str, object]:
    """Everything the results say about the answers (page, API, CSV, the Insights belonging index): not who
    took part, which is not an answer and follows each response on purpose."""
    from courtyard.core import clock
    from courtyard.surveys import selectors

    page = client.get(reverse("surveys:results", args=[survey.pk])).content.decode()
    assert PLANTED not in page or survey.status == "closed"
    api = client.get(f"/api/surveys/{survey.pk}/results").json()
    api.pop("participation")
    today = clock.now().date()
    return {
        "page": re.search(r'<div class="col-lg-8">.*?<aside', page, re.S).group(0),
        "belonging": re.search(r'id="belonging-index">(.*?)</div>', page, re.S).group(1),
        "heat": "h-heat" in page,
        "api": api,
        "csv": client.get(reverse("surveys:results_csv", args=[survey.pk])).content.decode(),
        "insights": [selectors.belonging_index(kind, scope_id, today.replace(day=1), today)
                     for kind, scope_id in (("org", 0), ("dept", department_id))],
    }


def test_reading_before_and_after_each_answer_shows_nobody_s_answer(org):
    """The differencing attack: the admin reads every result (page, API, CSV, Insights) before and after each
    single answer, the planted one among them. Nothing read changes while the survey takes answers, so no
    difference is one person's answer; at close all of them arrive at once, each figure over at least the
    minimum, the planted comment among the others."""
    admin = client_for(org.admin)
    survey = make_survey(org.admin, title="Differencing", min_comment_group_size=3)
    people = org.platform_people[:6] + org.sales_people[:5]
    readings = [_reading(admin, survey, org.platform.pk)]
    for i, person in enumerate(people):
        planted = i == 3
        answer(survey, person, **{"belonging.belong": 1 if planted else 4, "enps.recommend": 0 if planted else 8,
                                  "open.better": PLANTED if planted else (f"ordinary {i}" if i % 2 else "")})
        survey.refresh_from_db()
        readings.append(_reading(admin, survey, org.platform.pk))
        assert readings[-1] == readings[-2], f"the results moved with answer {i + 1}"
    assert PLANTED not in json.dumps(readings)
    # No breakdown by group either while it is open: a clear 400, the same for every group.
    for segment in (f"dept:{org.platform.pk}", f"loc:{org.berlin.pk}", "tenure:3y+"):
        response = admin.get(reverse("surveys:results", args=[survey.pk]) + f"?segment={segment}")
        assert response.status_code == 400
        assert PLANTED not in response.content.decode()
    survey = close(survey)
    released = _reading(admin, survey, org.platform.pk)
    assert released != readings[-1]
    assert released["api"]["released"] is True
    assert released["api"]["respondents"] == len(people)
    everyone = json.dumps(released["api"]["comments"])
    assert PLANTED in everyone
    assert released["insights"][0]["respondents"] == len(people)
    # Once closed it takes no answer, so every later reading is the same.
    assert _reading(admin, survey, org.platform.pk) == released
