"""Writes for groups and discussions. Each records the audit log and the activity facts insights need."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from courtyard.accounts.models import User
from courtyard.core import clock
from courtyard.core.activity import interaction_record, participation_record
from courtyard.core.audit import audit_record
from courtyard.core.errors import ApplicationError, Conflict, PermissionDenied
from courtyard.core.images import image_to_jpeg
from courtyard.core.markdown import render_markdown
from courtyard.core.ratelimit import ratelimit_check
from courtyard.core.validation import clean_text
from courtyard.groups import notify
from courtyard.groups.access import can_delete_content, can_edit_content, check, standing
from courtyard.groups.domain import rules
from courtyard.groups.models import (
    Group,
    Membership,
    Post,
    Reaction,
    ReactionKind,
    Resource,
    Revision,
    Thread,
)
from courtyard.groups.search import search_thread_retitle, search_thread_set_visible
from courtyard.people.access import actor_profile
from courtyard.people.models import Profile, Tag
from courtyard.people.services import tags_resolve
from courtyard.search.services import search_index, search_unindex

POST_LIMITS = ((8, 60), (60, 3600))  # per member: 8 a minute, 60 an hour
RESOURCE_MAX_BYTES = 10 * 1024 * 1024
RESOURCE_TYPES = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "text/plain": ".txt",
    "text/csv": ".csv",
    "text/markdown": ".md",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ".pptx",
    "application/vnd.oasis.opendocument.text": ".odt",
    "application/zip": ".zip",
}


# --- Text -------------------------------------------------------------------------------------


def mentioned_profiles(text: str) -> list[Profile]:
    """Active people named by @handle (the part of their email address before the @)."""
    handles = rules.mention_handles(text)
    if not handles:
        return []
    query = Q()
    for handle in handles:
        query |= Q(user__email__istartswith=handle + "@")
    found = {p.user.email.split("@", 1)[0].lower(): p for p in Profile.objects.filter(query, is_active=True).select_related("user")}
    return [found[h] for h in handles if h in found]


def render_body(text: str, mentioned: Iterable[Profile]) -> str:
    urls = {p.user.email.split("@", 1)[0].lower(): reverse("people:profile", args=[p.pk]) for p in mentioned}
    return str(render_markdown(rules.link_mentions(text, urls)))


def _clean_text(value: str, *, field: str, max_length: int, required: bool = True) -> str:
    value = (value or "").strip()
    # The last line behind every surface; whether line breaks are allowed is each surface's call.
    value = clean_text(value, multiline=True, field=field)
    if required and not value:
        raise ApplicationError(_("%(field)s cannot be empty.") % {"field": field}, code="required")
    if len(value) > max_length:
        raise ApplicationError(
            _("%(field)s is longer than %(max)d characters.") % {"field": field, "max": max_length}, code="too_long"
        )
    return value


# --- Groups -----------------------------------------------------------------------------------


def _unique_slug(name: str) -> str:
    base = rules.slug_candidate(name)
    slug, n = base, 2
    while Group.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _check_access_choices(join_policy: object, read_access: object) -> None:
    if join_policy not in Group.JoinPolicy.values:
        raise ApplicationError(_("Choose who may join from the list: anyone, by request or by invitation."),
                               code="invalid_choice")
    if read_access is not None and read_access not in Group.ReadAccess.values:
        raise ApplicationError(_("Choose who may read from the list: members only or the whole organization."),
                               code="invalid_choice")


@transaction.atomic
def group_create(
    *,
    actor: User,
    name: str,
    kind: str = Group.Kind.INTEREST,
    join_policy: str = Group.JoinPolicy.OPEN,
    read_access: str | None = None,
    description: str = "",
    tags: Iterable[str] = (),
) -> Group:
    """Any member may start a group; they become its first organizer. Without ``read_access``, a group one
    joins by request or invitation is readable by its members only (rules.default_read_access)."""
    creator = actor_profile(actor)
    name = _clean_text(name, field=_("The name"), max_length=100)
    if kind not in Group.Kind.values:
        raise ApplicationError(_("Choose a kind from the list."), code="invalid_choice")
    _check_access_choices(join_policy, read_access)
    read_access = read_access or rules.default_read_access(join_policy)
    if Group.objects.filter(name__iexact=name, archived_at__isnull=True).exists():
        raise Conflict(_("A group called “%(name)s” already exists.") % {"name": name}, code="duplicate_group")
    description = _clean_text(description, field=_("The description"), max_length=10_000, required=False)
    now = clock.now()
    group = Group.objects.create(
        name=name, slug=_unique_slug(name), kind=kind, read_access=read_access, join_policy=join_policy,
        description=description,
        description_html=render_body(description, []), created_by=creator, created_at=now,
        last_activity_at=now, member_count=1,
    )
    group.tags.set(tags_resolve(Tag.Kind.INTEREST, tags))
    search_index("group", group)
    Membership.objects.create(
        group=group, profile=creator, role=Membership.Role.ORGANIZER, status=Membership.Status.ACTIVE,
        created_at=now, joined_at=now,
    )
    audit_record(action="groups.group.created", actor=actor, target=group, data={"name": name})
    participation_record(member_id=creator.pk, verb="created_group", department_id=creator.department_id, group_id=group.pk)
    return group


@transaction.atomic
def group_update(*, actor: User, group: Group, data: dict[str, Any]) -> Group:
    check(rules.can_manage(standing(actor, group)), _("Only the group's organizers can change it."))
    changed: list[str] = []
    if "name" in data:
        name = _clean_text(data["name"], field=_("The name"), max_length=100)
        if Group.objects.filter(name__iexact=name, archived_at__isnull=True).exclude(pk=group.pk).exists():
            raise Conflict(_("A group called “%(name)s” already exists.") % {"name": name}, code="duplicate_group")
        if name != group.name:
            group.name = name
            changed.append("name")
    if "description" in data:
        description = _clean_text(data["description"], field=_("The description"), max_length=10_000, required=False)
        if description != group.description:
            group.description = description
            group.description_html = render_body(description, [])
            changed.append("description")
    if "kind" in data and data["kind"] not in Group.Kind.values:
        raise ApplicationError(_("Choose a kind from the list."), code="invalid_choice")
    wanted = {field: group_value if data.get(field) is None else data[field]
              for field, group_value in (("join_policy", group.join_policy), ("read_access", group.read_access))}
    _check_access_choices(wanted["join_policy"], wanted["read_access"])
    for field in ("kind", "read_access", "join_policy"):
        if field in data and data[field] is not None and data[field] != getattr(group, field):
            setattr(group, field, data[field])
            changed.append(field)
    if changed:
        group.save()
    if "tags" in data:
        group.tags.set(tags_resolve(Tag.Kind.INTEREST, data["tags"]))
        changed.append("tags")
    if changed:
        search_index("group", group)
        audit_record(action="groups.group.updated", actor=actor, target=group, data={"fields": changed})
    return group


COVER_SIZE = (1200, 400)


@transaction.atomic
def group_cover_set(*, actor: User, group: Group, upload: UploadedFile | None) -> Group:
    """Set the group's cover picture (cropped to 3:1, re-encoded) or, with no upload, remove it."""
    check(rules.can_manage(standing(actor, group)), _("Only the group's organizers can change it."))
    old = str(group.cover.name) if group.cover else ""
    storage = group.cover.storage
    if upload is None:
        if not old:
            return group
        group.cover = ""
        group.save(update_fields=["cover"])
    else:
        data = image_to_jpeg(upload, COVER_SIZE)
        group.cover.save(f"{secrets.token_hex(12)}.jpg", ContentFile(data), save=True)
    if old:
        transaction.on_commit(lambda: storage.delete(old), robust=True)
    audit_record(action="groups.group.cover_set" if upload else "groups.group.cover_removed", actor=actor, target=group)
    return group


