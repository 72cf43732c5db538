"""The events API: the same rules as the pages, every answer checked against the OpenAPI document."""

from __future__ import annotations

import datetime as dt

import pytest

from courtyard.events.models import Event, Occurrence, Rsvp
from tests.api.conftest import api_for
from tests.events.conftest import make_event
from tests.helpers import db_snapshot

pytestmark = pytest.mark.django_db


def test_host_creates_members_answer_and_the_host_checks_in(now, host, guest_list, open_group):
    api = api_for(host)
    created = api.request("post", "/api/events/", {
        "title": "Pottery workshop", "kind": "workshop", "format": "in_person", "group": open_group.slug,
        "start_date": "2030-03-06", "start_time": "17:00:00", "end_time": "19:00:00", "timezone": "Europe/Lisbon",
        "capacity": 2, "allow_guests": True, "max_guests": 1, "place": "Studio B",
        "questions": [{"text": "Allergies?", "required": False}], "cohost_emails": [guest_list[5].user.email],
    })
    assert created.status_code == 201
    body = created.body
    assert body["group"] == open_group.slug
    assert body["can_manage"] is True
    assert {h["display_name"] for h in body["hosts"]} == {"Hana Host", "Person 05"}
    occurrence_id = body["next_occurrences"][0]["id"]
    assert body["next_occurrences"][0]["start"].startswith("2030-03-06T17:00:00")  # Lisbon is on UTC in March
    question = body["questions"][0]["id"]
    first, second, third = (api_for(p) for p in guest_list[:3])
    going = first.request("put", f"/api/events/occurrences/{occurrence_id}/rsvp",
                          {"status": "going", "guests": 1, "answers": {str(question): "Clay dust"}})
    assert going.body["status"] == "going"
    assert going.body["answers"] == {str(question): "Clay dust"}
    waiting = second.request("put", f"/api/events/occurrences/{occurrence_id}/rsvp", {"status": "going"})
    assert (waiting.body["status"], waiting.body["waitlist_place"]) == ("waitlisted", 1)
    assert third.request("put", f"/api/events/occurrences/{occurrence_id}/rsvp", {"status": "going"}).body[
        "waitlist_place"] == 2
    detail = second.request("get", f"/api/events/occurrences/{occurrence_id}").body
    assert (detail["waitlist_place"], detail["meeting_url"], detail["seats_taken"]) == (1, None, 2)
    cancelled = first.request("delete", f"/api/events/occurrences/{occurrence_id}/rsvp")
    assert cancelled.body["status"] == "not_going"
    assert second.request("get", f"/api/events/occurrences/{occurrence_id}").body["my_status"] == "going"
    listing = second.request("get", "/api/events/?going=true").body
    assert [i["id"] for i in listing["items"]] == [occurrence_id]
    assert listing["next_cursor"] is None
    now.set(dt.datetime(2030, 3, 6, 17, 5, tzinfo=dt.UTC))
    api, first = api_for(host), api_for(guest_list[0])  # sessions idle for days have ended: sign in again
    attendees = api.request("get", f"/api/events/occurrences/{occurrence_id}/attendees").body
    ids = [a["rsvp_id"] for a in attendees["items"] if a["status"] == "going"]
    checked = api.request("post", f"/api/events/occurrences/{occurrence_id}/checkins", {"rsvp_ids": ids})
    assert checked.body == {"changed": 2, "attended_count": 2}
    member_view = first.request("get", f"/api/events/occurrences/{occurrence_id}/attendees").body
    assert all(a["attendance"] is None for a in member_view["items"])  # attendance is for hosts


def test_patch_changes_only_what_is_sent_and_refuses_bad_input(now, host, guest_list):
    event = make_event(host, capacity=5, description="Old")
    occurrence = Occurrence.objects.get(event=event)
    for p in guest_list[:3]:
        api_for(p).request("put", f"/api/events/occurrences/{occurrence.pk}/rsvp", {"status": "going"})
    api = api_for(host)
    changed = api.request("patch", f"/api/events/{event.pk}", {"title": "New title", "hide_attendees": True})
    assert changed.status_code == 200
    assert (changed.body["title"], changed.body["description"], changed.body["capacity"]) == ("New title", "Old", 5)
    before = db_snapshot()
    for payload, status, code in [
        ({"capacity": 2}, 409, "capacity_below_going"),
        ({"end_time": "17:00:00"}, 400, "end_before_start"),
        ({"timezone": "Moon/Base"}, 400, "bad_timezone"),
        ({"title": None}, 400, "null_field"),
        ({"capacity": -1}, 422, "invalid"),
        ({"surprise": 1}, 422, "invalid"),
        ({"cohost_emails": ["nobody@example.com"]}, 400, "unknown_person"),
    ]:
        response = api.request("patch", f"/api/events/{event.pk}", payload)
        assert (response.status_code, response.body["code"]) == (status, code), payload
    assert db_snapshot() == before
    hidden = api_for(guest_list[0]).request("get", f"/api/events/occurrences/{occurrence.pk}/attendees")
    assert hidden.status_code == 403


