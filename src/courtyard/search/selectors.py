"""Search across everything a member may see: what the providers index (groups, discussions, replies, library
items, events) and what finders find beside it (people). See ``courtyard.search.registry``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.paginator import Paginator

from courtyard.search.backend import documents_matching
from courtyard.search.domain.snippets import snippet
from courtyard.search.domain.text import search_tokens
from courtyard.search.models import SearchDocument
from courtyard.search.registry import finders, providers, readable_documents

if TYPE_CHECKING:
    from courtyard.accounts.models import User

RESULTS_PER_PAGE = 20
RANK_MAX_MATCHES = 2_000
COUNT_CAP = 10_000
SECTION_SHOWN = 6  # rows of each finder's section (people)


def search(actor: User, query: str, *, kind: str = "", page_number: Any = 1) -> dict[str, Any]:
    """Ranked results with snippets; nothing from a group the actor may not read. Fixed number of queries."""
    tokens = search_tokens(query)
    if not tokens:
        return {"tokens": [], **_sections(actor, query, kind=None), "page": None}
    # Each type's provider says who may find its documents (for groups: a listed members-only group is found
    # by its name and description, its content only by its readers; an unlisted group by nobody outside it).
    types = [kind] if kind in {p.object_type for p in providers()} else None
    documents = SearchDocument.objects.filter(readable_documents(actor, types))
    # Ranking scores every match before the best can be picked: past a few thousand matches (a common
    # word in a million posts) that took over 100 ms, 4,000 matches still 70 ms: beyond 2,000, newest first.
    # Counted up to a cap: an exact count of a word in a million posts costs more than the page itself.
    count = documents_matching(documents, tokens, rank=False)[: COUNT_CAP + 1].count()
    paginator = Paginator(documents_matching(documents, tokens, rank=count <= RANK_MAX_MATCHES), RESULTS_PER_PAGE)
    paginator.count = count  # already counted: do not count again
    page = paginator.get_page(page_number)
    for document in page.object_list:
        document.snippet = snippet(document.body or document.title, tokens)  # type: ignore[attr-defined]
    return {"tokens": tokens, **_sections(actor, query, kind=kind), "page": page, "capped": count > COUNT_CAP}


def _sections(actor: User, query: str, *, kind: str | None) -> dict[str, Any]:
    """Each finder's rows (``result[key]``) and count (``result[key + "_count"]``): found for "everything" and
    for the finder's own kind, empty otherwise (``kind=None``: for nobody)."""
    sections: dict[str, Any] = {}
    for finder in finders():
        count, rows = finder.find(actor, query, SECTION_SHOWN) if kind in ("", finder.kind) else (0, [])
        sections[finder.key] = rows
        sections[f"{finder.key}_count"] = count
    return sections