@transaction.atomic
def group_set_archived(*, actor: User, group: Group, archived: bool) -> Group:
    """Archived groups stay readable and searchable but take no new posts or members."""
    check(rules.can_archive(standing(actor, group)), _("Only community admins can archive a group."))
    if group.is_archived != archived:
        group.archived_at = clock.now() if archived else None
        group.save(update_fields=["archived_at"])
        audit_record(action="groups.group.archived" if archived else "groups.group.unarchived", actor=actor, target=group)
    return group


# --- Memberships ------------------------------------------------------------------------------


def _activate(membership: Membership, *, role: str | None = None) -> None:
    now = clock.now()
    membership.status = Membership.Status.ACTIVE
    membership.joined_at = now
    if role:
        membership.role = role
    membership.save(update_fields=["status", "joined_at", "role"])
    Group.objects.filter(pk=membership.group_id).update(member_count=F("member_count") + 1)
    participation_record(
        member_id=membership.profile_id, verb="joined_group", department_id=membership.profile.department_id,
        group_id=membership.group_id,
    )


@transaction.atomic
def membership_join(*, actor: User, group: Group) -> Membership:
    """Join an open group, or accept an invitation to any group."""
    profile = actor_profile(actor)
    membership = Membership.objects.select_for_update().filter(group=group, profile=profile).first()
    current = standing(actor, group, membership)
    if current.is_member and membership is not None:
        return membership
    check(rules.can_join(current), _("This group takes new members by request or invitation only."))
    if membership is None:
        membership = Membership(group=group, profile=profile, created_at=clock.now())
        membership.save()
    _activate(membership)
    audit_record(action="groups.membership.joined", actor=actor, target=group)
    return membership


