"""Seats as members read them, and the fixes around them: one count on every surface (hosts counted as going), a
party that does not fit is told how many seats are left, no check-in for the waitlist, the waitlist buttons, a
host removing an answer, answers told to hosts who asked, reminders for "maybe", and change notices only for
the people an event still concerns."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from courtyard.core.errors import Conflict, PermissionDenied
from courtyard.core.models import AuditEntry
from courtyard.events import services
from courtyard.events.domain import waitlist
from courtyard.events.models import Occurrence, Rsvp
from courtyard.notifications.models import Notification
from courtyard.notifications.services import preferences_set
from tests.events.conftest import make_event
from tests.factories import make_profile
from tests.helpers import db_snapshot

pytestmark = pytest.mark.django_db


def client_for(profile) -> Client:
    client = Client()
    client.force_login(profile.user)
    client.get("/healthz")
    return client


def first(event) -> Occurrence:
    return Occurrence.objects.filter(event=event).order_by("start_at").select_related("event", "event__group").first()


def answer(profile, occurrence, status="going", **kwargs) -> Rsvp:
    return services.rsvp_set(actor=profile.user, occurrence=first(occurrence.event), status=status, **kwargs)


def text(html: str) -> str:
    """The page's words, without tags and with single spaces, to read counts as a member does."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# --- The pure rules ---------------------------------------------------------------------------------------


def test_a_party_larger_than_the_free_seats_is_not_told_full():
    too_big = waitlist.place(wanted="going", capacity=3, taken=2, old_status=None, old_party=0, party=2,
                             someone_waiting=False)
    assert (too_big.status, too_big.reason) == ("waitlisted", "party_too_big")
    full = waitlist.place(wanted="going", capacity=3, taken=3, old_status=None, old_party=0, party=1,
                          someone_waiting=False)
    assert (full.status, full.reason) == ("waitlisted", "full")


def test_seats_count_guests_and_hosts_who_have_not_answered():
    seats = waitlist.seats_of(capacity=3, seats_taken=2, going_count=1, hosts_unanswered=1, waiting=0)
    assert (seats.going, seats.hosts, seats.taken, seats.free, seats.full, seats.waitlist_only) == (2, 1, 2, 1, False, False)
    queued = waitlist.seats_of(capacity=3, seats_taken=2, going_count=1, hosts_unanswered=0, waiting=1)
    assert (queued.full, queued.waitlist_only) == (False, True)  # a seat is free, but people wait for it
    unlimited = waitlist.seats_of(capacity=None, seats_taken=9, going_count=4, hosts_unanswered=2, waiting=0)
    assert (unlimited.free, unlimited.full, unlimited.waitlist_only) == (None, False, False)


# --- One count on every surface ---------------------------------------------------------------------------


def test_list_page_and_api_count_seats_and_hosts_the_same_way(now, host, guest_list):
    event = make_event(host, title="Pottery evening", capacity=3, allow_guests=True, max_guests=2)
    occurrence = first(event)
    member = guest_list[0]
    answer(member, occurrence, guests=1)  # 2 seats: the member and a guest
    viewer = client_for(guest_list[1])
    listing = text(viewer.get(reverse("events:list")).content.decode())
    assert "2 going (incl. 1 host)" in listing
    assert "2 of 3 seats taken" in listing
    page = text(viewer.get(reverse("events:occurrence", args=[event.pk, occurrence.pk])).content.decode())
    assert "2 going (including 1 host) · 2 of 3 seats taken, 1 free" in page
    assert "Hana Host · host" in page
    api = viewer.get(f"/api/events/occurrences/{occurrence.pk}").json()
    assert (api["going_count"], api["hosts_going"], api["seats_taken"], api["free_seats"]) == (2, 1, 2, 1)
    listed = viewer.get("/api/events/").json()["items"][0]
    assert (listed["going_count"], listed["hosts_going"], listed["seats_taken"], listed["free_seats"]) == (2, 1, 2, 1)
    dates = viewer.get(f"/api/events/{event.pk}/occurrences").json()[0]
    assert (dates["going_count"], dates["hosts_going"]) == (2, 1)
    # The host's page says why they count.
    host_page = text(client_for(host).get(reverse("events:occurrence", args=[event.pk, occurrence.pk])).content.decode())
    assert "You are hosting, so you count as going." in host_page
    # A host who answers is counted by the answer: not going leaves one person going; going takes a seat.
    answer(host, occurrence, status="not_going")
    api = viewer.get(f"/api/events/occurrences/{occurrence.pk}").json()
    assert (api["going_count"], api["hosts_going"], api["seats_taken"], api["free_seats"]) == (1, 0, 2, 1)
    answer(host, occurrence)
    api = viewer.get(f"/api/events/occurrences/{occurrence.pk}").json()
    assert (api["going_count"], api["hosts_going"], api["seats_taken"], api["free_seats"]) == (2, 0, 3, 0)
    listing = text(viewer.get(reverse("events:list")).content.decode())
    assert "2 going" in listing
    assert "Full" in listing
    assert "incl." not in listing


