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
from courtyard.core.errors import NotFound
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


# --- Event series and programs: the people who run them ----------------------------------------------
# Roles: anonymous; a plain member; the group *organizer* (who runs neither); the *owner* (the series' host
# for a series, the program's owner for a program); a community admin.

OWNER_ROLES = ("anonymous", "member", "organizer", "owner", "admin")


@dataclasses.dataclass
class Owned:
    world: World
    host: Any
    program_owner: Any
    series: Any  # a weekly event hosted by ``host``
    one_off: Any  # a single event hosted by ``host``: a series of one
    solo: Any  # a single event hosted by ``one_off_host``, who runs nothing else
    program: Any  # a coffee program owned by ``program_owner``


@pytest.fixture
def owned(world) -> Owned:
    from courtyard.events import services as event_services
    from courtyard.pairing.models import Program
    from tests.events.conftest import event_data
    from tests.factories import make_profile

    host = make_profile(email="hal@example.com", full_name="Hal Host", department="Sales")
    program_owner = make_profile(email="pia@example.com", full_name="Pia Pairer", department="Finance")
    series = event_services.event_create(actor=host.user, data=event_data(title="Tuesday quiz", frequency="weekly",
                                                                          repeat_count=6))
    one_off = event_services.event_create(actor=host.user, data=event_data(title="Summer party"))
    solo_host = make_profile(email="olly@example.com", full_name="Olly Once", department="Sales")
    solo = event_services.event_create(actor=solo_host.user, data=event_data(title="Winter fair"))
    program = Program.objects.create(kind=Program.Kind.COFFEE, name="Lunch roulette", owner=program_owner,
                                     created_at=clock.now())
    world.clients["host"] = client_for(host)
    world.clients["one_off_host"] = client_for(solo_host)
    world.clients["program_owner"] = client_for(program_owner)
    return Owned(world=world, host=host, program_owner=program_owner, series=series, one_off=one_off, solo=solo,
                 program=program)


@dataclasses.dataclass(frozen=True)
class OwnedCase:
    name: str
    owner: str  # which client plays the owner: "host" or "program_owner"
    url: Callable[[Owned], str]
    expected: tuple[int | str, ...]  # anonymous, member, organizer, owner, admin
    api: bool = False

    def __str__(self) -> str:
        return self.name


def dash(scope: str, path: str = "") -> str:
    return (path or reverse("insights:dashboard")) + f"?scope={scope}"


OWNED_CASES = [
    OwnedCase("dashboard, a series", "host", lambda o: dash(f"series:{o.series.pk}"), (L, 302, 404, 200, 200)),
    OwnedCase("dashboard, a series, custom dates", "host",
              lambda o: dash(f"series:{o.series.pk}") + "&period=custom&start=2025-01-01&end=2025-02-01",
              (L, 302, 404, 200, 200)),
    # A one-off event is a series of one: its host and admins see it (the rollups count it).
    OwnedCase("dashboard, a one-off event", "host", lambda o: dash(f"series:{o.one_off.pk}"),
              (L, 302, 404, 200, 200)),
    OwnedCase("dashboard, the only event of its host is one-off", "one_off_host", lambda o: dash(f"series:{o.solo.pk}"),
              (L, 302, 404, 200, 200)),
    OwnedCase("KPIs CSV, a one-off event", "one_off_host",
              lambda o: dash(f"series:{o.solo.pk}", reverse("insights:dashboard_csv")), (L, 403, 404, 200, 200)),
    OwnedCase("api kpis, a one-off event", "one_off_host", lambda o: f"/api/insights/kpis?scope=series:{o.solo.pk}",
              (401, 403, 404, 200, 200), api=True),
    OwnedCase("dashboard, a missing series", "host", lambda o: dash("series:987654"), (L, 302, 404, 404, 404)),
    OwnedCase("dashboard, a program", "program_owner", lambda o: dash(f"program:{o.program.pk}"),
              (L, 302, 404, 200, 200)),
    OwnedCase("dashboard, a missing program", "program_owner", lambda o: dash("program:987654"),
              (L, 302, 404, 404, 404)),
    OwnedCase("dashboard, the host's program scope is not theirs", "host", lambda o: dash(f"program:{o.program.pk}"),
              (L, 302, 404, 404, 200)),
    OwnedCase("KPIs CSV, a series", "host",
              lambda o: dash(f"series:{o.series.pk}", reverse("insights:dashboard_csv")), (L, 403, 404, 200, 200)),
    OwnedCase("KPIs CSV, a program", "program_owner",
              lambda o: dash(f"program:{o.program.pk}", reverse("insights:dashboard_csv")), (L, 403, 404, 200, 200)),
    OwnedCase("goals", "host", lambda o: reverse("insights:goals"), (L, 403, 200, 200, 200)),
    OwnedCase("api kpis, a series", "host", lambda o: f"/api/insights/kpis?scope=series:{o.series.pk}",
              (401, 403, 404, 200, 200), api=True),
    OwnedCase("api kpis, a program", "program_owner", lambda o: f"/api/insights/kpis?scope=program:{o.program.pk}",
              (401, 403, 404, 200, 200), api=True),
    OwnedCase("api kpis, a missing program", "program_owner", lambda o: "/api/insights/kpis?scope=program:987654",
              (401, 403, 404, 404, 404), api=True),
    OwnedCase("api kpis, the owner's default scope", "program_owner", lambda o: "/api/insights/kpis",
              (401, 403, 200, 200, 200), api=True),
    OwnedCase("api goals", "host", lambda o: "/api/insights/goals", (401, 403, 200, 200, 200), api=True),
]


