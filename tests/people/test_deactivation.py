"""Deactivation ends access and gives up seats: sessions and API tokens end for good (a reactivation does not
revive them), seats at dates to come go to the waitlist (whose next person is told), and history stays."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from courtyard.accounts import services as accounts
from courtyard.accounts.models import ApiToken, UserSession
from courtyard.core import clock
from courtyard.events import selectors as event_selectors
from courtyard.events import services as events
from courtyard.events.models import Rsvp
from courtyard.notifications.models import Notification
from courtyard.people import importing
from courtyard.people.services import member_set_active
from tests.factories import make_profile

pytestmark = pytest.mark.django_db


def _browser(profile) -> Client:
    client = Client()
    client.force_login(profile.user)
    assert client.get("/healthz").status_code == 200  # records the session
    assert client.get(reverse("people:directory")).status_code == 200
    return client


def _signed_out(client: Client) -> bool:
    response = client.get(reverse("people:directory"))
    return response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def _api(raw: str) -> int:
    return Client().get("/api/notifications/unread", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code


def test_deactivation_ends_sessions_and_tokens_and_reactivation_does_not_revive_them(member, admin):
    laptop, phone = _browser(member), _browser(member)
    _token, raw = accounts.api_token_create(actor=member.user, name="script")
    assert _api(raw) == 200

    member_set_active(actor=admin.user, profile=member, active=False)
    assert not UserSession.objects.filter(user=member.user, ended_at__isnull=True).exists()
    assert not ApiToken.objects.filter(user=member.user, revoked_at__isnull=True).exists()
    assert _api(raw) == 401

    member_set_active(actor=admin.user, profile=member, active=True)
    assert _signed_out(laptop)
    assert _signed_out(phone)
    assert _api(raw) == 401
    # Signing in again works, and so does a new token.
    assert _browser(member).get(reverse("people:directory")).status_code == 200
    _new, fresh = accounts.api_token_create(actor=member.user, name="script 2")
    assert _api(fresh) == 200


def test_others_sessions_and_tokens_are_untouched(member, other_member, admin):
    theirs = _browser(other_member)
    _token, raw = accounts.api_token_create(actor=other_member.user, name="theirs")
    member_set_active(actor=admin.user, profile=member, active=False)
    assert not _signed_out(theirs)
    assert _api(raw) == 200


def test_the_organization_import_ends_access_the_same_way(member, other_member, admin):
    browser = _browser(other_member)
    _token, raw = accounts.api_token_create(actor=other_member.user, name="script")
    importing.people_import_apply(actor=admin.user, data=b"email,name\nmember@example.com,Mia Member\n",
                                  deactivate_missing=True)
    other_member.refresh_from_db()
    assert not other_member.is_active
    member_set_active(actor=admin.user, profile=other_member, active=True)
    other_member.user.refresh_from_db()
    assert other_member.user.is_active
    assert _signed_out(browser)
    assert _api(raw) == 401


# --- seats ------------------------------------------------------------------------------------------------


def _event(host, *, days_ahead: int, capacity: int = 1):
    start = clock.now().date() + dt.timedelta(days=days_ahead)
    return events.event_create(actor=host.user, data=events.EventData(
        title="Workshop", start_date=start, start_time=dt.time(10, 0), end_time=dt.time(12, 0),
        timezone="Europe/Berlin", place="Room 1", capacity=capacity,
    ))


def test_a_deactivated_members_seat_goes_to_the_next_person_waiting_who_is_told(member, other_member, admin):
    host = make_profile(full_name="Hana Host")
    third = make_profile(full_name="Tess Third")
    occurrence = _event(host, days_ahead=10).occurrences.get()
    events.rsvp_set(actor=member.user, occurrence=occurrence, status=Rsvp.Status.GOING)
    events.rsvp_set(actor=other_member.user, occurrence=occurrence, status=Rsvp.Status.GOING)  # waitlisted first
    events.rsvp_set(actor=third.user, occurrence=occurrence, status=Rsvp.Status.GOING)  # then this one
    assert Rsvp.objects.get(profile=other_member).status == Rsvp.Status.WAITLISTED

    member_set_active(actor=admin.user, profile=member, active=False)

    assert Rsvp.objects.get(profile=member).status == Rsvp.Status.NOT_GOING
    assert Rsvp.objects.get(profile=other_member).status == Rsvp.Status.GOING  # arrival order
    assert Rsvp.objects.get(profile=third).status == Rsvp.Status.WAITLISTED
    occurrence.refresh_from_db()
    assert (occurrence.seats_taken, occurrence.going_count, occurrence.waitlist_count) == (1, 1, 1)
    told = Notification.objects.get(kind="event_waitlist_promoted")
    assert told.recipient_id == other_member.user.pk
    listed = [rsvp.profile_id for rsvp in event_selectors.checkin_page(occurrence)]
    assert member.pk not in listed
    exported = "\n".join(",".join(row) for row in event_selectors.attendees_rows(occurrence))
    assert member.display_name not in exported
    # Reactivated, they are not given the seat back: they answer again like anyone.
    member_set_active(actor=admin.user, profile=member, active=True)
    assert Rsvp.objects.get(profile=member).status == Rsvp.Status.NOT_GOING


def test_places_on_the_waitlist_and_maybes_are_released_too(member, other_member, admin):
    host = make_profile(full_name="Hana Host")
    occurrence = _event(host, days_ahead=3).occurrences.get()
    events.rsvp_set(actor=other_member.user, occurrence=occurrence, status=Rsvp.Status.GOING)
    events.rsvp_set(actor=member.user, occurrence=occurrence, status=Rsvp.Status.GOING)
    maybe = _event(host, days_ahead=4).occurrences.get()
    events.rsvp_set(actor=member.user, occurrence=maybe, status=Rsvp.Status.MAYBE)

    member_set_active(actor=admin.user, profile=member, active=False)

    occurrence.refresh_from_db()
    maybe.refresh_from_db()
    assert (occurrence.waitlist_count, maybe.maybe_count) == (0, 0)
    assert set(Rsvp.objects.filter(profile=member).values_list("status", flat=True)) == {Rsvp.Status.NOT_GOING}
    assert Rsvp.objects.get(profile=other_member, occurrence=occurrence).status == Rsvp.Status.GOING


def test_past_attendance_is_kept(member, admin, monkeypatch):
    host = make_profile(full_name="Hana Host")
    occurrence = _event(host, days_ahead=2, capacity=5).occurrences.get()
    events.rsvp_set(actor=member.user, occurrence=occurrence, status=Rsvp.Status.GOING)
    later = occurrence.end_at + dt.timedelta(hours=1)
    monkeypatch.setattr(clock, "now", lambda: later)  # the date is over
    member_set_active(actor=admin.user, profile=member, active=False)
    rsvp = Rsvp.objects.get(profile=member)
    assert rsvp.status == Rsvp.Status.GOING
    occurrence.refresh_from_db()
    assert occurrence.going_count == 1


def test_the_calendar_subscription_address_stops_for_good(member, admin):
    _feed, raw = events.calendar_feed_create(actor=member.user)
    url = reverse("events:feed_personal", args=[raw])
    assert Client().get(url).status_code == 200
    member_set_active(actor=admin.user, profile=member, active=False)
    assert Client().get(url).status_code == 404
    member_set_active(actor=admin.user, profile=member, active=True)
    assert Client().get(url).status_code == 404
