"""Keeping the search index current. The apps' services call these inside their transactions; what a document
says about an object comes from the object type's provider (``courtyard.search.registry``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from courtyard.search.domain.text import document_search_text
from courtyard.search.models import SearchDocument
from courtyard.search.registry import provider_for, providers

BODY_LIMIT = 20_000
ROW_FIELDS = ("group_id", "title", "body", "search_text", "url", "author_id", "created_at")


def _row(object_type: str, obj: Any) -> SearchDocument:
    doc = provider_for(object_type).document(obj)
    body = (doc.body or "")[:BODY_LIMIT]
    return SearchDocument(
        object_type=object_type, object_id=obj.pk, group_id=doc.group_id, title=doc.title[:300], body=body,
        search_text=document_search_text(title=doc.title, body=body, extra=doc.extra, title_counts=doc.title_counts),
        url=doc.url, author_id=doc.author_id, created_at=doc.created_at,
    )


def search_index(object_type: str, obj: Any) -> None:
    """Add or refresh one thing in the index."""
    row = _row(object_type, obj)
    SearchDocument.objects.update_or_create(
        object_type=object_type, object_id=obj.pk, defaults={field: getattr(row, field) for field in ROW_FIELDS},
    )


def search_unindex(object_type: str, object_id: int) -> None:
    SearchDocument.objects.filter(object_type=object_type, object_id=object_id).delete()


def search_sync(object_type: str, obj: Any) -> None:
    """Index the thing if its provider says it belongs in the index now, or take it out."""
    if provider_for(object_type).is_live(obj):
        search_index(object_type, obj)
    else:
        search_unindex(object_type, obj.pk)


def search_unindex_many(object_type: str, object_ids: QuerySet[Any, Any] | Iterable[int]) -> None:
    """Take many things of one type out (``object_ids`` may be a ``values("pk")`` subquery)."""
    SearchDocument.objects.filter(object_type=object_type, object_id__in=object_ids).delete()


def search_retitle_many(object_type: str, object_ids: QuerySet[Any, Any] | Iterable[int], title: str) -> None:
    """Documents that show a borrowed title (replies show their discussion's) follow a rename."""
    SearchDocument.objects.filter(object_type=object_type, object_id__in=object_ids).update(title=title[:300])


def search_rebuild(*, progress: Callable[[int], Any] | None = None, batch: int = 2000) -> int:
    """Rebuild the whole index from every provider's live objects, in batches (after a seed or an import)."""
    with transaction.atomic():
        SearchDocument.objects.all().delete()
    rows: list[SearchDocument] = []
    total = 0
    for provider in providers():
        for obj in provider.live_objects():
            rows.append(_row(provider.object_type, obj))
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
