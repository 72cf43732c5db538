"""Notifications in real Chromium: the bell shows the count, the list opens, a click goes to the thing and
marks it read, the count drops; following someone from their profile with htmx. axe-core on each page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from courtyard.groups import services as groups
from courtyard.notifications import services
from tests.browser.conftest import check_accessibility

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_sees_the_bell_opens_a_notification_and_the_count_drops(live_server, page, member, other_member,
                                                                       sign_in, password):
    # Notifications are only made about things their recipient may read: two threads of an open group.
    group = groups.group_create(actor=other_member.user, name="Lunch")
    for n, text in enumerate(["Olu Other mentioned you in “Lunch plans”", "Olu Other replied to “Book club”"]):
        thread = groups.thread_create(actor=other_member.user, group=group, title=f"Topic {n}", body="Hello")
        services.notification_send(recipient=member.user, kind="mention", actor=other_member.user, text=text,
                                   url=f"/people/{other_member.pk}/", object_type="thread", object_id=thread.pk)
    sign_in(member.user.email, password)
    bell = page.get_by_role("link", name="2 unread notifications")
    expect(bell).to_be_visible()
    expect(page.locator("#unread-count")).to_have_text("2")

    bell.click()
    expect(page.get_by_role("heading", name="Notifications", level=1)).to_be_visible()
    expect(page.locator(".cy-unread")).to_have_count(2)
    check_accessibility(page, "notifications")

    page.get_by_role("link", name="Lunch plans").click()
    expect(page.get_by_role("heading", name="Olu Other", level=1)).to_be_visible()  # where it pointed
    expect(page.get_by_role("link", name="1 unread notification", exact=True)).to_be_visible()

    # Following from the profile: htmx swaps the button and the count in place.
    page.get_by_role("button", name="Follow Olu Other").click()
    expect(page.get_by_role("button", name="Unfollow Olu Other")).to_be_visible()
    expect(page.locator("#follow-box")).to_contain_text("1 follower")
    check_accessibility(page, "profile-following")

    page.locator("#nav-notifications").click()
    expect(page.locator(".cy-unread")).to_have_count(1)
    page.get_by_role("button", name="Mark all as read").click()
    expect(page.get_by_text("1 notification marked as read.")).to_be_visible()
    expect(page.get_by_role("link", name="Notifications", exact=True)).to_be_visible()
    expect(page.locator("#unread-count")).to_have_count(0)

    page.get_by_role("link", name="Settings").click()
    expect(page.get_by_role("heading", name="Notification settings")).to_be_visible()
    check_accessibility(page, "notification-settings")
    page.get_by_label("Mentions").select_option("off")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Notification settings saved.")).to_be_visible()
    expect(page.get_by_label("Mentions")).to_have_value("off")
