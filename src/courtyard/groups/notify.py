"""What groups and discussions tell people. Every notification goes through notifications.services."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from courtyard.accounts.models import User
from courtyard.groups.access import access_group, access_post, access_thread, readers_among
from courtyard.groups.models import Group, Membership, Post, Thread
from courtyard.notifications.services import notification_send, notifications_send_bulk
from courtyard.notifications.targets import register, through
from courtyard.people.models import Profile


def _send(**kwargs: Any) -> None:
    notification_send(**kwargs)


def _send_many(**kwargs: Any) -> None:
    notifications_send_bulk(**kwargs)


def _post_url(thread: Thread, post: Post | None) -> str:
    url = reverse("groups:thread", args=[thread.group.slug, thread.pk])
    return f"{url}#post-{post.pk}" if post is not None else url


def mentioned(*, mentioned: Iterable[Profile], actor: User, author: Profile, thread: Thread, post: Post | None) -> None:
    # Only those who may read the group hear about it: the notification quotes the discussion's title.
    recipients = [person.user for person in readers_among(thread.group, mentioned)]
    if not recipients:
        return
    _send_many(
        recipients=recipients, kind="mention", actor=actor,
        text=_("%(name)s mentioned you in “%(title)s”") % {"name": author.display_name, "title": thread.title},
        url=_post_url(thread, post), object_type="post" if post else "thread",
        object_id=post.pk if post else thread.pk,
    )


def replied(*, thread: Thread, post: Post, author: Profile, actor: User, mentioned: Iterable[Profile]) -> None:
    """The thread's author hears about replies, unless they muted the group (or were mentioned anyway)."""
    if thread.author_id == author.pk or thread.author_id in {p.pk for p in mentioned}:
        return
    muted = Membership.objects.filter(group_id=thread.group_id, profile_id=thread.author_id, muted=True).exists()
    if muted or not readers_among(thread.group, [thread.author]):  # an author who left a members-only group
        return
    _send(
        recipient=thread.author.user, kind="reply_to_thread", actor=actor,
        text=_("%(name)s replied to “%(title)s”") % {"name": author.display_name, "title": thread.title},
        url=_post_url(thread, post), object_type="post", object_id=post.pk,
    )


def join_requested(*, group: Group, requester: Profile, organizers: list[Profile], message: str) -> None:
    if not organizers:
        return
    _send_many(
        recipients=[organizer.user for organizer in organizers], kind="join_request", actor=requester.user,
        text=_("%(name)s asks to join %(group)s") % {"name": requester.display_name, "group": group.name},
        url=reverse("groups:members", args=[group.slug]), object_type="group", object_id=group.pk,
    )


def join_approved(*, group: Group, member: Profile, actor: User) -> None:
    _send(
        recipient=member.user, kind="join_approved", actor=actor,
        text=_("You are now a member of %(group)s") % {"group": group.name},
        url=reverse("groups:detail", args=[group.slug]), object_type="group", object_id=group.pk,
    )


def invited(*, group: Group, member: Profile, actor: User) -> None:
    _send(
        recipient=member.user, kind="group_invitation", actor=actor,
        text=_("You are invited to join %(group)s") % {"group": group.name},
        url=reverse("groups:detail", args=[group.slug]), object_type="group", object_id=group.pk,
    )


def answer_accepted(*, thread: Thread, post: Post, actor: User) -> None:
    if not readers_among(thread.group, [post.author]):
        return
    _send(
        recipient=post.author.user, kind="answer_accepted", actor=actor,
        text=_("Your reply was accepted as the answer to “%(title)s”") % {"title": thread.title},
        url=_post_url(thread, post), object_type="post", object_id=post.pk,
    )


def register_notification_targets() -> None:
    """What groups' notifications are about, and who may read it: the same doors as the pages (a private
    group's threads and replies for its members only; the group itself also for those invited)."""
    register("thread", through(access_thread))
    register("post", through(access_post))
    register("group", through(access_group))
