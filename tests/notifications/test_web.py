"""The pages: the list (cursor, "Load more" with and without htmx), open marks read, mark all, settings, the bell."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from courtyard.notifications import selectors, services
from courtyard.notifications.domain.kinds import KINDS
from courtyard.notifications.models import Notification, Preference
from tests.conftest import signed_in_client
from tests.helpers import db_snapshot
from tests.notifications.conftest import send

pytestmark = pytest.mark.django_db


def db_queries(expected: int) -> int:
    """Session (database-backed sessions only) + user, then the page's own."""
    return expected + (2 if settings.SESSION_ENGINE.endswith(".db") else 1)


def test_the_bell_shows_the_unread_count_with_words_for_screen_readers(member, other_member):
    client = signed_in_client(member)
    page = client.get(reverse("people:directory")).content.decode()
    assert 'id="unread-count"' not in page
    assert '<span class="visually-hidden">Notifications</span>' in page
    for i in range(3):
        send(member, actor=other_member, object_id=i)
    page = client.get(reverse("people:directory")).content.decode()
    assert 'id="unread-count" aria-hidden="true">3</span>' in page
    assert "3 unread notifications" in page
    send(member, actor=other_member, object_id=10)
    page = client.get(reverse("people:directory")).content.decode()
    assert "4 unread notifications" in page  # a new one clears the cached count


def test_the_list_pages_by_cursor_with_and_without_htmx(member, other_member):
    for i in range(25):
        send(member, actor=other_member, object_id=100 + i, text=f"Item {i:02}")
    client = signed_in_client(member)
    page = client.get(reverse("notifications:list")).content.decode()
    assert page.count("Item ") == 20
    assert page.index("Item 24") < page.index("Item 05")  # newest first
    assert "Item 04" not in page
    cursor = selectors.encode_cursor(Notification.objects.get(object_id=105))
    assert f'href="?cursor={cursor}"' in page  # "Load more" is a plain link: works without JavaScript
    assert f'hx-get="?cursor={cursor}"' in page
    # Without JavaScript: a whole page with the older ones.
    older = client.get(reverse("notifications:list"), {"cursor": cursor})
    assert older.content.decode().count("Item ") == 5
    assert "<html" in older.content.decode()
    # With htmx: only the items, swapped in place of the "Load more" row.
    more = client.get(reverse("notifications:list"), {"cursor": cursor}, HTTP_HX_REQUEST="true").content.decode()
    assert more.count("Item ") == 5
    assert "<html" not in more
    assert "Load more" not in more  # the last page
    assert client.get(reverse("notifications:list"), {"cursor": "!!"}).status_code == 400


def test_an_empty_list_says_what_will_come(member):
    page = signed_in_client(member).get(reverse("notifications:list")).content.decode()
    assert "Nothing yet" in page
    assert "Mark all as read" not in page


