from __future__ import annotations

import datetime as dt

import pytest

from courtyard.core import clock
from courtyard.notifications import selectors, services
from courtyard.notifications.models import Notification
from tests.notifications.conftest import send

pytestmark = pytest.mark.django_db


def test_pages_are_newest_first_and_the_cursor_is_stable_while_new_ones_arrive(member, other_member):
    for i in range(5):
        send(member, actor=other_member, object_id=i, text=f"n{i}")
    Notification.objects.filter(object_id=0).update(created_at=clock.now() - dt.timedelta(days=1))
    first = selectors.notifications_page(member.user, None, size=2)
    assert [n.text for n in first["items"]] == ["n4", "n3"]
    send(member, actor=other_member, object_id=99, text="newer")  # arrives meanwhile: does not shift pages
    second = selectors.notifications_page(member.user, first["next_cursor"], size=2)
    assert [n.text for n in second["items"]] == ["n2", "n1"]
    last = selectors.notifications_page(member.user, second["next_cursor"], size=2)
    assert [n.text for n in last["items"]] == ["n0"]
    assert last["next_cursor"] is None


def test_only_ones_own_are_listed(member, other_member):
    send(other_member, actor=member)
    assert selectors.notifications_page(member.user, None)["items"] == []
    assert selectors.unread_count(member.user) == 0


@pytest.mark.parametrize("cursor", ["!!", "bm9wZQ",
                                    "MjAyNi0wMS0wMVQwMDowMDowMHw1",  # a naive time
                                    "MjAyNi0wMS0wMVQwMDowMDowMCswMDowMHw5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OQ"])
def test_a_bad_cursor_is_refused(member, cursor):
    with pytest.raises(ValueError, match="bad cursor"):
        selectors.notifications_page(member.user, cursor)


def test_unread_count_is_cached_until_something_changes(member, other_member, django_assert_num_queries):
    made = send(member, actor=other_member)
    assert selectors.unread_count(member.user) == 1
    with django_assert_num_queries(0):
        assert selectors.unread_count(member.user) == 1
    services.notification_mark_read(actor=member.user, notification=made)
    assert selectors.unread_count(member.user) == 0


def test_preferences_list_every_kind_with_its_state(member):
    services.preferences_set(actor=member.user, choices={"join_request": False})
    rows = {r["kind"]: r for r in selectors.preferences_of(member.user)}
    assert rows["join_request"]["enabled"] is False
    assert rows["mention"]["enabled"] is True
    assert rows["mention"]["label"] == "Mentions"
