"""Full-text matching and ranking in each database's own way: the one place that writes that SQL.

Two tables are searched this way: ``SearchDocument`` (the global search, see models.py) and people's
``Profile`` (the directory). Each names its index with a ``FullTextIndex``: on SQLite an FTS5 table whose
``rowid`` is the row's id, kept in sync by triggers; on PostgreSQL a stored ``tsvector`` column with a GIN
index. Both match every word as a prefix (``courtyard.search.domain.text``). Parameters are always bound,
never interpolated: only the table and column names, which are constants of the code, are in the SQL text.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Model, QuerySet

from courtyard.search.domain.text import fts5_match_expression, tsquery_expression
from courtyard.search.models import SearchDocument

M = TypeVar("M", bound=Model)


@dataclasses.dataclass(frozen=True)
class FullTextIndex:
    table: str  # the model's table
    fts_table: str  # SQLite: the FTS5 table over it (rowid = the row's id)
    vector_column: str  # PostgreSQL: the stored tsvector column of ``table``

    @property
    def pg_vector(self) -> str:
        return f'"{self.table}"."{self.vector_column}"'


DOCUMENTS = FullTextIndex(table="search_searchdocument", fts_table="search_searchdocument_fts",
                          vector_column="search_vector")


def fulltext_filter(
    queryset: QuerySet[M],
    tokens: Sequence[str],
    *,
    index: FullTextIndex,
    rank_as: str | None = None,
    order_by: Sequence[str] = (),
    already_matched: bool = False,
) -> QuerySet[M]:
    """Narrow ``queryset`` to rows containing every token (as a prefix); with ``rank_as``, also rank them.

    Without ``rank_as``: only the rows that match (SQLite: ``id IN`` the FTS5 matches; PostgreSQL: ``@@``).
    With ``rank_as``: the relevance as that extra column (bm25 on SQLite, ts_rank on PostgreSQL; higher is
    better) and ``order_by`` applied. SQLite joins the FTS5 table to read bm25, which also narrows; a correlated
    subquery per row re-ran the MATCH for every match (about 0.2 ms each). ``already_matched``: the queryset was
    narrowed by this function before (to be counted first), so PostgreSQL need not test ``@@`` a second time.
    """
    tokens = list(tokens)
    if connection.vendor == "postgresql":
        expression = tsquery_expression(tokens)
        tsquery = "to_tsquery('simple'::regconfig, %s)"
        pg: dict[str, Any] = {}
        if rank_as is not None:
            pg.update(select={rank_as: f"ts_rank({index.pg_vector}, {tsquery})"}, select_params=[expression],
                      order_by=list(order_by))
        if rank_as is None or not already_matched:
            pg.update(where=[f"{index.pg_vector} @@ {tsquery}"], params=[expression])
        return queryset.extra(**pg)
    match = fts5_match_expression(tokens)
    if rank_as is None:
        return queryset.extra(  # noqa: S610 - parameters are bound, never interpolated
            # Only constant table names are interpolated; the match expression is a bound parameter.
            where=[f"{index.table}.id IN (SELECT rowid FROM {index.fts_table} WHERE {index.fts_table} MATCH %s)"],  # noqa: S608
            params=[match],
        )
    return queryset.extra(  # noqa: S610 - parameters are bound, never interpolated
        select={rank_as: f"-bm25({index.fts_table})"},
        tables=[index.fts_table],
        where=[f"{index.fts_table}.rowid = {index.table}.id", f"{index.fts_table} MATCH %s"],
        params=[match],
        order_by=list(order_by),
    )


def documents_matching(
    queryset: QuerySet[SearchDocument], tokens: list[str], *, rank: bool = True
) -> QuerySet[SearchDocument]:
    """Documents containing every word (as a prefix), best first then newest; or newest first (rank=False)."""
    if not rank:
        return fulltext_filter(queryset, tokens, index=DOCUMENTS).order_by("-created_at", "-id")
    return fulltext_filter(queryset, tokens, index=DOCUMENTS, rank_as="rank", order_by=["-rank", "-created_at", "-id"])
