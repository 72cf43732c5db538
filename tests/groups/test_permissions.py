"""The groups permission matrix: every groups URL, as anonymous / outsider / member / moderator / organizer /
admin, on an open, a request-to-join, a private and an archived group.

The expectations are written here from the product rules, not computed by the code under test:
- a private group, and everything in it, is a 404 for people outside it (its existence does not leak);
- open and request-to-join groups (archived ones too) are readable by every signed-in member;
- only active members post, reply, react and add to the library; nobody does in an archived group;
- authors edit their own words; authors and moderators delete; moderators pin, lock and restore;
- organizers (and admins) edit the group and manage members; only admins archive;
- anonymous visitors are sent to the sign-in page.
A refused request changes nothing in the database or the media folder; an allowed write changes something.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from courtyard.groups import services
from courtyard.groups.models import Group, Membership
from tests.factories import make_profile
from tests.helpers import db_snapshot

ROLES = ("anonymous", "outsider", "member", "moderator", "organizer", "admin")
KINDS = ("open", "request", "private", "archived")
SIGNED_IN = ROLES[1:]
INSIDERS = ("member", "moderator", "organizer")  # active members of every group below
LOGIN = "login"


@dataclasses.dataclass
class World:
    group: Group
    kind: str
    ids: dict[str, int]
    clients: dict[str, Client]


@pytest.fixture
def world(request, db, reactions) -> World:
    kind = request.param
    people = {
        "organizer": make_profile(email="org@example.com", full_name="Org Anizer"),
        "moderator": make_profile(email="mod@example.com", full_name="Mo Derator"),
        "member": make_profile(email="mem@example.com", full_name="Mem Ber"),
        "outsider": make_profile(email="out@example.com", full_name="Out Sider"),
        "admin": make_profile(email="adm@example.com", full_name="Ad Min", is_admin=True),
        "candidate": make_profile(email="cand@example.com", full_name="Can Didate"),
    }
    visibility = "open" if kind == "archived" else kind
    group = services.group_create(actor=people["organizer"].user, name=f"Group {kind}", visibility=visibility)
    for role in ("moderator", "member", "candidate"):
        services.membership_invite(actor=people["organizer"].user, group=group, profile=people[role])
        services.membership_join(actor=people[role].user, group=group)
    moderator = Membership.objects.get(group=group, profile=people["moderator"])
    services.membership_set_role(actor=people["organizer"].user, membership=moderator, role="moderator")
    thread = services.thread_create(actor=people["member"].user, group=group, title="A question", body="Why?",
                                    is_question=True)
    reply = services.post_create(actor=people["member"].user, thread=thread, body="Because.")
    resource = services.resource_add(actor=people["member"].user, group=group, title="Notes", url="https://example.com/")
    if kind == "archived":
        services.group_set_archived(actor=people["admin"].user, group=group, archived=True)
    clients = {"anonymous": Client()}
    for role in SIGNED_IN:
        client = Client()
        client.force_login(people[role].user)
        assert client.get("/healthz").status_code == 200  # records the session before the snapshot
        clients[role] = client
    ids = {"thread": thread.pk, "reply": reply.pk, "resource": resource.pk,
           "candidate_membership": Membership.objects.get(group=group, profile=people["candidate"]).pk,
           "reaction": reactions[0].pk}
    return World(group=group, kind=kind, ids=ids, clients=clients)


def may_see(role: str, kind: str) -> bool:
    return kind != "private" or role in (*INSIDERS, "admin")


@dataclasses.dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    url: Callable[[World], str]
    allowed: Callable[[str, str], bool]  # (role, kind) -> may do it
    ok: int = 200
    data: Callable[[World], dict[str, Any]] | None = None
    hidden_refusal: bool = False  # refused as 404 even to those who can see the group
    writes: bool = False
    special: tuple[tuple[str, int], ...] = ()  # (role, status) answers other than allowed/refused

    def __str__(self) -> str:
        return self.name


def everyone_who_sees(role: str, kind: str) -> bool:
    return may_see(role, kind)


def posters(role: str, kind: str) -> bool:
    return kind != "archived" and role in INSIDERS


def author(role: str, kind: str) -> bool:
    return kind != "archived" and role == "member"


def author_or_moderators(role: str, kind: str) -> bool:
    return kind != "archived" and role in ("member", "moderator", "organizer", "admin")


def moderators(role: str, kind: str) -> bool:
    return kind != "archived" and role in ("moderator", "organizer", "admin")


def managers(role: str, kind: str) -> bool:
    return kind != "archived" and role in ("organizer", "admin")


def admins(role: str, kind: str) -> bool:
    return role == "admin"


def joiners(role: str, kind: str) -> bool:
    # Anyone joins an open group; insiders are already in (a no-op that succeeds, archived or not).
    if kind == "open":
        return role != "anonymous"
    return role in INSIDERS


def requesters(role: str, kind: str) -> bool:
    return kind == "request" and role in ("outsider", "admin")


def leavers(role: str, kind: str) -> bool:
    # The only organizer must hand over first; leaving a group one is not in is a harmless no-op.
    return may_see(role, kind) and role in ("member", "moderator", "outsider", "admin")


def muters(role: str, kind: str) -> bool:
    return role in INSIDERS


def g(name: str, *args: Any) -> Callable[[World], str]:
    return lambda w: reverse(f"groups:{name}", args=[w.group.slug, *(w.ids.get(a, a) for a in args)])


ENDPOINTS = [
    Endpoint("detail", "get", g("detail"), everyone_who_sees),
    Endpoint("members", "get", g("members"), everyone_who_sees),
    Endpoint("resources", "get", g("resources"), everyone_who_sees),
    Endpoint("thread", "get", g("thread", "thread"), everyone_who_sees),
    Endpoint("thread history", "get", g("history", "threads", "thread"), everyone_who_sees),
    Endpoint("reply history", "get", g("history", "posts", "reply"), everyone_who_sees),
    Endpoint("download", "get", g("resource_download", "resource"), everyone_who_sees, ok=302),
    Endpoint("edit page", "get", g("edit"), managers, hidden_refusal=True),
    Endpoint("edit", "post", g("edit"), managers, ok=302, writes=True, hidden_refusal=True,
             data=lambda w: {"name": "Renamed", "kind": "interest", "visibility": w.group.visibility, "description": "d"}),
    Endpoint("archive", "post", g("archive"), admins, ok=302, writes=True,
             data=lambda w: {"archived": "0" if w.kind == "archived" else "1"}),
    Endpoint("join", "post", g("join"), joiners, ok=302),
    Endpoint("request", "post", g("request"), requesters, ok=302, writes=True),
    # The only organizer cannot leave before handing over: a 409 that says so.
    Endpoint("leave", "post", g("leave"), leavers, ok=302, special=(("organizer", 409),)),
    Endpoint("mute", "post", g("mute"), muters, ok=302, writes=True, data=lambda w: {"muted": "1"}),
    Endpoint("invite", "post", g("invite"), managers, ok=302, writes=True,
             data=lambda w: {"email": "out@example.com"}),
    Endpoint("set role", "post", g("set_role", "candidate_membership"), managers, ok=302, writes=True,
             data=lambda w: {"role": "moderator"}),
    Endpoint("remove", "post", g("remove", "candidate_membership"), managers, ok=302, writes=True),
    Endpoint("new thread page", "get", g("thread_new"), posters),
    Endpoint("new thread", "post", g("thread_new"), posters, ok=302, writes=True,
             data=lambda w: {"title": "Hello", "body": "World"}),
    Endpoint("reply", "post", g("thread", "thread"), posters, ok=302, writes=True, data=lambda w: {"body": "Me too"}),
    Endpoint("react", "post", g("react"), posters, ok=302, writes=True,
             data=lambda w: {"thread": w.ids["thread"], "kind": w.ids["reaction"]}),
    Endpoint("add link", "post", g("resources"), posters, ok=302, writes=True,
             data=lambda w: {"title": "Link", "url": "https://example.org/"}),
    Endpoint("edit thread page", "get", g("thread_edit", "thread"), author),
    Endpoint("edit thread", "post", g("thread_edit", "thread"), author, ok=302, writes=True,
             data=lambda w: {"title": "Changed", "body": "Changed"}),
    Endpoint("edit reply page", "get", g("post_edit", "reply"), author),
    Endpoint("edit reply", "post", g("post_edit", "reply"), author, ok=302, writes=True, data=lambda w: {"body": "Edited"}),
    Endpoint("pin", "post", g("thread_moderate", "thread"), moderators, ok=302, writes=True, data=lambda w: {"action": "pin"}),
    Endpoint("accept answer", "post", g("thread_accept", "thread"), author_or_moderators, ok=302, writes=True,
             data=lambda w: {"post": w.ids["reply"]}),
    Endpoint("delete reply", "post", g("post_delete", "reply"), author_or_moderators, ok=302, writes=True),
    Endpoint("delete thread", "post", g("thread_delete", "thread"), author_or_moderators, ok=302, writes=True),
    Endpoint("remove resource", "post", g("resource_delete", "resource"), author_or_moderators, ok=302, writes=True),
]
GROUP_ROUTES = {
    "groups/", "groups/new/", "groups/mentions/", "groups/<slug:slug>/", "groups/<slug:slug>/edit/",
    "groups/<slug:slug>/archive/", "groups/<slug:slug>/join/", "groups/<slug:slug>/request/",
    "groups/<slug:slug>/leave/", "groups/<slug:slug>/mute/", "groups/<slug:slug>/members/",
    "groups/<slug:slug>/members/invite/", "groups/<slug:slug>/members/<str:membership_id>/decide/",
    "groups/<slug:slug>/members/<str:membership_id>/role/", "groups/<slug:slug>/members/<str:membership_id>/remove/",
    "groups/<slug:slug>/threads/new/", "groups/<slug:slug>/threads/<str:thread_id>/",
    "groups/<slug:slug>/threads/<str:thread_id>/edit/", "groups/<slug:slug>/threads/<str:thread_id>/moderate/",
    "groups/<slug:slug>/threads/<str:thread_id>/delete/", "groups/<slug:slug>/threads/<str:thread_id>/accept/",
    "groups/<slug:slug>/<str:kind>/<str:object_id>/history/", "groups/<slug:slug>/posts/<str:post_id>/edit/",
    "groups/<slug:slug>/posts/<str:post_id>/delete/", "groups/<slug:slug>/react/", "groups/<slug:slug>/resources/",
    "groups/<slug:slug>/resources/<str:resource_id>/download/",
    "groups/<slug:slug>/resources/<str:resource_id>/delete/",
}


def expected_status(endpoint: Endpoint, role: str, kind: str) -> int | str:
    if role == "anonymous":
        return LOGIN
    if role in dict(endpoint.special) and may_see(role, kind):
        return dict(endpoint.special)[role]
    if endpoint.allowed(role, kind):
        return endpoint.ok
    if not may_see(role, kind) or endpoint.hidden_refusal:
        return 404
    return 403


@pytest.mark.parametrize("world", KINDS, indirect=True)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
@pytest.mark.django_db
def test_groups_permission_matrix(world: World, endpoint: Endpoint):
    """Each role in turn, on a fresh world per (endpoint, kind); a refusal must change nothing."""
    outcomes = {}
    for role in ROLES:
        expected = expected_status(endpoint, role, world.kind)
        before = db_snapshot()
        client = world.clients[role]
        data = endpoint.data(world) if endpoint.data else {}
        response = getattr(client, endpoint.method)(endpoint.url(world), data)
        status: int | str = response.status_code
        if status == 302 and "/accounts/login/" in response.get("Location", ""):
            status = LOGIN
        outcomes[role] = (status, expected)
        after = db_snapshot()
        if expected in (403, 404, 409, LOGIN):
            assert after == before, f"{endpoint} as {role} on {world.kind} was refused but changed something"
        elif (endpoint.writes and role != "admin") or (endpoint.writes and endpoint.name in ("archive", "edit", "invite")):
            assert after != before, f"{endpoint} as {role} on {world.kind} was allowed but changed nothing"
        if endpoint.writes and expected not in (403, 404, 409, LOGIN):
            break  # the world changed: later roles would act on a different world
    wrong = {role: got for role, (got, want) in outcomes.items() if got != want}
    assert not wrong, f"{endpoint} on {world.kind}: got {wrong}, expected { {r: w for r, (g_, w) in outcomes.items()} }"


@pytest.mark.parametrize("world", ["open"], indirect=True)
@pytest.mark.parametrize("bad", ["abc", "0", "99999999999999999999"])
@pytest.mark.django_db
def test_bad_ids_are_404(world: World, bad: str):
    client = world.clients["admin"]
    slug = world.group.slug
    for url in (f"/groups/{slug}/threads/{bad}/", f"/groups/{slug}/posts/{bad}/edit/",
                f"/groups/{slug}/resources/{bad}/download/", f"/groups/{slug}/threads/{bad}/history/"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/groups/{slug}/members/{bad}/remove/").status_code == 404


@pytest.mark.parametrize("world", ["open"], indirect=True)
@pytest.mark.django_db
def test_content_through_another_groups_slug_is_404(world: World):
    other = services.group_create(actor=world.clients["admin"].get("/healthz").wsgi_request.user, name="Elsewhere")
    client = world.clients["member"]
    assert client.get(reverse("groups:thread", args=[other.slug, world.ids["thread"]])).status_code == 404
    assert client.get(reverse("groups:resource_download", args=[other.slug, world.ids["resource"]])).status_code == 404
    assert client.get(reverse("groups:post_edit", args=[other.slug, world.ids["reply"]])).status_code == 404
