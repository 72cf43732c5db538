"""The groups and discussions API: the same rules as the pages, every answer checked against the document."""

from __future__ import annotations

import pytest

from courtyard.groups import services
from courtyard.groups.models import Membership, Post, Reaction, Resource, Thread
from tests.api.conftest import api_for
from tests.helpers import db_snapshot

pytestmark = pytest.mark.django_db


def test_browse_create_join_and_talk(member, other_member, organizer, open_group, private_group, reactions):
    api = api_for(member)
    listing = api.request("get", "/api/groups/").body
    assert {g["slug"] for g in listing["items"]} == {"python-guild"}  # private stays invisible
    created = api.request("post", "/api/groups/", {"name": "Runners", "tags": ["Running"], "visibility": "request"})
    assert created.status_code == 201
    assert created.body["my_membership"] == {"status": "active", "role": "organizer", "muted": False}
    assert api.request("post", "/api/groups/python-guild/join").body["status"] == "active"
    thread = api.request("post", "/api/groups/python-guild/threads",
                         {"title": "Which IDE?", "body": "Hi @olga.org", "is_question": True})
    assert thread.status_code == 201
    thread_id = thread.body["id"]
    other = api_for(other_member)
    assert other.request("post", f"/api/discussions/threads/{thread_id}/replies", {"body": "vim"}).status_code == 403
    other.request("post", "/api/groups/python-guild/join")
    reply = other.request("post", f"/api/discussions/threads/{thread_id}/replies", {"body": "vim, of course"})
    assert reply.status_code == 201
    reacted = api.request("post", "/api/discussions/reactions", {"kind_id": reactions[0].pk, "reply_id": reply.body["id"]})
    assert reacted.body["reacted"] is True
    assert reacted.body["reactions"][0]["people"] == ["Mia Member"]
    accepted = api.request("post", f"/api/discussions/threads/{thread_id}/accept", {"reply_id": reply.body["id"]})
    assert accepted.body["accepted_reply_id"] == reply.body["id"]
    detail = api.request("get", f"/api/discussions/threads/{thread_id}").body
    assert [r["body"] for r in detail["replies"]] == ["vim, of course"]
    assert detail["replies"][0]["reactions"][0]["count"] == 1
    edited = other.request("patch", f"/api/discussions/replies/{reply.body['id']}", {"body": "neovim"})
    assert edited.body["edited_at"] is not None
    assert api.request("get", "/api/groups/python-guild/threads").body["count"] == 1
    assert api.request("get", "/api/discussions/reaction-kinds").body[0]["label"] == "Thanks"


def test_private_groups_do_not_exist_for_outsiders(member, private_group, organizer):
    thread = services.thread_create(actor=organizer.user, group=private_group, title="Secret", body="s")
    api = api_for(member)
    before = db_snapshot()
    for method, path in [
        ("get", "/api/groups/leadership-circle"), ("get", "/api/groups/leadership-circle/threads"),
        ("get", "/api/groups/leadership-circle/members"), ("post", "/api/groups/leadership-circle/join"),
        ("get", f"/api/discussions/threads/{thread.pk}"),
        ("post", f"/api/discussions/threads/{thread.pk}/replies"),
    ]:
        response = api.request(method, path, {"body": "let me in"} if "replies" in path else None)
        assert response.status_code == 404, (method, path, response.status_code)
    assert db_snapshot() == before


def test_anonymous_callers_get_401(open_group):
    api = api_for()
    for method, path in [("get", "/api/groups/"), ("post", "/api/groups/"), ("get", "/api/groups/python-guild")]:
        assert api.request(method, path, {"name": "x"} if method == "post" else None).status_code == 401


def test_organizer_manages_members(organizer, member, other_member, request_group, admin):
    requester = api_for(member)
    assert requester.request("post", "/api/groups/book-club/request").body["status"] == "requested"
    membership = Membership.objects.get(group=request_group, profile=member)
    outsider = api_for(other_member)
    assert outsider.request("post", f"/api/groups/book-club/members/{membership.pk}/decide",
                            {"approve": True}).status_code == 403
    org = api_for(organizer)
    assert org.request("post", f"/api/groups/book-club/members/{membership.pk}/decide", {"approve": True}).body == {"ok": True}
    assert org.request("put", f"/api/groups/book-club/members/{membership.pk}/role", {"role": "moderator"}).body["role"] == "moderator"
    invited = org.request("post", "/api/groups/book-club/members/invite", {"email": other_member.user.email})
    assert invited.body["status"] == "invited"
    members = org.request("get", "/api/groups/book-club/members").body
    assert {m["status"] for m in members} == {"active", "invited"}
    assert org.request("delete", f"/api/groups/book-club/members/{membership.pk}").body == {"ok": True}
    assert org.request("patch", "/api/groups/book-club", {"description": "We read"}).body["description"] == "We read"
    assert org.request("patch", "/api/groups/book-club", {"unknown": 1}).status_code == 422
    assert org.request("post", "/api/groups/book-club/archive").status_code == 403
    assert api_for(admin).request("post", "/api/groups/book-club/archive").body["archived"] is True


