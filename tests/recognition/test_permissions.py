"""The recognition permission matrix: every recognition page and API operation, as seven people.

People: anonymous; an *outsider* (a member with no relation to the kudos); the *sender* of the kudos; the
*receiver* they thank; the receiver's *manager*; an *organizer* (of a group: organizers curate the spotlight);
a community *admin*. The kudos: a public one, a private one shared with managers, a private one that is not, one
to a private group (the sender and the receiver are members; the admin may read it), and a withdrawn one.
Expected outcomes are written out by hand from the product rules:

- private kudos: only the sender and the people thanked — and the managers when the sender chose so; not even
  admins (a 404, the same as a kudos that does not exist);
- a kudos naming a private group: only those who may read the group, and the sender;
- a withdrawn kudos: admins only (they restore it);
- +1: public kudos, not by the sender or the people thanked; deleting: the sender or an admin;
- values, settings and custom badges: admins only; the spotlight: admins and organizers;
- nobody sends kudos to themselves or to a deactivated member;
- anonymous visitors are sent to the sign-in page (pages) or get a 401 (API).

Every refused request changes nothing (every row of our apps, and the media files) and every allowed write changes
something, except the explicit no-ops. All cells run in one world, each inside a savepoint that is rolled back.
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

from courtyard.groups import services as group_services
from courtyard.people import services as people_services
from courtyard.recognition import access, services
from courtyard.recognition.models import BadgeAward, SpotlightEntry
from tests.factories import make_profile
from tests.helpers import db_snapshot

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "outsider", "sender", "receiver", "manager", "organizer", "admin")
L = "login"

# Every recognition route; tests/test_permissions.py lists them in OTHER_MATRICES naming this file.
RECOGNITION_ROUTES = {
    "kudos/", "kudos/new/", "kudos/suggest/", "kudos/points/", "kudos/celebrations/", "kudos/celebrations/settings/",
    "kudos/badges/", "kudos/team/", "kudos/spotlight/", "kudos/spotlight/<str:entry_id>/remove/", "kudos/manage/",
    "kudos/manage/values/", "kudos/manage/values/<str:value_id>/", "kudos/manage/badges/",
    "kudos/manage/badges/<str:badge_id>/award/", "kudos/manage/badges/<str:badge_id>/active/",
    "kudos/manage/awards/<str:award_id>/remove/", "kudos/<str:kudos_id>/", "kudos/<str:kudos_id>/plus-one/",
    "kudos/<str:kudos_id>/react/", "kudos/<str:kudos_id>/delete/", "kudos/<str:kudos_id>/spotlight/",
    "api/recognition/kudos", "api/recognition/kudos/<kudos_id>", "api/recognition/kudos/<kudos_id>/restore",
    "api/recognition/kudos/<kudos_id>/plus-one", "api/recognition/kudos/<kudos_id>/reactions",
    "api/recognition/values", "api/recognition/values/<value_id>", "api/recognition/settings",
    "api/recognition/allowance", "api/recognition/celebrations", "api/recognition/celebrations/preferences",
    "api/recognition/badges", "api/recognition/badges/<badge_id>/awards", "api/recognition/people/<person_id>/badges",
    "api/recognition/spotlight", "api/recognition/spotlight/<entry_id>", "api/recognition/manager/summary",
}

SECRETS = {
    "private_only": "Only-for-you thanks about the salary talk",
    "private_shared": "Thanks for the hard quarter, shared with your manager",
    "group": "Thanks to the Secret Circle for the merger work",
    "withdrawn": "A kudos I took back",
}
PUBLIC_TEXT = "Thanks for the wonderful launch"
# Who may see each kudos, by role (the matrix rows below repeat this, per URL).
SEES = {
    "public": {"outsider", "sender", "receiver", "manager", "organizer", "admin"},
    "private_only": {"sender", "receiver"},
    "private_shared": {"sender", "receiver", "manager"},
    "group": {"sender", "receiver", "admin"},
    "withdrawn": {"admin"},
}


@dataclasses.dataclass
class World:
    profiles: dict[str, Any]
    clients: dict[str, Client]
    kudos: dict[str, Any]
    group: Any
    gone: Any
    value: Any
    badge: Any
    award: Any
    entry: Any
    team: Any
    reaction_kind: Any


def _client(profile) -> Client:
    client = Client()
    client.force_login(profile.user)
    assert client.get("/healthz").status_code == 200
    return client


def build_world() -> World:
    group_services.reaction_kinds_ensure_defaults()
    engineering = people_services.department_ensure_path("Engineering")
    team = people_services.team_ensure("Launch", engineering)
    manager = make_profile(email="mo@example.com", full_name="Mo Manager", department=engineering)
    profiles = {
        "outsider": make_profile(email="otto@example.com", full_name="Otto Outsider"),
        "sender": make_profile(email="sana@example.com", full_name="Sana Sender", department=engineering, team=team),
        "receiver": make_profile(email="remy@example.com", full_name="Remy Receiver", department=engineering, team=team,
                                 manager=manager),
        "manager": manager,
        "organizer": make_profile(email="olga@example.com", full_name="Olga Organizer"),
        "admin": make_profile(email="ada@example.com", full_name="Ada Admin", is_admin=True),
    }
    admin = profiles["admin"].user
    gone = make_profile(email="gus@example.com", full_name="Gus Gone")
    people_services.member_set_active(actor=admin, profile=gone, active=False)
    group_services.group_create(actor=profiles["organizer"].user, name="Harbour Club")
    # Started by the admin (who curates anyway), so that the sender and the receiver are plain members.
    secret = group_services.group_create(actor=profiles["admin"].user, name="Secret Circle", join_policy="invitation")
    for role in ("sender", "receiver"):
        group_services.membership_invite(actor=profiles["admin"].user, group=secret, profile=profiles[role])
        group_services.membership_join(actor=profiles[role].user, group=secret)
    services.settings_update(actor=admin, allowance_enabled=True, monthly_points=100, per_recipient_limit=50,
                             max_points_per_kudos=20)
    value = services.value_create(actor=admin, name="Own it", emoji="🔧")
    sender, receiver = profiles["sender"].user, profiles["receiver"]
    kudos = {
        "public": services.kudos_send(actor=sender, people=[receiver], message=PUBLIC_TEXT, value=value, points=5),
        "private_only": services.kudos_send(actor=sender, people=[receiver], message=SECRETS["private_only"],
                                            is_private=True),
        "private_shared": services.kudos_send(actor=sender, people=[receiver], message=SECRETS["private_shared"],
                                              is_private=True, share_with_manager=True),
        "group": services.kudos_send(actor=sender, groups=[secret], message=SECRETS["group"]),
        "withdrawn": services.kudos_send(actor=sender, people=[receiver], message=SECRETS["withdrawn"]),
    }
    withdrawn, current = access.access_kudos(sender, kudos["withdrawn"].pk)
    services.kudos_set_deleted(actor=sender, kudos=withdrawn, current=current, deleted=True)
    badge = services.badge_create(actor=admin, name="Night owl", emoji="🦉")
    award = services.badge_award(actor=admin, badge=badge, profile=receiver)
    public, current = access.access_kudos(admin, kudos["public"].pk)
    entry = services.spotlight_add(actor=admin, kudos=public, current=current, note="Great launch")
    clients = {"anonymous": Client()}
    for role in ROLES[1:]:
        clients[role] = _client(profiles[role])
    from courtyard.groups.models import ReactionKind

    return World(profiles=profiles, clients=clients, kudos=kudos, group=secret, gone=gone, value=value, badge=badge,
                 award=award, entry=entry, team=team, reaction_kind=ReactionKind.objects.first())


@pytest.fixture
def world(monkeypatch) -> World:
    # Sending is rate-limited per member (tested in test_services.py); the world and the matrix send more than that.
    monkeypatch.setattr(services, "KUDOS_LIMITS", ((1000, 60),))
    # The whole matrix runs for longer than a minute in one world: "last seen" must not be touched midway.
    monkeypatch.setattr("courtyard.accounts.middleware.TOUCH_EVERY", 24 * 3600)
    return build_world()


Outcomes = tuple[int | str, ...]


@dataclasses.dataclass(frozen=True)
class Case:
    name: str
    method: str
    url: Callable[[World], str]
    expected: Outcomes  # (anonymous, outsider, sender, receiver, manager, organizer, admin)
    data: Callable[[World], dict[str, Any]] | None = None
    api: bool = False
    noop: tuple[str, ...] = ()  # allowed writes that have nothing to change

    def __str__(self) -> str:
        return self.name


def k(name: str, suffix: str = "") -> Callable[[World], str]:
    return lambda w: reverse(f"recognition:{suffix or 'detail'}", args=[w.kudos[name].pk])


def api_k(name: str, suffix: str = "") -> Callable[[World], str]:
    return lambda w: f"/api/recognition/kudos/{w.kudos[name].pk}{suffix}"


def visible(name: str, ok: int | str = 200, refused: int | str = 404, anonymous: int | str = L) -> Outcomes:
    return (anonymous, *(ok if role in SEES[name] else refused for role in ROLES[1:]))


#                   anon outsider sender receiver manager organizer admin
SIGNED_IN = (L, 200, 200, 200, 200, 200, 200)
SIGNED_IN_WRITE = (L, 302, 302, 302, 302, 302, 302)
API = (401, 200, 200, 200, 200, 200, 200)
ADMIN_PAGE = (L, 403, 403, 403, 403, 403, 200)
ADMIN_WRITE = (L, 403, 403, 403, 403, 403, 302)
CURATOR_WRITE = (L, 403, 403, 403, 403, 302, 302)
API_ADMIN = (401, 403, 403, 403, 403, 403, 200)
API_ADMIN_CREATE = (401, 403, 403, 403, 403, 403, 201)


def plus_one_row(name: str, ok: int, refused_for_parties: int, anonymous: int | str = L) -> Outcomes:
    """+1 is for those who see a public kudos and are neither its sender nor thanked by it."""
    row = list(visible(name, ok, anonymous=anonymous))
    for index, role in enumerate(ROLES):
        if role in ("sender", "receiver") and role in SEES[name]:
            row[index] = refused_for_parties
    return tuple(row)


def send_form(to: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"people": to, "message": "Thank you for *everything*", "value": w.value.pk, "points": "5"}


CASES = [
    # --- pages -------------------------------------------------------------------------------------
    Case("wall", "get", lambda w: reverse("recognition:wall"), SIGNED_IN),
    Case("wall filtered", "get", lambda w: reverse("recognition:wall") + f"?value={w.value.pk}&team={w.team.pk}"
         f"&department={w.team.department_id}&person={w.profiles['receiver'].pk}", SIGNED_IN),
    Case("wall of a private group", "get", lambda w: reverse("recognition:wall") + f"?group={w.group.pk}",
         (L, 404, 200, 200, 404, 404, 200)),
    Case("send page", "get", lambda w: reverse("recognition:send") + f"?to={w.profiles['receiver'].pk}&team={w.team.pk}",
         SIGNED_IN),
    Case("send page to a deactivated member", "get", lambda w: reverse("recognition:send") + f"?to={w.gone.pk}",
         (L, 404, 404, 404, 404, 404, 404)),
    Case("send kudos", "post", lambda w: reverse("recognition:send"), (L, 302, 302, 400, 302, 302, 302),
         data=send_form("remy@example.com")),
    Case("send kudos to a deactivated member", "post", lambda w: reverse("recognition:send"),
         (L, 400, 400, 400, 400, 400, 400), data=send_form("gus@example.com")),
    Case("send kudos to a private group", "post", lambda w: reverse("recognition:send"),
         (L, 400, 302, 302, 400, 400, 302), data=lambda w: {"group": "Secret Circle", "message": "Well done"}),
    Case("suggestions", "get", lambda w: reverse("recognition:suggest") + "?kind=person&people=re", SIGNED_IN),
    Case("group suggestions", "get", lambda w: reverse("recognition:suggest") + "?kind=group&group=Sec", SIGNED_IN),
    Case("points", "get", lambda w: reverse("recognition:points"), SIGNED_IN),
    Case("celebrations", "get", lambda w: reverse("recognition:celebrations"), SIGNED_IN),
    Case("celebration settings", "get", lambda w: reverse("recognition:celebration_settings"), SIGNED_IN),
    Case("celebration settings save", "post", lambda w: reverse("recognition:celebration_settings"), SIGNED_IN_WRITE,
         data=lambda w: {"birthday_day": "29", "birthday_month": "2", "anniversary": "on"}),
    Case("badges", "get", lambda w: reverse("recognition:badges"), SIGNED_IN),
    Case("badges of someone", "get", lambda w: reverse("recognition:badges") + f"?person={w.profiles['receiver'].pk}",
         SIGNED_IN),
    Case("badges of a deactivated member", "get", lambda w: reverse("recognition:badges") + f"?person={w.gone.pk}",
         (L, 404, 404, 404, 404, 404, 404)),
    Case("manager view", "get", lambda w: reverse("recognition:manager") + "?month=2025-01", SIGNED_IN),
    Case("spotlight", "get", lambda w: reverse("recognition:spotlight"), SIGNED_IN),
    Case("spotlight a person", "post", lambda w: reverse("recognition:spotlight"), CURATOR_WRITE,
         data=lambda w: {"email": "remy@example.com", "note": "Ten years!"}),
    Case("spotlight remove", "post", lambda w: reverse("recognition:spotlight_remove", args=[w.entry.pk]), CURATOR_WRITE),
    Case("manage", "get", lambda w: reverse("recognition:manage"), ADMIN_PAGE),
    Case("manage settings", "post", lambda w: reverse("recognition:manage"), ADMIN_WRITE,
         data=lambda w: {"allowance_enabled": "on", "monthly_points": "120", "per_recipient_limit": "40",
                         "max_points_per_kudos": "20"}),
    Case("value create", "post", lambda w: reverse("recognition:value_create"), ADMIN_WRITE,
         data=lambda w: {"name": "Be kind", "emoji": "💛"}),
    Case("value edit page", "get", lambda w: reverse("recognition:value_edit", args=[w.value.pk]), ADMIN_PAGE),
    Case("value edit", "post", lambda w: reverse("recognition:value_edit", args=[w.value.pk]), ADMIN_WRITE,
         data=lambda w: {"name": "Own it fully", "emoji": "🔧", "position": "3", "is_active": "on"}),
    Case("badge create", "post", lambda w: reverse("recognition:badge_create"), ADMIN_WRITE,
         data=lambda w: {"name": "Early bird", "emoji": "🐦"}),
    Case("badge award", "post", lambda w: reverse("recognition:badge_award", args=[w.badge.pk]), ADMIN_WRITE,
         data=lambda w: {"email": "sana@example.com", "note": "Thanks"}),
    Case("badge retire", "post", lambda w: reverse("recognition:badge_active", args=[w.badge.pk]), ADMIN_WRITE,
         data=lambda w: {"active": "0"}),
    Case("award remove", "post", lambda w: reverse("recognition:award_remove", args=[w.award.pk]), ADMIN_WRITE),
    # --- one kudos: each kind of kudos, seen by whom it should be ------------------------------------
    *[Case(f"detail {name}", "get", k(name), visible(name)) for name in SEES],
    Case("plus one", "post", k("public", "plus_one"), plus_one_row("public", 302, 403)),
    Case("plus one private", "post", k("private_shared", "plus_one"), plus_one_row("private_shared", 403, 403)),
    Case("take back a +1 one never gave", "post", k("public", "plus_one"), visible("public", 302),
         data=lambda w: {"agree": "0"}, noop=ROLES),
    Case("react", "post", k("public", "react"), visible("public", 302), data=lambda w: {"kind": w.reaction_kind.pk}),
    Case("react private", "post", k("private_only", "react"), visible("private_only", 302),
         data=lambda w: {"kind": w.reaction_kind.pk}),
    Case("react to a private group's kudos", "post", k("group", "react"), visible("group", 302),
         data=lambda w: {"kind": w.reaction_kind.pk}),
    Case("withdraw", "post", k("public", "delete"), (L, 403, 302, 403, 403, 403, 302)),
    Case("withdraw a private kudos", "post", k("private_only", "delete"), (L, 404, 302, 403, 404, 404, 404)),
    Case("restore", "post", k("withdrawn", "delete"), visible("withdrawn", 302), data=lambda w: {"restore": "1"}),
    Case("spotlight a kudos", "post", k("public", "spotlight_kudos"), (L, 403, 403, 403, 403, 409, 409),
         data=lambda w: {"note": "Again"}),
    Case("spotlight a private kudos", "post", k("private_shared", "spotlight_kudos"), visible("private_shared", 403),
         data=lambda w: {"note": "No"}),
    Case("spotlight a private group's kudos", "post", k("group", "spotlight_kudos"), (*visible("group", 403, 404)[:6], 400),
         data=lambda w: {"note": "No"}),
    # --- the API -----------------------------------------------------------------------------------
    Case("api wall", "get", lambda w: "/api/recognition/kudos", API, api=True),
    Case("api wall by group", "get", lambda w: f"/api/recognition/kudos?group_id={w.group.pk}", API, api=True),
    Case("api send", "post", lambda w: "/api/recognition/kudos", (401, 201, 201, 400, 201, 201, 201), api=True,
         data=lambda w: {"message": "Thanks!", "person_ids": [w.profiles["receiver"].pk], "points": 5}),
    Case("api send to a deactivated member", "post", lambda w: "/api/recognition/kudos",
         (401, 400, 400, 400, 400, 400, 400), api=True, data=lambda w: {"message": "Thanks", "person_ids": [w.gone.pk]}),
    Case("api send to a private group", "post", lambda w: "/api/recognition/kudos",
         (401, 404, 201, 201, 404, 404, 201), api=True, data=lambda w: {"message": "Thanks", "group_ids": [w.group.pk]}),
    *[Case(f"api detail {name}", "get", api_k(name), visible(name, anonymous=401), api=True) for name in SEES],
    Case("api withdraw", "delete", api_k("public"), (401, 403, 200, 403, 403, 403, 200), api=True),
    Case("api restore", "post", api_k("withdrawn", "/restore"), visible("withdrawn", anonymous=401), api=True),
    Case("api plus one", "post", api_k("public", "/plus-one"), plus_one_row("public", 200, 403, 401), api=True),
    Case("api plus one private", "post", api_k("private_only", "/plus-one"), plus_one_row("private_only", 403, 403, 401),
         api=True),
    Case("api take back", "delete", api_k("public", "/plus-one"), visible("public", anonymous=401), api=True, noop=ROLES),
    Case("api react", "post", api_k("private_shared", "/reactions"), visible("private_shared", anonymous=401),
         api=True, data=lambda w: {"kind_id": w.reaction_kind.pk}),
    Case("api values", "get", lambda w: "/api/recognition/values", API, api=True),
    Case("api value create", "post", lambda w: "/api/recognition/values", API_ADMIN_CREATE, api=True,
         data=lambda w: {"name": "Be kind", "emoji": "💛"}),
    Case("api value update", "patch", lambda w: f"/api/recognition/values/{w.value.pk}", API_ADMIN, api=True,
         data=lambda w: {"is_active": False}),
    Case("api settings", "get", lambda w: "/api/recognition/settings", API, api=True),
    Case("api settings update", "put", lambda w: "/api/recognition/settings", API_ADMIN, api=True,
         data=lambda w: {"allowance_enabled": False, "monthly_points": 10, "per_recipient_limit": 5,
                         "max_points_per_kudos": 5}),
    Case("api allowance", "get", lambda w: "/api/recognition/allowance", API, api=True),
    Case("api celebrations", "get", lambda w: "/api/recognition/celebrations", API, api=True),
    Case("api preferences", "get", lambda w: "/api/recognition/celebrations/preferences", API, api=True),
    Case("api preferences update", "put", lambda w: "/api/recognition/celebrations/preferences", API, api=True,
         data=lambda w: {"birthday_month": 12, "birthday_day": 24, "welcome": False}),
    Case("api badges", "get", lambda w: "/api/recognition/badges", API, api=True),
    Case("api badge create", "post", lambda w: "/api/recognition/badges", API_ADMIN_CREATE, api=True,
         data=lambda w: {"name": "Early bird"}),
    Case("api badge award", "post", lambda w: f"/api/recognition/badges/{w.badge.pk}/awards", API_ADMIN_CREATE,
         api=True, data=lambda w: {"person_id": w.profiles["sender"].pk, "reason": "Thanks"}),
    Case("api person badges", "get", lambda w: f"/api/recognition/people/{w.profiles['receiver'].pk}/badges", API,
         api=True),
    Case("api deactivated person badges", "get", lambda w: f"/api/recognition/people/{w.gone.pk}/badges",
         (401, 404, 404, 404, 404, 404, 404), api=True),
    Case("api spotlight", "get", lambda w: "/api/recognition/spotlight", API, api=True),
    Case("api spotlight add", "post", lambda w: "/api/recognition/spotlight", (401, 403, 403, 403, 403, 201, 201),
         api=True, data=lambda w: {"person_id": w.profiles["receiver"].pk, "note": "Star"}),
    Case("api spotlight remove", "delete", lambda w: f"/api/recognition/spotlight/{w.entry.pk}",
         (401, 403, 403, 403, 403, 200, 200), api=True),
    Case("api manager summary", "get", lambda w: "/api/recognition/manager/summary?month=2025-02", API, api=True),
]


def refused(expected: int | str) -> bool:
    return expected == L or (isinstance(expected, int) and expected >= 400)


def call(client: Client, case: Case, world: World):
    url = case.url(world)
    data = case.data(world) if case.data else {}
    if case.api:
        if case.method == "get":
            return client.get(url)
        return getattr(client, case.method)(url, data=json.dumps(data), content_type="application/json")
    return client.get(url) if case.method == "get" else client.post(url, data)


def check_cell(world: World, case: Case, role: str, expected: int | str, before: dict) -> list[str]:
    problems: list[str] = []
    response = call(world.clients[role], case, world)
    status = response.status_code
    if expected == L:
        location = response.get("Location", "")
        if status != 302 or not location.startswith(reverse("account_login") + "?next="):
            problems.append(f"{role}: expected a redirect to sign in, got {status} {location}")
    elif status != expected:
        problems.append(f"{role}: expected {expected}, got {status}: {response.content[:200]!r}")
    after = db_snapshot()
    if refused(expected) or case.method == "get":
        if after != before:
            changed = sorted(key for key in before if before[key] != after.get(key))
            problems.append(f"{role}: a refused request (or a read) changed {changed}")
    elif role not in case.noop and after == before:
        problems.append(f"{role}: an allowed write changed nothing")
    if case.api and status >= 400 and not {"code", "message"} <= set(response.json()):
        problems.append(f"{role}: the API error is not in the error shape")
    body = response.content.decode(errors="replace")
    for name, secret in SECRETS.items():
        if secret in body and role not in SEES[name]:
            problems.append(f"{role}: {case} leaks the {name} kudos ({status})")
    return problems


def test_permission_matrix(world):
    before = db_snapshot()
    problems: list[str] = []
    cells = 0
    for case in CASES:
        assert len(case.expected) == len(ROLES), case
        for role, expected in zip(ROLES, case.expected, strict=True):
            with transaction.atomic():
                problems += [f"{case}, {p}" for p in check_cell(world, case, role, expected, before)]
                transaction.set_rollback(True)
            cells += 1
    assert cells == len(ROLES) * len(CASES)
    assert len(CASES) >= 60
    assert not problems, "\n  " + "\n  ".join(problems)


def test_the_matrix_covers_every_recognition_route():
    from tests import url_coverage

    ours = {r for r in url_coverage.routes_to_cover() if r.startswith(("kudos/", "api/recognition/"))}
    assert ours == RECOGNITION_ROUTES


def test_private_kudos_show_only_where_they_should(world):
    """Every place a kudos can appear — the wall (and its filters), both profiles, the API list, the manager view,
    the spotlight — shows each kudos exactly to those who may see it."""
    receiver, sender = world.profiles["receiver"], world.profiles["sender"]
    places = [
        reverse("recognition:wall"), reverse("recognition:wall") + f"?person={receiver.pk}",
        reverse("recognition:wall") + f"?team={world.team.pk}", reverse("people:profile", args=[receiver.pk]),
        reverse("people:profile", args=[sender.pk]), "/api/recognition/kudos",
        f"/api/recognition/kudos?person_id={receiver.pk}", reverse("recognition:spotlight"), "/api/recognition/spotlight",
    ]
    for role in ROLES[1:]:
        client = world.clients[role]
        for url in places:
            body = client.get(url).content.decode()
            assert PUBLIC_TEXT in body or "spotlight" in url, (role, url)
            for name, secret in SECRETS.items():
                # (The team filter shows the group's kudos too: the receiver is in the team and was thanked.)
                expected = role in SEES[name] and name != "withdrawn" and "spotlight" not in url
                assert (secret in body) is expected, (role, url, name)
    manager_page = world.clients["manager"].get(reverse("recognition:manager")).content.decode()
    summary = {row["person"]["id"]: row for row in world.clients["manager"].get("/api/recognition/manager/summary").json()}
    # The manager sees the public kudos and the one shared with managers, never the private-only one.
    assert summary[receiver.pk]["kudos"] == 2
    assert "Remy Receiver" in manager_page


def test_notifications_of_private_kudos_go_only_to_those_thanked(world):
    from courtyard.notifications.models import Notification

    private = [world.kudos["private_only"].pk, world.kudos["private_shared"].pk]
    recipients = set(Notification.objects.filter(object_type="kudos", object_id__in=private).values_list("recipient_id", flat=True))
    assert recipients == {world.profiles["receiver"].user_id}
    texts = Notification.objects.filter(object_type="kudos", object_id__in=private).values_list("text", flat=True)
    assert all(secret not in text for text in texts for secret in SECRETS.values())


BAD_IDS = ["abc", "0", "-1", "99999999999999999999999", "9223372036854775808", "1.5", "%20"]


def test_bad_ids_are_404_not_500(world):
    client = world.clients["admin"]
    before = db_snapshot()
    for bad in BAD_IDS:
        for method, url, data in [
            ("get", reverse("recognition:detail", args=[bad]), {}),
            ("post", reverse("recognition:plus_one", args=[bad]), {}),
            ("post", reverse("recognition:react", args=[bad]), {"kind": world.reaction_kind.pk}),
            ("post", reverse("recognition:react", args=[world.kudos["public"].pk]), {"kind": bad}),
            ("post", reverse("recognition:delete", args=[bad]), {}),
            ("post", reverse("recognition:spotlight_kudos", args=[bad]), {}),
            ("post", reverse("recognition:spotlight_remove", args=[bad]), {}),
            ("get", reverse("recognition:value_edit", args=[bad]), {}),
            ("post", reverse("recognition:badge_award", args=[bad]), {"email": "remy@example.com"}),
            ("post", reverse("recognition:badge_active", args=[bad]), {"active": "0"}),
            ("post", reverse("recognition:award_remove", args=[bad]), {}),
            ("get", reverse("recognition:send") + f"?to={bad}", {}),
            ("get", reverse("recognition:send") + f"?team={bad}", {}),
            ("get", reverse("recognition:badges") + f"?person={bad}", {}),
        ]:
            response = client.get(url) if method == "get" else client.post(url, data)
            assert response.status_code == 404, (url, bad, response.status_code)
    for bad in ("99999999999999999999999", "0", "-1"):
        for method, url in [("get", f"/api/recognition/kudos/{bad}"), ("delete", f"/api/recognition/spotlight/{bad}"),
                            ("get", f"/api/recognition/people/{bad}/badges")]:
            response = getattr(client, method)(url)
            assert response.status_code in (404, 422), (url, response.status_code)
    assert db_snapshot() == before


def test_bad_filters_and_forms_are_clear_4xx_and_change_nothing(world):
    client = world.clients["sender"]
    before = db_snapshot()
    assert client.get(reverse("recognition:wall") + "?value=abc").status_code == 400
    assert client.get(reverse("recognition:wall") + "?cursor=not-a-cursor").status_code == 400
    assert client.get(reverse("recognition:manager") + "?month=2025-13").status_code == 400
    response = client.post(reverse("recognition:send"), {"people": "nobody@example.com", "message": "Hi"})
    assert response.status_code == 400
    assert "Nobody in the directory is called nobody@example.com" in response.content.decode()
    response = client.post(reverse("recognition:send"), {"people": "remy@example.com", "message": "Big thanks", "points": "500"})
    assert response.status_code == 400
    assert "Big thanks" in response.content.decode()  # the draft is kept
    response = client.post(reverse("recognition:send"), {"team": "No Such Team", "message": "Thanks"})
    assert response.status_code == 400
    api = client.post("/api/recognition/kudos", data=json.dumps({"message": "x", "person_ids": [10**12]}),
                      content_type="application/json")
    assert api.status_code == 404
    api = client.post("/api/recognition/kudos", data=json.dumps({"message": "x", "person_ids": [], "extra": 1}),
                      content_type="application/json")
    assert api.status_code == 422
    assert db_snapshot() == before
    assert SpotlightEntry.objects.count() == 1
    assert BadgeAward.objects.filter(badge__isnull=False).count() == 1