# --- A party that does not fit ----------------------------------------------------------------------------


def test_a_party_that_does_not_fit_is_told_how_many_seats_are_left_and_offered_the_waitlist(now, host, guest_list):
    admin = make_profile(email="ada.admin@example.com", full_name="Ada Admin", is_admin=True)
    event = make_event(host, capacity=3, allow_guests=True, max_guests=2)
    occurrence = first(event)
    answer(guest_list[0], occurrence, guests=1)
    client, api_client = client_for(admin), client_for(guest_list[1])
    url = reverse("events:rsvp", args=[event.pk, occurrence.pk])
    before = db_snapshot()
    refused = client.post(url, {"status": "going", "guests": "1"})
    assert refused.status_code == 409
    html = text(refused.content.decode())
    assert "Only 1 seat is left; your party needs 2." in html
    assert "The event is full" not in html
    assert "Join the waitlist" in html
    assert "1 free" in html  # the number shown agrees with the message
    # The API says the same thing, and changes nothing either.
    api = api_client.put(f"/api/events/occurrences/{occurrence.pk}/rsvp",
                                        {"status": "going", "guests": 1}, content_type="application/json")
    assert api.status_code == 409
    assert api.json()["code"] == "party_does_not_fit"
    assert "Only 1 seat is left; your party needs 2." in api.json()["message"]
    assert db_snapshot() == before
    joined = client.post(url, {"status": "going", "guests": "1", "join_waitlist": "1"}, follow=True)
    assert Rsvp.objects.get(occurrence=occurrence, profile=admin).status == "waitlisted"
    page = text(joined.content.decode())
    assert "The event is full" not in page
    assert "You are on the waitlist: the free seats go first" in page


# --- Check-in ---------------------------------------------------------------------------------------------


