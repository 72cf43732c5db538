"""Reads for insights: KPIs, the silo map, goals and one's own activity — from the rollups only.

One module per page family: ``dashboard`` (the scope picker, headcounts, the KPIs and their trends),
``silo`` (ties between departments, communities, connectors, a scope's participation structure), ``goals``
and ``me`` (one's own activity); ``_common`` holds the helpers they share. Callers import from here.
"""

from courtyard.insights.access import ORG
from courtyard.insights.selectors._common import cache_seconds
from courtyard.insights.selectors.dashboard import (
    COUNTED_VERBS,
    CUMULATIVE_VERBS,
    LIVE_COLUMNS,
    MIN_GROUP_SIZE,
    NOT_FOR_SCOPE,
    PICKER_LIMIT,
    ROLLUP_SCOPES,
    TREND_LENGTH,
    Dashboard,
    Figure,
    Median,
    belonging_index,
    dashboard,
    department_sizes,
    headcount,
    scope_options,
)
from courtyard.insights.selectors.goals import goals_for, kpi_value
from courtyard.insights.selectors.me import my_activity
from courtyard.insights.selectors.silo import (
    COMMUNITY_SEED,
    CONNECTORS_SHOWN,
    LIVE_COMMUNITY_LIMIT,
    SiloMap,
    detect_communities,
    participation_structure,
    silo_map,
)

__all__ = [
    "COMMUNITY_SEED",
    "CONNECTORS_SHOWN",
    "COUNTED_VERBS",
    "CUMULATIVE_VERBS",
    "LIVE_COLUMNS",
    "LIVE_COMMUNITY_LIMIT",
    "MIN_GROUP_SIZE",
    "NOT_FOR_SCOPE",
    "ORG",
    "PICKER_LIMIT",
    "ROLLUP_SCOPES",
    "TREND_LENGTH",
    "Dashboard",
    "Figure",
    "Median",
    "SiloMap",
    "belonging_index",
    "cache_seconds",
    "dashboard",
    "department_sizes",
    "detect_communities",
    "goals_for",
    "headcount",
    "kpi_value",
    "my_activity",
    "participation_structure",
    "scope_options",
    "silo_map",
]
