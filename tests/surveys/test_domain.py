"""The pure parts of surveys: scores against hand-computed values, the anonymity rules (with the subtraction
cases), pulse rotation, answer parsing. No database."""

from __future__ import annotations

import datetime as dt
import itertools
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from courtyard.surveys.domain import anonymity, questions, rotation, scores
from courtyard.surveys.domain.anonymity import EVERYONE, Segment, segments_for, visible_segments

# --- Scores -----------------------------------------------------------------------------------------


def test_enps_is_promoters_minus_detractors_by_hand():
    # 10 answers: 9,10,10 promoters (3); 7,8 passives (2); 0,3,5,6,6 detractors (5) → 30% − 50% = −20
    counts = {9: 1, 10: 2, 7: 1, 8: 1, 0: 1, 3: 1, 5: 1, 6: 2}
    assert scores.enps(counts) == pytest.approx(-20.0)
    assert scores.enps({9: 4}) == 100.0
    assert scores.enps({6: 4}) == -100.0
    assert scores.enps({7: 3, 8: 1}) == 0.0
    assert scores.enps({}) is None


def test_favourability_counts_agree_and_strongly_agree_by_hand():
    # 8 answers: 5,5,4 favourable; 3; 2,2,1,1 → 3/8 = 37.5 %
    assert scores.favourability({5: 2, 4: 1, 3: 1, 2: 2, 1: 2}) == pytest.approx(37.5)
    assert scores.mean({5: 2, 4: 1, 3: 1, 2: 2, 1: 2}) == pytest.approx(23 / 8)
    assert scores.favourability({}) is None


def test_belonging_index_is_the_mean_favourability_of_the_belonging_items():
    # 50 %, 100 %, 0 %, 75 % favourable → 56.25
    items = [{4: 1, 2: 1}, {5: 3}, {1: 2}, {4: 3, 3: 1}]
    assert scores.belonging_index(items) == pytest.approx(56.25)
    assert scores.belonging_index([]) is None


def test_multiple_choice_masks_count_each_chosen_option():
    # two people chose options 0 and 2 (mask 0b101), one chose option 1 (0b010)
    assert scores.choice_counts({0b101: 2, 0b010: 1}, 3) == [2, 1, 2]


def test_distribution_lists_every_value_with_its_share():
    assert scores.distribution({1: 1, 3: 3}, (1, 2, 3)) == [(1, 1, 25.0), (2, 0, 0.0), (3, 3, 75.0)]


@given(st.dictionaries(st.integers(0, 10), st.integers(0, 50)))
def test_enps_stays_between_minus_100_and_100(counts):
    value = scores.enps(counts)
    if sum(counts.values()) == 0:
        assert value is None
    else:
        assert -100.0 <= value <= 100.0


# --- Dates and bands ---------------------------------------------------------------------------------


def test_tenure_bands_and_coarse_weeks():
    today = dt.date(2026, 3, 11)  # a Wednesday
    assert anonymity.tenure_band(today - dt.timedelta(days=10), today) == "new"
    assert anonymity.tenure_band(today - dt.timedelta(days=200), today) == "lt1y"
    assert anonymity.tenure_band(today - dt.timedelta(days=800), today) == "1-3y"
    assert anonymity.tenure_band(today - dt.timedelta(days=2000), today) == "3y+"
    assert anonymity.tenure_band(None, today) == "unknown"
    assert anonymity.tenure_band(today + dt.timedelta(days=3), today) == "unknown"
    assert anonymity.coarse_week(today) == dt.date(2026, 3, 9)


# --- Anonymity: the subtraction cases ----------------------------------------------------------------

ENG, PLATFORM, DATA, SALES = 1, 2, 3, 4
TREE = {ENG: {ENG, PLATFORM, DATA}, PLATFORM: {PLATFORM}, DATA: {DATA}, SALES: {SALES}}


def cells_of(spec: dict[tuple, int]) -> dict[tuple, int]:
    return dict(spec)


def test_a_small_segment_is_withheld():
    counts = {(SALES, None, "3y+"): 4, (ENG, None, "3y+"): 9}
    seen = visible_segments(segments_for(counts, TREE), counts, 5)
    assert "dept:4" not in seen.shown
    assert seen.withheld["dept:4"] == "small"


def test_a_department_minus_its_team_is_withheld_when_the_rest_is_small():
    # Engineering has 12: 10 in Platform and 2 directly in Engineering. Showing both would expose the 2.
    counts = {(PLATFORM, None, "3y+"): 10, (ENG, None, "3y+"): 2, (SALES, None, "3y+"): 8}
    seen = visible_segments(segments_for(counts, TREE), counts, 5)
    assert not ({"dept:1", "dept:2"} <= seen.shown), seen
    assert "derivable" in seen.withheld.values()
    assert EVERYONE in seen.shown


