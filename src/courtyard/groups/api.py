"""Groups and discussions API: the same access functions and services as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status

from courtyard.accounts.http import ApiRequest
from courtyard.core.errors import ApplicationError, NotFound
from courtyard.core.schemas import CleanText, InputSchema, Ok, PersonRef
from courtyard.groups import selectors, services
from courtyard.groups.access import (
    access_group,
    access_group_content,
    access_post,
    access_resource,
    access_thread,
)
from courtyard.groups.domain import rules
from courtyard.groups.models import Group, Membership, Post, ReactionKind, Resource, Thread
from courtyard.people.access import actor_profile
from courtyard.people.models import Profile

router = Router()
# Threads, replies, reactions and library items by id: their own prefix, so no path is mistaken for a group slug.
discussions_router = Router()


class MyMembership(Schema):
    status: str
    role: str
    muted: bool


class GroupOut(Schema):
    id: int
    slug: str
    name: str
    kind: str
    read_access: str = Field(..., description="Who reads the discussions, library and member list: "
                             "`members` (active members only) or `organization` (everyone).")
    join_policy: str = Field(..., description="Who may join: `open` (anyone), `request` (organizers approve) or "
                             "`invitation`.")
    visibility: str | None = Field(..., deprecated=True, description=(
        "Deprecated: the single setting groups had before read_access and join_policy. `open`, `request` "
        "(members-only, by request) or `private` (members-only, by invitation, unlisted) when the two settings "
        "are one of those three; null for the other combinations."))
    description: str
    description_html: str
    tags: list[str]
    member_count: int
    thread_count: int
    archived: bool
    my_membership: MyMembership | None
    url: str


class GroupPage(Schema):
    count: int
    items: list[GroupOut]


ReadAccess = Literal["members", "organization"]
JoinPolicy = Literal["open", "request", "invitation"]
LegacyVisibility = Literal["open", "request", "private"]
LEGACY_VISIBILITY_HELP = ("Deprecated (send read_access and join_policy): `open` = organization + open, `request` = "
                          "members + request, `private` = members + invitation.")


class GroupIn(InputSchema):
    name: str = Field(..., max_length=100)
    kind: Literal["interest", "team", "cross_functional"] = "interest"
    join_policy: JoinPolicy = "open"
    read_access: ReadAccess | None = Field(None, description="Left out: `members` for a group joined by request or "
                                           "invitation, `organization` for an open one.")
    visibility: LegacyVisibility | None = Field(None, deprecated=True, description=LEGACY_VISIBILITY_HELP)
    description: CleanText = Field("", max_length=10_000)
    tags: list[str] = Field(default_factory=list, max_length=30)


class GroupPatch(InputSchema):
    """Only the fields sent change. None of them can be null: an empty list clears the tags, an empty text the
    description."""

    # The default None stands for "not sent" (the fields sent are read with exclude_unset); the types leave
    # None out so that an explicit null is a 422 rather than a crash in a service.
    name: str = Field(None, max_length=100)  # type: ignore[assignment]
    kind: Literal["interest", "team", "cross_functional"] = None  # type: ignore[assignment]
    join_policy: JoinPolicy = None  # type: ignore[assignment]
    read_access: ReadAccess = None  # type: ignore[assignment]
    visibility: LegacyVisibility = Field(None, deprecated=True, description=LEGACY_VISIBILITY_HELP)  # type: ignore[arg-type]
    description: CleanText = Field(None, max_length=10_000)  # type: ignore[assignment]
    tags: list[str] = Field(None, max_length=30)  # type: ignore[arg-type]


class MemberOut(Schema):
    id: int
    person: PersonRef
    role: str
    status: str


class ThreadOut(Schema):
    id: int
    group: str
    title: str
    body: str
    body_html: str
    author: PersonRef
    is_question: bool
    accepted_reply_id: int | None
    pinned: bool
    locked: bool
    deleted: bool
    reply_count: int
    created_at: dt.datetime
    edited_at: dt.datetime | None
    last_activity_at: dt.datetime
    url: str


class ThreadPage(Schema):
    count: int
    items: list[ThreadOut]


class ThreadIn(InputSchema):
    title: str = Field(..., max_length=200)
    body: CleanText = Field(..., max_length=50_000)
    is_question: bool = False


class ThreadPatch(InputSchema):
    title: str | None = Field(None, max_length=200)
    body: CleanText | None = Field(None, max_length=50_000)
    is_question: bool | None = None


class DiscussionReactionCount(Schema):
    kind_id: int
    emoji: str
    label: str
    count: int
    people: list[str]
    mine: bool


class ReplyOut(Schema):
    id: int
    thread_id: int
    body: str
    body_html: str
    author: PersonRef
    created_at: dt.datetime
    edited_at: dt.datetime | None
    deleted: bool
    reactions: list[DiscussionReactionCount] = Field(default_factory=list)


class ThreadDetailOut(ThreadOut):
    reactions: list[DiscussionReactionCount]
    replies: list[ReplyOut]
    replies_page: int
    replies_pages: int


class PostBodyIn(InputSchema):
    body: CleanText = Field(..., max_length=50_000)


class ModerateIn(InputSchema):
    pinned: bool | None = None
    locked: bool | None = None


class AcceptIn(InputSchema):
    reply_id: int | None = Field(None, ge=1, description="The reply that answered the question; null clears it.")


class DecideIn(InputSchema):
    approve: bool


class RoleIn(InputSchema):
    role: Literal["member", "moderator", "organizer"]


class InviteIn(InputSchema):
    email: str = Field(..., max_length=254)


class MuteIn(InputSchema):
    muted: bool


class DiscussionReactionIn(InputSchema):
    kind_id: int = Field(..., ge=1)
    thread_id: int | None = Field(None, ge=1)
    reply_id: int | None = Field(None, ge=1)


class DiscussionReactionResult(Schema):
    reacted: bool
    reactions: list[DiscussionReactionCount]


class ReactionKindOut(Schema):
    id: int
    emoji: str
    label: str


class ResourceOut(Schema):
    id: int
    kind: str
    title: str
    description: str
    url: str
    size: int
    added_by: PersonRef | None
    created_at: dt.datetime


class LinkIn(InputSchema):
    title: str = Field(..., max_length=200)
    url: str = Field(..., max_length=1000)
    description: CleanText = Field("", max_length=2000)


def person(profile: Profile | None) -> dict[str, Any] | None:
    return {"id": profile.pk, "display_name": profile.display_name} if profile is not None else None


# The old single setting and the two settings it now means; the API still takes and says it for old clients.
LEGACY_VISIBILITY = {
    "open": (Group.ReadAccess.ORGANIZATION, Group.JoinPolicy.OPEN),
    "request": (Group.ReadAccess.MEMBERS, Group.JoinPolicy.REQUEST),
    "private": (Group.ReadAccess.MEMBERS, Group.JoinPolicy.INVITATION),
}
VISIBILITY_OF: dict[tuple[str, str], str] = {settings: legacy for legacy, settings in LEGACY_VISIBILITY.items()}


def access_settings(data: dict[str, Any]) -> dict[str, Any]:
    """The group fields with a deprecated ``visibility`` turned into the two settings it stands for; sending both
    kinds at once is refused rather than guessed, since one of them would be silently ignored."""
    legacy = data.pop("visibility", None)
    if legacy is None:
        return data
    if data.get("join_policy") is not None or data.get("read_access") is not None:
        raise ApplicationError(
            "Send read_access and join_policy, or the deprecated visibility, not both.", code="conflicting_fields"
        )
    data["read_access"], data["join_policy"] = LEGACY_VISIBILITY[legacy]
    return data


def group_out(group: Group, membership: Membership | None = None) -> dict[str, Any]:
    if membership is None:
        mine = getattr(group, "my_memberships", None)
        membership = mine[0] if mine else None
    return {
        "id": group.pk, "slug": group.slug, "name": group.name, "kind": group.kind,
        "read_access": group.read_access, "join_policy": group.join_policy,
        "visibility": VISIBILITY_OF.get((group.read_access, group.join_policy)),
        "description": group.description, "description_html": group.description_html,
        "tags": [t.name for t in group.tags.all()], "member_count": group.member_count,
        "thread_count": group.thread_count, "archived": group.archived_at is not None,
        "my_membership": (
            {"status": membership.status, "role": membership.role, "muted": membership.muted} if membership else None
        ),
        "url": reverse("groups:detail", args=[group.slug]),
    }


def thread_out(thread: Thread) -> dict[str, Any]:
    return {
        "id": thread.pk, "group": thread.group.slug, "title": thread.title, "body": thread.body,
        "body_html": thread.body_html, "author": person(thread.author), "is_question": thread.is_question,
        "accepted_reply_id": thread.accepted_post_id, "pinned": thread.pinned_at is not None,
        "locked": thread.locked_at is not None, "deleted": thread.deleted_at is not None,
        "reply_count": thread.reply_count, "created_at": thread.created_at, "edited_at": thread.edited_at,
        "last_activity_at": thread.last_activity_at, "url": reverse("groups:thread", args=[thread.group.slug, thread.pk]),
    }


def reaction_counts(bar: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"kind_id": r["kind"].pk, "emoji": r["kind"].emoji, "label": r["kind"].label, "count": r["count"],
         "people": r["names"], "mine": r["mine"]}
        for r in bar
    ]


def reply_out(post: Post) -> dict[str, Any]:
    deleted = post.deleted_at is not None
    return {
        "id": post.pk, "thread_id": post.thread_id, "body": "" if deleted else post.body,
        "body_html": "" if deleted else post.body_html, "author": person(post.author), "created_at": post.created_at,
        "edited_at": post.edited_at, "deleted": deleted,
        "reactions": reaction_counts(getattr(post, "reaction_bar", [])),
    }


def resource_out(resource: Resource) -> dict[str, Any]:
    return {
        "id": resource.pk, "kind": resource.kind, "title": resource.title, "description": resource.description,
        "url": resource.url if resource.kind == Resource.Kind.LINK
        else reverse("groups:resource_download", args=[resource.group.slug, resource.pk]),
        "size": resource.size, "added_by": person(resource.added_by), "created_at": resource.created_at,
    }


# --- Groups -----------------------------------------------------------------------------------


@router.get("/", response=GroupPage, summary="Browse and search the groups you may see")
def groups_list(
    request: ApiRequest,
    q: str = Query("", max_length=100),
    kind: Literal["", "interest", "team", "cross_functional"] = "",
    mine: bool = False,
    page: int = Query(1, ge=1, le=10_000),
) -> dict[str, Any]:
    result = selectors.groups_page(request.auth, selectors.GroupQuery(q=q, kind=kind, mine=mine), page)
    return {"count": result.paginator.count,
            "items": [group_out(g) for g in result.object_list] if page <= result.paginator.num_pages else []}


@router.post("/", response={201: GroupOut}, summary="Start a group (you become its organizer)")
def group_create(request: ApiRequest, payload: GroupIn) -> Status:
    group = services.group_create(actor=request.auth, **access_settings(payload.dict(exclude_unset=True)))
    _group, _current, membership = access_group(request.auth, group.slug)
    return Status(201, group_out(group, membership))


@discussions_router.get("/reaction-kinds", response=list[ReactionKindOut], summary="The reactions on offer")
def reaction_kinds(request: ApiRequest) -> list[ReactionKind]:
    return list(ReactionKind.objects.filter(is_active=True))


@router.get("/{slug}", response=GroupOut, summary="One group")
def group_detail(request: ApiRequest, slug: str) -> dict[str, Any]:
    group, _current, membership = access_group(request.auth, slug)
    return group_out(group, membership)


@router.patch("/{slug}", response=GroupOut, summary="Change a group (organizers)")
def group_update(request: ApiRequest, slug: str, payload: GroupPatch) -> dict[str, Any]:
    group, _current, membership = access_group(request.auth, slug)
    services.group_update(actor=request.auth, group=group, data=access_settings(payload.dict(exclude_unset=True)))
    return group_out(group, membership)


@router.post("/{slug}/join", response=MyMembership, summary="Join an open group or accept an invitation")
def group_join(request: ApiRequest, slug: str) -> Membership:
    group, _current, _membership = access_group(request.auth, slug)
    return services.membership_join(actor=request.auth, group=group)


@router.post("/{slug}/request", response=MyMembership, summary="Ask to join a request-to-join group")
def group_request(request: ApiRequest, slug: str) -> Membership:
    group, _current, _membership = access_group(request.auth, slug)
    return services.membership_request(actor=request.auth, group=group)


@router.post("/{slug}/leave", response=Ok, summary="Leave, withdraw a request or decline an invitation")
def group_leave(request: ApiRequest, slug: str) -> dict[str, bool]:
    group, _current, _membership = access_group(request.auth, slug)
    services.membership_leave(actor=request.auth, group=group)
    return {"ok": True}


@router.post("/{slug}/mute", response=MyMembership, summary="Mute or unmute a group you belong to")
def group_mute(request: ApiRequest, slug: str, payload: MuteIn) -> Membership:
    group, _current, _membership = access_group(request.auth, slug)
    return services.membership_set_muted(actor=request.auth, group=group, muted=payload.muted)


@router.post("/{slug}/archive", response=GroupOut, summary="Archive (read-only) or reopen a group (admins)")
def group_archive(request: ApiRequest, slug: str, archived: bool = True) -> dict[str, Any]:
    group, _current, membership = access_group(request.auth, slug)
    services.group_set_archived(actor=request.auth, group=group, archived=archived)
    return group_out(group, membership)


@router.get("/{slug}/members", response=list[MemberOut], summary="Members, requests and invitations")
def group_members(request: ApiRequest, slug: str) -> list[dict[str, Any]]:
    group, current, _membership = access_group_content(request.auth, slug)
    members = selectors.group_members(group)
    rows = members["active"] + (members["requested"] + members["invited"] if rules.can_manage(current) else [])
    return [{"id": m.pk, "person": person(m.profile), "role": m.role, "status": m.status} for m in rows]


@router.post("/{slug}/members/invite", response=MemberOut, summary="Invite someone (organizers)")
def group_invite(request: ApiRequest, slug: str, payload: InviteIn) -> dict[str, Any]:
    group, _current, _membership = access_group(request.auth, slug)
    profile = Profile.objects.filter(user__email__iexact=payload.email.strip(), is_active=True).first()
    if profile is None:
        raise ApplicationError("Nobody in the directory has that address.", code="unknown_person")
    m = services.membership_invite(actor=request.auth, group=group, profile=profile)
    return {"id": m.pk, "person": person(m.profile), "role": m.role, "status": m.status}


@router.post("/{slug}/members/{membership_id}/decide", response=Ok, summary="Approve or decline a request")
def group_decide(request: ApiRequest, slug: str, membership_id: int, payload: DecideIn) -> dict[str, bool]:
    group, _current, _membership = access_group(request.auth, slug)
    services.membership_decide(actor=request.auth, membership=selectors.membership_in(group, membership_id),
                               approve=payload.approve)
    return {"ok": True}


@router.put("/{slug}/members/{membership_id}/role", response=MemberOut, summary="Change a member's role")
def group_role(request: ApiRequest, slug: str, membership_id: int, payload: RoleIn) -> dict[str, Any]:
    group, _current, _membership = access_group(request.auth, slug)
    m = services.membership_set_role(actor=request.auth, membership=selectors.membership_in(group, membership_id),
                                     role=payload.role)
    return {"id": m.pk, "person": person(m.profile), "role": m.role, "status": m.status}


@router.delete("/{slug}/members/{membership_id}", response=Ok, summary="Remove a member (organizers)")
def group_remove(request: ApiRequest, slug: str, membership_id: int) -> dict[str, bool]:
    group, _current, _membership = access_group(request.auth, slug)
    services.membership_remove(actor=request.auth, membership=selectors.membership_in(group, membership_id))
    return {"ok": True}


# --- Threads ----------------------------------------------------------------------------------


@router.get("/{slug}/threads", response=ThreadPage, summary="Discussions in a group, pinned first")
def threads_list(request: ApiRequest, slug: str, page: int = Query(1, ge=1, le=10_000)) -> dict[str, Any]:
    group, _current, _membership = access_group_content(request.auth, slug)
    overview = selectors.group_overview(group, page_number=page, can_moderate=False)
    threads = overview["threads"]
    for thread in threads.object_list:
        thread.group = group
    return {"count": threads.paginator.count,
            "items": [thread_out(t) for t in threads.object_list] if page <= threads.paginator.num_pages else []}


@router.post("/{slug}/threads", response={201: ThreadOut}, summary="Start a discussion")
def thread_create(request: ApiRequest, slug: str, payload: ThreadIn) -> Status:
    group, _current, _membership = access_group_content(request.auth, slug)
    return Status(201, thread_out(services.thread_create(actor=request.auth, group=group, **payload.dict())))


@discussions_router.get("/threads/{thread_id}", response=ThreadDetailOut, summary="A discussion with a page of replies")
def thread_detail(request: ApiRequest, thread_id: int, page: int = Query(1, ge=1, le=10_000)) -> dict[str, Any]:
    thread, _current = access_thread(request.auth, thread_id)
    detail = selectors.thread_detail(thread, actor_profile_id=actor_profile(request.auth).pk, page_number=page,
                                     can_moderate=False)
    return {**thread_out(thread), "reactions": reaction_counts(thread.reaction_bar),  # type: ignore[attr-defined]
            "replies": [reply_out(p) for p in detail["posts"]] if page <= detail["page"].paginator.num_pages else [],
            "replies_page": page, "replies_pages": detail["page"].paginator.num_pages}


@discussions_router.patch("/threads/{thread_id}", response=ThreadOut, summary="Edit your discussion (kept in the history)")
def thread_update(request: ApiRequest, thread_id: int, payload: ThreadPatch) -> dict[str, Any]:
    thread, _current = access_thread(request.auth, thread_id)
    data = payload.dict(exclude_unset=True)
    services.thread_update(actor=request.auth, thread=thread, title=data.get("title") or thread.title,
                           body=data.get("body") or thread.body, is_question=data.get("is_question"))
    return thread_out(thread)


@discussions_router.delete("/threads/{thread_id}", response=Ok, summary="Delete a discussion (moderators can restore it)")
def thread_delete(request: ApiRequest, thread_id: int) -> dict[str, bool]:
    thread, _current = access_thread(request.auth, thread_id)
    services.content_set_deleted(actor=request.auth, target=thread, deleted=True)
    return {"ok": True}


@discussions_router.post("/threads/{thread_id}/restore", response=ThreadOut, summary="Restore a deleted discussion (moderators)")
def thread_restore(request: ApiRequest, thread_id: int) -> dict[str, Any]:
    thread, _current = access_thread(request.auth, thread_id, include_deleted=True)
    services.content_set_deleted(actor=request.auth, target=thread, deleted=False)
    return thread_out(thread)


@discussions_router.post("/threads/{thread_id}/moderate", response=ThreadOut, summary="Pin or lock (moderators)")
def thread_moderate(request: ApiRequest, thread_id: int, payload: ModerateIn) -> dict[str, Any]:
    thread, _current = access_thread(request.auth, thread_id)
    return thread_out(services.thread_moderate(actor=request.auth, thread=thread, **payload.dict()))


@discussions_router.post("/threads/{thread_id}/accept", response=ThreadOut, summary="Accept a reply as the answer")
def thread_accept(request: ApiRequest, thread_id: int, payload: AcceptIn) -> dict[str, Any]:
    thread, _current = access_thread(request.auth, thread_id)
    post = None
    if payload.reply_id is not None:
        post, _standing = access_post(request.auth, payload.reply_id)
    return thread_out(services.thread_accept_answer(actor=request.auth, thread=thread, post=post))


@discussions_router.post("/threads/{thread_id}/replies", response={201: ReplyOut}, summary="Reply to a discussion")
def reply_create(request: ApiRequest, thread_id: int, payload: PostBodyIn) -> Status:
    thread, _current = access_thread(request.auth, thread_id)
    return Status(201, reply_out(services.post_create(actor=request.auth, thread=thread, body=payload.body)))


@discussions_router.patch("/replies/{reply_id}", response=ReplyOut, summary="Edit your reply (kept in the history)")
def reply_update(request: ApiRequest, reply_id: int, payload: PostBodyIn) -> dict[str, Any]:
    post, _current = access_post(request.auth, reply_id)
    return reply_out(services.post_update(actor=request.auth, post=post, body=payload.body))


@discussions_router.delete("/replies/{reply_id}", response=Ok, summary="Delete a reply (moderators can restore it)")
def reply_delete(request: ApiRequest, reply_id: int) -> dict[str, bool]:
    post, _current = access_post(request.auth, reply_id)
    services.content_set_deleted(actor=request.auth, target=post, deleted=True)
    return {"ok": True}


@discussions_router.post("/reactions", response=DiscussionReactionResult, summary="Add or take back a reaction")
def reaction_toggle(request: ApiRequest, payload: DiscussionReactionIn) -> dict[str, Any]:
    if (payload.thread_id is None) == (payload.reply_id is None):
        raise ApplicationError("Give either thread_id or reply_id.", code="one_target")
    kind = ReactionKind.objects.filter(pk=payload.kind_id, is_active=True).first()
    if kind is None:
        raise NotFound("No such reaction.")
    target: Thread | Post
    if payload.reply_id is not None:
        target, _current = access_post(request.auth, payload.reply_id)
    else:
        target, _current = access_thread(request.auth, payload.thread_id)
    reacted = services.reaction_toggle(actor=request.auth, target=target, kind=kind)
    me = actor_profile(request.auth).pk
    bar = selectors.reaction_bar(me, **({"post": target} if isinstance(target, Post) else {"thread": target}))
    return {"reacted": reacted, "reactions": reaction_counts(bar)}


# --- Resources --------------------------------------------------------------------------------


@router.get("/{slug}/resources", response=list[ResourceOut], summary="The group's library")
def resources_list(request: ApiRequest, slug: str) -> list[dict[str, Any]]:
    group, _current, _membership = access_group_content(request.auth, slug)
    resources = selectors.resources_of(group)
    for resource in resources:
        resource.group = group
    return [resource_out(r) for r in resources]


@router.post("/{slug}/resources", response={201: ResourceOut}, summary="Add a link to the library (files: use the page)")
def resource_add(request: ApiRequest, slug: str, payload: LinkIn) -> Status:
    group, _current, _membership = access_group_content(request.auth, slug)
    resource = services.resource_add(actor=request.auth, group=group, title=payload.title,
                                     description=payload.description, url=payload.url)
    return Status(201, resource_out(resource))


@discussions_router.delete("/resources/{resource_id}", response=Ok, summary="Remove from the library")
def resource_delete(request: ApiRequest, resource_id: int) -> dict[str, bool]:
    resource, _current = access_resource(request.auth, resource_id)
    services.resource_delete(actor=request.auth, resource=resource)
    return {"ok": True}
