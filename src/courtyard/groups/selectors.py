"""Reads for groups and discussions, each with its own joins so pages run a fixed number of queries."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from courtyard.accounts.models import User
from courtyard.core.access import is_admin, parse_id
from courtyard.core.domain import cursors
from courtyard.core.errors import NotFound
from courtyard.core.models import Participation
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
from courtyard.people.models import Profile, Tag
from courtyard.people.selectors import followed_ids

THREADS_PER_PAGE = 25
POSTS_PER_PAGE = 50
GROUPS_PER_PAGE = 24


# The groups that do not exist for outsiders (rules.is_listed as SQL): members-only and by invitation.
UNLISTED = Q(read_access=Group.ReadAccess.MEMBERS, join_policy=Group.JoinPolicy.INVITATION)


def visible_groups(actor: User) -> QuerySet[Group]:
    """Groups the actor may know exist (rules.can_see_group as SQL): every listed group, and unlisted ones they
    belong to or are invited to."""
    groups = Group.objects.all()
    if is_admin(actor):
        return groups
    belongs = Membership.objects.filter(
        group=OuterRef("pk"), profile__user=actor,
        status__in=[Membership.Status.ACTIVE, Membership.Status.INVITED],
    )
    return groups.filter(~UNLISTED | Exists(belongs))


def readable_group_ids(actor: User) -> QuerySet[Group, Any]:
    """Groups whose content the actor may read (rules.can_read as SQL): organization-readable groups, and
    members-only ones they actively belong to."""
    groups = Group.objects.all()
    if is_admin(actor):
        return groups.values("pk")
    member = Membership.objects.filter(group=OuterRef("pk"), profile__user=actor, status=Membership.Status.ACTIVE)
    return groups.filter(Q(read_access=Group.ReadAccess.ORGANIZATION) | Exists(member)).values("pk")


@dataclasses.dataclass(frozen=True)
class GroupQuery:
    q: str = ""
    kind: str = ""
    mine: bool = False
    include_archived: bool = False


def _with_my_membership(groups: QuerySet[Group], actor: User) -> QuerySet[Group]:
    return groups.prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.filter(profile__user=actor), to_attr="my_memberships"),
        Prefetch("tags", queryset=Tag.objects.only("id", "name", "slug")),
    )


def groups_page(actor: User, query: GroupQuery, page_number: Any) -> Page[Group]:
    groups = visible_groups(actor)
    if not query.include_archived:
        groups = groups.filter(archived_at__isnull=True)
    if query.kind:
        groups = groups.filter(kind=query.kind)
    if query.mine:
        groups = groups.filter(
            Exists(Membership.objects.filter(group=OuterRef("pk"), profile__user=actor, status=Membership.Status.ACTIVE))
        )
    for word in query.q.split()[:6]:
        groups = groups.filter(Q(name__icontains=word) | Q(description__icontains=word) | Q(tags__name__iexact=word))
    groups = groups.distinct().order_by("-member_count", "name")
    return Paginator(_with_my_membership(groups, actor), GROUPS_PER_PAGE).get_page(page_number)


def groups_suggested(actor: User, limit: int = 6) -> list[Group]:
    """Groups one may join or ask to join that share the member's interests and that they have not joined
    (an invitation-only group cannot be joined from a suggestion, so it is never suggested)."""
    interest_ids = Tag.objects.filter(interested__user=actor).values("pk")
    joined = Membership.objects.filter(group=OuterRef("pk"), profile__user=actor)
    groups = (
        Group.objects.filter(archived_at__isnull=True, tags__in=interest_ids)
        .exclude(join_policy=Group.JoinPolicy.INVITATION)
        .filter(~Exists(joined))
        .distinct()
        .order_by("-member_count", "name")
    )
    return list(_with_my_membership(groups, actor)[:limit])


def _page_by_keys(queryset: QuerySet[Any], per_page: int, page_number: Any) -> Page[Any]:
    """Paginate on primary keys first, then load that page's rows with their joins.

    Joining first made PostgreSQL join and sort every row of a long thread or a busy group before keeping
    one page (78 ms for 9,000 replies); picking the page's keys from the ordering index takes a few."""
    keys = Paginator(queryset.values_list("pk", flat=True), per_page).get_page(page_number)
    wanted = list(keys.object_list)
    rows = {row.pk: row for row in queryset.filter(pk__in=wanted)} if wanted else {}
    keys.object_list = [rows[pk] for pk in wanted if pk in rows]
    return keys