def test_everyone_minus_a_department_is_withheld_when_the_remainder_is_small():
    # 20 answered: 17 in Engineering (all in Platform), 3 in Sales. Sales is under the minimum, but
    # everyone − Engineering would reveal those 3: Engineering (or everyone) must go.
    counts = {(PLATFORM, None, "3y+"): 17, (SALES, None, "3y+"): 3}
    seen = visible_segments(segments_for(counts, TREE), counts, 5)
    assert "dept:4" in seen.withheld
    assert not ({EVERYONE, "dept:1"} <= seen.shown)
    assert not ({EVERYONE, "dept:2"} <= seen.shown)


def test_an_intersection_derivable_across_families_is_withheld():
    # Everyone is in Engineering or in Berlin, so Engineering + Berlin − everyone = Engineering ∩ Berlin (2 people).
    berlin, paris = 10, 11
    counts = {(PLATFORM, berlin, "3y+"): 2, (PLATFORM, paris, "3y+"): 8, (SALES, berlin, "3y+"): 8}
    seen = visible_segments(segments_for(counts, TREE), counts, 5)
    assert not ({EVERYONE, "dept:1", f"loc:{berlin}"} <= seen.shown)


def test_small_cells_that_cannot_be_isolated_do_not_withhold_anything():
    # Two departments × two locations with small diagonal cells: no combination isolates fewer than 5.
    a, b = 10, 11
    counts = {(PLATFORM, a, "3y+"): 2, (PLATFORM, b, "3y+"): 8, (SALES, a, "3y+"): 8, (SALES, b, "3y+"): 2}
    tree = {PLATFORM: {PLATFORM}, SALES: {SALES}}
    seen = visible_segments(segments_for(counts, tree), counts, 5)
    assert seen.shown == {EVERYONE, "dept:2", "dept:4", f"loc:{a}", f"loc:{b}", "tenure:3y+"}


def test_the_minimum_is_never_below_three():
    counts = {(SALES, None, "3y+"): 2, (ENG, None, "3y+"): 9}
    seen = visible_segments(segments_for(counts, TREE), counts, 1)
    assert "dept:4" not in seen.shown


def _in_span(vectors: list[list[int]], target: list[int]) -> bool:
    """Exact rational rank test: is target a linear combination of vectors?"""
    def rank(rows: list[list[Fraction]]) -> int:
        rows = [r[:] for r in rows]
        r = 0
        for col in range(len(rows[0]) if rows else 0):
            pivot = next((i for i in range(r, len(rows)) if rows[i][col] != 0), None)
            if pivot is None:
                continue
            rows[r], rows[pivot] = rows[pivot], rows[r]
            for i in range(len(rows)):
                if i != r and rows[i][col] != 0:
                    factor = rows[i][col] / rows[r][col]
                    rows[i] = [x - factor * y for x, y in zip(rows[i], rows[r], strict=True)]
            r += 1
        return r

    as_fractions = [[Fraction(x) for x in v] for v in vectors]
    if not as_fractions:
        return not any(target)
    return rank(as_fractions) == rank([*as_fractions, [Fraction(x) for x in target]])


populations = st.dictionaries(
    st.tuples(st.sampled_from([ENG, PLATFORM, DATA, SALES, None]), st.sampled_from([10, 11, None]),
              st.sampled_from(["new", "3y+"])),
    st.integers(1, 12),
    min_size=1, max_size=7,
)


@settings(max_examples=150, deadline=None)
@given(populations, st.integers(3, 7))
def test_no_set_smaller_than_the_minimum_can_be_derived_from_what_is_shown(counts, minimum):
    """The oracle: every union of cells with 1..minimum-1 respondents is outside the span of the shown
    segments (checked exactly with fractions), and every shown segment reaches the minimum."""
    segments = segments_for(counts, TREE)
    seen = visible_segments(segments, counts, minimum)
    shown = [s for s in segments if s.key in seen.shown]
    cells = sorted(counts, key=repr)
    for segment in shown:
        assert sum(counts[c] for c in segment.cells) >= minimum
    vectors = [[1 if c in s.cells else 0 for c in cells] for s in shown]
    for size in range(1, len(cells) + 1):
        for union in itertools.combinations(cells, size):
            total = sum(counts[c] for c in union)
            if 0 < total < minimum:
                target = [1 if c in union else 0 for c in cells]
                assert not _in_span(vectors, target), (union, seen)


@given(populations, st.integers(3, 7))
def test_visibility_is_deterministic(counts, minimum):
    segments = segments_for(counts, TREE)
    assert visible_segments(segments, counts, minimum) == visible_segments(list(segments), dict(counts), minimum)


