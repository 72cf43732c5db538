"""The welcome pages and the home card run a fixed number of queries, however much a newcomer did and however
many newcomers there are."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from courtyard.core.activity import interaction_record, participation_record
from courtyard.groups import services as groups
from courtyard.welcome import services
from courtyard.welcome.models import Buddying
from tests.factories import make_profile
from tests.welcome.conftest import days_ago, offer, today

pytestmark = pytest.mark.django_db


def count(client: Client, url: str) -> int:
    """Queries of the second request: the first also fills caches that are not this page's (the daily visit
    fact, the notification badge, similar people)."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def clients(team) -> dict[str, Client]:
    made = {}
    for role, profile in (("newcomer", team.newcomer), ("manager", team.manager), ("buddy", team.volunteer),
                          ("admin", team.admin)):
        made[role] = Client()
        made[role].force_login(profile.user)
        made[role].get("/healthz")
    return made


PAGES = [("newcomer", "/"), ("newcomer", "/welcome/"), ("manager", "/welcome/"), ("buddy", "/welcome/"),
         ("admin", "/welcome/integration/"), ("newcomer", "/api/welcome/me")]


def grow(team, n: int) -> None:
    """More of everything: newcomers with buddies, groups joined, facts, ties."""
    for i in range(n):
        offer(make_profile(password=None, email=f"vol{n}-{i}@example.com", start_date=days_ago(900)))
        make_profile(password=None, email=f"new{n}-{i}@example.com", manager=team.manager,
                     start_date=days_ago(5 + i * 7), interests=["Chess"])
        group = groups.group_create(actor=team.other.user, name=f"Group {n}-{i}", tags=["Chess"])
        groups.membership_join(actor=team.newcomer.user, group=group)
        participation_record(member_id=team.newcomer.pk, verb="attended", department_id=None)
        interaction_record(actor_id=team.other.pk, other_id=team.newcomer.pk, kind="reply",
                           actor_department_id=None, other_department_id=None)
    services.buddies_assign(today=today())


def test_pages_run_a_fixed_number_of_queries(team):
    grow(team, 1)
    pairing = Buddying.objects.get(newcomer=team.newcomer)
    pages = [*PAGES, ("newcomer", f"/welcome/buddies/{pairing.pk}/"), ("manager", f"/api/welcome/buddies/{pairing.pk}")]
    c = clients(team)
    small = {f"{who} {url}": count(c[who], url) for who, url in pages}
    grow(team, 6)
    large = {f"{who} {url}": count(c[who], url) for who, url in pages}
    assert large == small
    assert small["newcomer /"] <= 30