def group_overview(group: Group, *, page_number: Any, can_moderate: bool) -> dict[str, Any]:
    """A group's page: pinned threads, then the others by latest activity; organizers; latest resources."""
    threads = Thread.objects.filter(group=group).select_related("author")
    if not can_moderate:
        threads = threads.filter(deleted_at__isnull=True)
    # Pinned threads are few and shown above the first page; the rest page on (group, deleted, activity).
    pinned = list(threads.filter(pinned_at__isnull=False).order_by("-pinned_at", "-id")[:10])
    page = _page_by_keys(threads.filter(pinned_at__isnull=True).order_by("-last_activity_at", "-id"),
                         THREADS_PER_PAGE, page_number)
    if page.number == 1:
        page.object_list = pinned + list(page.object_list)
    organizers = list(
        Profile.objects.filter(
            memberships__group=group, memberships__status=Membership.Status.ACTIVE,
            memberships__role=Membership.Role.ORGANIZER,
        ).order_by("full_name")[:10]
    )
    resources = list(Resource.objects.filter(group=group, deleted_at__isnull=True).order_by("-created_at")[:5])
    requests = Membership.objects.filter(group=group, status=Membership.Status.REQUESTED).count() if can_moderate else 0
    return {
        "threads": page,
        "organizers": organizers,
        "resources": resources,
        "pending_requests": requests,
        "tags": list(group.tags.all()),
    }


