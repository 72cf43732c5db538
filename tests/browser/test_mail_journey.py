"""Email in real Chromium: a member picks "Email now" for a kind, a notice of that kind arrives, the demo's
admin reads the email in the outbox on a phone, follows its unsubscribe link and confirms; the member's
setting changed. axe-core on each page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from courtyard.groups import services as groups
from courtyard.groups.models import Group
from courtyard.notifications.models import Preference
from tests.browser.conftest import check_accessibility
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def signed_in_page(browser, live_server, email: str, viewport=None):
    context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900}, bypass_csp=True,
                                  is_mobile=viewport is not None, has_touch=viewport is not None, locale="en-GB")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    return page


def test_choose_email_receive_it_and_unsubscribe(browser, live_server, settings, member, other_member, admin):
    settings.COURTYARD_DEMO = True
    settings.EMAIL_BACKEND = "courtyard.mail.backends.OutboxBackend"
    settings.MAIL_BATCH_SECONDS = 0  # jobs run at once in tests: the email goes out with the notice
    settings.SITE_URL = live_server.url
    group = groups.group_create(actor=member.user, name="Book Club", join_policy=Group.JoinPolicy.REQUEST)

    page = signed_in_page(browser, live_server, member.user.email)
    page.goto(f"{live_server.url}/notifications/preferences/")
    expect(page.get_by_role("heading", name="Notification settings")).to_be_visible()
    expect(page.get_by_text("Emails go to member@example.com")).to_be_visible()
    expect(page.get_by_label("Join requests")).to_have_value("digest")
    page.get_by_label("Join requests").select_option("email")
    page.get_by_label("Quiet hours from").fill("23:00")
    page.get_by_label("Quiet hours until").fill("06:00")
    check_accessibility(page, "notification-settings-email")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Notification settings saved.")).to_be_visible()
    expect(page.get_by_label("Join requests")).to_have_value("email")

    # Quiet hours are kept (tests/mail covers them); cleared again so the email goes out whatever the hour.
    page.get_by_label("Quiet hours from").fill("")
    page.get_by_label("Quiet hours until").fill("")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Notification settings saved.")).to_be_visible()
    # Olu asks to join Mia's group: Mia is told, by email now.
    groups.membership_request(actor=other_member.user, group=group, message="May I join?")

    phone = signed_in_page(browser, live_server, admin.user.email, viewport=PHONE)
    phone.goto(f"{live_server.url}/mail/outbox/")
    expect(phone.get_by_role("heading", name="Outbox")).to_be_visible()
    check_accessibility(phone, "mail-outbox-phone")
    phone.get_by_role("link", name=re.compile("Olu Other")).first.click()
    expect(phone.get_by_text("To member@example.com")).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the outbox email scrolls sideways on a phone ({width}px)"
    check_accessibility(phone, "mail-outbox-email-phone")

    phone.locator("pre a[href*='/mail/unsubscribe/']").first.click()  # the plain-text part, linkified
    expect(phone.get_by_role("heading", name="Unsubscribe?")).to_be_visible()
    expect(phone.get_by_text("Stop emails about: Join requests")).to_be_visible()
    check_accessibility(phone, "mail-unsubscribe-phone")
    phone.get_by_role("button", name="Unsubscribe").click()
    expect(phone.get_by_role("heading", name="You are unsubscribed")).to_be_visible()
    assert list(Preference.objects.filter(user=member.user).values_list("kind", "channel")) == [("join_request", "app")]

    page.reload()
    expect(page.get_by_label("Join requests")).to_have_value("app")
