"""Groups in real Chromium: discover a group through an interest, join, ask, get a reply with a mention,
see the notification, react, accept the answer; a private group stays invisible to an outsider."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from courtyard.groups import services
from courtyard.groups.models import Reaction, Thread
from tests.browser.conftest import check_accessibility
from tests.factories import PASSWORD, make_profile

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(db):
    services.reaction_kinds_ensure_defaults()
    olga = make_profile(email="olga@example.com", full_name="Olga Organizer", interests=["Board games"])
    ana = make_profile(email="ana@example.com", full_name="Ana Asker", interests=["Board games"])
    bo = make_profile(email="bo@example.com", full_name="Bo Helper")
    cy = make_profile(email="cy@example.com", full_name="Cy Outsider")
    games = services.group_create(actor=olga.user, name="Board Games Night", tags=["Board games"],
                                  description="We play **every Friday**.")
    services.membership_join(actor=bo.user, group=games)
    secret = services.group_create(actor=olga.user, name="Leadership Circle", join_policy="invitation")
    services.thread_create(actor=olga.user, group=secret, title="Confidential reorg", body="Secret plans")
    return {"ana": ana, "bo": bo, "cy": cy}


def signed_in_page(browser, live_server, email: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    return page


def test_discover_join_ask_answer_react_accept(browser, live_server, people):
    ana = signed_in_page(browser, live_server, "ana@example.com")
    ana.get_by_role("link", name="Groups").first.click()
    suggested = ana.get_by_role("region", name="Suggested for you")
    expect(suggested.get_by_role("link", name="Board Games Night")).to_be_visible()
    check_accessibility(ana, "groups-browse")
    suggested.get_by_role("link", name="Board Games Night").click()
    expect(ana.get_by_role("heading", name="Board Games Night", level=1)).to_be_visible()
    ana.get_by_role("button", name="Join group").click()
    expect(ana.get_by_text("Welcome to Board Games Night!")).to_be_visible()
    check_accessibility(ana, "group-detail")
    ana.get_by_role("link", name="Start a discussion").click()
    ana.get_by_label("Title").fill("Which game for Friday?")
    ana.get_by_role("textbox", name="Text").fill("We are **six** people. Ideas?")
    ana.get_by_label(re.compile("This is a question")).check()
    ana.get_by_role("button", name="Post").click()
    expect(ana.get_by_role("heading", name=re.compile("Which game for Friday"))).to_be_visible()
    thread_url = ana.url

    bo = signed_in_page(browser, live_server, "bo@example.com")
    bo.goto(thread_url)
    bo.get_by_role("textbox", name="Your reply").fill("@ana Try *Catan*, it works for six.")
    bo.get_by_role("button", name="Post reply").click()
    expect(bo.locator(".cy-post").first).to_contain_text("Try Catan")
    expect(bo.locator(".cy-post a", has_text="@ana")).to_have_attribute("href", re.compile(r"/people/\d+/"))
    bo.context.close()

    ana.goto(f"{live_server.url}/")
    expect(ana.locator("#unread-count")).to_contain_text("1")
    ana.get_by_role("link", name=re.compile("unread notification")).click()
    check_accessibility(ana, "notifications")
    ana.get_by_role("link", name=re.compile("Bo Helper mentioned you")).click()
    expect(ana.locator(".cy-post").first).to_contain_text("Try Catan")
    check_accessibility(ana, "thread")
    ana.locator(".cy-post").first.get_by_role("button", name=re.compile("Thanks")).click()
    expect(ana.locator(".cy-post").first.get_by_role("button", name=re.compile("Thanks: Ana Asker"))).to_be_visible()
    ana.get_by_role("button", name="Accept as answer").click()
    expect(ana.get_by_text("Accepted answer")).to_be_visible()
    ana.goto(f"{live_server.url}/")
    expect(ana.locator("#unread-count")).to_have_count(0)

    thread = Thread.objects.get(title="Which game for Friday?")
    assert thread.accepted_post is not None
    assert thread.accepted_post.author == people["bo"]
    assert Reaction.objects.filter(post=thread.accepted_post, profile=people["ana"]).count() == 1


def test_private_group_is_invisible_to_an_outsider(browser, live_server, people):
    cy = signed_in_page(browser, live_server, "cy@example.com")
    cy.goto(f"{live_server.url}/groups/")
    expect(cy.get_by_role("link", name="Board Games Night")).to_be_visible()
    expect(cy.get_by_text("Leadership Circle")).to_have_count(0)
    cy.get_by_label("Search everything").fill("confidential")
    cy.get_by_label("Search everything").press("Enter")
    expect(cy.get_by_role("heading", name="Search", level=1)).to_be_visible()
    expect(cy.get_by_text("Confidential reorg")).to_have_count(0)
    check_accessibility(cy, "search")
    response = cy.goto(f"{live_server.url}/groups/leadership-circle/")
    assert response.status == 404
