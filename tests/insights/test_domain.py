"""The insights arithmetic as pure functions: hand-computed cases and properties (no database)."""

from __future__ import annotations

import datetime as dt

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from courtyard.insights.domain import metrics, network, newcomers, periods

# --- E-I index ---------------------------------------------------------------------------------


def test_ei_index_hand_computed():
    assert network.ei_index(external=0, internal=10) == -1
    assert network.ei_index(external=10, internal=0) == 1
    assert network.ei_index(external=3, internal=1) == pytest.approx(0.5)
    assert network.ei_index(external=0, internal=0) is None


def test_ties_by_department_hand_computed():
    # Sales: 4 ties inside, 2 to Engineering (as recorded one way), 1 from Finance → E=3, I=4 → −1/7.
    pairs = {("S", "S"): 4, ("S", "E"): 2, ("F", "S"): 1, ("E", "E"): 1}
    ties = network.ties_by_group(pairs)
    assert ties["S"].internal == 4
    assert ties["S"].external == 3
    assert ties["S"].ei == pytest.approx(-1 / 7)
    assert ties["E"].ei == pytest.approx((2 - 1) / 3)
    assert ties["F"].ei == 1
    # The organization counts each tie once: E = 3, I = 5.
    assert network.overall_ei(pairs) == pytest.approx((3 - 5) / 8)


@given(st.dictionaries(st.tuples(st.sampled_from("ABCD"), st.sampled_from("ABCD")), st.integers(1, 20), max_size=12))
def test_ei_is_between_minus_one_and_one(pairs):
    for ties in network.ties_by_group(pairs).values():
        assert ties.ei is None or -1 <= ties.ei <= 1
    overall = network.overall_ei(pairs)
    assert overall is None or -1 <= overall <= 1


def test_density_is_normalized_by_size_and_symmetric():
    pairs = {("A", "B"): 6, ("B", "A"): 2, ("A", "A"): 3}
    density = network.density_matrix(pairs, {"A": 4, "B": 2, "C": 1})
    assert density[("A", "B")] == pytest.approx(8 / (4 * 2))
    assert density[("B", "A")] == density[("A", "B")]
    assert density[("A", "A")] == pytest.approx(3 / 6)  # 4 people: 6 possible pairs
    assert density[("C", "C")] is None  # a department of one has no pair inside
    assert density[("A", "C")] == 0


# --- Modularity, checked against networkx -----------------------------------------------------

edge_lists = st.lists(
    st.tuples(st.integers(0, 11), st.integers(0, 11), st.integers(1, 5)), min_size=1, max_size=40
).filter(lambda edges: any(a != b for a, b, _w in edges))


def graph_of(edges):
    folded = {}
    for a, b, w in edges:
        if a != b:
            key = (min(a, b), max(a, b))
            folded[key] = folded.get(key, 0) + w
    graph = nx.Graph()
    for (a, b), w in folded.items():
        graph.add_edge(a, b, weight=w)
    return folded, graph


@settings(max_examples=150)
@given(edges=edge_lists, parts=st.integers(1, 4))
def test_modularity_equals_networkx(edges, parts):
    folded, graph = graph_of(edges)
    partition = {node: node % parts for node in graph.nodes}
    communities = [{n for n in graph.nodes if partition[n] == p} for p in range(parts)]
    communities = [c for c in communities if c]
    expected = nx.community.modularity(graph, communities, weight="weight")
    assert network.modularity(folded, partition) == pytest.approx(expected)


@settings(max_examples=150)
@given(edges=edge_lists, parts=st.integers(1, 4))
def test_block_modularity_equals_member_level_modularity(edges, parts):
    """The department partition's modularity from department × department weights alone is the member-level value."""
    folded, graph = graph_of(edges)
    department = {node: node % parts for node in graph.nodes}
    blocks = {}
    for (a, b), w in folded.items():
        key = (department[a], department[b])
        blocks[key] = blocks.get(key, 0) + w
    assert network.block_modularity(blocks) == pytest.approx(network.modularity(folded, department))