@transaction.atomic
def membership_request(*, actor: User, group: Group, message: str = "") -> Membership:
    profile = actor_profile(actor)
    membership = Membership.objects.filter(group=group, profile=profile).first()
    current = standing(actor, group, membership)
    if membership is not None and membership.status == Membership.Status.REQUESTED:
        return membership
    check(rules.can_request(current), _("You cannot ask to join this group."))
    membership = Membership.objects.create(
        group=group, profile=profile, status=Membership.Status.REQUESTED, created_at=clock.now()
    )
    audit_record(action="groups.membership.requested", actor=actor, target=group)
    organizers = Profile.objects.filter(
        memberships__group=group, memberships__role=Membership.Role.ORGANIZER,
        memberships__status=Membership.Status.ACTIVE,
    ).select_related("user")
    notify.join_requested(group=group, requester=profile, organizers=list(organizers), message=message[:300])
    return membership


@transaction.atomic
def membership_decide(*, actor: User, membership: Membership, approve: bool) -> Membership | None:
    check(rules.can_manage(standing(actor, membership.group)), _("Only the group's organizers can decide."))
    if membership.status != Membership.Status.REQUESTED:
        raise Conflict(_("That request was already decided."), code="already_decided")
    if not approve:
        audit_record(action="groups.membership.declined", actor=actor, target=membership.group,
                     data={"profile": membership.profile_id})
        membership.delete()
        return None
    _activate(membership)
    audit_record(action="groups.membership.approved", actor=actor, target=membership.group,
                 data={"profile": membership.profile_id})
    notify.join_approved(group=membership.group, member=membership.profile, actor=actor)
    return membership


@transaction.atomic
def membership_invite(*, actor: User, group: Group, profile: Profile) -> Membership:
    check(rules.can_manage(standing(actor, group)), _("Only the group's organizers can invite."))
    if not profile.is_active:
        raise ApplicationError(_("%(name)s is deactivated.") % {"name": profile.display_name}, code="inactive")
    membership = Membership.objects.select_for_update().filter(group=group, profile=profile).first()
    if membership is not None and membership.status == Membership.Status.ACTIVE:
        return membership
    if membership is not None and membership.status == Membership.Status.REQUESTED:
        _activate(membership)  # inviting someone who asked is approving them
        return membership
    if membership is None:
        membership = Membership.objects.create(
            group=group, profile=profile, status=Membership.Status.INVITED, created_at=clock.now(),
            invited_by=actor_profile(actor),
        )
        audit_record(action="groups.membership.invited", actor=actor, target=group, data={"profile": profile.pk})
        notify.invited(group=group, member=profile, actor=actor)
    return membership


