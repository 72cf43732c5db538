"""Answering once and voting once hold under truly concurrent requests: real threads, each with its own
PostgreSQL connection, released together by a barrier. The unique constraints decide; the loser gets a 409 and
leaves nothing behind."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from courtyard.core.errors import Conflict
from courtyard.core.models import Participation
from courtyard.surveys import services
from courtyard.surveys.models import Answer, Idea, IdeaVote, Response, Survey
from tests.surveys.conftest import answers_for, make_survey

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
THREADS = 6


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL (DATABASE_URL=postgres://...)")


def race(work, n: int = THREADS) -> list[object]:
    barrier = threading.Barrier(n)
    outcomes: list[object] = [None] * n

    def run(i: int) -> None:
        try:
            barrier.wait()
            outcomes[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - the outcome is what we assert on
            outcomes[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return outcomes


def test_concurrent_submits_count_one_answer(org):
    survey = make_survey(org.admin, keys=("belonging.belong", "enps.recommend", "open.better"))
    person = org.platform_people[0]
    raw = answers_for(survey, **{"belonging.belong": 4, "enps.recommend": 9, "open.better": "once"})

    def submit(_i: int):
        return services.response_submit(actor=person.user, survey=Survey.objects.get(pk=survey.pk), answers=raw)

    outcomes = race(submit)
    wins = [o for o in outcomes if isinstance(o, Response)]
    conflicts = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(wins) == 1, outcomes
    assert len(conflicts) == THREADS - 1, outcomes
    assert Response.objects.filter(survey=survey).count() == 1
    assert Answer.objects.filter(survey=survey).count() == 3
    assert Survey.objects.get(pk=survey.pk).response_count == 1
    assert Participation.objects.filter(verb="answered_survey", member_id=person.pk).count() == 1


def test_concurrent_submits_by_different_people_all_count(org):
    survey = make_survey(org.admin, keys=("belonging.belong",))
    people = org.platform_people[:THREADS]

    def submit(i: int):
        current = Survey.objects.get(pk=survey.pk)
        return services.response_submit(actor=people[i].user, survey=current,
                                        answers=answers_for(current, **{"belonging.belong": 1 + i % 5}))

    outcomes = race(submit)
    assert all(isinstance(o, Response) for o in outcomes), outcomes
    assert Survey.objects.get(pk=survey.pk).response_count == THREADS
    assert Answer.objects.filter(survey=survey).count() == THREADS


def test_concurrent_votes_count_once_per_person(org):
    idea = services.idea_create(actor=org.sales_people[0].user, title="Racks", body="More")
    voter = org.platform_people[0]
    outcomes = race(lambda _i: services.idea_vote(actor=voter.user, idea=Idea.objects.get(pk=idea.pk), on=True))
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert IdeaVote.objects.filter(idea=idea).count() == 1
    assert Idea.objects.get(pk=idea.pk).vote_count == 1
