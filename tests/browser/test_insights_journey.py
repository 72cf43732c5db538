"""Insights in real Chromium: an admin opens the dashboard, changes period and scope, reads the silo map,
sets a goal and exports CSV; a member finds only their own activity. axe-core clean on each page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from courtyard.core import clock
from courtyard.insights import rollups
from courtyard.insights.models import Goal
from tests.browser.conftest import check_accessibility
from tests.factories import PASSWORD
from tests.insights.conftest import add_facts, build_org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def org(db):
    """The same small organization as the other insights tests."""
    return build_org()


def signed_in(browser, live_server, email: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True, accept_downloads=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    return page


def test_admin_reads_insights_sets_a_goal_and_exports(browser, live_server, org):
    add_facts(org, days=70, per_day=2)
    rollups.rollups_update()
    page = signed_in(browser, live_server, org.admin.user.email)
    page.get_by_role("button", name="Me").click()
    page.get_by_role("link", name="Insights").click()
    expect(page.get_by_role("heading", name="Organization · " + clock.now().strftime("%B %Y"))).to_be_visible()
    expect(page.locator(".cy-kpi").first).to_contain_text("Active members")
    page.wait_for_function("document.querySelector('canvas[data-chart]').dataset.drawn === '1'")
    check_accessibility(page, "insights-dashboard")

    page.get_by_label("Period", exact=True).select_option("quarter")
    expect(page.locator("#dashboard-heading")).to_contain_text("Q")
    expect(page).to_have_url(re.compile("period=quarter"))
    page.get_by_label("Scope", exact=True).select_option(label="Engineering")
    expect(page.locator("#dashboard-heading")).to_contain_text("Engineering")
    page.get_by_text("Table view").first.click()
    expect(page.get_by_role("table").first).to_contain_text("Participation rate")
    with page.expect_download() as download:
        page.get_by_role("link", name="Export CSV").click()
    assert download.value.suggested_filename.startswith("insights-dept-")
    with open(download.value.path(), encoding="utf-8") as exported:
        assert "active_members" in exported.read()
    check_accessibility(page, "insights-dashboard-department")

    page.get_by_role("link", name="Silo map").click()
    expect(page.get_by_role("heading", name="Ties between departments, per 100 possible pairs")).to_be_visible()
    expect(page.locator(".cy-heat")).to_contain_text("Engineering")
    expect(page.locator("svg.cy-network circle").first).to_be_visible()
    check_accessibility(page, "insights-silo-map")

    page.get_by_role("link", name="Goals").click()
    page.get_by_label("KPI", exact=True).select_option(label="Participation rate")
    page.get_by_label("Target", exact=True).fill("60")
    page.get_by_label("By", exact=True).fill((clock.now().date() + dt.timedelta(days=80)).isoformat())
    page.get_by_label("Note", exact=True).fill("Most of us, every month")
    page.get_by_role("button", name="Set goal").click()
    expect(page.get_by_text("Goal set.")).to_be_visible()
    expect(page.get_by_role("progressbar", name="Progress towards Participation rate")).to_be_visible()
    check_accessibility(page, "insights-goals")
    assert Goal.objects.get().target == pytest.approx(0.6)


def test_a_member_sees_only_their_own_activity(browser, live_server, org):
    page = signed_in(browser, live_server, org.member.user.email)
    page.get_by_role("button", name="Me").click()
    page.get_by_role("link", name="My activity").click()
    expect(page.get_by_role("heading", name="My activity", exact=False).first).to_be_visible()
    expect(page.get_by_role("link", name="Silo map")).to_have_count(0)
    page.get_by_role("button", name="Show me as a connector").click()
    expect(page.get_by_role("button", name="Stop showing me as a connector")).to_be_visible()
    check_accessibility(page, "insights-my-activity")
    page.goto(f"{live_server.url}/insights/silo/")
    expect(page.get_by_text("Insights are for community admins, managers and organizers.")).to_be_visible()
