"""Calendars and time zones: .ics parsed back field by field, subscriptions, reminders in three zones, DST."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import icalendar
import pytest
from django.test import Client
from django.urls import reverse

from courtyard.events import services
from courtyard.events.models import Occurrence
from courtyard.groups import services as group_services
from tests.events.conftest import make_event
from tests.factories import make_profile

pytestmark = pytest.mark.django_db
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def client_for(profile) -> Client:
    client = Client()
    client.force_login(profile.user)
    client.get("/healthz")
    return client


def parse(response) -> icalendar.Calendar:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def vevents(calendar: icalendar.Calendar) -> list[icalendar.Event]:
    return list(calendar.walk("VEVENT"))


def test_event_ics_field_by_field_across_dst(now, host, guest_list):
    event = make_event(host, title="Weekly retro", start_date=dt.date(2030, 3, 22), frequency="weekly", repeat_count=3,
                       description="Bring *ideas*", place="Room 4", format="hybrid",
                       meeting_url="https://meet.example.com/retro", kind="workshop")
    dates = list(Occurrence.objects.filter(event=event).order_by("start_at"))
    services.rsvp_set(actor=guest_list[0].user, occurrence=dates[0], status="going")
    calendar = parse(client_for(guest_list[0]).get(reverse("events:event_ics", args=[event.pk])))
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["X-WR-CALNAME"]) == "Weekly retro"
    [zone] = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Berlin"
    entries = vevents(calendar)
    assert [str(e["UID"]) for e in entries] == [f"occurrence-{o.pk}@127.0.0.1" for o in dates]
    starts = [e.decoded("DTSTART") for e in entries]
    assert [s.strftime("%Y-%m-%d %H:%M") for s in starts] == ["2030-03-22 18:00", "2030-03-29 18:00", "2030-04-05 18:00"]
    assert [e["DTSTART"].params["TZID"] for e in entries] == ["Europe/Berlin"] * 3
    assert [s.astimezone(dt.UTC).hour for s in starts] == [17, 17, 16]  # the DST change moves the UTC hour only
    assert [e.decoded("DTEND") - e.decoded("DTSTART") for e in entries] == [dt.timedelta(hours=2)] * 3
    first = entries[0]
    assert str(first["SUMMARY"]) == "Weekly retro"
    assert str(first["LOCATION"]) == "Room 4"
    assert str(first["STATUS"]) == "CONFIRMED"
    assert int(first["SEQUENCE"]) == 0
    assert "Join online: https://meet.example.com/retro" in str(first["DESCRIPTION"])  # going: the link
    assert "meet.example.com" not in str(entries[1]["DESCRIPTION"])  # not going to that date
    assert str(first["URL"]).endswith(reverse("events:occurrence", args=[event.pk, dates[0].pk]))
    assert "Workshop / learning" in str(first["CATEGORIES"].to_ical().decode())
    assert first.decoded("DTSTAMP").tzinfo is not None
    assert first.decoded("LAST-MODIFIED").tzinfo is not None


def test_updates_keep_the_uid_and_raise_the_sequence(now, host, guest_list):
    event = make_event(host)
    occurrence = Occurrence.objects.get(event=event)
    url = reverse("events:occurrence_ics", args=[event.pk, occurrence.pk])
    client = client_for(guest_list[0])
    before = vevents(parse(client.get(url)))[0]
    services.occurrence_update(actor=host.user, occurrence=occurrence, start=dt.datetime(2030, 3, 8, 19, 0),
                               end=dt.datetime(2030, 3, 8, 21, 0))
    middle = vevents(parse(client.get(url)))[0]
    data = services.event_data_from(event)
    data.title = "Friday drinks (rooftop bar)"
    services.event_update(actor=host.user, event=event, data=data)
    after = vevents(parse(client.get(url)))[0]
    services.occurrence_cancel(actor=host.user, occurrence=occurrence, reason="Rain")
    cancelled = vevents(parse(client.get(url)))[0]
    assert str(before["UID"]) == str(middle["UID"]) == str(after["UID"]) == str(cancelled["UID"])
    assert int(before["SEQUENCE"]) < int(middle["SEQUENCE"]) < int(after["SEQUENCE"]) < int(cancelled["SEQUENCE"])
    assert middle.decoded("DTSTART") == dt.datetime(2030, 3, 8, 19, 0, tzinfo=BERLIN)
    assert str(after["SUMMARY"]) == "Friday drinks (rooftop bar)"
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert "Rain" in str(cancelled["DESCRIPTION"])


def test_all_day_and_multi_day_events_are_dates(now, host):
    event = make_event(host, title="Offsite", all_day=True, start_date=dt.date(2030, 3, 27), end_date=dt.date(2030, 3, 29),
                       timezone="America/Los_Angeles")
    occurrence = Occurrence.objects.get(event=event)
    assert (occurrence.start_date, occurrence.end_date) == (dt.date(2030, 3, 27), dt.date(2030, 3, 29))
    entry = vevents(parse(client_for(host).get(reverse("events:occurrence_ics", args=[event.pk, occurrence.pk]))))[0]
    assert entry.decoded("DTSTART") == dt.date(2030, 3, 27)
    assert entry.decoded("DTEND") == dt.date(2030, 3, 30)  # exclusive end, RFC 5545
    assert "TZID" not in entry["DTSTART"].params
    # Shown on the same dates to people on the other side of the world.
    tokyo = make_profile(email="t@example.com", full_name="Tokyo Person", timezone="Asia/Tokyo")
    page = client_for(tokyo).get(reverse("events:occurrence", args=[event.pk, occurrence.pk])).content.decode()
    assert "Wed 27 Mar – Fri 29 Mar 2030" in page


def test_personal_feed_is_secret_revocable_and_follows_access(now, host, guest_list, private_group):
    member = guest_list[0]
    group_services.membership_invite(actor=host.user, group=private_group, profile=member)
    group_services.membership_join(actor=member.user, group=private_group)
    public = make_event(host, title="Town hall", kind="town_hall")
    secret = make_event(host, title="Leadership offsite", group=private_group, visibility="group")
    skipped = make_event(host, title="Not for me")
    for event in (public, secret):
        services.rsvp_set(actor=member.user, occurrence=Occurrence.objects.get(event=event), status="going")
    services.rsvp_set(actor=member.user, occurrence=Occurrence.objects.get(event=skipped), status="not_going")
    _feed, raw = services.calendar_feed_create(actor=member.user)
    anonymous = Client()  # calendar apps do not sign in
    url = reverse("events:feed_personal", args=[raw])
    titles = sorted(str(e["SUMMARY"]) for e in vevents(parse(anonymous.get(url))))
    assert titles == ["Leadership offsite", "Town hall"]
    group_services.membership_leave(actor=member.user, group=private_group)
    titles = sorted(str(e["SUMMARY"]) for e in vevents(parse(anonymous.get(url))))
    assert titles == ["Town hall"]  # no longer a member: the private group's event is gone from the feed too
    organization = [str(e["SUMMARY"]) for e in vevents(parse(anonymous.get(
        reverse("events:feed_organization", args=[raw]))))]
    assert sorted(organization) == ["Not for me", "Town hall"]
    services.calendar_feed_revoke(actor=member.user)
    assert anonymous.get(url).status_code == 404
    assert anonymous.get(reverse("events:feed_organization", args=[raw])).status_code == 404
    assert anonymous.get(reverse("events:feed_personal", args=["cal_forged"])).status_code == 404


def test_reminders_reach_three_time_zones_at_their_own_nine(now, host, sent):
    people = {
        "Europe/Berlin": make_profile(email="b@example.com", full_name="Berta Berlin", timezone="Europe/Berlin"),
        "America/New_York": make_profile(email="n@example.com", full_name="Ned NewYork", timezone="America/New_York"),
        "Asia/Tokyo": make_profile(email="t@example.com", full_name="Taro Tokyo", timezone="Asia/Tokyo"),
    }
    event = make_event(host, title="Launch", start_date=dt.date(2030, 3, 12), start_time=dt.time(8, 0),
                       end_time=dt.time(9, 0))  # Tuesday 08:00 Berlin = 07:00 UTC
    occurrence = Occurrence.objects.get(event=event)
    for person in people.values():
        services.rsvp_set(actor=person.user, occurrence=occurrence, status="going")
    sent.clear()
    timeline = []
    moment = dt.datetime(2030, 3, 10, 12, 0, tzinfo=dt.UTC)
    while moment < occurrence.start_at + dt.timedelta(minutes=10):
        now.set(moment)
        before = len(sent)
        services.reminders_send()
        timeline += [(moment, s["recipient"].email, s["text"]) for s in sent[before:]]
        moment += dt.timedelta(minutes=5)
    day = {(email, at) for at, email, text in timeline if text.startswith("Tomorrow")}
    assert day == {
        ("t@example.com", dt.datetime(2030, 3, 11, 0, 0, tzinfo=dt.UTC)),  # 09:00 in Tokyo, Monday
        ("b@example.com", dt.datetime(2030, 3, 11, 8, 0, tzinfo=dt.UTC)),  # 09:00 in Berlin, Monday
        ("n@example.com", dt.datetime(2030, 3, 11, 13, 0, tzinfo=dt.UTC)),  # 09:00 in New York (EDT), Monday
    }
    hour = {(email, at) for at, email, text in timeline if text.startswith("In an hour")}
    assert hour == {(p.user.email, dt.datetime(2030, 3, 12, 6, 0, tzinfo=dt.UTC)) for p in people.values()}
    texts = {email: text for _at, email, text in timeline if text.startswith("Tomorrow")}
    assert "Tue 12 Mar, 08:00 (Europe/Berlin)" in texts["b@example.com"]
    assert "Tue 12 Mar, 03:00 (America/New_York)" in texts["n@example.com"]
    assert "Tue 12 Mar, 16:00 (Asia/Tokyo)" in texts["t@example.com"]
    assert len(timeline) == 6  # each reminder once, though the job ran every five minutes


def test_cancelled_dates_get_no_reminders(now, host, guest_list, sent):
    event = make_event(host)
    occurrence = Occurrence.objects.get(event=event)
    services.rsvp_set(actor=guest_list[0].user, occurrence=occurrence, status="going")
    services.occurrence_cancel(actor=host.user, occurrence=occurrence)
    now.set(occurrence.start_at - dt.timedelta(minutes=59))
    sent.clear()
    assert services.reminders_send() == 0
    assert sent == []