def _organizer_count(group: Group) -> int:
    return Membership.objects.filter(
        group=group, role=Membership.Role.ORGANIZER, status=Membership.Status.ACTIVE
    ).count()


def _end(membership: Membership) -> None:
    was_active = membership.status == Membership.Status.ACTIVE
    membership.delete()
    if was_active:
        Group.objects.filter(pk=membership.group_id).update(member_count=F("member_count") - 1)


@transaction.atomic
def membership_leave(*, actor: User, group: Group) -> None:
    profile = actor_profile(actor)
    membership = Membership.objects.select_for_update().filter(group=group, profile=profile).first()
    if membership is None:
        return
    if membership.role == Membership.Role.ORGANIZER and membership.status == Membership.Status.ACTIVE and _organizer_count(group) == 1:
        raise Conflict(_("You are the only organizer: make someone else organizer before you leave."), code="last_organizer")
    _end(membership)
    audit_record(action="groups.membership.left", actor=actor, target=group)


@transaction.atomic
def membership_remove(*, actor: User, membership: Membership) -> None:
    check(rules.can_manage(standing(actor, membership.group)), _("Only the group's organizers can remove members."))
    if membership.role == Membership.Role.ORGANIZER and _organizer_count(membership.group) == 1:
        raise Conflict(_("A group needs at least one organizer."), code="last_organizer")
    _end(membership)
    audit_record(action="groups.membership.removed", actor=actor, target=membership.group,
                 data={"profile": membership.profile_id})


@transaction.atomic
def membership_set_role(*, actor: User, membership: Membership, role: str) -> Membership:
    check(rules.can_manage(standing(actor, membership.group)), _("Only the group's organizers can change roles."))
    if role not in Membership.Role.values:
        raise ApplicationError(_("Choose a role from the list."), code="invalid_choice")
    if membership.status != Membership.Status.ACTIVE:
        raise ApplicationError(_("Only members can be given a role."), code="not_member")
    if membership.role == Membership.Role.ORGANIZER and role != membership.role and _organizer_count(membership.group) == 1:
        raise Conflict(_("A group needs at least one organizer."), code="last_organizer")
    if membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
        audit_record(action="groups.membership.role_set", actor=actor, target=membership.group,
                     data={"profile": membership.profile_id, "role": role})
    return membership


@transaction.atomic
def membership_set_muted(*, actor: User, group: Group, muted: bool) -> Membership:
    """A muted group stays joined but sends no notifications and leaves the home feed."""
    profile = actor_profile(actor)
    membership = Membership.objects.filter(group=group, profile=profile, status=Membership.Status.ACTIVE).first()
    if membership is None:
        raise PermissionDenied(_("Join the group first."))
    if membership.muted != muted:
        membership.muted = muted
        membership.save(update_fields=["muted"])
    return membership


# --- Threads and replies ----------------------------------------------------------------------


def _touch(group_id: int, thread: Thread | None = None) -> None:
    now = clock.now()
    Group.objects.filter(pk=group_id).update(last_activity_at=now)
    if thread is not None:
        Thread.objects.filter(pk=thread.pk).update(last_activity_at=now)


@transaction.atomic
def thread_create(*, actor: User, group: Group, title: str, body: str, is_question: bool = False) -> Thread:
    author = actor_profile(actor)
    check(rules.can_post(standing(actor, group)), _("Join the group to start a discussion."))
    title = _clean_text(title, field=_("The title"), max_length=200)
    body = _clean_text(body, field=_("The text"), max_length=50_000)
    ratelimit_check(scope="post", key=actor.pk, limits=POST_LIMITS)
    mentioned = mentioned_profiles(body)
    now = clock.now()
    thread = Thread.objects.create(
        group=group, author=author, title=title, body=body, body_html=render_body(body, mentioned),
        is_question=is_question, created_at=now, last_activity_at=now,
    )
    Group.objects.filter(pk=group.pk).update(thread_count=F("thread_count") + 1, last_activity_at=now)
    search_index("thread", thread)
    audit_record(action="groups.thread.created", actor=actor, target=thread, data={"group": group.pk})
    participation_record(
        member_id=author.pk, verb="asked" if is_question else "posted", department_id=author.department_id,
        group_id=group.pk, object_type="thread", object_id=thread.pk,
    )
    notify.mentioned(mentioned=mentioned, actor=actor, author=author, thread=thread, post=None)
    return thread


