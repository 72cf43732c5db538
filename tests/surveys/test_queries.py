"""Voice pages and API lists run a fixed number of queries, whatever the number of respondents, ideas, votes,
comments or updates. Each page is asked once to warm the session and caches, then counted, with
a small and a larger data set."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from courtyard.surveys import services
from tests.surveys.conftest import answer, make_survey

pytestmark = pytest.mark.django_db


def client_for(profile) -> Client:
    client = Client()
    client.force_login(profile.user)
    client.get("/healthz")
    return client


def count_queries(client: Client, url: str, django_assert_max_num_queries) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm up
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def build(org, n: int):
    survey = make_survey(org.admin, title="Counted")
    people = org.everyone[:n]
    for i, person in enumerate(people):
        answer(survey, person, **{"belonging.belong": 1 + i % 5, "enps.recommend": i % 11, "open.better": f"c{i}"})
    for i in range(n):
        cache.clear()  # rate limits are not what this test is about
        idea = services.idea_create(actor=people[i % len(people)].user, title=f"Idea {i}", body="b", anonymous=i % 2 == 0)
        for voter in people[: i % 4]:
            services.idea_vote(actor=voter.user, idea=idea, on=True)
        services.idea_comment(actor=org.admin.user, idea=idea, body="reply", official=True)
        services.action_publish(actor=org.admin.user, title=f"Did {i}", body="x", idea=idea)
    survey.refresh_from_db()
    return survey


PAGES = [
    ("voice home", "member", lambda s: reverse("surveys:index")),
    ("survey", "member", lambda s: reverse("surveys:survey", args=[s.pk])),
    ("results", "admin", lambda s: reverse("surveys:results", args=[s.pk])),
    ("results csv", "admin", lambda s: reverse("surveys:results_csv", args=[s.pk])),
    ("manage", "admin", lambda s: reverse("surveys:manage")),
    ("ideas", "member", lambda s: reverse("surveys:ideas")),
    ("my ideas", "member", lambda s: reverse("surveys:ideas_mine")),
    ("actions", "member", lambda s: reverse("surveys:actions")),
    ("home", "member", lambda s: reverse("home")),
    ("api surveys", "member", lambda s: "/api/surveys/"),
    ("api ideas", "member", lambda s: "/api/surveys/ideas"),
    ("api actions", "member", lambda s: "/api/surveys/actions"),
    ("api results", "admin", lambda s: f"/api/surveys/{s.pk}/results"),
]
# Pinned counts with database sessions (one fewer with sessions in Redis).
EXPECTED = {
    "voice home": 9, "survey": 8, "results": 4, "results csv": 3, "manage": 5, "ideas": 4, "my ideas": 6,
    "actions": 3, "api surveys": 4, "api ideas": 4, "api actions": 3, "api results": 3,
}


@pytest.mark.parametrize("size", [5, 14])
def test_voice_pages_run_a_fixed_number_of_queries(org, size, django_assert_max_num_queries):
    survey = build(org, size)
    clients = {"member": client_for(org.everyone[0]), "admin": client_for(org.admin)}
    offset = 0 if settings.SESSION_ENGINE.endswith(".db") else 1
    counted = {name: count_queries(clients[who], url(survey), django_assert_max_num_queries)
               for name, who, url in PAGES}
    home = counted.pop("home")
    assert home <= 12
    assert counted == {k: v - offset for k, v in EXPECTED.items()}, counted