def test_moderation_and_library(organizer, member, open_group):
    services.membership_join(actor=member.user, group=open_group)
    thread = services.thread_create(actor=member.user, group=open_group, title="Hello", body="Hi")
    post = services.post_create(actor=member.user, thread=thread, body="me again")
    mem, org = api_for(member), api_for(organizer)
    assert mem.request("post", f"/api/discussions/threads/{thread.pk}/moderate", {"pinned": True}).status_code == 403
    assert org.request("post", f"/api/discussions/threads/{thread.pk}/moderate", {"pinned": True, "locked": True}).body["pinned"]
    assert mem.request("post", f"/api/discussions/threads/{thread.pk}/replies", {"body": "locked?"}).status_code == 403
    assert mem.request("delete", f"/api/discussions/replies/{post.pk}").body == {"ok": True}
    assert Post.objects.get(pk=post.pk).deleted_at is not None
    assert mem.request("patch", f"/api/discussions/threads/{thread.pk}", {"title": "Hello there"}).body["title"] == "Hello there"
    assert mem.request("delete", f"/api/discussions/threads/{thread.pk}").body == {"ok": True}
    assert mem.request("post", f"/api/discussions/threads/{thread.pk}/restore").status_code == 404
    assert org.request("post", f"/api/discussions/threads/{thread.pk}/restore").body["deleted"] is False
    link = mem.request("post", "/api/groups/python-guild/resources", {"title": "PEP 8", "url": "https://peps.python.org/pep-0008/"})
    assert link.status_code == 201
    assert mem.request("post", "/api/groups/python-guild/resources", {"title": "Bad", "url": "javascript:alert(1)"}).status_code == 400
    assert [r["title"] for r in mem.request("get", "/api/groups/python-guild/resources").body] == ["PEP 8"]
    assert mem.request("delete", f"/api/discussions/resources/{link.body['id']}").body == {"ok": True}
    assert Resource.objects.get(pk=link.body["id"]).deleted_at is not None
    assert mem.request("post", "/api/groups/python-guild/mute", {"muted": True}).body["muted"] is True
    assert mem.request("post", "/api/groups/python-guild/leave").body == {"ok": True}
    assert not Thread.objects.filter(deleted_at__isnull=True, pk=thread.pk, group__memberships__profile=member).exists()
    assert Reaction.objects.count() == 0


def test_reactions_need_exactly_one_target(member, open_group, reactions):
    api = api_for(member)
    assert api.request("post", "/api/discussions/reactions", {"kind_id": reactions[0].pk}).status_code == 400
    assert api.request("post", "/api/discussions/reactions", {"kind_id": 999, "thread_id": 1}).status_code == 404


def test_who_may_read_and_who_may_join_in_the_api(member):
    api = api_for(member)
    created = api.request("post", "/api/groups/", {"name": "Quiet Room", "join_policy": "request"})
    assert created.status_code == 201
    assert (created.body["read_access"], created.body["join_policy"], created.body["visibility"]) == (
        "members", "request", "request")  # by request defaults to members only
    changed = api.request("patch", "/api/groups/quiet-room", {"read_access": "organization"})
    assert (changed.body["read_access"], changed.body["join_policy"], changed.body["visibility"]) == (
        "organization", "request", None)  # no old value says this combination
    # The deprecated single setting still works, as the pair it stands for.
    legacy = api.request("post", "/api/groups/", {"name": "Old Client Room", "visibility": "private"})
    assert (legacy.body["read_access"], legacy.body["join_policy"], legacy.body["visibility"]) == (
        "members", "invitation", "private")
    legacy = api.request("patch", "/api/groups/quiet-room", {"visibility": "open"})
    assert (legacy.body["read_access"], legacy.body["join_policy"]) == ("organization", "open")


def test_bad_or_conflicting_access_settings_are_a_clear_4xx_that_changes_nothing(member, open_group):
    api, organizer = api_for(member), api_for(open_group.created_by)
    before = db_snapshot()
    for payload in ({"name": "X", "visibility": "private", "join_policy": "open"},
                    {"name": "X", "visibility": "request", "read_access": "organization"}):
        refused = api.request("post", "/api/groups/", payload)
        assert refused.status_code == 400
        assert "not both" in refused.body["message"]
    for payload in ({"name": "X", "join_policy": "private"}, {"name": "X", "read_access": "everyone"},
                    {"name": "X", "visibility": "secret"}):
        assert api.request("post", "/api/groups/", payload).status_code == 422
    assert organizer.request("patch", f"/api/groups/{open_group.slug}",
                             {"visibility": "private", "read_access": "members"}).status_code == 400
    assert db_snapshot() == before