@transaction.atomic
def post_create(*, actor: User, thread: Thread, body: str) -> Post:
    author = actor_profile(actor)
    current = standing(actor, thread.group)
    check(rules.can_post(current), _("Join the group to reply."))
    if thread.deleted_at is not None:
        raise ApplicationError(_("This discussion was deleted."), code="deleted")
    if thread.locked_at is not None and not rules.can_moderate(current):
        raise PermissionDenied(_("This discussion is locked."), code="locked")
    body = _clean_text(body, field=_("The reply"), max_length=50_000)
    ratelimit_check(scope="post", key=actor.pk, limits=POST_LIMITS)
    mentioned = mentioned_profiles(body)
    now = clock.now()
    post = Post.objects.create(
        thread=thread, author=author, body=body, body_html=render_body(body, mentioned), created_at=now
    )
    Thread.objects.filter(pk=thread.pk).update(reply_count=F("reply_count") + 1, last_activity_at=now)
    Group.objects.filter(pk=thread.group_id).update(last_activity_at=now)
    search_index("post", post)
    audit_record(action="groups.post.created", actor=actor, target=post, data={"thread": thread.pk})
    participation_record(
        member_id=author.pk, verb="replied", department_id=author.department_id, group_id=thread.group_id,
        object_type="post", object_id=post.pk,
    )
    thread_author = thread.author
    interaction_record(
        actor_id=author.pk, other_id=thread_author.pk, kind="reply", actor_department_id=author.department_id,
        other_department_id=thread_author.department_id, group_id=thread.group_id,
    )
    notify.replied(thread=thread, post=post, author=author, actor=actor, mentioned=mentioned)
    notify.mentioned(mentioned=mentioned, actor=actor, author=author, thread=thread, post=post)
    return post


def _revise(*, actor: User, target: Thread | Post, title: str, body: str) -> None:
    Revision.objects.create(
        thread=target if isinstance(target, Thread) else None,
        post=target if isinstance(target, Post) else None,
        title=title, body=body, edited_by=actor_profile(actor), created_at=clock.now(),
    )


@transaction.atomic
def thread_update(*, actor: User, thread: Thread, title: str, body: str, is_question: bool | None = None) -> Thread:
    current = standing(actor, thread.group)
    check(can_edit_content(actor, thread.author_id, current), _("Only the author can edit this."))
    title = _clean_text(title, field=_("The title"), max_length=200)
    body = _clean_text(body, field=_("The text"), max_length=50_000)
    if (title, body) != (thread.title, thread.body):
        _revise(actor=actor, target=thread, title=thread.title, body=thread.body)
        before = {p.pk for p in mentioned_profiles(thread.body)}
        mentioned = mentioned_profiles(body)
        thread.title, thread.body = title, body
        thread.body_html = render_body(body, mentioned)
        thread.edited_at = clock.now()
        notify.mentioned(
            mentioned=[p for p in mentioned if p.pk not in before], actor=actor, author=thread.author,
            thread=thread, post=None,
        )
    if is_question is not None:
        thread.is_question = is_question
    thread.save()
    search_index("thread", thread)
    search_thread_retitle(thread)
    audit_record(action="groups.thread.edited", actor=actor, target=thread)
    return thread


@transaction.atomic
def post_update(*, actor: User, post: Post, body: str) -> Post:
    current = standing(actor, post.thread.group)
    check(can_edit_content(actor, post.author_id, current), _("Only the author can edit this."))
    body = _clean_text(body, field=_("The reply"), max_length=50_000)
    if body != post.body:
        _revise(actor=actor, target=post, title="", body=post.body)
        before = {p.pk for p in mentioned_profiles(post.body)}
        mentioned = mentioned_profiles(body)
        post.body = body
        post.body_html = render_body(body, mentioned)
        post.edited_at = clock.now()
        post.save(update_fields=["body", "body_html", "edited_at"])
        search_index("post", post)
        audit_record(action="groups.post.edited", actor=actor, target=post)
        notify.mentioned(
            mentioned=[p for p in mentioned if p.pk not in before], actor=actor, author=post.author,
            thread=post.thread, post=post,
        )
    return post


