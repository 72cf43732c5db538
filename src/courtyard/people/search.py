"""Full-text search over ``Profile.search_document``, indexed by the database itself.

SQLite: an FTS5 table kept in sync by triggers (migration 0002). PostgreSQL: a GIN index on
``to_tsvector('simple', search_document)`` (same migration). Both match every word as a prefix.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet

from courtyard.people.domain.directory import fts5_match_expression, search_tokens, tsquery_expression
from courtyard.people.models import Profile

PG_VECTOR = "to_tsvector('simple'::regconfig, \"people_profile\".\"search_document\")"


def profiles_matching(queryset: QuerySet[Profile], query: str, *, rank: bool) -> QuerySet[Profile]:
    """Narrow ``queryset`` to profiles matching the words of ``query``; ordered by relevance if ``rank``."""
    tokens = search_tokens(query)
    if not tokens:
        return queryset
    if connection.vendor == "postgresql":
        expression = tsquery_expression(tokens)
        queryset = queryset.extra(  # noqa: S610 - parameters are bound, never interpolated
            where=[f"{PG_VECTOR} @@ to_tsquery('simple'::regconfig, %s)"], params=[expression]
        )
        if rank:
            queryset = queryset.extra(  # noqa: S610
                select={"search_rank": f"ts_rank({PG_VECTOR}, to_tsquery('simple'::regconfig, %s))"},
                select_params=[expression],
                order_by=["-search_rank", "full_name", "id"],
            )
        return queryset
    expression = fts5_match_expression(tokens)
    queryset = queryset.extra(
        where=["people_profile.id IN (SELECT rowid FROM people_profile_fts WHERE people_profile_fts MATCH %s)"],
        params=[expression],
    )
    if rank:
        queryset = queryset.extra(
            select={
                "search_rank": "(SELECT -bm25(people_profile_fts) FROM people_profile_fts"
                " WHERE people_profile_fts MATCH %s AND rowid = people_profile.id)"
            },
            select_params=[expression],
            order_by=["-search_rank", "full_name", "id"],
        )
    return queryset
