"""How search folds and matches text (search.domain.text): pure, shared by the global search and the directory."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from courtyard.search.domain import text as t


def test_normalize_text_drops_accents_and_case():
    assert t.normalize_text("José Núñez ZOË ﬁle") == "jose nunez zoe file"
    assert t.normalize_text("") == ""
    assert t.normalize_text(None) == ""  # type: ignore[arg-type]


def test_search_tokens_keep_words_only_and_cap_their_number():
    assert t.search_tokens('  "Rock"  AND  climbing* -x ') == ["rock", "and", "climbing", "x"]
    assert t.search_tokens("'); DROP TABLE people;--") == ["drop", "table", "people"]
    assert len(t.search_tokens(" ".join(f"w{i}" for i in range(20)))) == t.MAX_QUERY_TOKENS


def test_match_expressions_quote_every_token_as_a_prefix():
    assert t.fts5_match_expression(["clim", "jose"]) == '"clim"* AND "jose"*'
    assert t.tsquery_expression(["clim", "jose"]) == "clim:* & jose:*"


@given(st.text(max_size=200))
def test_tokens_are_always_safe_for_the_match_syntax(text):
    for token in t.search_tokens(text):
        assert token
        assert '"' not in token
        assert "*" not in token
        assert ":" not in token
        assert "&" not in token
        assert " " not in token


def test_a_document_counts_its_own_title_twice_and_a_borrowed_one_not_at_all():
    assert t.document_search_text(title="Crème", body="Brûlée", extra="Tag") == "creme creme tag brulee"
    assert t.document_search_text(title="Crème", body="Brûlée", title_counts=False).split() == ["brulee"]
