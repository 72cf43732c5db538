"""How text is searched, as pure functions: the same rules for the global search and the people directory.

Stored text and queries are both folded the same way (lower case, accents dropped), so "José" is found by
"jose". A query becomes at most ``MAX_QUERY_TOKENS`` words, each matched as a prefix and all required; the
match expressions are built from words only (``\\w+``), so nothing a member types can reach the database's
query syntax.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

TOKEN_RE = re.compile(r"\w+", re.UNICODE)
MAX_QUERY_TOKENS = 8


def normalize_text(text: str) -> str:
    """Lower case without accents, so that "José" is found by "jose"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def search_tokens(query: str) -> list[str]:
    """The words of a free-text query, normalized; punctuation and operators are dropped."""
    return TOKEN_RE.findall(normalize_text(query))[:MAX_QUERY_TOKENS]


def fts5_match_expression(tokens: Sequence[str]) -> str:
    """SQLite FTS5: every word must match, each as a prefix ("clim" finds "climbing")."""
    return " AND ".join(f'"{token}"*' for token in tokens)


def tsquery_expression(tokens: Sequence[str]) -> str:
    """PostgreSQL ``to_tsquery``: the same rule as ``fts5_match_expression``."""
    return " & ".join(f"{token}:*" for token in tokens)


def document_search_text(*, title: str, body: str, extra: str = "", title_counts: bool = True) -> str:
    """The normalized text a search document is matched on.

    The title counts twice, so that a word in it ranks above the same word deep in a text. A document whose
    title is borrowed (a reply shows its discussion's title) sets ``title_counts=False``: it is found by its
    own words only.
    """
    title_words = [title, title] if title_counts else []
    return normalize_text(" ".join([*title_words, extra, body]))
