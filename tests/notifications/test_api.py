"""The API, every answer validated against the OpenAPI document (tests/api/openapi.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from courtyard.core import clock
from courtyard.notifications.domain.kinds import BY_KEY
from courtyard.notifications.models import Notification, Preference
from tests.api.conftest import api_for
from tests.helpers import db_snapshot
from tests.notifications.conftest import send

pytestmark = pytest.mark.django_db


def test_every_operation_is_documented():
    from tests.api.openapi import document

    ops = {(path, method) for path, item in document()["paths"].items() if path.startswith("/api/notifications")
           for method in item}
    assert ops == {
        ("/api/notifications/", "get"), ("/api/notifications/unread", "get"),
        ("/api/notifications/{notification_id}/read", "post"), ("/api/notifications/read-all", "post"),
        ("/api/notifications/preferences", "get"), ("/api/notifications/preferences", "put"),
        ("/api/notifications/email", "get"), ("/api/notifications/email", "put"),
    }


def test_list_by_cursor_count_and_mark_read(member, other_member):
    old = send(member, actor=other_member, object_id=1, text="older")
    Notification.objects.filter(pk=old.pk).update(created_at=clock.now() - dt.timedelta(days=1))
    for i in range(2, 25):
        send(member, actor=other_member, object_id=i)
    api = api_for(member)
    first = api.get("/api/notifications/").body
    assert first["unread"] == 24
    assert len(first["items"]) == 20
    assert first["items"][0]["open_url"] == f"/notifications/{first['items'][0]['id']}/open/"
    assert first["items"][0]["actor_id"] == other_member.user.pk
    second = api.get("/api/notifications/", {"cursor": first["next_cursor"]}).body
    assert [n["text"] for n in second["items"]][-1] == "older"
    assert second["next_cursor"] is None
    assert api.get("/api/notifications/unread").body == {"unread": 24}
    marked = api.request("post", f"/api/notifications/{old.pk}/read").body
    assert marked["read"] is True
    assert api.get("/api/notifications/unread").body == {"unread": 23}
    assert api.request("post", "/api/notifications/read-all").body == {"unread": 0}
    assert api.get("/api/notifications/unread").body == {"unread": 0}


@pytest.mark.parametrize("cursor", ["%%%", "x" * 201])
def test_a_bad_cursor_is_a_client_error(member, cursor):
    response = api_for(member).get("/api/notifications/", {"cursor": cursor})
    assert response.status_code in (400, 422)


def test_someone_elses_notification_is_404_and_unchanged(member, other_member):
    made = send(member, actor=other_member)
    api = api_for(other_member)
    before = db_snapshot()
    response = api.request("post", f"/api/notifications/{made.pk}/read")
    assert response.status_code == 404
    assert response.body["code"] == "not_found"
    assert db_snapshot() == before
    assert api.request("post", "/api/notifications/99999999999999999999/read").status_code in (404, 422)


def test_preferences_get_and_put(member):
    api = api_for(member)
    listed = api.get("/api/notifications/preferences").body
    assert {p["kind"] for p in listed} >= {"mention", "reply_to_thread", "join_request", "join_approved"}
    assert all(p["enabled"] == BY_KEY[p["kind"]].default_on for p in listed)  # nothing chosen yet: the defaults
    assert {p["kind"]: p["enabled"] for p in listed}["event_rsvp_received"] is False  # a host's opt-in
    changed = api.request("put", "/api/notifications/preferences", {"mention": False}).body
    assert {p["kind"]: p["enabled"] for p in changed}["mention"] is False
    assert list(Preference.objects.values_list("kind", "channel")) == [("mention", "off")]
    assert api.request("put", "/api/notifications/preferences", {"bogus": True}).status_code == 400
    assert api.request("put", "/api/notifications/preferences", {"mention": "maybe"}).status_code == 422
    assert list(Preference.objects.values_list("kind", "channel")) == [("mention", "off")]


def test_anonymous_callers_are_refused(member):
    api = api_for()
    for method, path in [("get", "/api/notifications/"), ("get", "/api/notifications/unread"),
                         ("post", "/api/notifications/read-all"), ("get", "/api/notifications/preferences")]:
        assert api.request(method, path).status_code == 401


def test_channels_by_api(member):
    api = api_for(member)
    listed = {p["kind"]: p for p in api.get("/api/notifications/preferences").body}
    assert (listed["mention"]["channel"], listed["join_request"]["channel"]) == ("email", "digest")
    changed = api.request("put", "/api/notifications/preferences", {"mention": "app", "join_request": "email"}).body
    assert {p["kind"]: p["channel"] for p in changed if p["kind"] in ("mention", "join_request")} == {
        "mention": "app", "join_request": "email"}
    assert api.request("put", "/api/notifications/preferences", {"mention": "loud"}).status_code == 422
    assert sorted(Preference.objects.values_list("kind", "channel")) == [("join_request", "email"), ("mention", "app")]


def test_email_settings_by_api(member):
    from courtyard.mail.models import Mailbox

    api = api_for(member)
    state = api.get("/api/notifications/email").body
    assert state["address"] == "member@example.com"
    assert (state["quiet_start"], state["paused"], state["bouncing"]) == (None, False, False)
    state = api.request("put", "/api/notifications/email", {"quiet_start": "22:00", "quiet_end": "07:00"}).body
    assert (state["quiet_start"], state["quiet_end"]) == ("22:00:00", "07:00:00")
    bad = api.request("put", "/api/notifications/email", {"quiet_start": "22:00"})
    assert bad.status_code == 400
    assert bad.body["code"] == "bad_quiet_hours"
    assert api.request("put", "/api/notifications/email", {"quiet_start": "25:00", "quiet_end": "07:00"}).status_code == 422
    offset = api.request("put", "/api/notifications/email", {"quiet_start": "22:00+02:00", "quiet_end": "07:00"})
    assert offset.status_code == 400
    assert api.get("/api/notifications/email").body["quiet_start"] == "22:00:00"  # unchanged
    Mailbox.objects.filter(user=member.user).update(paused_at=clock.now())
    assert api.get("/api/notifications/email").body["paused"] is True
    state = api.request("put", "/api/notifications/email", {"quiet_start": "22:00", "quiet_end": "07:00", "resume": True}).body
    assert state["paused"] is False
    assert state["quiet_start"] == "22:00:00"
