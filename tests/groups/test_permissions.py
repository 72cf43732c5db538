"""The groups permission matrix: every groups URL, as six people, on seven kinds of group.

People: anonymous; an *outsider* (signed in, not a member); a *member*; a *moderator*; an *organizer*;
a community *admin* who is not a member. Groups: each of the six combinations of who may read (members
only, or the whole organization) and who may join (anyone, by request, by invitation), and archived (an
organization-readable open group an admin archived). The expected outcomes are written out by hand, row by
row, from the product rules:

- a members-only group joined by invitation, and everything in it, is a 404 for outsiders (no existence
  leak, not even its name);
- the other members-only groups are listed (their page shows name, description, size and how to join), but
  their discussions, replies, library and member list are the same 404 for outsiders;
- organization-readable groups are readable by every signed-in member of the organization, however one joins;
- who may join is the join policy alone: anyone joins an open group, people ask to join a by-request group,
  only those invited join a by-invitation group;
- only active members post, reply, react and add resources (admins too must join first);
- moderators (and organizers, and admins) pin, lock, delete and restore others' posts; only the author
  edits their own words;
- organizers (and admins) edit the group, invite, approve or decline, change roles, remove;
- admins archive and reopen; an archived group is read-only for everybody;
- anonymous visitors are sent to the sign-in page.

Every refused request changes nothing (every row of our apps, and the media files) and sends no
notification; every allowed write changes something, except the few explicit no-ops (joining a group one
is already in). Each (kind, URL) builds its world once and runs the six people in turn, rolling back after
each, so every role acts on the same world.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse

from courtyard.groups import services
from courtyard.groups.models import Group, Membership, Post, ReactionKind, Resource, Thread
from tests.factories import make_profile
from tests.helpers import db_snapshot

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "outsider", "member", "moderator", "organizer", "admin")
# Who may read + who may join. "members+invitation" is what used to be called a private group.
KINDS = ("org+open", "org+request", "org+invitation", "members+open", "members+request", "members+invitation",
         "archived")
SETTINGS = {
    "org+open": ("organization", "open"), "org+request": ("organization", "request"),
    "org+invitation": ("organization", "invitation"), "members+open": ("members", "open"),
    "members+request": ("members", "request"), "members+invitation": ("members", "invitation"),
    "archived": ("organization", "open"),
}
MEMBERS_ONLY = tuple(kind for kind in KINDS if SETTINGS[kind][0] == "members")
UNLISTED = ("members+invitation",)
L = "login"  # a redirect to the sign-in page

# Every groups URL pattern; tests/test_permissions.py checks that this list is the URLconf's.
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

GROUP_NAME = "Harbour Circle"
THREAD_TITLE = "Quarterly harbour plans"
# What a members-only group's outsiders must never read (the group's name and description they may)...
CONTENT_SECRETS = (THREAD_TITLE, "Harbour map", "Where do we sail", "North, to the islands", "Mia Member", "Pat Poster")
# ...and of an unlisted group not even its name.
SECRETS = (GROUP_NAME, *CONTENT_SECRETS)


@dataclasses.dataclass
class World:
    kind: str
    group: Group
    profiles: dict[str, Any]
    clients: dict[str, Client]
    thread: Thread  # by "poster", a question
    own_thread: Thread  # by the member
    deleted_thread: Thread  # by "poster", deleted by the organizer
    reply: Post  # the member's, in `thread`
    others_reply: Post  # the poster's, in `thread`
    deleted_reply: Post  # the poster's, deleted by the organizer
    resource: Resource  # a file, added by the poster
    requested: Membership  # someone asking to join
    mate: Membership  # a plain member, target of role changes and removal
    reaction_kind: ReactionKind


def _client(profile) -> Client:
    client = Client()
    client.force_login(profile.user)
    assert client.get("/healthz").status_code == 200  # records the session and the day's visit up front
    return client


def _add_member(group: Group, organizer, profile, role: str = Membership.Role.MEMBER) -> Membership:
    services.membership_invite(actor=organizer.user, group=group, profile=profile)
    membership = services.membership_join(actor=profile.user, group=group)
    if role != Membership.Role.MEMBER:
        services.membership_set_role(actor=organizer.user, membership=membership, role=role)
    return membership


def build_world(kind: str) -> World:
    services.reaction_kinds_ensure_defaults()
    people = {
        "organizer": make_profile(email="olga.org@example.com", full_name="Olga Organizer"),
        "moderator": make_profile(email="mo.mod@example.com", full_name="Mo Moderator"),
        "member": make_profile(email="mia.member@example.com", full_name="Mia Member"),
        "outsider": make_profile(email="otto.out@example.com", full_name="Otto Outsider"),
        "admin": make_profile(email="ada.admin@example.com", full_name="Ada Admin", is_admin=True),
        "poster": make_profile(email="pat.poster@example.com", full_name="Pat Poster"),
        "mate": make_profile(email="matt.mate@example.com", full_name="Matt Mate"),
        "requester": make_profile(email="rita.req@example.com", full_name="Rita Requester"),
        "guest": make_profile(email="gina.guest@example.com", full_name="Gina Guest"),
    }
    organizer = people["organizer"]
    read_access, join_policy = SETTINGS[kind]
    group = services.group_create(actor=organizer.user, name=GROUP_NAME, read_access=read_access, join_policy=join_policy,
                                  description="Boats and *plans*", tags=["Sailing"])
    _add_member(group, organizer, people["moderator"], Membership.Role.MODERATOR)
    _add_member(group, organizer, people["member"])
    _add_member(group, organizer, people["poster"])
    mate = _add_member(group, organizer, people["mate"])
    requested = Membership.objects.create(group=group, profile=people["requester"], status=Membership.Status.REQUESTED,
                                          created_at=group.created_at)
    poster, member = people["poster"].user, people["member"].user
    thread = services.thread_create(actor=poster, group=group, title=THREAD_TITLE, body="Where do we sail?",
                                    is_question=True)
    own_thread = services.thread_create(actor=member, group=group, title="Mia's harbour notes", body="Notes")
    deleted_thread = services.thread_create(actor=poster, group=group, title="Harbour spam", body="Spam")
    services.content_set_deleted(actor=organizer.user, target=deleted_thread, deleted=True)
    reply = services.post_create(actor=member, thread=thread, body="North, to the islands")
    others_reply = services.post_create(actor=poster, thread=thread, body="South is warmer")
    deleted_reply = services.post_create(actor=poster, thread=thread, body="Buy cheap boats here")
    services.content_set_deleted(actor=organizer.user, target=deleted_reply, deleted=True)
    resource = services.resource_add(
        actor=poster, group=group, title="Harbour map", description="Where the boats are",
        upload=SimpleUploadedFile("map.txt", b"pier 1, pier 2", content_type="text/plain"),
    )
    if kind == "archived":
        services.group_set_archived(actor=people["admin"].user, group=group, archived=True)
    group.refresh_from_db()
    clients = {"anonymous": Client()}
    for role in ROLES[1:]:
        clients[role] = _client(people[role])
    return World(
        kind=kind, group=group, profiles=people, clients=clients, thread=thread, own_thread=own_thread,
        deleted_thread=deleted_thread, reply=reply, others_reply=others_reply, deleted_reply=deleted_reply,
        resource=resource, requested=requested, mate=mate, reaction_kind=ReactionKind.objects.first(),
    )


@pytest.fixture
def world_of(sent: list[dict]) -> Callable[[str], World]:
    def build(kind: str) -> World:
        world = build_world(kind)
        sent.clear()  # what setting the world up sent is not what the requests under test send
        return world

    return build


Outcomes = tuple[int | str, int | str, int | str, int | str, int | str, int | str]


@dataclasses.dataclass(frozen=True)
class Case:
    name: str
    method: str
    url: Callable[[World], str]
    # kind -> the outcome for (anonymous, outsider, member, moderator, organizer, admin)
    expected: dict[str, Outcomes]
    data: Callable[[World], dict[str, Any]] | None = None
    # roles whose allowed request has nothing to change (per kind); every other allowed POST must change rows
    noop: dict[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)

    def __str__(self) -> str:
        return self.name


def slug_url(name: str, *extra: Callable[[World], object]) -> Callable[[World], str]:
    return lambda w: reverse(f"groups:{name}", args=[w.group.slug, *(f(w) for f in extra)])


def thread_of(w: World) -> int:
    return w.thread.pk


#  Outcome rows, each written once and shared by the URLs that follow the same rule. Three kinds of
#  outsider rows recur: an organization-readable group (content readable, writing refused: 403), a listed
#  members-only group (the group answers, its content is a 404) and the unlisted group (everything a 404).
#                               anon outsider member mod organizer admin
GROUP_PAGE = {  # the group's own page: name, description, size, how to join; its content only for readers
    "org+open":           (L, 200, 200, 200, 200, 200),
    "org+request":        (L, 200, 200, 200, 200, 200),
    "org+invitation":     (L, 200, 200, 200, 200, 200),
    "members+open":       (L, 200, 200, 200, 200, 200),
    "members+request":    (L, 200, 200, 200, 200, 200),
    "members+invitation": (L, 404, 200, 200, 200, 200),
    "archived":           (L, 200, 200, 200, 200, 200),
}
READ = {  # discussions, replies, histories, the library, downloads and the member list
    "org+open":           (L, 200, 200, 200, 200, 200),
    "org+request":        (L, 200, 200, 200, 200, 200),
    "org+invitation":     (L, 200, 200, 200, 200, 200),
    "members+open":       (L, 404, 200, 200, 200, 200),
    "members+request":    (L, 404, 200, 200, 200, 200),
    "members+invitation": (L, 404, 200, 200, 200, 200),
    "archived":           (L, 200, 200, 200, 200, 200),
}
POST_PAGE = {  # only active members write; nobody in an archived group
    "org+open":           (L, 403, 200, 200, 200, 403),
    "org+request":        (L, 403, 200, 200, 200, 403),
    "org+invitation":     (L, 403, 200, 200, 200, 403),
    "members+open":       (L, 404, 200, 200, 200, 403),
    "members+request":    (L, 404, 200, 200, 200, 403),
    "members+invitation": (L, 404, 200, 200, 200, 403),
    "archived":           (L, 403, 403, 403, 403, 403),
}
POST_WRITE = {
    "org+open":           (L, 403, 302, 302, 302, 403),
    "org+request":        (L, 403, 302, 302, 302, 403),
    "org+invitation":     (L, 403, 302, 302, 302, 403),
    "members+open":       (L, 404, 302, 302, 302, 403),
    "members+request":    (L, 404, 302, 302, 302, 403),
    "members+invitation": (L, 404, 302, 302, 302, 403),
    "archived":           (L, 403, 403, 403, 403, 403),
}
AUTHOR_PAGE = {  # the member's own thread or reply: only they edit it; moderators remove, never rewrite
    "org+open":           (L, 403, 200, 403, 403, 403),
    "org+request":        (L, 403, 200, 403, 403, 403),
    "org+invitation":     (L, 403, 200, 403, 403, 403),
    "members+open":       (L, 404, 200, 403, 403, 403),
    "members+request":    (L, 404, 200, 403, 403, 403),
    "members+invitation": (L, 404, 200, 403, 403, 403),
    "archived":           (L, 403, 403, 403, 403, 403),
}
AUTHOR_WRITE = {
    "org+open":           (L, 403, 302, 403, 403, 403),
    "org+request":        (L, 403, 302, 403, 403, 403),
    "org+invitation":     (L, 403, 302, 403, 403, 403),
    "members+open":       (L, 404, 302, 403, 403, 403),
    "members+request":    (L, 404, 302, 403, 403, 403),
    "members+invitation": (L, 404, 302, 403, 403, 403),
    "archived":           (L, 403, 403, 403, 403, 403),
}
DELETE_OWN = {  # the member deletes their own words; moderators may delete them too
    "org+open":           (L, 403, 302, 302, 302, 302),
    "org+request":        (L, 403, 302, 302, 302, 302),
    "org+invitation":     (L, 403, 302, 302, 302, 302),
    "members+open":       (L, 404, 302, 302, 302, 302),
    "members+request":    (L, 404, 302, 302, 302, 302),
    "members+invitation": (L, 404, 302, 302, 302, 302),
    "archived":           (L, 403, 403, 403, 403, 403),
}
MODERATE = {  # pin, lock, accept for the asker, delete others' posts
    "org+open":           (L, 403, 403, 302, 302, 302),
    "org+request":        (L, 403, 403, 302, 302, 302),
    "org+invitation":     (L, 403, 403, 302, 302, 302),
    "members+open":       (L, 404, 403, 302, 302, 302),
    "members+request":    (L, 404, 403, 302, 302, 302),
    "members+invitation": (L, 404, 403, 302, 302, 302),
    "archived":           (L, 403, 403, 403, 403, 403),
}
RESTORE = {  # deleted things exist only for those who can moderate
    "org+open":           (L, 404, 404, 302, 302, 302),
    "org+request":        (L, 404, 404, 302, 302, 302),
    "org+invitation":     (L, 404, 404, 302, 302, 302),
    "members+open":       (L, 404, 404, 302, 302, 302),
    "members+request":    (L, 404, 404, 302, 302, 302),
    "members+invitation": (L, 404, 404, 302, 302, 302),
    "archived":           (L, 404, 404, 404, 404, 404),
}
SEE_DELETED = {
    "org+open":           (L, 404, 404, 200, 200, 200),
    "org+request":        (L, 404, 404, 200, 200, 200),
    "org+invitation":     (L, 404, 404, 200, 200, 200),
    "members+open":       (L, 404, 404, 200, 200, 200),
    "members+request":    (L, 404, 404, 200, 200, 200),
    "members+invitation": (L, 404, 404, 200, 200, 200),
    "archived":           (L, 404, 404, 404, 404, 404),
}
MANAGE = {  # invite, approve, decline, change roles, remove: the group answers whoever may see it
    "org+open":           (L, 403, 403, 403, 302, 302),
    "org+request":        (L, 403, 403, 403, 302, 302),
    "org+invitation":     (L, 403, 403, 403, 302, 302),
    "members+open":       (L, 403, 403, 403, 302, 302),
    "members+request":    (L, 403, 403, 403, 302, 302),
    "members+invitation": (L, 404, 403, 403, 302, 302),
    "archived":           (L, 403, 403, 403, 403, 403),
}
EDIT_GROUP_PAGE = {  # the group's editor does not exist for those who cannot manage
    "org+open":           (L, 404, 404, 404, 200, 200),
    "org+request":        (L, 404, 404, 404, 200, 200),
    "org+invitation":     (L, 404, 404, 404, 200, 200),
    "members+open":       (L, 404, 404, 404, 200, 200),
    "members+request":    (L, 404, 404, 404, 200, 200),
    "members+invitation": (L, 404, 404, 404, 200, 200),
    "archived":           (L, 404, 404, 404, 404, 404),
}
EDIT_GROUP = {
    "org+open":           (L, 404, 404, 404, 302, 302),
    "org+request":        (L, 404, 404, 404, 302, 302),
    "org+invitation":     (L, 404, 404, 404, 302, 302),
    "members+open":       (L, 404, 404, 404, 302, 302),
    "members+request":    (L, 404, 404, 404, 302, 302),
    "members+invitation": (L, 404, 404, 404, 302, 302),
    "archived":           (L, 404, 404, 404, 404, 404),
}
ARCHIVE = {  # admins archive, and reopen an archived group
    "org+open":           (L, 403, 403, 403, 403, 302),
    "org+request":        (L, 403, 403, 403, 403, 302),
    "org+invitation":     (L, 403, 403, 403, 403, 302),
    "members+open":       (L, 403, 403, 403, 403, 302),
    "members+request":    (L, 403, 403, 403, 403, 302),
    "members+invitation": (L, 404, 403, 403, 403, 302),
    "archived":           (L, 403, 403, 403, 403, 302),
}
JOIN = {  # open groups take anyone, whoever may read them; members already in get a harmless no-op
    "org+open":           (L, 302, 302, 302, 302, 302),
    "org+request":        (L, 403, 302, 302, 302, 403),
    "org+invitation":     (L, 403, 302, 302, 302, 403),
    "members+open":       (L, 302, 302, 302, 302, 302),
    "members+request":    (L, 403, 302, 302, 302, 403),
    "members+invitation": (L, 404, 302, 302, 302, 403),
    "archived":           (L, 403, 302, 302, 302, 403),
}
ASK_TO_JOIN = {  # only by-request groups take requests, whoever may read them
    "org+open":           (L, 403, 403, 403, 403, 403),
    "org+request":        (L, 302, 403, 403, 403, 302),
    "org+invitation":     (L, 403, 403, 403, 403, 403),
    "members+open":       (L, 403, 403, 403, 403, 403),
    "members+request":    (L, 302, 403, 403, 403, 302),
    "members+invitation": (L, 404, 403, 403, 403, 403),
    "archived":           (L, 403, 403, 403, 403, 403),
}
LEAVE = {  # the only organizer cannot leave (409); leaving a group one is not in is a no-op
    "org+open":           (L, 302, 302, 302, 409, 302),
    "org+request":        (L, 302, 302, 302, 409, 302),
    "org+invitation":     (L, 302, 302, 302, 409, 302),
    "members+open":       (L, 302, 302, 302, 409, 302),
    "members+request":    (L, 302, 302, 302, 409, 302),
    "members+invitation": (L, 404, 302, 302, 409, 302),
    "archived":           (L, 302, 302, 302, 409, 302),
}
MUTE = {  # a personal setting of members, also in an archived group
    "org+open":           (L, 403, 302, 302, 302, 403),
    "org+request":        (L, 403, 302, 302, 302, 403),
    "org+invitation":     (L, 403, 302, 302, 302, 403),
    "members+open":       (L, 403, 302, 302, 302, 403),
    "members+request":    (L, 403, 302, 302, 302, 403),
    "members+invitation": (L, 404, 302, 302, 302, 403),
    "archived":           (L, 403, 302, 302, 302, 403),
}
SIGNED_IN = {"org+open": (L, 200, 200, 200, 200, 200)}
SIGNED_IN_WRITE = {"org+open": (L, 302, 302, 302, 302, 302)}
ALL_KINDS_MEMBERS_NOOP = dict.fromkeys(KINDS, ("member", "moderator", "organizer"))


CASES = [
    # --- not tied to one group --------------------------------------------------------------------
    Case("browse", "get", lambda w: reverse("groups:browse"), SIGNED_IN),
    Case("browse search", "get", lambda w: reverse("groups:browse") + "?q=harbour", SIGNED_IN),
    Case("create page", "get", lambda w: reverse("groups:create"), SIGNED_IN),
    Case("create group", "post", lambda w: reverse("groups:create"), SIGNED_IN_WRITE,
         data=lambda w: {"name": "Fresh Runners", "kind": "interest", "join_policy": "request", "description": "Run",
                         "tags": "Running"}),
    Case("mention suggestions", "get", lambda w: reverse("groups:mention_suggestions") + "?q=hi @mi", SIGNED_IN),
    # --- the group --------------------------------------------------------------------------------
    Case("group page", "get", slug_url("detail"), GROUP_PAGE),
    Case("edit page", "get", slug_url("edit"), EDIT_GROUP_PAGE),
    Case("edit group", "post", slug_url("edit"), EDIT_GROUP,
         data=lambda w: {"name": "Harbour Circle renamed", "kind": "team", "join_policy": w.group.join_policy,
                         "read_access": w.group.read_access,
                         "description": "New words", "tags": "Sailing, Boats"}),
    Case("archive or reopen", "post", slug_url("archive"), ARCHIVE,
         data=lambda w: {"archived": "0" if w.kind == "archived" else "1"}),
    Case("join", "post", slug_url("join"), JOIN, noop=ALL_KINDS_MEMBERS_NOOP),
    Case("ask to join", "post", slug_url("request"), ASK_TO_JOIN, data=lambda w: {"message": "Let me in"}),
    Case("leave", "post", slug_url("leave"), LEAVE, noop=dict.fromkeys(KINDS, ("outsider", "admin"))),
    Case("mute", "post", slug_url("mute"), MUTE, data=lambda w: {"muted": "1"}),
    Case("members page", "get", slug_url("members"), READ),
    Case("invite", "post", slug_url("invite"), MANAGE, data=lambda w: {"email": "gina.guest@example.com"}),
    Case("approve request", "post", slug_url("decide", lambda w: w.requested.pk), MANAGE,
         data=lambda w: {"approve": "1"}),
    Case("decline request", "post", slug_url("decide", lambda w: w.requested.pk), MANAGE,
         data=lambda w: {"approve": "0"}),
    Case("change role", "post", slug_url("set_role", lambda w: w.mate.pk), MANAGE,
         data=lambda w: {"role": "moderator"}),
    Case("remove member", "post", slug_url("remove", lambda w: w.mate.pk), MANAGE),
    # --- discussions ------------------------------------------------------------------------------
    Case("new thread page", "get", slug_url("thread_new"), POST_PAGE),
    Case("start thread", "post", slug_url("thread_new"), POST_WRITE,
         data=lambda w: {"title": "A new voyage", "body": "Who comes?"}),
    Case("thread page", "get", slug_url("thread", thread_of), READ),
    Case("deleted thread page", "get", slug_url("thread", lambda w: w.deleted_thread.pk), SEE_DELETED),
    Case("reply", "post", slug_url("thread", thread_of), POST_WRITE, data=lambda w: {"body": "Count me in"}),
    Case("edit own thread page", "get", slug_url("thread_edit", lambda w: w.own_thread.pk), AUTHOR_PAGE),
    Case("edit own thread", "post", slug_url("thread_edit", lambda w: w.own_thread.pk), AUTHOR_WRITE,
         data=lambda w: {"title": "Mia's harbour notes, v2", "body": "More notes"}),
    Case("pin", "post", slug_url("thread_moderate", thread_of), MODERATE, data=lambda w: {"action": "pin"}),
    Case("lock", "post", slug_url("thread_moderate", thread_of), MODERATE, data=lambda w: {"action": "lock"}),
    Case("delete others' thread", "post", slug_url("thread_delete", thread_of), MODERATE),
    Case("delete own thread", "post", slug_url("thread_delete", lambda w: w.own_thread.pk), DELETE_OWN),
    Case("restore thread", "post", slug_url("thread_delete", lambda w: w.deleted_thread.pk), RESTORE,
         data=lambda w: {"restore": "1"}),
    Case("accept answer", "post", slug_url("thread_accept", thread_of), MODERATE,
         data=lambda w: {"post": w.reply.pk}),
    Case("thread history", "get", slug_url("history", lambda w: "threads", thread_of), READ),
    Case("reply history", "get", slug_url("history", lambda w: "posts", lambda w: w.reply.pk), READ),
    Case("edit own reply page", "get", slug_url("post_edit", lambda w: w.reply.pk), AUTHOR_PAGE),
    Case("edit own reply", "post", slug_url("post_edit", lambda w: w.reply.pk), AUTHOR_WRITE,
         data=lambda w: {"body": "North, to the far islands"}),
    Case("delete own reply", "post", slug_url("post_delete", lambda w: w.reply.pk), DELETE_OWN),
    Case("delete others' reply", "post", slug_url("post_delete", lambda w: w.others_reply.pk), MODERATE),
    Case("restore reply", "post", slug_url("post_delete", lambda w: w.deleted_reply.pk), RESTORE,
         data=lambda w: {"restore": "1"}),
    Case("react to thread", "post", slug_url("react"), POST_WRITE,
         data=lambda w: {"thread": w.thread.pk, "kind": w.reaction_kind.pk}),
    Case("react to reply", "post", slug_url("react"), POST_WRITE,
         data=lambda w: {"post": w.others_reply.pk, "kind": w.reaction_kind.pk}),
    # --- the library ------------------------------------------------------------------------------
    Case("resources page", "get", slug_url("resources"), READ),
    Case("add resource", "post", slug_url("resources"), POST_WRITE,
         data=lambda w: {"title": "Tide tables", "url": "https://example.com/tides", "description": "Daily"}),
    Case("download resource", "get", slug_url("resource_download", lambda w: w.resource.pk), READ),
    Case("remove others' resource", "post", slug_url("resource_delete", lambda w: w.resource.pk), MODERATE),
]

def refused(expected: int | str) -> bool:
    return expected == L or (isinstance(expected, int) and expected >= 400)


def check_cell(world: World, case: Case, role: str, expected: int | str, before: dict, sent: list[dict]) -> list[str]:
    """Run one request and say what went wrong (nothing when all is well)."""
    problems: list[str] = []
    url = case.url(world)
    sent.clear()
    client = world.clients[role]
    response = client.get(url) if case.method == "get" else client.post(url, case.data(world) if case.data else {})
    status = response.status_code
    if expected == L:
        location = response.get("Location", "")
        if status != 302 or not location.startswith(reverse("account_login") + "?next="):
            problems.append(f"{role}: expected a redirect to sign in, got {status} {location}")
    elif status != expected:
        problems.append(f"{role}: expected {expected}, got {status}")
    after = db_snapshot()
    if refused(expected) or case.method == "get":
        if after != before:
            changed = sorted(k for k in before if before[k] != after.get(k))
            problems.append(f"{role}: a refused request (or a read) changed {changed}")
        if sent:
            problems.append(f"{role}: a refused request (or a read) sent notifications {sent}")
    elif role not in case.noop.get(world.kind, ()) and after == before:
        problems.append(f"{role}: an allowed write changed nothing")
    if world.kind in MEMBERS_ONLY and role in ("anonymous", "outsider"):
        body = response.content.decode(errors="replace")
        secrets = SECRETS if world.kind in UNLISTED else CONTENT_SECRETS
        problems += [f"{role}: the {world.kind} group leaks {s!r} ({status})" for s in secrets if s in body]
    return problems


@pytest.mark.parametrize("kind", KINDS)
def test_permission_matrix(kind: str, world_of, sent: list[dict]):
    """One world per kind of group; every (URL, person) cell runs in a savepoint that is rolled back, so each
    starts from the same rows (checked: `before` is taken once and every read or refusal must match it)."""
    world = world_of(kind)
    before = db_snapshot()
    problems: list[str] = []
    cells = 0
    for case in CASES:
        if kind not in case.expected:
            continue
        for role, expected in zip(ROLES, case.expected[kind], strict=True):
            with transaction.atomic():
                problems += [f"{case}, {p}" for p in check_cell(world, case, role, expected, before, sent)]
                transaction.set_rollback(True)
            cells += 1
    assert cells >= 6 * 40
    assert not problems, f"on a {kind} group:\n  " + "\n  ".join(problems)


def test_the_matrix_covers_every_groups_route():
    from tests import url_coverage

    assert {route for route in url_coverage.routes_to_cover() if route.startswith("groups/")} == GROUP_ROUTES
    for case in CASES:
        assert set(case.expected) <= set(KINDS), case


def test_private_group_is_missing_from_browse_for_outsiders(world_of):
    world = world_of("members+invitation")
    for role, visible in (("outsider", False), ("member", True), ("admin", True)):
        for url in (reverse("groups:browse"), reverse("groups:browse") + "?q=harbour"):
            html = world.clients[role].get(url).content.decode()
            assert (GROUP_NAME in html) is visible, (role, url)
    # Someone invited sees the group (to accept), not its discussions.
    invited = make_profile(email="ivy.invited@example.com", full_name="Ivy Invited")
    services.membership_invite(actor=world.profiles["organizer"].user, group=world.group, profile=invited)
    client = _client(invited)
    page = client.get(reverse("groups:detail", args=[world.group.slug]))
    assert page.status_code == 200
    assert "Accept invitation" in page.content.decode()
    assert THREAD_TITLE not in page.content.decode()
    assert client.get(reverse("groups:thread", args=[world.group.slug, world.thread.pk])).status_code == 404
    assert client.get(reverse("groups:resources", args=[world.group.slug])).status_code == 404


def test_locked_thread_takes_replies_from_moderators_only(world_of):
    world = world_of("org+open")
    services.thread_moderate(actor=world.profiles["moderator"].user, thread=world.thread, locked=True)
    url = reverse("groups:thread", args=[world.group.slug, world.thread.pk])
    before = db_snapshot()
    response = world.clients["member"].post(url, {"body": "Too late?"})
    assert response.status_code == 403
    assert "Too late?" in response.content.decode()  # the draft is kept
    assert db_snapshot() == before
    assert world.clients["moderator"].post(url, {"body": "Closing words"}).status_code == 302
    assert Post.objects.filter(body="Closing words").exists()


# --- Bad ids, and objects reached through another group ---------------------------------------------

BAD_IDS = ["abc", "0", "-1", "99999999999999999999999", "9223372036854775808", "1.5", "%20"]

ID_ROUTES: list[tuple[str, str, Callable[[World, str], str], Callable[[World, str], dict[str, Any]]]] = [
    ("get", "thread", lambda w, x: reverse("groups:thread", args=[w.group.slug, x]), lambda w, x: {}),
    ("post", "reply", lambda w, x: reverse("groups:thread", args=[w.group.slug, x]), lambda w, x: {"body": "hi"}),
    ("get", "thread edit", lambda w, x: reverse("groups:thread_edit", args=[w.group.slug, x]), lambda w, x: {}),
    ("post", "moderate", lambda w, x: reverse("groups:thread_moderate", args=[w.group.slug, x]),
     lambda w, x: {"action": "pin"}),
    ("post", "thread delete", lambda w, x: reverse("groups:thread_delete", args=[w.group.slug, x]), lambda w, x: {}),
    ("post", "accept", lambda w, x: reverse("groups:thread_accept", args=[w.group.slug, x]), lambda w, x: {}),
    ("get", "thread history", lambda w, x: reverse("groups:history", args=[w.group.slug, "threads", x]),
     lambda w, x: {}),
    ("get", "reply history", lambda w, x: reverse("groups:history", args=[w.group.slug, "posts", x]),
     lambda w, x: {}),
    ("get", "post edit", lambda w, x: reverse("groups:post_edit", args=[w.group.slug, x]), lambda w, x: {}),
    ("post", "post delete", lambda w, x: reverse("groups:post_delete", args=[w.group.slug, x]), lambda w, x: {}),
    ("get", "download", lambda w, x: reverse("groups:resource_download", args=[w.group.slug, x]), lambda w, x: {}),
    ("post", "resource delete", lambda w, x: reverse("groups:resource_delete", args=[w.group.slug, x]),
     lambda w, x: {}),
    ("post", "decide", lambda w, x: reverse("groups:decide", args=[w.group.slug, x]), lambda w, x: {"approve": "1"}),
    ("post", "role", lambda w, x: reverse("groups:set_role", args=[w.group.slug, x]), lambda w, x: {"role": "member"}),
    ("post", "remove", lambda w, x: reverse("groups:remove", args=[w.group.slug, x]), lambda w, x: {}),
    ("post", "react: thread", lambda w, x: reverse("groups:react", args=[w.group.slug]),
     lambda w, x: {"thread": x, "kind": w.reaction_kind.pk}),
    ("post", "react: reply", lambda w, x: reverse("groups:react", args=[w.group.slug]),
     lambda w, x: {"post": x, "kind": w.reaction_kind.pk}),
    ("post", "react: kind", lambda w, x: reverse("groups:react", args=[w.group.slug]),
     lambda w, x: {"thread": w.thread.pk, "kind": x}),
    ("post", "accept: reply", lambda w, x: reverse("groups:thread_accept", args=[w.group.slug, w.thread.pk]),
     lambda w, x: {"post": x}),
]


def test_bad_ids_are_404_not_500(world_of, sent):
    """Whoever asks (the organizer and an admin, who could act on real ones), a bad id is a 404 that changes nothing."""
    world = world_of("org+open")
    before = db_snapshot()
    for role in ("organizer", "admin"):
        client = world.clients[role]
        for method, name, url, data in ID_ROUTES:
            for bad in BAD_IDS:
                target, body = url(world, bad), data(world, bad)
                response = client.get(target) if method == "get" else client.post(target, body)
                assert response.status_code == 404, (role, name, bad, response.status_code)
    assert db_snapshot() == before
    assert not sent


def test_unknown_history_kind_and_unknown_group_are_404(world_of):
    world = world_of("org+open")
    client = world.clients["admin"]
    slug = world.group.slug
    assert client.get(reverse("groups:history", args=[slug, "groups", world.thread.pk])).status_code == 404
    assert client.get(reverse("groups:history", args=[slug, "posts", world.thread.pk + 10_000])).status_code == 404
    for name in ("detail", "members", "resources", "thread_new", "edit"):
        assert client.get(reverse(f"groups:{name}", args=["no-such-group"])).status_code == 404, name
    for name in ("join", "leave", "mute", "request", "archive", "invite", "react"):
        assert client.post(reverse(f"groups:{name}", args=["no-such-group"])).status_code == 404, name


def test_objects_reached_through_another_groups_slug_are_404(world_of, sent):
    """A thread, reply, resource or membership of one group addressed under another group's slug is a 404, even
    for an admin who may act on both groups, and even when the slug is of a group the thread's reply is not in."""
    w = world_of("org+open")
    other = services.group_create(actor=w.profiles["organizer"].user, name="Other Guild")
    question = services.thread_create(actor=w.profiles["organizer"].user, group=other, title="Q", body="?",
                                      is_question=True)
    sent.clear()
    elsewhere = other.slug
    requests = [
        ("get", reverse("groups:thread", args=[elsewhere, w.thread.pk]), {}),
        ("post", reverse("groups:thread", args=[elsewhere, w.thread.pk]), {"body": "hi"}),
        ("get", reverse("groups:thread_edit", args=[elsewhere, w.own_thread.pk]), {}),
        ("post", reverse("groups:thread_moderate", args=[elsewhere, w.thread.pk]), {"action": "pin"}),
        ("post", reverse("groups:thread_delete", args=[elsewhere, w.thread.pk]), {}),
        ("post", reverse("groups:thread_delete", args=[elsewhere, w.deleted_thread.pk]), {"restore": "1"}),
        ("post", reverse("groups:thread_accept", args=[elsewhere, w.thread.pk]), {"post": w.reply.pk}),
        ("post", reverse("groups:thread_accept", args=[elsewhere, question.pk]), {"post": w.reply.pk}),
        ("get", reverse("groups:history", args=[elsewhere, "threads", w.thread.pk]), {}),
        ("get", reverse("groups:history", args=[elsewhere, "posts", w.reply.pk]), {}),
        ("get", reverse("groups:post_edit", args=[elsewhere, w.reply.pk]), {}),
        ("post", reverse("groups:post_delete", args=[elsewhere, w.others_reply.pk]), {}),
        ("post", reverse("groups:post_delete", args=[elsewhere, w.deleted_reply.pk]), {"restore": "1"}),
        ("post", reverse("groups:react", args=[elsewhere]), {"thread": w.thread.pk, "kind": w.reaction_kind.pk}),
        ("post", reverse("groups:react", args=[elsewhere]), {"post": w.reply.pk, "kind": w.reaction_kind.pk}),
        ("get", reverse("groups:resource_download", args=[elsewhere, w.resource.pk]), {}),
        ("post", reverse("groups:resource_delete", args=[elsewhere, w.resource.pk]), {}),
        ("post", reverse("groups:decide", args=[elsewhere, w.requested.pk]), {"approve": "1"}),
        ("post", reverse("groups:set_role", args=[elsewhere, w.mate.pk]), {"role": "moderator"}),
        ("post", reverse("groups:remove", args=[elsewhere, w.mate.pk]), {}),
    ]
    before = db_snapshot()
    for role in ("admin", "organizer", "member"):
        client = w.clients[role]
        for method, url, data in requests:
            response = client.get(url) if method == "get" else client.post(url, data)
            assert response.status_code == 404, (role, method, url, response.status_code)
    assert db_snapshot() == before
    assert not sent