def thread_detail(thread: Thread, *, actor_profile_id: int, page_number: Any, can_moderate: bool) -> dict[str, Any]:
    """A thread and a page of its replies, with reactions summarized per post: five queries at any length."""
    posts_qs = Post.objects.filter(thread=thread).select_related("author", "author__department").order_by("created_at", "id")
    if not can_moderate:
        posts_qs = posts_qs.filter(deleted_at__isnull=True)
    page = _page_by_keys(posts_qs, POSTS_PER_PAGE, page_number)
    posts = list(page.object_list)
    kinds = list(ReactionKind.objects.filter(is_active=True))
    reactions = (
        Reaction.objects.filter(Q(thread=thread) | Q(post__in=[p.pk for p in posts]))
        .select_related("profile")
        .only("kind_id", "thread_id", "post_id", "profile_id", "profile__full_name", "profile__preferred_name")
        .order_by("created_at")
    )
    summary: dict[tuple[str, int], dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    mine: set[tuple[str, int, int]] = set()
    for reaction in reactions:
        key = ("thread", thread.pk) if reaction.thread_id else ("post", reaction.post_id or 0)
        summary[key][reaction.kind_id].append(reaction.profile.display_name)
        if reaction.profile_id == actor_profile_id:
            mine.add((*key, reaction.kind_id))

    def bar(target: str, target_id: int) -> list[dict[str, Any]]:
        people = summary.get((target, target_id), {})
        return [
            {"kind": kind, "count": len(people.get(kind.pk, [])), "names": people.get(kind.pk, []),
             "mine": (target, target_id, kind.pk) in mine}
            for kind in kinds
        ]

    thread.reaction_bar = bar("thread", thread.pk)  # type: ignore[attr-defined]
    for post in posts:
        post.reaction_bar = bar("post", post.pk)
    return {"posts": posts, "page": page, "reaction_kinds": kinds}


def reaction_bar(actor_profile_id: int, *, thread: Thread | None = None, post: Post | None = None) -> list[dict[str, Any]]:
    """The reaction buttons of one thread or reply (for the htmx swap after a click)."""
    kinds = list(ReactionKind.objects.filter(is_active=True))
    rows = Reaction.objects.filter(thread=thread) if thread is not None else Reaction.objects.filter(post=post)
    people: dict[int, list[str]] = defaultdict(list)
    mine: set[int] = set()
    for reaction in rows.select_related("profile").order_by("created_at"):
        people[reaction.kind_id].append(reaction.profile.display_name)
        if reaction.profile_id == actor_profile_id:
            mine.add(reaction.kind_id)
    return [
        {"kind": k, "count": len(people.get(k.pk, [])), "names": people.get(k.pk, []), "mine": k.pk in mine}
        for k in kinds
    ]


def group_members(group: Group) -> dict[str, Any]:
    memberships = list(
        Membership.objects.filter(group=group).select_related("profile", "profile__department").order_by(
            "status", "role", "profile__full_name"
        )
    )
    return {
        "active": [m for m in memberships if m.status == Membership.Status.ACTIVE],
        "requested": [m for m in memberships if m.status == Membership.Status.REQUESTED],
        "invited": [m for m in memberships if m.status == Membership.Status.INVITED],
    }


def resources_of(group: Group) -> list[Resource]:
    return list(Resource.objects.filter(group=group, deleted_at__isnull=True).select_related("added_by").order_by("-created_at"))


def revisions_of(thread: Thread | None = None, post: Post | None = None) -> list[Revision]:
    rows = Revision.objects.filter(thread=thread) if thread is not None else Revision.objects.filter(post=post)
    return list(rows.select_related("edited_by"))


def membership_in(group: Group, membership_id: object) -> Membership:
    membership = Membership.objects.select_related("group", "profile").filter(group=group, pk=parse_id(membership_id)).first()
    if membership is None:
        raise NotFound("No such member.")
    return membership


# --- Memberships other apps read (who belongs, who organizes; never group content) ------------


def active_member_ids(groups: Any) -> QuerySet[Membership, Any]:
    """Profile ids of the active members of these groups (group ids, Groups, or a queryset of either), for
    ``pk__in`` / ``profile_id__in``: a subquery, so it runs no query of its own."""
    return Membership.objects.filter(group__in=groups, status=Membership.Status.ACTIVE).values("profile_id")


def active_members_by_group(group_ids: Iterable[int]) -> dict[int, list[int]]:
    """group id -> the active profiles actively belonging to it, by profile id (one query)."""
    members: dict[int, list[int]] = defaultdict(list)
    for group_id, profile_id in (
        Membership.objects.filter(group_id__in=group_ids, status=Membership.Status.ACTIVE, profile__is_active=True)
        .order_by("group_id", "profile_id").values_list("group_id", "profile_id")
    ):
        members[group_id].append(profile_id)
    return members


def small_groups_of(profile_ids: Any, *, max_members: int) -> dict[int, set[int]]:
    """profile id -> the live groups of at most ``max_members`` members they actively belong to (one query;
    ``profile_ids`` may be a subquery)."""
    small: dict[int, set[int]] = defaultdict(set)
    for profile_id, group_id in Membership.objects.filter(
        profile_id__in=profile_ids, status=Membership.Status.ACTIVE, group__member_count__lte=max_members,
        group__archived_at__isnull=True,
    ).values_list("profile_id", "group_id"):
        small[profile_id].add(group_id)
    return small


def organizer_memberships(profile: Any) -> QuerySet[Membership]:
    """A profile's active organizer memberships; ``profile`` is a Profile, its id or an ``OuterRef`` (for an
    ``Exists`` annotation that costs no query of its own)."""
    return Membership.objects.filter(profile=profile, role=Membership.Role.ORGANIZER, status=Membership.Status.ACTIVE)


def organized_groups(profile: Profile | int) -> list[tuple[int, str]]:
    """(id, name) of the groups a profile actively organizes, archived ones included, by name (one query)."""
    return list(organizer_memberships(profile).order_by("group__name").values_list("group_id", "group__name"))


def organizes_any_group(actor: User) -> bool:
    """Whether the actor actively organizes at least one group, archived ones included (one query)."""
    return Membership.objects.filter(
        profile__user=actor, role=Membership.Role.ORGANIZER, status=Membership.Status.ACTIVE
    ).exists()


def groups_organized_by(actor: User) -> QuerySet[Group]:
    """The groups the actor actively organizes, archived ones included, for the caller to filter, order and
    slice."""
    return Group.objects.filter(memberships__profile__user=actor, memberships__role=Membership.Role.ORGANIZER,
                                memberships__status=Membership.Status.ACTIVE)


# --- Home feed --------------------------------------------------------------------------------

FEED_VERBS = ("posted", "asked", "replied", "shared_resource")
FEED_PAGE = 20


FEED_GROUP_PROBES = 200  # SQLite allows 500 terms in one compound SELECT


def _my_feed_groups(me: int) -> list[int]:
    return list(
        Membership.objects.filter(profile_id=me, status=Membership.Status.ACTIVE, muted=False)
        .order_by("group_id").values_list("group_id", flat=True)
    )


def _feed_facts(
    actor: User, me: int, my_groups: list[int], position: tuple[Any, int] | None, limit: int
) -> list[dict[str, Any]]:
    """The newest feed facts: one index probe per group of the member's (each stops after ``limit`` rows),
    one for the people they follow, merged. A single filtered scan of the time index read 140,000 facts to
    fill a page for a member of two quiet groups (270 ms on the large organization)."""
    base = Participation.objects.filter(verb__in=FEED_VERBS).exclude(member_id=me)
    if position is not None:
        stamp, pk = position
        base = base.filter(Q(occurred_at__lt=stamp) | Q(occurred_at=stamp, id__lt=pk))
    parts = [base.filter(group_id=group_id) for group_id in my_groups[:FEED_GROUP_PROBES]]
    if len(my_groups) > FEED_GROUP_PROBES:
        parts.append(base.filter(group_id__in=my_groups[FEED_GROUP_PROBES:]))
    parts.append(base.filter(member_id__in=followed_ids(me), group_id__in=readable_group_ids(actor)))
    columns = ("id", "verb", "occurred_at", "object_type", "object_id", "member_id")
    selects, params = [], []
    for i, part in enumerate(parts):
        sql, part_params = part.values(*columns).order_by("-occurred_at", "-id")[:limit].query.sql_with_params()
        selects.append(f"SELECT * FROM ({sql}) AS part{i}")  # noqa: S608 - SQL compiled by the ORM, values as params
        params.extend(part_params)
    # UNION, not UNION ALL: a followed person's post in one of the member's groups comes from two probes.
    merged = " UNION ".join(selects) + ' ORDER BY "occurred_at" DESC, "id" DESC LIMIT %s'
    facts = Participation.objects.raw(merged, [*params, limit])  # raw() applies the fields' converters
    return [{column: getattr(fact, column) for column in columns} for fact in facts]


def _shown_on_an_earlier_page(me: int, my_groups: list[int], position: tuple[Any, int] | None) -> Any:
    """Whether a thread (the outer row) already had its item on an earlier page of the feed: some fact of
    the feed about it, or about one of its live replies, sits at or before the cursor. A thread's item is
    shown where its newest fact falls, so an older reply to it on a later page is not a second item.

    The facts of one thread all carry its group, so this reads the (group, time) index of that group only;
    the fact is the member's to see when the group is one of theirs or its author is someone they follow
    (the group is readable: the thread is in the feed)."""
    if position is None:
        return Value(False)
    stamp, pk = position
    replies = Post.objects.filter(thread_id=OuterRef(OuterRef("pk")), deleted_at__isnull=True).values("pk")
    earlier = (
        Participation.objects.filter(verb__in=FEED_VERBS, group_id=OuterRef("group_id"))
        .filter(Q(occurred_at__gt=stamp) | Q(occurred_at=stamp, id__gte=pk))
        .filter(Q(group_id__in=my_groups) | Q(member_id__in=followed_ids(me)))
        .filter(Q(object_type="thread", object_id=OuterRef("pk")) | Q(object_type="post", object_id__in=replies))
        .exclude(member_id=me)
    )
    return Exists(earlier)


def _new_replies(me: int) -> Any:
    """How many live replies others wrote to a thread (the outer row) since the member last wrote in it: all
    of them when they never did."""
    my_last = (
        Post.objects.filter(thread_id=OuterRef(OuterRef("pk")), author_id=me)
        .order_by("-created_at").values("created_at")[:1]
    )
    counted = (
        Post.objects.filter(thread_id=OuterRef("pk"), deleted_at__isnull=True)
        .exclude(author_id=me)
        .filter(created_at__gt=Coalesce(Subquery(my_last), OuterRef("created_at")))
        .order_by().values("thread_id").annotate(n=Count("pk")).values("n")
    )
    return Coalesce(Subquery(counted), Value(0))


FEED_REPLIERS = 3  # the last repliers named (with their photo) on a thread's item


def _thread_items(
    rows: list[dict[str, Any]], threads: Mapping[int, Any], posts: dict[int, Post]
) -> dict[int, dict[str, Any]]:
    """One item per thread, at its newest fact on the page, gathering its replies on the page: the last
    repliers (newest first, each once) and the newest reply's text as the excerpt."""
    items: dict[int, dict[str, Any]] = {}
    for row in rows:
        if row["object_type"] == "thread":
            thread = threads.get(row["object_id"])
            post = None
        elif row["object_type"] == "post" and row["object_id"] in posts:
            post = posts[row["object_id"]]
            thread = threads.get(post.thread_id)
        else:
            continue
        if thread is None or getattr(thread, "shown_before", False):
            continue
        item = items.get(thread.pk)
        if item is None:
            item = items[thread.pk] = {
                "verb": row["verb"], "at": row["occurred_at"], "thread": thread, "group": thread.group,
                "author": post.author if post else thread.author, "post": post,
                "text": post.body if post else thread.body, "repliers": [],
                "new_replies": thread.new_replies,
            }
        if post is not None and post.author not in item["repliers"] and len(item["repliers"]) < FEED_REPLIERS:
            item["repliers"].append(post.author)
    return items


def home_feed(actor: User, *, cursor: str | None = None, size: int = FEED_PAGE) -> dict[str, Any]:
    """What happened in the member's groups (not muted) and what the people they follow wrote where the member
    may read it, newest first, by cursor. Read from the activity facts, then the items in bulk: six queries.

    Replies to one thread are one item, as in Discourse: at the thread's newest activity, with how many new
    replies it has and who wrote the last ones. The cursor still walks the facts, so pages neither repeat nor
    skip anything: a thread already shown on an earlier page (one of its facts is at or before the cursor) is
    not shown again when its older replies come by."""
    position = None
    if cursor:
        position = cursors.decode_cursor(cursor)
        if position is None:
            raise ValueError("bad cursor")
    me = Profile.objects.filter(user=actor).values_list("pk", flat=True).first() or 0
    my_groups = _my_feed_groups(me)
    rows = _feed_facts(actor, me, my_groups, position, size + 1)
    more = len(rows) > size
    rows = rows[:size]
    ids: dict[str, set[int]] = defaultdict(set)
    for row in rows:
        if row["object_id"] is not None:
            ids[row["object_type"]].add(row["object_id"])
    posts = {
        p.pk: p for p in Post.objects.filter(pk__in=ids["post"], deleted_at__isnull=True, thread__deleted_at__isnull=True)
        .select_related("author")
    }
    thread_ids = ids["thread"] | {p.thread_id for p in posts.values()}
    threads = {
        t.pk: t for t in Thread.objects.filter(pk__in=thread_ids, deleted_at__isnull=True)
        .select_related("group", "author")
        .annotate(shown_before=_shown_on_an_earlier_page(me, my_groups, position), new_replies=_new_replies(me))
    }
    resources = {r.pk: r for r in Resource.objects.filter(pk__in=ids["resource"], deleted_at__isnull=True).select_related("group", "added_by")}
    by_thread = _thread_items(rows, threads, posts)
    items, placed = [], set()
    for row in rows:
        if row["object_type"] == "resource" and row["object_id"] in resources:
            resource = resources[row["object_id"]]
            items.append({"verb": row["verb"], "at": row["occurred_at"], "resource": resource, "group": resource.group,
                          "author": resource.added_by, "text": resource.title})
            continue
        thread_id = row["object_id"] if row["object_type"] == "thread" else getattr(posts.get(row["object_id"] or 0), "thread_id", None)
        if thread_id in by_thread and thread_id not in placed:
            placed.add(thread_id)
            items.append(by_thread[thread_id])
    next_cursor = cursors.encode_cursor(rows[-1]["occurred_at"], rows[-1]["id"]) if more and rows else None
    return {"items": items, "next_cursor": next_cursor}


def unanswered_questions(actor: User, limit: int = 5) -> list[Thread]:
    """Questions nobody has answered yet in the member's groups: a nudge to help."""
    groups = Membership.objects.filter(profile__user=actor, status=Membership.Status.ACTIVE).values("group_id")
    return list(
        Thread.objects.filter(group_id__in=groups, is_question=True, reply_count=0, deleted_at__isnull=True,
                              locked_at__isnull=True)
        .exclude(author__user=actor)
        .select_related("group", "author")
        .order_by("-created_at")[:limit]
    )