@transaction.atomic
def content_set_deleted(*, actor: User, target: Thread | Post, deleted: bool) -> Thread | Post:
    """Soft delete (author or moderator) and restore (moderator): the text is kept either way."""
    group = target.group if isinstance(target, Thread) else target.thread.group
    current = standing(actor, group)
    if deleted:
        check(can_delete_content(actor, target.author_id, current), _("You cannot delete this."))
    else:
        check(rules.can_moderate(current), _("Only moderators can restore."))
    if (target.deleted_at is not None) == deleted:
        return target
    target.deleted_at = clock.now() if deleted else None
    target.deleted_by = actor_profile(actor) if deleted else None
    target.save(update_fields=["deleted_at", "deleted_by"])
    if isinstance(target, Thread):
        Group.objects.filter(pk=target.group_id).update(thread_count=F("thread_count") + (-1 if deleted else 1))
        search_thread_set_visible(target, not deleted)
    else:
        if deleted:
            search_unindex("post", target.pk)
        else:
            search_index("post", target)
        Thread.objects.filter(pk=target.thread_id).update(reply_count=F("reply_count") + (-1 if deleted else 1))
        if deleted and target.thread.accepted_post_id == target.pk:
            Thread.objects.filter(pk=target.thread_id).update(accepted_post=None)
    kind = "thread" if isinstance(target, Thread) else "post"
    audit_record(action=f"groups.{kind}.{'deleted' if deleted else 'restored'}", actor=actor, target=target)
    return target


@transaction.atomic
def thread_moderate(*, actor: User, thread: Thread, pinned: bool | None = None, locked: bool | None = None) -> Thread:
    check(rules.can_moderate(standing(actor, thread.group)), _("Only moderators can pin or lock."))
    now = clock.now()
    if pinned is not None and (thread.pinned_at is not None) != pinned:
        thread.pinned_at = now if pinned else None
        audit_record(action="groups.thread.pinned" if pinned else "groups.thread.unpinned", actor=actor, target=thread)
    if locked is not None and (thread.locked_at is not None) != locked:
        thread.locked_at = now if locked else None
        audit_record(action="groups.thread.locked" if locked else "groups.thread.unlocked", actor=actor, target=thread)
    thread.save(update_fields=["pinned_at", "locked_at"])
    return thread


@transaction.atomic
def thread_accept_answer(*, actor: User, thread: Thread, post: Post | None) -> Thread:
    """The asker (or a moderator) marks the reply that answered the question, or clears it."""
    current = standing(actor, thread.group)
    profile = actor_profile(actor)
    check(
        not current.archived and (profile.pk == thread.author_id or rules.can_moderate(current)),
        _("Only the person who asked can accept an answer."),
    )
    if not thread.is_question:
        raise ApplicationError(_("Only questions have accepted answers."), code="not_a_question")
    if post is not None and (post.thread_id != thread.pk or post.deleted_at is not None):
        raise ApplicationError(_("That reply is not in this discussion."), code="wrong_thread")
    if thread.accepted_post_id != (post.pk if post else None):
        thread.accepted_post = post
        thread.save(update_fields=["accepted_post"])
        audit_record(action="groups.thread.answer_accepted", actor=actor, target=thread,
                     data={"post": post.pk if post else None})
        if post is not None:
            participation_record(
                member_id=post.author_id, verb="answered", department_id=post.author.department_id,
                group_id=thread.group_id, object_type="post", object_id=post.pk,
            )
            notify.answer_accepted(thread=thread, post=post, actor=actor)
    return thread


# --- Reactions --------------------------------------------------------------------------------