def test_waitlisted_people_cannot_check_themselves_in_and_walk_ins_keep_their_guests(now, host, guest_list):
    event = make_event(host, capacity=2, allow_guests=True, max_guests=2)
    occurrence = first(event)
    going, waiting, maybe = guest_list[0], guest_list[1], guest_list[2]
    answer(going, occurrence)
    answer(waiting, occurrence, guests=1, join_waitlist=True)  # 1 seat free, party of 2: waits
    answer(maybe, occurrence, status="maybe", guests=1)
    now.set(occurrence.start_at - dt.timedelta(minutes=10))
    page_url = reverse("events:occurrence", args=[event.pk, occurrence.pk])
    checkin_url = reverse("events:self_checkin", args=[event.pk, occurrence.pk])
    waiting_client = client_for(waiting)
    assert checkin_url not in waiting_client.get(page_url).content.decode()
    assert checkin_url in client_for(going).get(page_url).content.decode()
    before = db_snapshot()
    with pytest.raises(Conflict) as refused:
        services.checkin_self(actor=waiting.user, occurrence=occurrence, code=occurrence.checkin_code)
    assert refused.value.code == "waitlisted"
    assert "waitlist" in refused.value.message
    response = waiting_client.post(checkin_url, {"code": occurrence.checkin_code})
    assert response.status_code == 409
    assert "You are on the waitlist" in response.content.decode()
    assert db_snapshot() == before
    # The "maybe" walk-in comes with a guest: two seats, one free. Told so; the guest is never dropped.
    with pytest.raises(Conflict) as too_big:
        services.checkin_self(actor=maybe.user, occurrence=occurrence, code=occurrence.checkin_code)
    assert too_big.value.code == "party_does_not_fit"
    assert Rsvp.objects.get(occurrence=occurrence, profile=maybe).guests == 1
    # With seats for the whole party (the host adds seats: the waiting party goes first), the walk-in is checked in
    # with the guest.
    data = services.event_data_from(event)
    data.capacity = 5
    services.event_update(actor=host.user, event=event, data=data)
    walk_in = services.checkin_self(actor=maybe.user, occurrence=first(event), code=occurrence.checkin_code)
    assert (walk_in.status, walk_in.guests, walk_in.attendance) == ("going", 1, "attended")
    occurrence.refresh_from_db()
    assert occurrence.seats_taken == 1 + 2 + 2  # going (1), the waitlisted party now promoted (2), the walk-in (2)


# --- The buttons ------------------------------------------------------------------------------------------


def test_the_answer_button_says_join_or_leave_the_waitlist(now, host, guest_list):
    event = make_event(host, capacity=1)
    occurrence = first(event)
    url = reverse("events:occurrence", args=[event.pk, occurrence.pk])
    assert "Send my answer" in client_for(guest_list[0]).get(url).content.decode()
    answer(guest_list[0], occurrence)
    html = client_for(guest_list[1]).get(url).content.decode()
    assert "Join the waitlist" in html
    assert "Send my answer" not in html
    answer(guest_list[1], occurrence)
    waiting = client_for(guest_list[1])
    html = waiting.get(url).content.decode()
    assert "Leave the waitlist" in html
    assert "Join the waitlist" not in html
    waiting.post(reverse("events:rsvp", args=[event.pk, occurrence.pk]), {"status": "not_going", "guests": "0"})
    assert Rsvp.objects.get(occurrence=occurrence, profile=guest_list[1]).status == "not_going"


# --- Hosts remove an answer -------------------------------------------------------------------------------


def test_a_host_removes_an_answer_the_person_is_told_and_the_waitlist_moves_up(now, host, guest_list):
    event = make_event(host, title="Climbing", capacity=1)
    occurrence = first(event)
    removed, next_in_line = guest_list[0], guest_list[1]
    rsvp = answer(removed, occurrence)
    answer(next_in_line, occurrence)
    url = reverse("events:answer_remove", args=[event.pk, occurrence.pk, rsvp.pk])
    # Nobody but the hosts (and admins) may do it; refusals change nothing.
    hosting, other = client_for(host), client_for(next_in_line)
    before = db_snapshot()
    with pytest.raises(PermissionDenied):
        services.rsvp_remove(actor=next_in_line.user, occurrence=occurrence, rsvp_id=rsvp.pk)
    assert other.post(url, {"note": "x"}).status_code == 403
    assert hosting.post(url, {"note": "a" * 501}).status_code == 400
    assert hosting.get(reverse("events:answer_remove", args=[event.pk, occurrence.pk, "nope"])).status_code == 404
    assert db_snapshot() == before
    checkin_list = client_for(host).get(reverse("events:checkin", args=[event.pk, occurrence.pk])).content.decode()
    assert url in checkin_list
    confirm = client_for(host).get(url)
    assert confirm.status_code == 200
    assert "Remove Person 00 from this date?" in confirm.content.decode()
    done = client_for(host).post(url, {"note": "Booked twice, sorry!"})
    assert done.status_code == 302
    assert Rsvp.objects.get(pk=rsvp.pk).status == "not_going"
    assert Rsvp.objects.get(occurrence=occurrence, profile=next_in_line).status == "going"
    told = Notification.objects.get(recipient=removed.user, kind="event_rsvp_removed")
    assert "A host removed your answer to “Climbing”" in told.text
    assert "Booked twice, sorry!" in told.text
    assert Notification.objects.filter(recipient=next_in_line.user, kind="event_waitlist_promoted").exists()
    entry = AuditEntry.objects.get(action="events.rsvp.removed")
    assert entry.data["was"] == "going"
    assert entry.data["note"] == "Booked twice, sorry!"
    with pytest.raises(Conflict) as again:
        services.rsvp_remove(actor=host.user, occurrence=occurrence, rsvp_id=rsvp.pk)
    assert again.value.code == "not_going"
    # The API does the same for hosts; a second removal is a clear 409 that changes nothing.
    api = hosting.post(f"/api/events/occurrences/{occurrence.pk}/answers/{rsvp.pk}/remove", {"note": ""},
                       content_type="application/json")
    assert api.status_code == 409
    assert api.json()["code"] == "not_going"
    promoted = Rsvp.objects.get(occurrence=occurrence, profile=next_in_line)
    api = hosting.post(f"/api/events/occurrences/{occurrence.pk}/answers/{promoted.pk}/remove",
                       {"note": "Sorry"}, content_type="application/json")
    assert api.status_code == 200
    assert api.json()["status"] == "not_going"