@pytest.mark.parametrize("case", OWNED_CASES, ids=str)
def test_series_and_program_permission_matrix(owned, case):
    clients = owned.world.clients
    problems = []
    for role, expected in zip(OWNER_ROLES, case.expected, strict=True):
        client = clients[case.owner if role == "owner" else role]
        sid = transaction.savepoint()
        before = db_snapshot()
        response = client.get(case.url(owned))
        status = response.status_code
        if expected == L:
            if status != 302 or not response["Location"].startswith(reverse("account_login")):
                problems.append(f"{role}: expected a redirect to sign in, got {status}")
        elif status != expected:
            problems.append(f"{role}: expected {expected}, got {status}: {response.content[:200]!r}")
        if db_snapshot() != before:
            problems.append(f"{role}: a read changed the database")
        if case.api and status >= 400:
            assert {"code", "message"} <= set(response.json())
        transaction.savepoint_rollback(sid)
    assert not problems, "\n".join(problems)


def test_owners_see_their_series_and_programs_by_name_and_nothing_else(owned, settings):
    settings.INSIGHTS_CACHE_SECONDS = 0
    clients = owned.world.clients
    host_scopes = clients["host"].get("/api/insights/scopes").json()["scopes"]
    assert host_scopes == [{"kind": "series", "id": owned.one_off.pk, "name": "Summer party"},
                           {"kind": "series", "id": owned.series.pk, "name": "Tuesday quiz"}]
    solo_scopes = clients["one_off_host"].get("/api/insights/scopes").json()["scopes"]
    assert solo_scopes == [{"kind": "series", "id": owned.solo.pk, "name": "Winter fair"}]
    owner_scopes = clients["program_owner"].get("/api/insights/scopes").json()["scopes"]
    assert owner_scopes == [{"kind": "program", "id": owned.program.pk, "name": "Lunch roulette"}]
    assert clients["member"].get("/api/insights/scopes").json()["scopes"] == []
    admin_scopes = clients["admin"].get("/api/insights/scopes").json()["scopes"]
    assert {"kind": "series", "id": owned.series.pk, "name": "Tuesday quiz"} in admin_scopes
    assert {"kind": "program", "id": owned.program.pk, "name": "Lunch roulette"} in admin_scopes
    assert {"kind": "series", "id": owned.one_off.pk, "name": "Summer party"} in admin_scopes
    # The host's dashboard opens on the first of their series by title, with the picker offering both.
    page = clients["host"].get(reverse("insights:dashboard")).content.decode()
    assert "Tuesday quiz" in page
    assert f'value="series:{owned.one_off.pk}" selected' in page
    assert "Lunch roulette" not in page
    body = clients["program_owner"].get(f"/api/insights/kpis?scope=program:{owned.program.pk}").json()
    assert body["scope"] == {"kind": "program", "id": owned.program.pk, "name": "Lunch roulette"}
    # The navigation offers insights to both.
    assert access.nav_visible(owned.host.user)
    assert access.nav_visible(owned.program_owner.user)


