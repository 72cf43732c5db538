"""Search across everything a member may see: people, groups, discussions, replies, library items."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import Q

from courtyard.accounts.models import User
from courtyard.groups.selectors import readable_group_ids, visible_groups
from courtyard.people.domain.directory import search_tokens
from courtyard.people.selectors import DirectoryQuery, directory_slice
from courtyard.search.backend import documents_matching
from courtyard.search.domain.snippets import snippet
from courtyard.search.models import SearchDocument

TYPES = ("group", "thread", "post", "resource")
RESULTS_PER_PAGE = 20
RANK_MAX_MATCHES = 2_000
COUNT_CAP = 10_000
PEOPLE_SHOWN = 6


def search(actor: User, query: str, *, kind: str = "", page_number: Any = 1) -> dict[str, Any]:
    """Ranked results with snippets; nothing from a group the actor may not read. Fixed number of queries."""
    tokens = search_tokens(query)
    if not tokens:
        return {"tokens": [], "people": [], "people_count": 0, "page": None}
    # A listed members-only group is found by its name and description (as in the group list), its content only
    # by its readers; an unlisted group is found by nobody outside it.
    documents = SearchDocument.objects.filter(
        Q(group_id__isnull=True) | Q(group_id__in=readable_group_ids(actor))
        | Q(object_type="group", group_id__in=visible_groups(actor).values("pk"))
    )
    if kind in TYPES:
        documents = documents.filter(object_type=kind)
    # Ranking scores every match before the best can be picked: past a few thousand matches (a common
    # word in a million posts) that took over 100 ms, 4,000 matches still 70 ms: beyond 2,000, newest first.
    # Counted up to a cap: an exact count of a word in a million posts costs more than the page itself.
    count = documents_matching(documents, tokens, rank=False)[: COUNT_CAP + 1].count()
    paginator = Paginator(documents_matching(documents, tokens, rank=count <= RANK_MAX_MATCHES), RESULTS_PER_PAGE)
    paginator.count = count  # already counted: do not count again
    page = paginator.get_page(page_number)
    for document in page.object_list:
        document.snippet = snippet(document.body or document.title, tokens)  # type: ignore[attr-defined]
    people_count: int = 0
    people: list[Any] = []
    if kind in ("", "person"):
        people_count, people = directory_slice(DirectoryQuery(q=query, sort="relevance"), offset=0, limit=PEOPLE_SHOWN)
    return {"tokens": tokens, "people": people, "people_count": people_count, "page": page,
            "capped": count > COUNT_CAP}