def test_comments_need_both_floors():
    assert anonymity.comments_shown(respondents=10, comments=5, minimum=5, comment_minimum=5)
    assert not anonymity.comments_shown(respondents=10, comments=4, minimum=5, comment_minimum=5)
    assert not anonymity.comments_shown(respondents=4, comments=4, minimum=5, comment_minimum=3)
    assert not anonymity.comments_shown(respondents=10, comments=2, minimum=5, comment_minimum=1)


def test_budget_exhaustion_withholds_rather_than_shows():
    counts = {(PLATFORM, None, "3y+"): 10, (ENG, None, "3y+"): 2}
    segments = [Segment(EVERYONE, frozenset(counts)), Segment("dept:2", frozenset({(PLATFORM, None, "3y+")}))]
    assert anonymity.derivable_small_set(segments, counts, 5, budget=0) is not None


# --- Pulse rotation -----------------------------------------------------------------------------------


@given(st.lists(st.integers(1, 40), min_size=1, max_size=15, unique=True), st.integers(1, 5),
       st.lists(st.integers(41, 45), max_size=4, unique=True), st.integers(1, 12))
def test_rotation_asks_every_question_before_repeating_and_keeps_the_pinned_ones(bank, per_round, pinned, rounds):
    history: list[list[int]] = []
    for _ in range(rounds):
        chosen = rotation.next_questions(bank, history, per_round, pinned)
        assert chosen[: len(pinned)] == pinned
        rotating = chosen[len(pinned):]
        assert len(rotating) == min(per_round, len(bank))
        assert len(set(chosen)) == len(chosen)
        history.append(chosen)
    asked = [q for r in history for q in r if q not in pinned]
    first_pass = asked[: len(bank)]
    if len(asked) >= len(bank):
        assert set(first_pass) == set(bank)
    assert rotation.next_questions(bank, history, per_round, pinned) == rotation.next_questions(
        list(bank), [list(h) for h in history], per_round, list(pinned))


def test_rotation_by_hand():
    bank = [1, 2, 3, 4, 5]
    assert rotation.next_questions(bank, [], 2) == [1, 2]
    assert rotation.next_questions(bank, [[1, 2]], 2) == [3, 4]
    assert rotation.next_questions(bank, [[1, 2], [3, 4]], 2) == [5, 1]
    assert rotation.next_questions(bank, [[1, 2], [3, 4]], 2, pinned=[9]) == [9, 5, 1]


def test_next_open_skips_missed_rounds():
    start = dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC)
    assert rotation.next_open(start, 14, start) == start + dt.timedelta(days=14)
    late = start + dt.timedelta(days=30)
    assert rotation.next_open(start, 14, late) == start + dt.timedelta(days=42)


# --- Answers --------------------------------------------------------------------------------------------


def test_answers_are_parsed_per_kind():
    assert questions.parse_answer("likert", (), ["4"]) == (4, "")
    assert questions.parse_answer("enps", (), ["0"]) == (0, "")
    assert questions.parse_answer("single", ("a", "b"), ["1"]) == (1, "")
    assert questions.parse_answer("multiple", ("a", "b", "c"), ["0", "2"]) == (0b101, "")
    assert questions.parse_answer("text", (), ["  hello "]) == (None, "hello")
    assert questions.parse_answer("likert", (), []) == (None, "")


@pytest.mark.parametrize(("kind", "options", "raw"), [
    ("likert", (), ["6"]), ("likert", (), ["0"]), ("likert", (), ["x"]), ("likert", (), ["1", "2"]),
    ("enps", (), ["11"]), ("single", ("a", "b"), ["2"]), ("multiple", ("a", "b"), ["0", "0"]),
    ("multiple", ("a",), ["-1"]), ("text", (), ["x" * 2001]),
])
def test_bad_answers_are_refused_with_a_message(kind, options, raw):
    with pytest.raises(questions.AnswerError):
        questions.parse_answer(kind, options, raw)


def test_choice_questions_need_two_distinct_options():
    with pytest.raises(questions.AnswerError):
        questions.clean_options("single", ["only"])
    with pytest.raises(questions.AnswerError):
        questions.clean_options("multiple", ["a", "a"])
    assert questions.clean_options("single", [" a ", "b", ""]) == ("a", "b")
    assert questions.clean_options("likert", ["ignored"]) == ()


def test_the_belonging_set_is_the_four_statements_of_the_issue():
    assert [q.text for q in questions.BELONGING] == [
        "I feel I belong here.", "My voice is heard.", "I can be myself at work.", "I have someone to turn to."]