# --- Hosts hear about answers when they ask -----------------------------------------------------------------


def test_hosts_hear_about_answers_only_when_they_chose_it(now, host, guest_list):
    event = make_event(host, title="Board games")
    occurrence = first(event)
    answer(guest_list[0], occurrence)
    assert not Notification.objects.filter(recipient=host.user, kind="event_rsvp_received").exists()  # off by default
    preferences_set(actor=host.user, choices={"event_rsvp_received": True})
    answer(guest_list[1], occurrence, status="maybe")
    notice = Notification.objects.get(recipient=host.user, kind="event_rsvp_received")
    assert notice.text == "New answers to “Board games”: Person 01 is maybe"
    answer(host, occurrence)  # the host's own answer tells nobody
    assert Notification.objects.filter(kind="event_rsvp_received").count() == 1


# --- Reminders for maybe ------------------------------------------------------------------------------------


def test_maybe_gets_a_reminder_in_its_own_words_unless_switched_off(now, host, guest_list):
    event = make_event(host, title="Quiz")
    occurrence = first(event)
    going, maybe, quiet, no = guest_list[:4]
    answer(going, occurrence)
    answer(maybe, occurrence, status="maybe")
    answer(quiet, occurrence, status="maybe")
    answer(no, occurrence, status="not_going")
    preferences_set(actor=quiet.user, choices={"event_reminder": False})
    now.set(occurrence.start_at - dt.timedelta(minutes=59))
    services.reminders_send()
    reminders = {n.recipient_id: n.text for n in Notification.objects.filter(kind="event_reminder")}
    assert set(reminders) == {going.user.pk, maybe.user.pk}
    assert "You said maybe" in reminders[maybe.user.pk]
    assert "You said maybe" not in reminders[going.user.pk]


# --- Change notices -----------------------------------------------------------------------------------------


def test_changes_reach_going_maybe_and_waiting_but_not_those_not_going(now, host, guest_list, sent):
    event = make_event(host, capacity=1)
    occurrence = first(event)
    going, maybe, waiting, no = guest_list[:4]
    answer(going, occurrence)
    answer(maybe, occurrence, status="maybe")
    answer(waiting, occurrence)
    answer(no, occurrence, status="not_going")
    sent.clear()
    data = services.event_data_from(event)
    data.place = "Basement"
    services.event_update(actor=host.user, event=event, data=data)
    assert {s["recipient"] for s in sent} == {going.user, maybe.user, waiting.user}
    sent.clear()
    services.occurrence_update(actor=host.user, occurrence=first(event), start=None, end=None, place="Garden",
                               note="Sunny")
    assert {s["recipient"] for s in sent} == {going.user, maybe.user, waiting.user}