@transaction.atomic
def reaction_toggle(*, actor: User, target: Thread | Post, kind: ReactionKind) -> bool:
    """Add the reaction, or take it back if it was there. Returns whether it is there now."""
    profile = actor_profile(actor)
    group = target.group if isinstance(target, Thread) else target.thread.group
    current = standing(actor, group)
    check(rules.can_post(current), _("Join the group to react."))
    if not kind.is_active:
        raise ApplicationError(_("That reaction is not offered any more."), code="inactive_reaction")
    lookup: dict[str, Any] = {"kind": kind, "profile": profile}
    lookup["thread" if isinstance(target, Thread) else "post"] = target
    existing = Reaction.objects.filter(**lookup).first()
    if existing is not None:
        existing.delete()
        return False
    try:
        with transaction.atomic():
            Reaction.objects.create(**lookup, created_at=clock.now())
    except IntegrityError:
        return True  # a double click: the reaction is there
    participation_record(member_id=profile.pk, verb="reacted", department_id=profile.department_id, group_id=group.pk)
    author = target.author
    interaction_record(
        actor_id=profile.pk, other_id=author.pk, kind="reaction", actor_department_id=profile.department_id,
        other_department_id=author.department_id, group_id=group.pk,
    )
    return True


# --- Resources --------------------------------------------------------------------------------


@transaction.atomic
def resource_add(
    *, actor: User, group: Group, title: str, description: str = "", url: str = "", upload: UploadedFile | None = None
) -> Resource:
    """Members add links or files (PDF, images, office documents, text; 10 MB at most) to the library."""
    profile = actor_profile(actor)
    check(rules.can_post(standing(actor, group)), _("Join the group to add resources."))
    title = _clean_text(title, field=_("The title"), max_length=200)
    description = _clean_text(description, field=_("The description"), max_length=2000, required=False)
    if bool(url) == bool(upload):
        raise ApplicationError(_("Give either a link or a file."), code="link_or_file")
    resource = Resource(group=group, title=title, description=description, added_by=profile, created_at=clock.now())
    if url:
        if not url.lower().startswith(("https://", "http://")):
            raise ApplicationError(_("Links must start with https:// or http://."), code="bad_url")
        resource.kind, resource.url = Resource.Kind.LINK, url[:1000]
    elif upload is not None:
        if upload.size is None or upload.size > RESOURCE_MAX_BYTES:
            raise ApplicationError(_("Files can be 10 MB at most."), code="file_too_large")
        content_type = (upload.content_type or "").split(";")[0].strip().lower()
        if content_type not in RESOURCE_TYPES:
            raise ApplicationError(
                _("That kind of file is not accepted: PDF, images, office documents, text, CSV or ZIP."),
                code="file_type",
            )
        resource.kind, resource.content_type, resource.size = Resource.Kind.FILE, content_type, upload.size
        # A random name: the original file name stays only as the title; files are served by access check.
        resource.file.save(f"{secrets.token_hex(12)}{RESOURCE_TYPES[content_type]}", upload, save=False)
    resource.save()
    search_index("resource", resource)
    audit_record(action="groups.resource.added", actor=actor, target=resource, data={"group": group.pk})
    participation_record(
        member_id=profile.pk, verb="shared_resource", department_id=profile.department_id, group_id=group.pk,
        object_type="resource", object_id=resource.pk,
    )
    return resource


@transaction.atomic
def resource_delete(*, actor: User, resource: Resource) -> None:
    current = standing(actor, resource.group)
    check(can_delete_content(actor, resource.added_by_id or 0, current), _("You cannot remove this resource."))
    resource.deleted_at = clock.now()
    resource.save(update_fields=["deleted_at"])
    search_unindex("resource", resource.pk)
    audit_record(action="groups.resource.deleted", actor=actor, target=resource)


def reaction_kinds_ensure_defaults() -> None:
    """The reactions a fresh installation offers; admins change them in the admin."""
    if not ReactionKind.objects.exists():
        ReactionKind.objects.bulk_create(
            [
                ReactionKind(emoji=emoji, label=label, position=i)
                for i, (emoji, label) in enumerate(settings.DEFAULT_REACTIONS)
            ]
        )
