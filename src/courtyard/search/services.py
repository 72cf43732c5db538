"""Keeping the search index current. Groups' services call these inside their transactions."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.db import transaction
from django.urls import reverse

from courtyard.people.domain.directory import normalize_text
from courtyard.search.models import SearchDocument

BODY_LIMIT = 20_000


def _document(object_type: str, obj: Any) -> dict[str, Any]:
    from courtyard.groups.models import Group, Post, Resource, Thread

    if isinstance(obj, Group):
        return {"group_id": obj.pk, "title": obj.name, "body": obj.description, "author_id": None,
                "url": reverse("groups:detail", args=[obj.slug]), "created_at": obj.created_at,
                "extra": " ".join(t.name for t in obj.tags.all())}
    if isinstance(obj, Thread):
        return {"group_id": obj.group_id, "title": obj.title, "body": obj.body, "author_id": obj.author_id,
                "url": reverse("groups:thread", args=[obj.group.slug, obj.pk]), "created_at": obj.created_at, "extra": ""}
    if isinstance(obj, Post):
        thread = obj.thread
        return {"group_id": thread.group_id, "title": thread.title, "body": obj.body, "author_id": obj.author_id,
                "url": reverse("groups:thread", args=[thread.group.slug, thread.pk]) + f"#post-{obj.pk}",
                "created_at": obj.created_at, "extra": ""}
    if isinstance(obj, Resource):
        return {"group_id": obj.group_id, "title": obj.title, "body": obj.description,
                "author_id": obj.added_by_id, "url": reverse("groups:resources", args=[obj.group.slug]),
                "created_at": obj.created_at, "extra": obj.url}
    if object_type == "event":  # events describe themselves (courtyard.events.search)
        from courtyard.events.search import event_document

        return event_document(obj)
    raise TypeError(f"cannot index {object_type}")


def _row(object_type: str, obj: Any) -> SearchDocument:
    doc = _document(object_type, obj)
    body = (doc["body"] or "")[:BODY_LIMIT]
    # The title counts twice, so that a word in it ranks above the same word deep in a text. A reply
    # shows its discussion's title but is found by its own words only.
    title_words = [] if object_type == "post" else [doc["title"], doc["title"]]
    text = normalize_text(" ".join([*title_words, doc["extra"], body]))
    return SearchDocument(
        object_type=object_type, object_id=obj.pk, group_id=doc["group_id"], title=doc["title"][:300], body=body,
        search_text=text, url=doc["url"], author_id=doc["author_id"], created_at=doc["created_at"],
    )


def search_index(object_type: str, obj: Any) -> None:
    """Add or refresh one thing in the index."""
    row = _row(object_type, obj)
    SearchDocument.objects.update_or_create(
        object_type=object_type, object_id=obj.pk,
        defaults={field: getattr(row, field) for field in
                  ("group_id", "title", "body", "search_text", "url", "author_id", "created_at")},
    )


def search_unindex(object_type: str, object_id: int) -> None:
    SearchDocument.objects.filter(object_type=object_type, object_id=object_id).delete()


def _live() -> Iterator[tuple[str, Any]]:
    from courtyard.groups.models import Group, Post, Resource, Thread

    yield from (("group", g) for g in Group.objects.prefetch_related("tags").iterator(chunk_size=500))
    yield from (
        ("thread", t) for t in Thread.objects.filter(deleted_at__isnull=True).select_related("group").iterator(chunk_size=2000)
    )
    yield from (
        ("post", p)
        for p in Post.objects.filter(deleted_at__isnull=True, thread__deleted_at__isnull=True)
        .select_related("thread", "thread__group").iterator(chunk_size=2000)
    )
    yield from (
        ("resource", r) for r in Resource.objects.filter(deleted_at__isnull=True).select_related("group").iterator(chunk_size=2000)
    )
    from courtyard.events.search import events_to_index

    yield from (("event", e) for e in events_to_index())


def search_rebuild(*, progress: Callable[[int], Any] | None = None, batch: int = 2000) -> int:
    """Rebuild the whole index from the content tables, in batches (after a seed or an import)."""
    with transaction.atomic():
        SearchDocument.objects.all().delete()
    rows: list[SearchDocument] = []
    total = 0
    for object_type, obj in _live():
        rows.append(_row(object_type, obj))
        if len(rows) >= batch:
            SearchDocument.objects.bulk_create(rows)
            total += len(rows)
            if progress:
                progress(len(rows))
            rows = []
    if rows:
        SearchDocument.objects.bulk_create(rows)
        total += len(rows)
        if progress:
            progress(len(rows))
    return total


def search_thread_retitle(thread: Any) -> None:
    """The replies of a renamed discussion show its new title."""
    SearchDocument.objects.filter(object_type="post", object_id__in=thread.posts.values("pk")).update(title=thread.title[:300])


def search_thread_set_visible(thread: Any, visible: bool) -> None:
    """A deleted discussion leaves the index with its replies; a restored one comes back with them."""
    post_ids = thread.posts.values("pk")
    if not visible:
        search_unindex("thread", thread.pk)
        SearchDocument.objects.filter(object_type="post", object_id__in=post_ids).delete()
        return
    search_index("thread", thread)
    for post in thread.posts.filter(deleted_at__isnull=True).select_related("thread", "thread__group"):
        search_index("post", post)