def test_modularity_hand_computed():
    # Two triangles joined by one edge, split into the triangles: Q = 2·(3/7 − (7/14)²) = 5/14.
    edges = {(0, 1): 1, (1, 2): 1, (0, 2): 1, (3, 4): 1, (4, 5): 1, (3, 5): 1, (2, 3): 1}
    partition = {0: "a", 1: "a", 2: "a", 3: "b", 4: "b", 5: "b"}
    assert network.modularity(edges, partition) == pytest.approx(5 / 14)
    assert network.modularity({}, {}) is None


def test_detected_communities_are_deterministic_and_find_the_triangles():
    edges = {(0, 1): 3, (1, 2): 3, (0, 2): 3, (3, 4): 3, (4, 5): 3, (3, 5): 3, (2, 3): 1}
    first = network.communities(edges, seed=7)
    assert first == network.communities(dict(reversed(list(edges.items()))), seed=7)
    assert sorted(map(sorted, first)) == [[0, 1, 2], [3, 4, 5]]
    assert network.modularity(edges, network.partition_of(first)) > 0.4


@settings(max_examples=40, deadline=None)
@given(edges=edge_lists, seed=st.integers(0, 5))
def test_detected_communities_partition_the_nodes(edges, seed):
    folded, graph = graph_of(edges)
    found = network.communities(folded, seed=seed)
    assert sorted(n for c in found for n in c) == sorted(graph.nodes)
    assert found == network.communities(folded, seed=seed)


def test_few_outside_ties_lists_the_inward_departments_first():
    ties = network.ties_by_group({("A", "A"): 10, ("B", "B"): 2, ("B", "C"): 8, ("A", "C"): 1})
    sizes = {"A": 5, "B": 5, "C": 3, "D": 4, "E": 1}
    # D has no ties at all (most isolated), A: E-I = (1-10)/11; B and C cross a lot; E is a department of one.
    assert network.few_outside_ties(ties, sizes) == ["D", "A"]
    # Where everyone crosses a lot, a department well below the organization's E-I is inward too.
    pairs = {("A", "B"): 20, ("B", "D"): 20, ("A", "D"): 20, ("C", "C"): 5, ("A", "C"): 5}
    overall = network.overall_ei(pairs)
    assert overall == pytest.approx(60 / 70)
    sizes = {"A": 3, "B": 3, "C": 3, "D": 3}
    assert network.few_outside_ties(network.ties_by_group(pairs), sizes, overall=overall) == ["C"]  # E-I 0
    assert network.few_outside_ties(network.ties_by_group(pairs), sizes) == []


def test_circle_layout():
    points = network.circle_layout(4, radius=10, centre=50)
    assert points == [(50.0, 40.0), (60.0, 50.0), (50.0, 60.0), (40.0, 50.0)]


# --- Rates, medians, changes, goals, suppression -----------------------------------------------


def test_conversion_and_rates():
    assert metrics.conversion(rsvped=8, attended_of_rsvped=6) == 0.75
    assert metrics.conversion(rsvped=0, attended_of_rsvped=0) is None
    with pytest.raises(ValueError, match="more RSVPs"):
        metrics.conversion(rsvped=1, attended_of_rsvped=2)
    assert metrics.capped_ratio(12, 10) == 1.0
    assert metrics.ratio(1, 0) is None


def test_reply_stats_hand_computed():
    t = dt.datetime(2025, 3, 3, 9, tzinfo=dt.UTC)
    stats = metrics.reply_stats([
        (t, t + dt.timedelta(hours=2)), (t, t + dt.timedelta(hours=6)), (t, None), (t, t + dt.timedelta(hours=1)),
    ])
    assert (stats.threads, stats.replied) == (4, 3)
    assert stats.rate == 0.75
    assert stats.median_hours == 2.0
    assert metrics.reply_stats([]).rate is None
    assert metrics.median([1, 4]) == 2.5


def test_change_direction():
    assert metrics.Change(3, 2).direction == "up"
    assert metrics.Change(2, 3).direction == "down"
    assert metrics.Change(2, 2).direction == "flat"
    assert metrics.Change(None, 2).direction == "none"
    assert metrics.Change(3, 2).relative == 0.5