def test_bad_answers_give_clear_errors_and_change_nothing(now, host, guest_list):
    event = make_event(host, capacity=3, rsvp_closes_hours=2)
    occurrence = Occurrence.objects.get(event=event)
    api = api_for(guest_list[0])
    before = db_snapshot()
    negative = api.request("put", f"/api/events/occurrences/{occurrence.pk}/rsvp", {"status": "going", "guests": -1})
    assert negative.status_code == 422
    guests = api.request("put", f"/api/events/occurrences/{occurrence.pk}/rsvp", {"status": "going", "guests": 1})
    assert (guests.status_code, guests.body["code"]) == (400, "no_guests")
    now.set(occurrence.start_at - dt.timedelta(hours=1))
    api = api_for(guest_list[0])
    before = db_snapshot()
    late = api.request("put", f"/api/events/occurrences/{occurrence.pk}/rsvp", {"status": "going"})
    assert (late.status_code, late.body["code"]) == (409, "deadline_passed")
    assert db_snapshot() == before


def test_one_date_patch_and_cancel_and_the_event_cancel(now, host, guest_list):
    event = make_event(host, frequency="weekly", repeat_count=2)
    first, second = Occurrence.objects.filter(event=event).order_by("start_at")
    api = api_for(host)
    moved = api.request("patch", f"/api/events/occurrences/{second.pk}", {"start": "2030-03-15T20:00:00",
                                                                          "end": "2030-03-15T22:00:00"})
    assert moved.body["start"].startswith("2030-03-15T19:00:00")  # 20:00 Berlin
    assert api.request("patch", f"/api/events/occurrences/{second.pk}",
                       {"start": "9999-01-01T00:00:00"}).status_code == 400
    assert api.request("post", f"/api/events/occurrences/{first.pk}/cancel", {"reason": "Ill"}).body["cancelled"]
    dates = api.request("get", f"/api/events/{event.pk}/occurrences").body
    assert [d["cancelled"] for d in dates] == [True, False]
    assert api.request("post", f"/api/events/{event.pk}/cancel", {}).body["cancelled"] is True
    assert Event.objects.get(pk=event.pk).cancelled_at is not None


def test_feedback_and_self_checkin_and_calendar_feed(now, host, guest_list):
    event = make_event(host)
    occurrence = Occurrence.objects.get(event=event)
    api = api_for(guest_list[0])
    api.request("put", f"/api/events/occurrences/{occurrence.pk}/rsvp", {"status": "going"})
    now.set(occurrence.start_at)
    api = api_for(guest_list[0])
    wrong = api.request("post", f"/api/events/occurrences/{occurrence.pk}/checkin", {"code": "NOPE42"})
    assert (wrong.status_code, wrong.body["code"]) == (400, "bad_code")
    right = api.request("post", f"/api/events/occurrences/{occurrence.pk}/checkin", {"code": occurrence.checkin_code})
    assert right.body["attendance"] == "attended"
    now.set(occurrence.end_at + dt.timedelta(hours=1))
    api = api_for(guest_list[0])
    assert api.request("post", f"/api/events/occurrences/{occurrence.pk}/feedback", {"rating": 5}).status_code == 201
    summary = api_for(host).request("get", f"/api/events/occurrences/{occurrence.pk}/feedback").body
    assert (summary["respondents"], summary["withheld"], summary["average"]) == (1, True, None)
    assert api.request("get", f"/api/events/occurrences/{occurrence.pk}/feedback").status_code == 403
    feed = api.request("post", "/api/events/calendar-feed")
    assert feed.status_code == 201
    assert "/events/feed/cal_" in feed.body["url"]
    assert api.request("get", "/api/events/calendar-feed").body["active"] is True
    api.request("delete", "/api/events/calendar-feed")
    assert api.request("get", "/api/events/calendar-feed").body["active"] is False
    assert Rsvp.objects.get(occurrence=occurrence).attendance == "attended"


def test_anonymous_callers_get_401(now, host):
    event = make_event(host)
    api = api_for()
    for method, path in [("get", "/api/events/"), ("get", f"/api/events/{event.pk}"), ("post", "/api/events/")]:
        assert api.request(method, path, {} if method == "post" else None).status_code == 401
