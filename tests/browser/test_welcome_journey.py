"""The newcomer journey in real Chromium: on her first days Nia finds the checklist card on her home page,
meets her buddy (the step ticks itself), joins a suggested group, hides the card and finds it again under
Welcome; her buddy sees his own light checklist; the admin reads the integration page; on a phone the card
reads as well. Every page passes axe-core."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from courtyard.core import clock
from courtyard.groups import services as group_services
from courtyard.people import services as people_services
from courtyard.welcome import services
from courtyard.welcome.models import BuddyOffer
from tests.browser.conftest import check_accessibility
from tests.factories import PASSWORD, make_profile

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def people(db):
    today = clock.now().date()
    engineering = people_services.department_ensure_path("Engineering")
    platform = people_services.team_ensure("Platform", engineering)
    mo = make_profile(email="mo@example.com", full_name="Mo Manager", department=engineering, team=platform)
    nia = make_profile(email="nia@example.com", full_name="Nia Newcomer", department=engineering, team=platform,
                       manager=mo, start_date=today - dt.timedelta(days=2), interests=["Chess"])
    ben = make_profile(email="ben@example.com", full_name="Ben Buddy", department="Sales", interests=["Chess"],
                       start_date=dt.date(2019, 5, 1))
    admin = make_profile(email="root@example.com", full_name="Ada Admin", is_admin=True)
    BuddyOffer.objects.create(profile=ben, capacity=2, created_at=timezone.now())
    group_services.group_create(actor=ben.user, name="Chess club", tags=["Chess"])
    services.buddies_assign(today=today)
    return {"nia": nia, "ben": ben, "mo": mo, "admin": admin}


def signed_in(browser, live_server, email: str, viewport: dict | None = None):
    context = browser.new_context(viewport=viewport or DESKTOP, bypass_csp=True, locale="en-GB")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    return page


def step(page, key: str):
    return page.locator(f"#welcome-steps [data-step='{key}']")


def test_a_newcomers_first_days(browser, live_server, people):
    nia = signed_in(browser, live_server, "nia@example.com")
    card = nia.locator("#welcome-card")
    expect(card).to_be_visible()
    expect(card).to_contain_text("0 of 6 done")
    expect(card).to_contain_text("Your buddy is Ben Buddy")
    expect(step(nia, "buddy")).to_have_attribute("data-done", "no")
    check_accessibility(nia, "welcome-home-card")

    # Her buddy: why him, and "we met".
    card.get_by_role("link", name="Your buddy and first steps").click()
    expect(nia.get_by_role("heading", level=1)).to_contain_text("Ben Buddy is Nia Newcomer's buddy")
    expect(nia.get_by_text("works in the same place").or_(nia.get_by_text("also likes chess"))).to_be_visible()
    check_accessibility(nia, "welcome-buddy-pairing")
    nia.get_by_role("button", name="We met").click()
    expect(nia.locator("#buddy-steps [data-step='first_coffee']")).to_have_attribute("data-done", "yes")
    nia.goto(f"{live_server.url}/")
    expect(step(nia, "buddy")).to_have_attribute("data-done", "yes")
    expect(nia.locator("#welcome-card")).to_contain_text("1 of 6 done")

    # A suggested group, from her interests.
    nia.locator("#welcome-card").get_by_role("link", name="Chess club").click()
    nia.get_by_role("button", name="Join group").click()
    nia.goto(f"{live_server.url}/")
    expect(nia.locator("#welcome-card")).not_to_contain_text("Groups you might like")

    # Hide the card (htmx swaps it out), find it again under Welcome, with its progress.
    nia.get_by_role("button", name="Hide this checklist").click()
    expect(nia.locator("#welcome-card")).to_have_count(0)
    nia.reload()
    expect(nia.locator("#welcome-card")).to_have_count(0)
    nia.goto(f"{live_server.url}/welcome/")
    expect(step(nia, "buddy")).to_have_attribute("data-done", "yes")
    check_accessibility(nia, "welcome-hub-newcomer")
    nia.get_by_role("button", name="Show my checklist on the home page again").click()
    nia.goto(f"{live_server.url}/")
    expect(nia.locator("#welcome-card")).to_be_visible()

    # Her buddy sees his light checklist; the first coffee is ticked.
    ben = signed_in(browser, live_server, "ben@example.com")
    expect(ben.locator("#welcome-card")).to_have_count(0)
    ben.goto(f"{live_server.url}/welcome/")
    expect(ben.get_by_text("Nia Newcomer")).to_be_visible()
    check_accessibility(ben, "welcome-hub-buddy")
    ben.get_by_role("link", name="Buddy pairing").click()
    expect(ben.locator("#buddy-steps [data-step='first_coffee']")).to_have_attribute("data-done", "yes")
    expect(ben.locator("#buddy-steps [data-step='two_week_checkin']")).to_have_attribute("data-done", "no")

    # The admin's integration page.
    admin = signed_in(browser, live_server, "root@example.com")
    admin.goto(f"{live_server.url}/welcome/integration/")
    expect(admin.get_by_role("heading", name="Newcomer integration", level=1)).to_be_visible()
    expect(admin.locator("#cohorts")).to_contain_text("Too few newcomers to show figures.")
    check_accessibility(admin, "welcome-integration")


def test_the_card_on_a_phone(browser, live_server, people):
    phone = signed_in(browser, live_server, "nia@example.com", viewport=PHONE)
    card = phone.locator("#welcome-card")
    expect(card).to_be_visible()
    expect(card.get_by_role("button", name="Hide this checklist")).to_be_visible()
    expect(card.get_by_role("link", name="Edit my profile")).to_be_visible()
    check_accessibility(phone, "welcome-home-card-phone")
