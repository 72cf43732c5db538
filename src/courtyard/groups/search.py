"""How groups, discussions, replies and library items appear in search (``courtyard.search.registry``).

Registered from ``GroupsConfig.ready()``. A document carries its group, and who may find it is decided by
that group: its content by the group's readers (``readable_in_groups``, which events share), the group
itself also by those who may know it exists — a listed members-only group is found by its name and
description, as in the group list; an unlisted group by nobody outside it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from django.db.models import Q
from django.urls import reverse

from courtyard.groups.models import Group, Post, Resource, Thread
from courtyard.groups.selectors import readable_group_ids, visible_groups
from courtyard.search.registry import Document, DocumentProvider, provider_register
from courtyard.search.services import search_index, search_retitle_many, search_unindex, search_unindex_many

if TYPE_CHECKING:
    from courtyard.accounts.models import User


def readable_in_groups(actor: User) -> Q:
    """Documents of no group, or of a group whose content ``actor`` may read (as SQL, no query here)."""
    return Q(group_id__isnull=True) | Q(group_id__in=readable_group_ids(actor))


def _group_findable(actor: User) -> Q:
    return readable_in_groups(actor) | Q(group_id__in=visible_groups(actor).values("pk"))


def _group_document(group: Group) -> Document:
    return Document(
        group_id=group.pk, title=group.name, body=group.description, url=reverse("groups:detail", args=[group.slug]),
        created_at=group.created_at, extra=" ".join(t.name for t in group.tags.all()),
    )


def _thread_document(thread: Thread) -> Document:
    return Document(
        group_id=thread.group_id, title=thread.title, body=thread.body, author_id=thread.author_id,
        url=reverse("groups:thread", args=[thread.group.slug, thread.pk]), created_at=thread.created_at,
    )


def _post_document(post: Post) -> Document:
    thread = post.thread
    return Document(
        group_id=thread.group_id, title=thread.title, body=post.body, author_id=post.author_id,
        url=reverse("groups:thread", args=[thread.group.slug, thread.pk]) + f"#post-{post.pk}",
        created_at=post.created_at, title_counts=False,  # a reply is found by its own words only
    )


def _resource_document(resource: Resource) -> Document:
    return Document(
        group_id=resource.group_id, title=resource.title, body=resource.description, author_id=resource.added_by_id,
        url=reverse("groups:resources", args=[resource.group.slug]), created_at=resource.created_at,
        extra=resource.url,
    )


def _live_groups() -> Iterator[Group]:
    return Group.objects.prefetch_related("tags").iterator(chunk_size=500)


def _live_threads() -> Iterator[Thread]:
    return Thread.objects.filter(deleted_at__isnull=True).select_related("group").iterator(chunk_size=2000)


def _live_posts() -> Iterator[Post]:
    return (
        Post.objects.filter(deleted_at__isnull=True, thread__deleted_at__isnull=True)
        .select_related("thread", "thread__group").iterator(chunk_size=2000)
    )


def _live_resources() -> Iterator[Resource]:
    return Resource.objects.filter(deleted_at__isnull=True).select_related("group").iterator(chunk_size=2000)


def _always(_group: Group) -> bool:
    return True  # archived groups stay readable and searchable


def _thread_is_live(thread: Thread) -> bool:
    return thread.deleted_at is None


def _post_is_live(post: Post) -> bool:
    return post.deleted_at is None and post.thread.deleted_at is None


def _resource_is_live(resource: Resource) -> bool:
    return resource.deleted_at is None


def register() -> None:
    for provider in (
        DocumentProvider("group", _group_document, _live_groups, _always, _group_findable),
        DocumentProvider("thread", _thread_document, _live_threads, _thread_is_live, readable_in_groups),
        DocumentProvider("post", _post_document, _live_posts, _post_is_live, readable_in_groups),
        DocumentProvider("resource", _resource_document, _live_resources, _resource_is_live, readable_in_groups),
    ):
        provider_register(provider)


def search_thread_retitle(thread: Thread) -> None:
    """The replies of a renamed discussion show its new title."""
    search_retitle_many("post", thread.posts.values("pk"), thread.title)


def search_thread_set_visible(thread: Thread, visible: bool) -> None:
    """A deleted discussion leaves the index with its replies; a restored one comes back with them."""
    if not visible:
        search_unindex("thread", thread.pk)
        search_unindex_many("post", thread.posts.values("pk"))
        return
    search_index("thread", thread)
    for post in thread.posts.filter(deleted_at__isnull=True).select_related("thread", "thread__group"):
        search_index("post", post)
