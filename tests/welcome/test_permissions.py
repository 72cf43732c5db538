"""The welcome permission matrix: every /welcome/ page and welcome API operation, as six people.

People: anonymous; the *newcomer* (started three days ago, with a buddy); their *buddy* (a seasoned
volunteer from another department); their *manager*; a community *admin*; an *other* member who is none of
these. Outcomes written out by hand from the rules:

- a buddy pairing exists for the newcomer, the buddy, the manager and admins; anyone else gets a 404;
- only the manager and admins change a buddy (the two of them: 403); only the two of them say they met;
- only newcomers have a checklist to hide and may ask for a buddy; only seasoned members offer to be one;
- the integration page is for admins (403 for members);
- anonymous visitors are sent to the sign-in page (401 on the API).

Every refused request changes nothing; every allowed write changes something.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from courtyard.welcome import services
from courtyard.welcome.models import Buddying
from tests.helpers import db_snapshot
from tests.welcome.conftest import today

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "newcomer", "buddy", "manager", "admin", "other")
L = "login"

# Every welcome URL pattern; tests/test_permissions.py checks that the URLconf's are covered somewhere.
WELCOME_ROUTES = {
    "welcome/", "welcome/dismiss/", "welcome/buddy-offer/", "welcome/buddy-request/", "welcome/integration/",
    "welcome/buddies/<str:buddying_id>/", "welcome/buddies/<str:buddying_id>/met/",
    "welcome/buddies/<str:buddying_id>/change/",
    "api/welcome/me", "api/welcome/buddies/<buddying_id>",
}


@dataclasses.dataclass(frozen=True)
class Case:
    name: str
    method: str
    url: Callable[[Any], str]
    expected: dict[str, int | str]
    data: Callable[[Any], dict[str, Any]] | None = None
    json_body: bool = False

    def __str__(self) -> str:
        return self.name


def roles(anonymous, newcomer, buddy, manager, admin, other) -> dict[str, int | str]:
    return {"anonymous": anonymous, "newcomer": newcomer, "buddy": buddy, "manager": manager, "admin": admin,
            "other": other}


def pairing_url(name: str) -> Callable[[Any], str]:
    return lambda w: reverse(name, args=[w.pairing.pk])


CASES = [
    Case("hub", "get", lambda w: reverse("welcome:hub"), roles(L, 200, 200, 200, 200, 200)),
    Case("dismiss", "post", lambda w: reverse("welcome:dismiss"), roles(L, 302, 400, 400, 400, 400)),
    Case("offer", "post", lambda w: reverse("welcome:buddy_offer"), roles(L, 400, 302, 302, 302, 302),
         data=lambda w: {"offered": "on", "capacity": "3"}),
    Case("offer bad capacity", "post", lambda w: reverse("welcome:buddy_offer"), roles(L, 400, 400, 400, 400, 400),
         data=lambda w: {"offered": "on", "capacity": "9"}),
    Case("ask for a buddy", "post", lambda w: reverse("welcome:buddy_request"), roles(L, 302, 400, 400, 400, 400)),
    Case("integration", "get", lambda w: reverse("welcome:integration"), roles(L, 403, 403, 403, 200, 403)),
    Case("pairing", "get", pairing_url("welcome:buddying"), roles(L, 200, 200, 200, 200, 404)),
    Case("met", "post", pairing_url("welcome:buddying_met"), roles(L, 302, 302, 403, 403, 404)),
    Case("change", "post", pairing_url("welcome:buddying_change"), roles(L, 403, 403, 302, 302, 404),
         data=lambda w: {"buddy": w.team.teammate.pk}),
    Case("change to the manager", "post", pairing_url("welcome:buddying_change"), roles(L, 403, 403, 400, 400, 404),
         data=lambda w: {"buddy": w.team.manager.pk}),
    Case("change to nobody", "post", pairing_url("welcome:buddying_change"), roles(L, 403, 403, 400, 400, 404),
         data=lambda w: {"buddy": "x"}),
    Case("api me", "get", lambda w: "/api/welcome/me", roles(401, 200, 200, 200, 200, 200)),
    Case("api pairing", "get", lambda w: f"/api/welcome/buddies/{w.pairing.pk}", roles(401, 200, 200, 200, 200, 404)),
    Case("api change", "put", lambda w: f"/api/welcome/buddies/{w.pairing.pk}", roles(401, 403, 403, 200, 200, 404),
         data=lambda w: {"buddy_id": w.team.teammate.pk}, json_body=True),
    Case("api change to a stranger", "put", lambda w: f"/api/welcome/buddies/{w.pairing.pk}",
         roles(401, 403, 403, 400, 400, 404), data=lambda w: {"buddy_id": w.team.bystander.pk}, json_body=True),
]


@dataclasses.dataclass
class World:
    team: Any
    pairing: Buddying
    clients: dict[str, Client]


@pytest.fixture
def world(team) -> World:
    services.buddies_assign(today=today())
    pairing = Buddying.objects.get(newcomer=team.newcomer)
    assert pairing.buddy == team.volunteer
    clients = {"anonymous": Client()}
    for role, profile in (("newcomer", team.newcomer), ("buddy", team.volunteer), ("manager", team.manager),
                          ("admin", team.admin), ("other", team.other)):
        client = Client()
        client.force_login(profile.user)
        assert client.get("/healthz").status_code == 200
        clients[role] = client
    return World(team=team, pairing=pairing, clients=clients)


def send(client: Client, case: Case, world: World):
    url = case.url(world)
    data = case.data(world) if case.data else {}
    if case.json_body:
        return getattr(client, case.method)(url, data=json.dumps(data), content_type="application/json")
    if case.method == "get":
        return client.get(url)
    return client.post(url, data)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=str)
def test_welcome_permission_matrix(world, case: Case, role: str):
    before = db_snapshot()
    response = send(world.clients[role], case, world)
    expected = case.expected[role]
    if expected == L:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login") + "?next=")
    else:
        assert response.status_code == expected, (response.status_code, response.content[:400])
    after = db_snapshot()
    allowed_write = case.method != "get" and isinstance(expected, int) and expected < 400
    if allowed_write:
        assert after != before, "an allowed write changed nothing"
    else:
        assert after == before, "a refused request (or a read) changed the database"
    if case.url(world).startswith("/api/") and response.status_code >= 400:
        assert set(response.json()) >= {"code", "message"}


@pytest.mark.parametrize("bad", ["abc", "0", "-1", "99999999999999999999999", "1.5"])
def test_bad_pairing_ids_are_404(world, bad):
    client = world.clients["admin"]
    assert client.get(f"/welcome/buddies/{bad}/").status_code == 404
    assert client.post(f"/welcome/buddies/{bad}/met/").status_code == 404
    assert client.get(f"/api/welcome/buddies/{bad}").status_code in (404, 422)
