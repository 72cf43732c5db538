"""Pure rules of the directory (people.domain.directory): no database."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from courtyard.people.domain import directory as d
from courtyard.search.domain.text import normalize_text


def test_search_document_includes_short_fields_but_not_the_bio():
    document = d.build_search_document(
        full_name="José Núñez", preferred_name="Pepe", email="jose.nunez_2@example.com", title="SRE",
        department_path="Engineering / Platform", team="Storage", location="Berlin",
        interests=["Rock climbing"], skills=["Kubernetes"], ask_me_about="Ceph", languages="Spanish, English",
    )
    for word in ("jose", "nunez", "pepe", "2", "sre", "platform", "storage", "berlin", "climbing", "kubernetes",
                 "ceph", "spanish"):
        assert word in document
    assert "example.com" not in document


def test_newcomer_window():
    today = dt.date(2026, 3, 15)
    assert d.is_newcomer(today, today, 90)
    assert d.is_newcomer(today - dt.timedelta(days=90), today, 90)
    assert not d.is_newcomer(today - dt.timedelta(days=91), today, 90)
    assert not d.is_newcomer(today + dt.timedelta(days=1), today, 90)
    assert not d.is_newcomer(None, today, 90)
    assert d.newcomer_since(today, 90) == dt.date(2025, 12, 15)


def test_tenure_years_counts_full_years():
    today = dt.date(2026, 3, 15)
    assert d.tenure_years(dt.date(2020, 3, 15), today) == 6
    assert d.tenure_years(dt.date(2020, 3, 16), today) == 5
    assert d.tenure_years(dt.date(2026, 3, 16), today) is None
    assert d.tenure_years(None, today) is None
    assert d.tenure_years(dt.date(2024, 2, 29), dt.date(2025, 2, 28)) == 0


def test_visible_optional_fields():
    fields = ("pronouns", "photo", "bio")
    assert d.visible_optional_fields(fields, ["photo"], viewer_sees_all=False) == {"pronouns", "bio"}
    assert d.visible_optional_fields(fields, ["photo"], viewer_sees_all=True) == set(fields)
    assert d.visible_optional_fields(fields, ["unknown"], viewer_sees_all=False) == set(fields)


def test_split_tag_names():
    assert d.split_tag_names("Climbing,  board   games , climbing, CLIMBING,,") == ["Climbing", "board games"]
    assert d.split_tag_names(["Café", "cafe", " "]) == ["Café"]
    assert d.split_tag_names("x" * 100) == ["x" * 60]
    assert len(d.split_tag_names([f"t{i}" for i in range(50)])) == 30


def test_slugify_tag():
    assert d.slugify_tag("Rock climbing") == d.slugify_tag("rock-climbing") == "rock-climbing"
    assert d.slugify_tag("C++") == "c"
    assert d.slugify_tag("Über  Café!") == "uber-cafe"
    assert d.slugify_tag("!!!") == "tag"
    assert len(d.slugify_tag("a" * 200)) == 80


@given(st.lists(st.text(max_size=30), max_size=40))
def test_split_tag_names_never_returns_case_or_accent_duplicates(items):
    names = d.split_tag_names(items)
    keys = [normalize_text(n) for n in names]
    assert len(keys) == len(set(keys))
    assert all(n and n == " ".join(n.split()) and len(n) <= 60 for n in names)
    assert len(names) <= 30