def test_a_group_s_organizers_see_its_series(owned):
    """Events let a group's organizers manage its events: they see its series' insights too."""
    from courtyard.events import services as event_services
    from tests.events.conftest import event_data

    org = owned.world.org
    series = event_services.event_create(actor=org.member.user, data=event_data(
        title="Bridge night", frequency="monthly", repeat_count=3, group=org.group))
    viewer = access.insights_viewer(org.organizer.user)
    assert (series.pk, "Bridge night") in viewer.run_series
    assert access.access_scope(viewer, "series", series.pk).name == "Bridge night"
    member = access.insights_viewer(org.member.user)  # the member hosts it
    assert member.has_scope
    assert member.default_scope() == access.Scope("series", series.pk, "Bridge night")
    with pytest.raises(NotFound):
        access.access_scope(access.insights_viewer(org.manager.user), "series", series.pk)


# --- A sub-department's manager and the parent department ---------------------------------------------
# Every insights figure goes through one scope check: a manager of Engineering / Platform may read Platform
# and nothing of Engineering, which Platform folds into on the top-level silo map.


@pytest.fixture
def platform(world):
    from tests.factories import make_profile

    lead = make_profile(email="pat@example.com", full_name="Pat Platform-Lead", department="Engineering / Platform")
    for i in range(3):
        make_profile(email=f"plat{i}@example.com", full_name=f"Plat {i}", department="Engineering / Platform",
                     manager=lead)
    from courtyard.people.selectors import directory_options_invalidate

    directory_options_invalidate()  # done on commit, which a test transaction never reaches
    return lead


def _sub_manager_urls(parent: int) -> list[tuple[str, int]]:
    return [
        (reverse("insights:dashboard") + f"?scope=dept:{parent}", 404),
        (reverse("insights:dashboard") + f"?scope=dept:{parent}&period=quarter", 404),
        (reverse("insights:dashboard_csv") + f"?scope=dept:{parent}", 404),
        (f"/api/insights/kpis?scope=dept:{parent}", 404),
        (reverse("insights:silo"), 200), (reverse("insights:silo") + "?level=all", 200),
        (reverse("insights:silo_csv"), 200), (reverse("insights:silo_csv") + "?level=top", 200),
        ("/api/insights/silo", 200), ("/api/insights/silo?level=top", 200),
    ]


def test_a_sub_department_manager_gets_nothing_of_the_parent_department(world, platform, settings):
    settings.INSIGHTS_CACHE_SECONDS = 0
    parent = world.org.manager.department_id  # Engineering
    sub = platform.department_id
    client = client_for(platform)
    for url, expected in _sub_manager_urls(parent):
        response = client.get(url)
        assert response.status_code == expected, (url, response.status_code)
    for level in ("top", "all"):
        body = client.get(f"/api/insights/silo?level={level}").json()
        assert [d["id"] for d in body["departments"]] == [sub], level
        assert body["departments"][0]["members"] == 4
        assert {c["department_id"] for c in body["cells"]} == {sub}
        page = client.get(reverse("insights:silo") + f"?level={level}").content.decode()
        assert '<th scope="row">Engineering / Platform</th>' in page
        assert '<th scope="row">Engineering</th>' not in page
        rows = client.get(reverse("insights:silo_csv") + f"?level={level}").content.decode().splitlines()
        assert [r.split(",")[0] for r in rows[1:]] == ["Engineering / Platform"]
    # The same check refuses the parent wherever a scope is named.
    viewer = access.insights_viewer(platform.user)
    with pytest.raises(NotFound):
        access.access_scope(viewer, "dept", parent)
    assert access.access_silo_scope(viewer) == access.Scope("dept", sub, "Engineering / Platform")
    # The parent's own manager still sees Engineering, not Platform's people folded into it.
    body = world.clients["manager"].get("/api/insights/silo").json()
    assert [d["id"] for d in body["departments"]] == [parent]