def test_goal_progress_up_and_down():
    assert metrics.goal_progress(baseline=0.4, current=0.5, target=0.6) == pytest.approx(0.5)
    assert metrics.goal_progress(baseline=10, current=7, target=4, rising=False) == pytest.approx(0.5)  # hours down
    assert metrics.goal_progress(baseline=10, current=12, target=4, rising=False) == 0
    assert metrics.goal_progress(baseline=0.4, current=0.3, target=0.6) == 0
    assert metrics.goal_progress(baseline=0.4, current=0.9, target=0.6) == 1
    # Already past the target when it was set, and still past it: met.
    assert metrics.goal_progress(baseline=1.0, current=1.0, target=0.6) == 1
    assert metrics.goal_progress(baseline=1.0, current=0.3, target=0.6) == pytest.approx(0.5)
    assert metrics.goal_progress(baseline=None, current=0.3, target=0.6) == pytest.approx(0.5)
    assert metrics.goal_progress(baseline=None, current=5, target=4, rising=False) == 0
    assert metrics.goal_progress(baseline=0.4, current=None, target=0.6) is None
    assert metrics.goal_met(current=4, target=4, rising=False)


@given(st.floats(0, 100), st.floats(0, 100), st.floats(0.1, 100), st.booleans())
def test_goal_progress_is_a_share_and_one_exactly_when_met(baseline, current, target, rising):
    progress = metrics.goal_progress(baseline=baseline, current=current, target=target, rising=rising)
    assert 0 <= progress <= 1
    if metrics.goal_met(current=current, target=target, rising=rising):
        assert progress == 1


def test_suppress_withholds_small_cells_and_one_more():
    shown = metrics.suppress({"A": 12, "B": 3, "C": 7, "D": 0}, minimum=5)
    # B is below 5; alone it could be found by subtraction from the total, so the next smallest (C) goes too.
    assert shown == {"A": 12, "B": None, "C": None, "D": 0}
    assert metrics.suppress({"A": 2, "B": 1, "C": 9}, minimum=5) == {"A": None, "B": None, "C": 9}


def test_a_group_smaller_than_the_minimum_is_withheld_even_at_zero():
    # "0" for a one-person department would say that person did not answer.
    shown = metrics.suppress({"A": 12, "B": 0, "C": 7, "D": 0}, minimum=5, small_groups={"B"})
    assert shown == {"A": 12, "B": None, "C": None, "D": 0}  # and C, or B's 0 = total - A - C
    shown = metrics.suppress({"A": 12, "B": 1, "C": 7}, minimum=5, small_groups={"B"})
    assert shown == {"A": 12, "B": None, "C": None}


@given(
    st.dictionaries(st.sampled_from("ABCDEFG"), st.integers(0, 30), min_size=1),
    st.integers(3, 8),
    st.sets(st.sampled_from("ABCDEFG")),
)
def test_suppression_never_shows_a_small_cell_nor_leaves_one_recoverable(counts, minimum, small_groups):
    shown = metrics.suppress(counts, minimum, small_groups=small_groups)
    withheld = [k for k, v in shown.items() if v is None]
    for key, value in shown.items():
        assert value is None or value == 0 or value >= minimum
        assert value is None or key not in small_groups
    # A lone withheld cell would be recovered from the total (even a small group's 0).
    assert len(withheld) != 1 or all(v == 0 for k, v in counts.items() if k not in withheld)


# --- Periods --------------------------------------------------------------------------------------


