from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from courtyard.core import clock
from courtyard.groups import services as groups
from courtyard.notifications import selectors, services
from courtyard.notifications.models import Notification, Preference
from courtyard.people.services import member_set_active
from tests.api.conftest import api_for
from tests.conftest import signed_in_client
from tests.helpers import db_snapshot

pytestmark = pytest.mark.django_db


def send(recipient, actor=None, kind="mention", object_id=1, url="/groups/"):
    return services.notification_send(recipient=recipient.user, kind=kind, actor=actor.user if actor else None,
                                      text="Something happened", url=url, object_type="post", object_id=object_id)


def test_sending_honours_preferences_actor_deactivation_and_duplicates(member, other_member, admin):
    assert send(member, actor=other_member) is not None
    assert send(member, actor=other_member) is None  # the same thing twice within minutes: once
    assert send(member, actor=member, object_id=2) is None  # nobody is told about their own action
    services.preferences_set(actor=member.user, choices={"mention": False})
    assert send(member, object_id=3) is None
    services.preferences_set(actor=member.user, choices={"mention": True})
    assert not Preference.objects.exists()  # back to the default: nothing stored
    member_set_active(actor=admin.user, profile=other_member, active=False)
    assert send(other_member, object_id=4) is None
    with pytest.raises(ValueError, match="unknown"):
        send(member, kind="nonsense")
    with pytest.raises(ValueError, match="local"):
        send(member, url="https://evil.example/")
    assert Notification.objects.count() == 1


def test_replies_in_groups_reach_the_thread_author(member, other_member):
    group = groups.group_create(actor=member.user, name="Chess")
    groups.membership_join(actor=other_member.user, group=group)
    thread = groups.thread_create(actor=member.user, group=group, title="Openings", body="Which one?")
    groups.post_create(actor=other_member.user, thread=thread, body="Sicilian! cc @member")
    notification = Notification.objects.get(recipient=member.user)
    # Mentioned and replied to at once: one notification, the mention.
    assert notification.kind == "mention"
    assert notification.url.startswith(f"/groups/chess/threads/{thread.pk}/")


def test_unread_count_is_cached_and_cleared(member, other_member, django_assert_num_queries):
    send(member, actor=other_member)
    assert selectors.unread_count(member.user) == 1
    with django_assert_num_queries(0):
        assert selectors.unread_count(member.user) == 1
    services.notifications_mark_all_read(actor=member.user)
    assert cache.get(services.unread_cache_key(member.user.pk)) is None
    assert selectors.unread_count(member.user) == 0


def test_pages_list_open_and_mark_read(member, other_member):
    for i in range(25):
        send(member, actor=other_member, object_id=100 + i)
    client = signed_in_client(member)
    home = client.get("/").content.decode()
    assert 'id="unread-count">25' in home
    page = client.get(reverse("notifications:list")).content.decode()
    assert page.count("Something happened") == 20
    assert "Load more" in page
    newest_first = Notification.objects.filter(recipient=member.user).order_by("-created_at", "-id")
    cursor = selectors.encode_cursor(newest_first[19])
    more = client.get(reverse("notifications:list"), {"cursor": cursor}, HTTP_HX_REQUEST="true").content.decode()
    assert more.count("Something happened") == 5
    assert client.get(reverse("notifications:list"), {"cursor": "!!"}).status_code == 400
    first = newest_first[0]
    opened = client.get(reverse("notifications:open", args=[first.pk]))
    assert opened.status_code == 302
    assert opened["Location"] == "/groups/"
    first.refresh_from_db()
    assert first.read_at is not None
    client.post(reverse("notifications:mark_all_read"))
    assert not Notification.objects.filter(recipient=member.user, read_at__isnull=True).exists()


def test_someone_elses_notification_is_not_found_and_stays_unread(member, other_member):
    notification = send(member, actor=other_member)
    client = signed_in_client(other_member)
    client.get("/healthz")  # the first signed-in request records the session and the visit
    api = api_for(other_member)
    before = db_snapshot()
    assert client.get(reverse("notifications:open", args=[notification.pk])).status_code == 404
    assert api.request("post", f"/api/notifications/{notification.pk}/read").status_code == 404
    assert db_snapshot() == before


def test_preferences_page_and_api(member):
    client = signed_in_client(member)
    assert "Mentions" in client.get(reverse("notifications:preferences")).content.decode()
    data = {"mention": "on", "reply_to_thread": "on", "answer_accepted": "on", "join_request": "on",
            "join_approved": "on"}  # group_invitation left unchecked
    client.post(reverse("notifications:preferences"), data)
    assert list(Preference.objects.values_list("kind", "enabled")) == [("group_invitation", False)]
    api = api_for(member)
    listed = api.request("get", "/api/notifications/preferences").body
    assert {p["kind"]: p["enabled"] for p in listed}["group_invitation"] is False
    api.request("put", "/api/notifications/preferences", {"group_invitation": True, "mention": False})
    assert list(Preference.objects.values_list("kind", "enabled")) == [("mention", False)]
    assert api.request("put", "/api/notifications/preferences", {"bogus": True}).status_code == 400


def test_api_list_cursor_and_read_all(member, other_member):
    old = send(member, actor=other_member, object_id=1)
    Notification.objects.filter(pk=old.pk).update(created_at=clock.now() - dt.timedelta(days=1))
    send(member, actor=other_member, object_id=2)
    api = api_for(member)
    first = api.request("get", "/api/notifications/").body
    assert first["unread"] == 2
    assert len(first["items"]) == 2
    assert api.request("get", "/api/notifications/unread").body == {"unread": 2}
    assert api.request("post", f"/api/notifications/{old.pk}/read").body["read"] is True
    assert api.request("post", "/api/notifications/read-all").body == {"unread": 0}
    assert api.request("get", "/api/notifications/", {"cursor": "%%%"}).status_code == 400
    assert api_for().request("get", "/api/notifications/").status_code == 401


def test_bell_costs_no_query_once_cached(member, django_assert_num_queries):
    client = signed_in_client(member)
    client.get("/people/")
    expected = 6 if settings.SESSION_ENGINE.endswith(".db") else 5
    with django_assert_num_queries(expected):
        client.get("/people/")
