"""The insights permission matrix: every insights page and API operation, as five people.

People: anonymous; a plain *member*; a *manager* (someone reports to them: their department's aggregates);
an *organizer* of a group (that group's aggregates); a community *admin* (the organization). Members see
their own activity only; nobody gets a per-person score. A scope one may not see is a 404 like a missing
one. Every refused request changes nothing; every allowed write changes something.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse

from courtyard.core import clock
from courtyard.insights import access, services
from tests.helpers import db_snapshot
from tests.insights.conftest import client_for

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "member", "manager", "organizer", "admin")
L = "login"

# Every insights URL pattern; tests/test_permissions.py lists them in OTHER_MATRICES.
INSIGHTS_ROUTES = {
    "insights/", "insights/kpis.csv", "insights/silo/", "insights/silo.csv", "insights/goals/",
    "insights/goals/<str:goal_id>/delete/", "insights/me/", "insights/me/connector/",
    "api/insights/scopes", "api/insights/kpis", "api/insights/silo", "api/insights/goals",
    "api/insights/goals/<goal_id>", "api/insights/me", "api/insights/me/connector",
}


@dataclasses.dataclass(frozen=True)
class Case:
    name: str
    method: str
    url: Callable[[Any], str]
    expected: tuple[int | str, ...]  # anonymous, member, manager, organizer, admin
    data: Callable[[Any], dict[str, Any]] | None = None
    api: bool = False

    def __str__(self) -> str:
        return self.name


def goal_form(w) -> dict[str, Any]:
    return {"metric": "participation_rate", "scope": "org", "period_kind": "month", "target": "60",
            "due": (clock.now().date() + dt.timedelta(days=60)).isoformat(), "note": "By summer"}


CASES = [
    # --- pages -----------------------------------------------------------------------------------
    Case("dashboard (default scope)", "get", lambda w: reverse("insights:dashboard"), (L, 302, 200, 200, 200)),
    Case("dashboard, organization", "get", lambda w: reverse("insights:dashboard") + "?scope=org&period=quarter",
         (L, 302, 404, 404, 200)),
    Case("dashboard, the manager's department", "get",
         lambda w: reverse("insights:dashboard") + f"?scope=dept:{w.org.manager.department_id}",
         (L, 302, 200, 404, 200)),
    Case("dashboard, another department", "get",
         lambda w: reverse("insights:dashboard") + f"?scope=dept:{w.org.outsider.department_id}",
         (L, 302, 404, 404, 200)),
    Case("dashboard, the organizer's group", "get",
         lambda w: reverse("insights:dashboard") + f"?scope=group:{w.org.group.pk}&period=week",
         (L, 302, 404, 200, 200)),
    Case("dashboard, a location", "get",
         lambda w: reverse("insights:dashboard") + f"?scope=location:{w.location}&period=custom&start=2025-01-01&end=2025-02-01",
         (L, 302, 404, 404, 200)),
    Case("dashboard, bad period", "get", lambda w: reverse("insights:dashboard") + "?period=decade",
         (L, 302, 400, 400, 400)),
    Case("dashboard, bad scope id", "get", lambda w: reverse("insights:dashboard") + "?scope=dept:abc",
         (L, 302, 404, 404, 404)),
    Case("KPIs CSV", "get", lambda w: reverse("insights:dashboard_csv") + "?period=month", (L, 403, 200, 200, 200)),
    Case("silo map", "get", lambda w: reverse("insights:silo") + "?period=quarter", (L, 403, 200, 403, 200)),
    Case("silo map, all departments", "get", lambda w: reverse("insights:silo") + "?level=all", (L, 403, 200, 403, 200)),
    Case("silo CSV", "get", lambda w: reverse("insights:silo_csv"), (L, 403, 200, 403, 200)),
    Case("goals", "get", lambda w: reverse("insights:goals"), (L, 403, 200, 200, 200)),
    Case("set a goal", "post", lambda w: reverse("insights:goals"), (L, 403, 403, 403, 302), data=goal_form),
    Case("remove a goal", "post", lambda w: reverse("insights:goal_delete", args=[w.goal.pk]), (L, 403, 404, 404, 302)),
    Case("my activity", "get", lambda w: reverse("insights:me") + "?period=week", (L, 200, 200, 200, 200)),
    Case("connector opt-in", "post", lambda w: reverse("insights:connector"), (L, 302, 302, 302, 302),
         data=lambda w: {"enabled": "1"}),
    # --- API -------------------------------------------------------------------------------------
    Case("api scopes", "get", lambda w: "/api/insights/scopes", (401, 200, 200, 200, 200), api=True),
    Case("api kpis", "get", lambda w: "/api/insights/kpis?period=quarter", (401, 403, 200, 200, 200), api=True),
    Case("api kpis, organization", "get", lambda w: "/api/insights/kpis?scope=org", (401, 403, 404, 404, 200), api=True),
    Case("api kpis, group", "get", lambda w: f"/api/insights/kpis?scope=group:{w.org.group.pk}",
         (401, 403, 404, 200, 200), api=True),
    Case("api silo", "get", lambda w: "/api/insights/silo", (401, 403, 200, 403, 200), api=True),
    Case("api goals", "get", lambda w: "/api/insights/goals", (401, 403, 200, 200, 200), api=True),
    Case("api set a goal", "post", lambda w: "/api/insights/goals", (401, 403, 403, 403, 201), api=True,
         data=lambda w: {"metric": "reply_rate", "target": 0.8, "due": (clock.now().date() + dt.timedelta(days=30)).isoformat()}),
    Case("api remove a goal", "delete", lambda w: f"/api/insights/goals/{w.goal.pk}", (401, 403, 404, 404, 200),
         api=True),
    Case("api my activity", "get", lambda w: "/api/insights/me?period=quarter", (401, 200, 200, 200, 200), api=True),
    Case("api connector opt-in", "put", lambda w: "/api/insights/me/connector", (401, 200, 200, 200, 200), api=True,
         data=lambda w: {"enabled": True}),
]
WRITES = {"set a goal", "remove a goal", "connector opt-in", "api set a goal", "api remove a goal",
          "api connector opt-in"}


@dataclasses.dataclass
class World:
    org: Any
    goal: Any
    location: int
    clients: dict[str, Any]


@pytest.fixture
def world(org) -> World:
    from tests.factories import LocationFactory

    location = LocationFactory(name="Lisbon")
    org.member.location = location
    org.member.save(update_fields=["location"])
    goal = services.goal_create(viewer=access.insights_viewer(org.admin.user), metric="active_members",
                                target=5, due=clock.now().date() + dt.timedelta(days=20))
    from django.test import Client

    clients = {"anonymous": Client()}
    for role in ROLES[1:]:
        clients[role] = client_for(getattr(org, role))
    return World(org=org, goal=goal, location=location.pk, clients=clients)


def send(client, case: Case, world: World):
    url = case.url(world)
    data = case.data(world) if case.data else {}
    if case.method == "get":
        return client.get(url)
    if case.api:
        return getattr(client, case.method)(url, json.dumps(data), content_type="application/json")
    return client.post(url, data)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_permission_matrix(world, case):
    problems = []
    for role, expected in zip(ROLES, case.expected, strict=True):
        sid = transaction.savepoint()
        before = db_snapshot()
        response = send(world.clients[role], case, world)
        status = response.status_code
        if expected == L:
            if status != 302 or not response["Location"].startswith(reverse("account_login")):
                problems.append(f"{role}: expected a redirect to sign in, got {status}")
        elif status != expected:
            problems.append(f"{role}: expected {expected}, got {status}: {response.content[:200]!r}")
        after = db_snapshot()
        refused = expected == L or (isinstance(expected, int) and expected >= 400)
        if (refused or case.name not in WRITES) and after != before:
            problems.append(f"{role}: a refused request or a read changed {sorted(k for k in before if before[k] != after[k])}")
        if not refused and case.name in WRITES and after == before:
            problems.append(f"{role}: an allowed write changed nothing")
        if case.api and status >= 400:
            assert {"code", "message"} <= set(response.json())
        transaction.savepoint_rollback(sid)
    assert not problems, "\n".join(problems)


def test_the_routes_listed_are_the_urlconf_s():
    from tests import url_coverage

    ours = {r for r in url_coverage.routes_to_cover() if r.startswith(("insights/", "api/insights/"))}
    assert ours == INSIGHTS_ROUTES


def test_members_never_see_another_member_by_name(world, settings):
    """Individuals appear only as connectors who opted in: a silo map lists no one else."""
    settings.INSIGHTS_CACHE_SECONDS = 0
    org = world.org
    admin = world.clients["admin"]
    body = admin.get(reverse("insights:silo")).content.decode()
    assert "Mia Member" not in body
    world.clients["member"].post(reverse("insights:connector"), {"enabled": "1"})
    body = admin.get(reverse("insights:silo")).content.decode()
    assert "Mia Member" in body
    assert "Rae Report" not in body
    assert org.report.full_name not in body
