"""Insights pages and API reads run a fixed number of queries, whatever the amount of activity.
Counted with the dashboard cache off (a cache hit costs one query: the rollups' version)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from courtyard.insights import rollups
from tests.insights.conftest import add_facts, client_for

pytestmark = pytest.mark.django_db


def session_queries() -> int:
    return 2 if settings.SESSION_ENGINE.endswith(".db") else 1  # session + user, or user only (Redis sessions)


# Beyond the session (at most 12 in all on a page): for an admin, the rollups' version, distinct members (PeriodCount, with the breakdown's rows), counts, discussions,
# events, newcomers, E-I, groups for the picker and goals (department sizes, for headcounts and the
# breakdown, come from a cache after the first view); a manager's profile replaces the groups. Custom
# periods count distinct members from MemberMonth.
# The belonging index adds one query (the surveys' belonging answers) for organization, department and
# location scopes, none for a group's (answers carry no group); it is cached like the dashboard.
PAGES = {
    "dashboard (admin)": ("admin", lambda o: reverse("insights:dashboard"), 10),
    "dashboard quarter (admin)": ("admin", lambda o: reverse("insights:dashboard") + "?period=quarter", 10),
    "dashboard custom (admin)": (
        "admin", lambda o: reverse("insights:dashboard") + "?period=custom&start=2025-01-01&end=2025-03-31", 10),
    # + the participation structure of a scope below the organization (its members' ties, one query).
    "dashboard (manager)": ("manager", lambda o: reverse("insights:dashboard"), 11),
    "dashboard (organizer)": ("organizer", lambda o: reverse("insights:dashboard"), 10),
    "silo map (admin)": ("admin", lambda o: reverse("insights:silo"), 8),
    "silo map (manager)": ("manager", lambda o: reverse("insights:silo"), 8),
    "goals (admin)": ("admin", lambda o: reverse("insights:goals"), 2),
    "my activity": ("member", lambda o: reverse("insights:me"), 5),
    "api kpis (admin)": ("admin", lambda o: "/api/insights/kpis", 8),  # with the belonging index
    "api silo (admin)": ("admin", lambda o: "/api/insights/silo", 7),
    "api goals (admin)": ("admin", lambda o: "/api/insights/goals", 1),
}


@pytest.mark.parametrize("name", PAGES)
def test_fixed_number_of_queries(org, name, django_assert_num_queries, settings):
    settings.INSIGHTS_CACHE_SECONDS = 0
    role, url_for, expected = PAGES[name]
    client = client_for(getattr(org, role))
    url = url_for(org)
    client.get(url)  # warm the caches a returning visitor has (directory options, navigation)
    with django_assert_num_queries(expected + session_queries()):
        assert client.get(url).status_code == 200
    add_facts(org, days=60, per_day=4)
    rollups.rollups_update()
    client.get(url)
    with django_assert_num_queries(expected + session_queries()):
        assert client.get(url).status_code == 200


def test_a_cached_dashboard_costs_one_query(org, django_assert_num_queries, settings):
    settings.INSIGHTS_CACHE_SECONDS = 300
    client = client_for(org.admin)
    url = "/api/insights/kpis"
    client.get(url)
    with django_assert_num_queries(1 + session_queries()):
        assert client.get(url).status_code == 200
    add_facts(org, days=2)
    rollups.rollups_update()  # new facts: a new version, so the dashboard is computed again
    with django_assert_num_queries(7 + session_queries()):
        assert client.get(url).status_code == 200
