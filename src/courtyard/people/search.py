"""People in the global search (``courtyard.search.registry``), registered from ``PeopleConfig.ready()``.

People are not copied into the search index: the global search shows the first matches of the directory
itself, searched like the directory page (every word as a prefix, best match first), so what a member may
find of someone is exactly what the directory lets them find (``people.services.profile_search_document``
holds no hidden field).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from courtyard.people.selectors import DirectoryQuery, directory_slice
from courtyard.search.registry import Finder, finder_register

if TYPE_CHECKING:
    from courtyard.accounts.models import User


def people_found(actor: User, query: str, limit: int) -> tuple[int, list[Any]]:
    """How many people match ``query``, and the first ``limit`` of them, by relevance (the directory's rows)."""
    count, rows = directory_slice(DirectoryQuery(q=query, sort="relevance"), offset=0, limit=limit)
    return count, list(rows)


def register() -> None:
    finder_register(Finder(kind="person", key="people", find=people_found))
