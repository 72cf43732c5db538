"""Search providers: how the apps above search tell it what to index and who may find it.

Search sits low in the stack (above accounts and core) and imports none of the apps whose content it finds.
Each app describes its own things in its ``<app>/search.py`` and registers them from its ``apps.py``
``ready()``:

- a ``DocumentProvider`` per document type (``"thread"``, ``"event"``...): how to describe one object as a
  ``Document``, how to list every live object for a rebuild (an iterator over bulk, batched queries), whether
  an object belongs in the index now, and who may read the documents of this type (``readable(actor)``: a
  ``Q`` over ``SearchDocument`` rows, evaluated in the database so a search stays one query whatever the
  number of documents);
- a ``Finder`` for a section of results that lives outside the index (people are found in the directory,
  under the directory's own rules, and shown beside the documents).

Providers that share one ``readable`` function are asked once per search and share one condition.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from django.db.models import Q

if TYPE_CHECKING:
    from courtyard.accounts.models import User


@dataclasses.dataclass(frozen=True)
class Document:
    """What the index keeps of one object. ``group_id`` is only stored for ``readable`` to use."""

    title: str
    body: str
    url: str
    created_at: dt.datetime
    group_id: int | None = None
    author_id: int | None = None
    extra: str = ""  # words that find the document without being shown (tags, a place, a link)
    title_counts: bool = True  # False: the title is borrowed (a reply shows its discussion's) and finds nothing


@dataclasses.dataclass(frozen=True)
class DocumentProvider:
    object_type: str  # stored in SearchDocument.object_type (at most 20 characters)
    document: Callable[[Any], Document]
    live_objects: Callable[[], Iterable[Any]]  # every object that belongs in the index, fetched in batches
    is_live: Callable[[Any], bool]  # whether this object belongs in the index now
    readable: Callable[[User], Q]  # the SearchDocument rows of this type ``actor`` may find


@dataclasses.dataclass(frozen=True)
class Finder:
    """A section of results found outside the index: ``find(actor, query, limit)`` -> (count, first rows).

    The search result carries the rows as ``result[key]`` and the count as ``result[key + "_count"]``; the
    section is shown for "everything" and for its own ``kind``.
    """

    kind: str
    key: str
    find: Callable[[User, str, int], tuple[int, list[Any]]]


_providers: dict[str, DocumentProvider] = {}
_finders: dict[str, Finder] = {}


def provider_register(provider: DocumentProvider) -> None:
    """Register a document type (from an app's ``ready()``); registering the same type again replaces it."""
    if len(provider.object_type) > 20:
        raise ValueError(f"search document type too long: {provider.object_type!r}")
    _providers[provider.object_type] = provider


def finder_register(finder: Finder) -> None:
    _finders[finder.kind] = finder


def provider_for(object_type: str) -> DocumentProvider:
    try:
        return _providers[object_type]
    except KeyError:
        raise LookupError(f"no search provider for {object_type!r}") from None


def providers() -> list[DocumentProvider]:
    """Every registered provider, in registration order (the apps' order in INSTALLED_APPS)."""
    return list(_providers.values())


def finders() -> list[Finder]:
    return list(_finders.values())


def readable_documents(actor: User, object_types: Iterable[str] | None = None) -> Q:
    """The SearchDocument rows ``actor`` may find, among ``object_types`` (default: every registered type).

    One condition per distinct ``readable`` function, each limited to its types; a row of a type nobody
    registered is found by nobody. No query runs here: the conditions become part of the search's SQL.
    """
    wanted = providers() if object_types is None else [provider_for(t) for t in object_types]
    by_rule: dict[Callable[[User], Q], list[str]] = {}
    for provider in wanted:
        by_rule.setdefault(provider.readable, []).append(provider.object_type)
    condition: Q | None = None
    for readable, types in by_rule.items():
        of_types = Q(object_type=types[0]) if len(types) == 1 else Q(object_type__in=types)
        rule = of_types & readable(actor)
        condition = rule if condition is None else condition | rule
    return condition if condition is not None else Q(pk__in=[])