def test_periods():
    day = dt.date(2025, 5, 14)  # a Wednesday
    assert periods.period_of("week", day) == periods.Period(dt.date(2025, 5, 12), dt.date(2025, 5, 18), "week")
    assert periods.period_of("month", day).end == dt.date(2025, 5, 31)
    quarter = periods.period_of("quarter", day)
    assert (quarter.start, quarter.end) == (dt.date(2025, 4, 1), dt.date(2025, 6, 30))
    assert periods.previous(quarter).start == dt.date(2025, 1, 1)
    assert periods.previous(periods.period_of("month", dt.date(2025, 3, 3))).days == 28
    custom = periods.custom(dt.date(2025, 5, 1), dt.date(2025, 5, 10))
    assert periods.previous(custom) == periods.Period(dt.date(2025, 4, 21), dt.date(2025, 4, 30), "custom")
    assert [p.start for p in periods.recent(periods.period_of("month", day), 3)] == [
        dt.date(2025, 3, 1), dt.date(2025, 4, 1), dt.date(2025, 5, 1)]
    with pytest.raises(periods.PeriodError):
        periods.custom(dt.date(2025, 5, 2), dt.date(2025, 5, 1))
    with pytest.raises(periods.PeriodError):
        periods.parse("custom", "2025-01-01", "2026-06-01", today=day)
    with pytest.raises(periods.PeriodError):
        periods.parse("month", "yesterday", today=day)


def test_month_masks():
    masks = periods.month_masks(dt.date(2025, 1, 30), dt.date(2025, 2, 2))
    assert masks == {dt.date(2025, 1, 1): (1 << 29) | (1 << 30), dt.date(2025, 2, 1): 0b11}


@given(st.dates(dt.date(2001, 1, 1), dt.date(2098, 12, 31)), st.sampled_from(["week", "month", "quarter"]))
def test_natural_periods_tile_the_calendar(day, kind):
    period = periods.period_of(kind, day)
    assert period.contains(day)
    before = periods.previous(period)
    assert before.end + dt.timedelta(days=1) == period.start
    assert before.kind == kind
    masks = periods.month_masks(period.start, period.end)
    assert sum(bin(m).count("1") for m in masks.values()) == period.days


# --- Newcomer integration -------------------------------------------------------------------------


def test_newcomer_integration_hand_computed():
    start = dt.date(2025, 1, 1)
    today = dt.date(2025, 3, 15)  # day 73: milestones 30 and 60 are due, 90 is not
    people = [
        newcomers.Newcomer(start, [start + dt.timedelta(days=d) for d in (4, 10, 25, 70)]),  # 3 by day 30
        newcomers.Newcomer(start, [start + dt.timedelta(days=d) for d in (12, 40, 55)]),  # 3 by day 60
        newcomers.Newcomer(start, []),  # none yet
        newcomers.Newcomer(dt.date(2025, 3, 1), [dt.date(2025, 3, 3)]),  # started 14 days ago
    ]
    result = newcomers.integration(people, today=today)
    assert result.newcomers == 4
    assert result.connected == 3
    assert result.median_days_to_first == 4  # days 4, 12 and 2
    assert (result.milestone(30).eligible, result.milestone(30).reached) == (3, 1)
    assert (result.milestone(60).eligible, result.milestone(60).reached) == (3, 2)
    assert result.milestone(90).eligible == 0
    assert result.milestone(90).share is None


@given(st.lists(st.integers(0, 120), max_size=8), st.integers(0, 200))
def test_connections_never_decrease_with_time(days, today_offset):
    start = dt.date(2025, 1, 1)
    newcomer = newcomers.Newcomer(start, [start + dt.timedelta(days=d) for d in days])
    counts = [newcomers.connections_by(newcomer, n) for n in (30, 60, 90)]
    assert counts == sorted(counts)
    first = newcomers.days_to_first(newcomer)
    assert first is None or first == min(days)


def test_community_departments_add_up_under_the_level_shown():
    from courtyard.insights.selectors.silo import _community_shown

    # Two sub-departments of Sales (11, 12) and one of Engineering (21), shown at the top level: Sales' two
    # sub-departments of 2 each add up to 4 and are named; Engineering's 2 stay below the floor (only
    # counted), and so does the member without a department.
    unit = {11: 1, 12: 1, 21: 2}
    names = {1: "Sales", 2: "Engineering"}
    community = {"size": 7, "departments": [(21, 2), (11, 2), (12, 2), (None, 1)]}
    assert _community_shown(community, unit, names) == {
        "size": 7, "departments": [("Sales", 4)], "other_departments": 2,
    }
