"""The only doors to groups, threads, replies and resources: fetch and authorize in one step.

Two questions decide everything: may the actor know the group exists (rules.can_see_group: an unlisted
group is the same 404 as something that does not exist), and may they read its content (rules.can_read:
a members-only group's discussions, replies, library, member list and events are a 404 for outsiders, who
still see its name and may join or ask to). Pages, the API, search, feeds, events and notifications all ask
these two, through the functions below and selectors.visible_groups / readable_group_ids.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q

from courtyard.accounts.models import User
from courtyard.core.access import is_admin, parse_id, require_signed_in
from courtyard.core.errors import NotFound, PermissionDenied
from courtyard.groups.domain import rules
from courtyard.groups.models import Group, Membership, Post, Resource, Thread
from courtyard.people.models import Profile


def standing(actor: User, group: Group, membership: Membership | Any | None = ...) -> rules.Standing:
    """The actor's standing in a group. Pass the membership when already loaded to save a query."""
    if membership is ...:
        membership = Membership.objects.filter(group=group, profile__user=actor).first()
    return rules.Standing(
        read_access=group.read_access,
        join_policy=group.join_policy,
        archived=group.archived_at is not None,
        is_admin=is_admin(actor),
        status=membership.status if membership else None,
        role=membership.role if membership else None,
    )


def _group(group_ref: object) -> Group:
    queryset = Group.objects.all()
    if isinstance(group_ref, str) and not group_ref.isdigit():
        group = queryset.filter(slug=group_ref).first()
    else:
        group = queryset.filter(pk=parse_id(group_ref)).first()
    if group is None:
        raise NotFound("No such group.")
    return group


def access_group(actor: User, group_ref: object) -> tuple[Group, rules.Standing, Membership | None]:
    """A group the actor may see, with their standing in it and their membership (if any)."""
    require_signed_in(actor)
    group = _group(group_ref)
    membership = Membership.objects.filter(group=group, profile__user=actor).first()
    current = standing(actor, group, membership)
    if not rules.can_see_group(current):
        raise NotFound("No such group.")
    return group, current, membership


def access_group_content(actor: User, group_ref: object) -> tuple[Group, rules.Standing, Membership | None]:
    """A group whose discussions and resources the actor may read."""
    group, current, membership = access_group(actor, group_ref)
    if not rules.can_read(current):
        raise NotFound("No such group.")
    return group, current, membership


def access_thread(actor: User, thread_id: object, *, include_deleted: bool = False) -> tuple[Thread, rules.Standing]:
    require_signed_in(actor)
    thread = Thread.objects.select_related("group", "author", "author__department").filter(pk=parse_id(thread_id)).first()
    if thread is None:
        raise NotFound("No such discussion.")
    current = standing(actor, thread.group)
    if not rules.can_read(current):
        raise NotFound("No such discussion.")
    if thread.deleted_at is not None and not (include_deleted and rules.can_moderate(current)):
        raise NotFound("This discussion was deleted.")
    return thread, current


def access_post(actor: User, post_id: object, *, include_deleted: bool = False) -> tuple[Post, rules.Standing]:
    require_signed_in(actor)
    post = (
        Post.objects.select_related("thread", "thread__group", "author", "author__department")
        .filter(pk=parse_id(post_id))
        .first()
    )
    if post is None or post.thread.deleted_at is not None:
        raise NotFound("No such reply.")
    current = standing(actor, post.thread.group)
    if not rules.can_read(current):
        raise NotFound("No such reply.")
    if post.deleted_at is not None and not (include_deleted and rules.can_moderate(current)):
        raise NotFound("This reply was deleted.")
    return post, current


def access_resource(actor: User, resource_id: object) -> tuple[Resource, rules.Standing]:
    require_signed_in(actor)
    resource = Resource.objects.select_related("group").filter(pk=parse_id(resource_id), deleted_at__isnull=True).first()
    if resource is None:
        raise NotFound("No such resource.")
    current = standing(actor, resource.group)
    if not rules.can_read(current):
        raise NotFound("No such resource.")
    return resource, current


def readers_among(group: Group, profiles: Iterable[Profile]) -> list[Profile]:
    """The people among these who may read the group's content now (rules.can_read for each; one query for a
    members-only group, none otherwise): a notification that quotes a discussion goes to nobody else, so an
    @mention of an outsider in a members-only group tells them nothing."""
    people = list(profiles)
    if not people or group.read_access == Group.ReadAccess.ORGANIZATION:
        return people
    readers = set(
        Profile.objects.filter(pk__in=[p.pk for p in people])
        .filter(
            Q(memberships__group=group, memberships__status=Membership.Status.ACTIVE)
            | Q(user__is_staff=True, user__is_active=True)  # admins read every group (core.access.is_admin)
        )
        .values_list("pk", flat=True)
    )
    return [p for p in people if p.pk in readers]


def check(allowed: bool, message: str = "You are not allowed to do that.") -> None:
    if not allowed:
        raise PermissionDenied(message)


def can_edit_content(actor: User, author_id: int, current: rules.Standing) -> bool:
    """Authors edit their own words (while they may post); moderators may remove, not rewrite."""
    if current.archived:
        return False
    profile = getattr(actor, "_courtyard_profile", None)
    own = profile.pk == author_id if profile is not None else Profile.objects.filter(pk=author_id, user=actor).exists()
    return own and (current.is_member or current.is_admin)


def can_delete_content(actor: User, author_id: int, current: rules.Standing) -> bool:
    return can_edit_content(actor, author_id, current) or rules.can_moderate(current)


def can_view_cover(actor: User, name: str) -> bool:
    """A group's cover picture is shown to whoever may see the group."""
    group = Group.objects.filter(cover=name).first()
    return group is not None and rules.can_see_group(standing(actor, group))
