"""Search API: the same rules as the search page."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.urls import reverse
from ninja import Query, Router, Schema

from courtyard.accounts.http import ApiRequest
from courtyard.search import selectors

router = Router()


class PersonHit(Schema):
    id: int
    display_name: str
    title: str
    url: str


class DocumentHit(Schema):
    type: str
    id: int
    title: str
    snippet_html: str
    url: str
    created_at: dt.datetime


class SearchOut(Schema):
    people_count: int
    people: list[PersonHit]
    count: int
    page: int
    pages: int
    results: list[DocumentHit]


@router.get("/", response=SearchOut, summary="Search people, groups, discussions, replies and library items")
def search(
    request: ApiRequest,
    q: str = Query(..., min_length=1, max_length=200),
    kind: Literal["", "person", "group", "thread", "post", "resource"] = "",
    page: int = Query(1, ge=1, le=10_000),
) -> dict[str, Any]:
    result = selectors.search(request.auth, q, kind="" if kind == "person" else kind, page_number=page)
    docs = result["page"]
    in_range = docs is not None and kind != "person" and page <= docs.paginator.num_pages
    return {
        "people_count": result["people_count"],
        "people": [
            {"id": p.pk, "display_name": p.display_name, "title": p.title, "url": reverse("people:profile", args=[p.pk])}
            for p in result["people"]
        ],
        "count": docs.paginator.count if docs is not None and kind != "person" else 0,
        "page": page,
        "pages": docs.paginator.num_pages if docs is not None and kind != "person" else 0,
        "results": [
            {"type": d.object_type, "id": d.object_id, "title": d.title, "snippet_html": d.snippet, "url": d.url,
             "created_at": d.created_at}
            for d in (docs.object_list if in_range else [])
        ],
    }