def test_opening_marks_read_and_redirects_to_what_it_is_about(member, other_member):
    made = send(member, actor=other_member, url="/groups/chess/threads/3/#post-9")
    client = signed_in_client(member)
    response = client.get(reverse("notifications:open", args=[made.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/groups/chess/threads/3/#post-9"
    made.refresh_from_db()
    assert made.read_at is not None
    assert "unread notification" not in client.get(reverse("people:directory")).content.decode()


def test_a_stored_link_that_leaves_the_site_is_never_followed(member, other_member):
    made = send(member, actor=other_member)
    Notification.objects.filter(pk=made.pk).update(url="//evil.example/")  # not possible through the service
    response = signed_in_client(member).get(reverse("notifications:open", args=[made.pk]))
    assert response["Location"] == reverse("notifications:list")


@pytest.mark.parametrize("bad", ["abc", "0", "-1", "99999999999999999999999"])
def test_bad_ids_are_404(member, bad):
    assert signed_in_client(member).get(f"/notifications/{bad}/open/").status_code == 404


def test_someone_elses_notification_is_not_found_and_stays_unread(member, other_member):
    made = send(member, actor=other_member)
    client = signed_in_client(other_member)
    client.get("/healthz")  # the first signed-in request records the session
    before = db_snapshot()
    assert client.get(reverse("notifications:open", args=[made.pk])).status_code == 404
    assert db_snapshot() == before


def test_mark_all_read_empties_the_bell(member, other_member):
    send(member, actor=other_member, object_id=1)
    send(member, actor=other_member, object_id=2)
    client = signed_in_client(member)
    assert "Mark all as read" in client.get(reverse("notifications:list")).content.decode()
    response = client.post(reverse("notifications:mark_all_read"), follow=True)
    assert "2 notifications marked as read." in response.content.decode()
    assert 'id="unread-count"' not in response.content.decode()
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    assert client.get(reverse("notifications:mark_all_read")).status_code == 405


def test_preferences_page_has_a_channel_per_kind_and_saves_changes_only(member):
    client = signed_in_client(member)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert page.count("<select") == len(KINDS)
    assert page.count('value="email" selected') == sum(kind.default_channel == "email" for kind in KINDS)
    assert "Someone mentions you with @" in page
    # Every kind left at its default except group invitations, switched off: only that choice is stored.
    chosen = {kind.key: kind.default_channel for kind in KINDS}
    chosen["group_invitation"] = "off"
    response = client.post(reverse("notifications:preferences"), chosen)
    assert response.status_code == 302
    assert list(Preference.objects.values_list("kind", "channel")) == [("group_invitation", "off")]
    client.post(reverse("notifications:preferences"), {"mention": "app"})  # kinds left out keep their channel
    assert sorted(Preference.objects.values_list("kind", "channel")) == [("group_invitation", "off"), ("mention", "app")]
    client.post(reverse("notifications:preferences"), {kind.key: "off" for kind in KINDS})
    assert Preference.objects.count() == sum(kind.default_channel != "off" for kind in KINDS)  # off by default: not stored
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert page.count('value="off" selected') == len(KINDS)


def test_a_bad_channel_or_half_quiet_hours_change_nothing(member):
    client = signed_in_client(member)
    response = client.post(reverse("notifications:preferences"), {"mention": "loudly"})
    assert response.status_code == 200  # the form again, with the error
    assert "Select a valid choice" in response.content.decode()
    response = client.post(reverse("notifications:preferences"), {"mention": "app", "quiet_start": "22:00"})
    assert "Give both the start and the end" in response.content.decode()
    assert not Preference.objects.exists()


# --- a fixed number of queries -------------------------------------------------------------------------

def test_the_list_page_costs_a_fixed_number_of_queries(member, other_member, django_assert_num_queries):
    client = signed_in_client(member)
    for size in (3, 45):
        for i in range(size):
            send(member, actor=other_member, object_id=1000 * size + i)
        client.get(reverse("notifications:list"))  # the bell's count is cached now
        with django_assert_num_queries(db_queries(1)):  # the page of rows, with their actors
            assert client.get(reverse("notifications:list")).status_code == 200
    cursor = client.get(reverse("notifications:list")).content.decode().split("?cursor=")[1].split('"')[0]
    with django_assert_num_queries(db_queries(1)):
        assert client.get(reverse("notifications:list"), {"cursor": cursor}, HTTP_HX_REQUEST="true").status_code == 200


def test_the_bell_costs_one_query_then_none_while_nothing_changes(member, other_member, django_assert_num_queries):
    """A normal page: the bell's count is read once, then from the cache until a notification comes or is read."""
    send(member, actor=other_member)
    client = signed_in_client(member)
    url = reverse("people:profile", args=[member.pk])
    client.get(url)  # records the session and the day's visit, warms the caches
    cache.delete(services.unread_cache_key(member.user.pk))
    # The profile's own five, recognition's three on the profile (kudos received, given, badges), and the count.
    with django_assert_num_queries(db_queries(5 + 3 + 1)):
        client.get(url)
    with django_assert_num_queries(db_queries(5 + 3)):  # the count comes from the cache
        client.get(url)
