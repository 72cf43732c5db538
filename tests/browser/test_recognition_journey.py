"""Recognition in real Chromium: give kudos with a value to a teammate and to the whole team, the teammate sees
it on the wall, on their profile and in their notifications, another member adds "+1 — I agree" and reacts;
every main recognition page passes axe-core. A private kudos stays invisible to that other member."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from courtyard.groups import services as group_services
from courtyard.people import services as people_services
from courtyard.recognition import services
from courtyard.recognition.models import Kudos, KudosCoSender, KudosReceiver
from tests.browser.conftest import check_accessibility
from tests.factories import PASSWORD, make_profile

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(db):
    group_services.reaction_kinds_ensure_defaults()
    engineering = people_services.department_ensure_path("Engineering / Platform")
    team = people_services.team_ensure("Platform", engineering)
    mo = make_profile(email="mo@example.com", full_name="Mo Manager", department=engineering, team=team)
    ana = make_profile(email="ana@example.com", full_name="Ana Appreciative", department=engineering, team=team,
                       manager=mo)
    bo = make_profile(email="bo@example.com", full_name="Bo Builder", department=engineering, team=team, manager=mo)
    cy = make_profile(email="cy@example.com", full_name="Cy Colleague", department="Sales")
    admin = make_profile(email="root@example.com", full_name="Ada Admin", is_admin=True)
    services.value_create(actor=admin.user, name="Customers first", emoji="🤝", description="We start from them.")
    services.value_create(actor=admin.user, name="Own it", emoji="🔧")
    services.settings_update(actor=admin.user, allowance_enabled=True, monthly_points=100, per_recipient_limit=40,
                             max_points_per_kudos=20)
    return {"ana": ana, "bo": bo, "cy": cy, "mo": mo, "admin": admin}


def signed_in_page(browser, live_server, email: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    return page


def test_give_kudos_see_it_and_agree(browser, live_server, people):
    ana = signed_in_page(browser, live_server, "ana@example.com")
    ana.get_by_role("link", name="Kudos", exact=True).click()
    expect(ana.get_by_role("heading", name="Kudos", level=1)).to_be_visible()
    check_accessibility(ana, "kudos-wall-empty")
    ana.get_by_role("link", name="Give kudos").click()
    ana.get_by_label("People", exact=True).fill("bo@example.com")
    ana.get_by_label("Team", exact=True).fill("Platform (Engineering / Platform)")
    ana.get_by_label("Message").fill("Thank you for **staying late** to get the release out!")
    ana.get_by_label("Value").select_option(label="🤝 Customers first")
    ana.get_by_label("Points for each person").fill("10")
    check_accessibility(ana, "kudos-send")
    ana.get_by_role("button", name="Send kudos").click()
    expect(ana.get_by_text("Your kudos is on its way")).to_be_visible()
    card = ana.locator(".cy-kudos").first
    expect(card).to_contain_text("staying late")
    expect(card.locator("strong", has_text="staying late")).to_be_visible()
    expect(card).to_contain_text("Customers first")
    expect(card).to_contain_text("team Platform")
    check_accessibility(ana, "kudos-detail-sender")
    ana.get_by_role("link", name="My points").click()
    expect(ana.get_by_text("Left to give")).to_be_visible()
    expect(ana.locator(".display-6").first).to_have_text("90")
    check_accessibility(ana, "kudos-points")
    # A private one to Bo, which Cy must never see.
    services.kudos_send(actor=people["ana"].user, people=[people["bo"]], message="Private: thanks for listening",
                        is_private=True)
    ana.context.close()

    bo = signed_in_page(browser, live_server, "bo@example.com")
    expect(bo.locator("#unread-count")).to_contain_text("2")
    bo.get_by_role("link", name=re.compile("unread notification")).click()
    bo.get_by_role("link", name="Ana Appreciative sent you kudos").first.click()
    expect(bo.locator(".cy-kudos").first).to_contain_text("Private: thanks for listening")
    bo.get_by_role("link", name="Kudos", exact=True).click()
    expect(bo.get_by_text("staying late")).to_be_visible()
    expect(bo.get_by_text("Private: thanks for listening")).to_be_visible()
    check_accessibility(bo, "kudos-wall")
    bo.goto(f"{live_server.url}/people/{people['bo'].pk}/")
    kudos_section = bo.get_by_role("region", name="Kudos")
    expect(kudos_section.get_by_text("From Ana Appreciative").first).to_be_visible()
    expect(kudos_section.get_by_text("staying late")).to_be_visible()
    check_accessibility(bo, "profile-with-kudos")
    bo.context.close()

    cy = signed_in_page(browser, live_server, "cy@example.com")
    cy.get_by_role("link", name="Kudos", exact=True).click()
    expect(cy.get_by_text("staying late")).to_be_visible()
    expect(cy.get_by_text("Private: thanks for listening")).to_have_count(0)
    cy.get_by_role("link", name=re.compile("React or add \\+1")).first.click()
    cy.get_by_role("button", name=re.compile("\\+1 — I agree")).click()
    expect(cy.get_by_role("button", name=re.compile("\\+1 — I agree"))).to_have_attribute("aria-pressed", "true")
    cy.get_by_role("button", name=re.compile("^Congrats")).click()
    expect(cy.get_by_role("button", name="Congrats: Cy Colleague")).to_be_visible()
    cy.reload()
    expect(cy.locator(".cy-kudos").first).to_contain_text("Also from Cy Colleague")
    check_accessibility(cy, "kudos-detail-agreed")
    for name, shot in (("Celebrations", "kudos-celebrations"), ("Badges", "kudos-badges"),
                       ("Spotlight", "kudos-spotlight"), ("My team", "kudos-manager")):
        cy.get_by_role("navigation", name="Recognition").get_by_role("link", name=name).click()
        check_accessibility(cy, shot)
    cy.get_by_role("navigation", name="Recognition").get_by_role("link", name="Celebrations").click()
    cy.get_by_role("link", name="My celebration settings").click()
    cy.get_by_label("Day", exact=True).select_option("29")
    cy.get_by_label("Birthday month").select_option(label="February")
    check_accessibility(cy, "kudos-celebration-settings")
    cy.get_by_role("button", name="Save").click()
    expect(cy.get_by_text("Your celebration settings are saved.")).to_be_visible()
    cy.context.close()

    kudos = Kudos.objects.get(message__contains="staying late")
    assert set(KudosReceiver.objects.filter(kudos=kudos).values_list("profile__full_name", flat=True)) == {
        "Bo Builder", "Mo Manager"}
    assert KudosCoSender.objects.filter(kudos=kudos, profile=people["cy"]).exists()


def test_admin_manages_values_and_the_manager_sees_the_team(browser, live_server, people):
    services.kudos_send(actor=people["ana"].user, people=[people["bo"]], message="Great demo")
    mo = signed_in_page(browser, live_server, "mo@example.com")
    mo.goto(f"{live_server.url}/kudos/team/")
    expect(mo.get_by_role("cell", name="Bo Builder")).to_be_visible()
    expect(mo.get_by_text(re.compile("not recognized this month"))).to_be_visible()
    check_accessibility(mo, "kudos-manager-with-team")
    mo.context.close()
    admin = signed_in_page(browser, live_server, "root@example.com")
    admin.goto(f"{live_server.url}/kudos/manage/")
    check_accessibility(admin, "kudos-manage")
    admin.get_by_label("Name").first.fill("Be kind")
    admin.get_by_label("Emoji").first.fill("💛")
    admin.get_by_role("button", name="Add value").click()
    expect(admin.get_by_text("Value added.")).to_be_visible()
    expect(admin.get_by_role("link", name="Edit Be kind")).to_be_visible()
    admin.context.close()
