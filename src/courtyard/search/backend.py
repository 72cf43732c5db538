"""Full-text matching and ranking on SearchDocument, in each database's own way (see models.py)."""

from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet

from courtyard.people.domain.directory import fts5_match_expression, tsquery_expression
from courtyard.search.models import SearchDocument

PG_VECTOR = '"search_searchdocument"."search_vector"'


def documents_matching(
    queryset: QuerySet[SearchDocument], tokens: list[str], *, rank: bool = True
) -> QuerySet[SearchDocument]:
    """Documents containing every word (as a prefix), best first then newest; or newest first (rank=False)."""
    if not rank:
        return _matching_only(queryset, tokens).order_by("-created_at", "-id")
    if connection.vendor == "postgresql":
        expression = tsquery_expression(tokens)
        return queryset.extra(  # noqa: S610 - bound parameters
            select={"rank": f"ts_rank({PG_VECTOR}, to_tsquery('simple'::regconfig, %s))"},
            select_params=[expression],
            where=[f"{PG_VECTOR} @@ to_tsquery('simple'::regconfig, %s)"],
            params=[expression],
            order_by=["-rank", "-created_at", "-id"],
        )
    return queryset.extra(
        select={"rank": "-bm25(search_searchdocument_fts)"},
        tables=["search_searchdocument_fts"],
        where=["search_searchdocument_fts.rowid = search_searchdocument.id", "search_searchdocument_fts MATCH %s"],
        params=[fts5_match_expression(tokens)],
        order_by=["-rank", "-created_at", "-id"],
    )


def _matching_only(queryset: QuerySet[SearchDocument], tokens: list[str]) -> QuerySet[SearchDocument]:
    if connection.vendor == "postgresql":
        return queryset.extra(  # noqa: S610 - bound parameters
            where=[f"{PG_VECTOR} @@ to_tsquery('simple'::regconfig, %s)"], params=[tsquery_expression(tokens)]
        )
    return queryset.extra(
        where=["search_searchdocument.id IN (SELECT rowid FROM search_searchdocument_fts WHERE search_searchdocument_fts MATCH %s)"],
        params=[fts5_match_expression(tokens)],
    )
