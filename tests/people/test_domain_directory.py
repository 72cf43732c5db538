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


# --- interests on a directory card ----------------------------------------------------------------------

TAGS = [("Jazz", "jazz"), ("Chess", "chess"), ("Go", "go"), ("Baking", "baking"), ("Rock climbing", "rock-climbing")]


def test_card_tags_without_a_match_keep_the_order_and_the_limit():
    assert d.card_tags(TAGS, interest="", words=[]) == [(0, False), (1, False), (2, False), (3, False)]


def test_card_tags_put_the_filtered_interest_first_even_past_the_limit():
    assert d.card_tags(TAGS, interest="rock-climbing", words=[]) == [(4, True), (0, False), (1, False), (2, False)]


def test_card_tags_match_searched_words_as_prefixes_of_any_word_of_the_tag():
    # "climb" finds "Rock climbing" as the full-text search does; "ock" is not a prefix of any word.
    assert d.card_tags(TAGS, interest="", words=["climb"])[0] == (4, True)
    assert all(not matched for _i, matched in d.card_tags(TAGS, interest="", words=["ock"]))
    assert d.card_tags([("Café culture", "cafe-culture")], interest="", words=["cafe"]) == [(0, True)]
    assert [i for i, _m in d.card_tags(TAGS, interest="go", words=["jaz"], limit=2)] == [0, 2]


# --- the time-zone menu ---------------------------------------------------------------------------------


def test_canonical_timezones_drop_aliases():
    available = ["UTC", "GMT", "EST", "Cuba", "Etc/GMT+5", "US/Eastern", "SystemV/EST5", "Canada/Pacific",
                 "Europe/Berlin", "America/New_York", "Asia/Calcutta", "Asia/Kolkata", "posix/Europe/Berlin"]
    assert d.canonical_timezones(available) == ["America/New_York", "Asia/Calcutta", "Asia/Kolkata", "Europe/Berlin", "UTC"]
    # With the time-zone database's list for people, old names such as Asia/Calcutta go too.
    listed = ["Europe/Berlin", "America/New_York", "Asia/Kolkata"]
    assert d.canonical_timezones(available, listed) == ["America/New_York", "Asia/Kolkata", "Europe/Berlin", "UTC"]


def test_timezone_menu_puts_the_most_used_then_well_known_zones_first_once():
    canonical = ["America/New_York", "Asia/Tokyo", "Europe/Berlin", "Europe/Lisbon", "Pacific/Fiji", "UTC"]
    common, others = d.timezone_menu(canonical, ["Europe/Lisbon", "US/Eastern", "Europe/Berlin"], size=4)
    # An alias in use is not offered (the member keeps it); the rest of the well-known list fills the menu.
    assert common == ["Europe/Lisbon", "Europe/Berlin", "UTC", "America/New_York"]
    assert others == ["Asia/Tokyo", "Pacific/Fiji"]
    assert sorted(common + others) == sorted(canonical)
