"""Event pages: what a member and a host see and can do, without JavaScript (htmx is an extra)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.test import Client
from django.urls import reverse

from courtyard.events import services
from courtyard.events.models import Event, Occurrence, Rsvp
from tests.events.conftest import make_event
from tests.factories import make_profile
from tests.helpers import db_snapshot, image_upload

pytestmark = pytest.mark.django_db


def client_for(profile) -> Client:
    client = Client()
    client.force_login(profile.user)
    client.get("/healthz")
    return client


def occ_url(name: str, occurrence: Occurrence, *extra) -> str:
    return reverse(f"events:{name}", args=[occurrence.event_id, occurrence.pk, *extra])


def test_create_an_event_through_the_form(now, host, open_group):
    client = client_for(host)
    page = client.get(reverse("events:create"))
    assert page.status_code == 200
    assert "Board Games" in page.content.decode()  # the groups one may host for
    response = client.post(reverse("events:create"), {
        "title": "Chess night", "kind": "social", "format": "hybrid", "group": str(open_group.pk),
        "visibility": "organization", "start_date": "2030-03-12", "start_time": "18:30", "end_time": "21:00",
        "timezone": "Europe/Berlin", "frequency": "weekly", "interval": "2", "monthly_by": "day", "repeat_count": "3",
        "place": "Room 4", "meeting_url": "https://meet.example.com/chess", "description": "Bring a **board**",
        "capacity": "12", "allow_guests": "on", "max_guests": "1", "questions": "Level?\nDietary needs *",
        "feedback_enabled": "on", "feedback_anonymous": "on", "cover": image_upload(),
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.get(title="Chess night")
    assert (event.group, event.format, event.interval) == (open_group, "hybrid", 2)
    assert list(event.questions.values_list("text", "required")) == [("Level?", False), ("Dietary needs", True)]
    assert Occurrence.objects.filter(event=event).count() == 3
    assert event.cover.name.startswith("events/")
    page = client.get(response["Location"], follow=True)
    html = page.content.decode()
    assert "Chess night" in html
    assert "Every 2 weeks on Tuesday, 3 times" in html
    assert "<strong>board</strong>" in html
    cover = client.get(reverse("events:cover", args=[event.pk]))
    assert cover.status_code == 200
    assert cover["Content-Type"] == "image/jpeg"


def test_the_form_keeps_what_was_typed_and_explains(now, host):
    client = client_for(host)
    before = db_snapshot()
    response = client.post(reverse("events:create"), {
        "title": "Backwards", "kind": "social", "format": "in_person", "visibility": "organization",
        "start_date": "2030-03-12", "start_time": "18:30", "end_time": "17:00", "timezone": "Europe/Berlin",
        "frequency": "none", "interval": "1",
    })
    assert response.status_code == 400
    html = response.content.decode()
    assert "The event ends before it starts." in html
    assert 'value="Backwards"' in html
    assert db_snapshot() == before


def test_member_answers_and_sees_their_place_on_the_waitlist(now, host, guest_list):
    event = make_event(host, capacity=1, meeting_url="https://meet.example.com/x", format="hybrid")
    occurrence = Occurrence.objects.get(event=event)
    first, second = guest_list[:2]
    page = client_for(first).get(occ_url("occurrence", occurrence)).content.decode()
    assert "meet.example.com" not in page  # the link is for people going
    response = client_for(first).post(occ_url("rsvp", occurrence), {"status": "going", "guests": "0"})
    assert response.status_code == 302
    page = client_for(first).get(occ_url("occurrence", occurrence)).content.decode()
    assert "You are going." in page
    assert "meet.example.com/x" in page
    client_for(second).post(occ_url("rsvp", occurrence), {"status": "going"})
    page = client_for(second).get(occ_url("occurrence", occurrence)).content.decode()
    assert "You are number 1 on the waitlist." in page
    listing = client_for(second).get(reverse("events:list")).content.decode()
    assert "Friday drinks" in listing
    assert "Waitlist" in listing
    assert "Full" in listing


def test_bad_answer_through_the_page_is_400_and_changes_nothing(now, host, guest_list):
    event = make_event(host, capacity=3, allow_guests=True, max_guests=1)
    occurrence = Occurrence.objects.get(event=event)
    client = client_for(guest_list[0])
    before = db_snapshot()
    response = client.post(occ_url("rsvp", occurrence), {"status": "going", "guests": "-2"})
    assert response.status_code == 400
    assert "cannot be negative" in response.content.decode()
    assert client.post(occ_url("rsvp", occurrence), {"status": "whatever"}).status_code == 400
    assert db_snapshot() == before


def test_host_checks_people_in_and_exports_the_list(now, host, guest_list):
    event = make_event(host, capacity=10, questions=[("Diet?", False)])
    occurrence = Occurrence.objects.get(event=event)
    question = event.questions.get()
    rsvps = [services.rsvp_set(actor=p.user, occurrence=occurrence, status="going",
                               answers={str(question.pk): "=HYPERLINK(\"x\")" if i == 0 else "vegan"})
             for i, p in enumerate(guest_list[:3])]
    now.set(occurrence.start_at)
    client = client_for(host)
    page = client.get(occ_url("checkin", occurrence)).content.decode()
    assert "Person 00" in page
    assert occurrence.checkin_code in page
    found = client.get(occ_url("checkin", occurrence) + "?q=person+01", HTTP_HX_REQUEST="true").content.decode()
    assert "Person 01" in found
    assert "Person 00" not in found
    assert "<html" not in found
    response = client.post(occ_url("checkin", occurrence), {"rsvp": [rsvps[0].pk, rsvps[1].pk], "mark": "attended"})
    assert response.status_code == 302
    assert Rsvp.objects.filter(occurrence=occurrence, attendance="attended").count() == 2
    assert client.post(occ_url("checkin", occurrence), {"rsvp": ["x"], "mark": "attended"}).status_code == 404
    export = client.get(occ_url("attendees_csv", occurrence))
    assert export.status_code == 200
    assert export["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert rows[0][:4] == ["name", "email", "department", "status"]
    assert rows[0][-1] == "Diet?"
    assert len(rows) == 4
    assert rows[1][-1] == "'=HYPERLINK(\"x\")"  # never a live formula
    assert client_for(guest_list[0]).get(occ_url("attendees_csv", occurrence)).status_code == 403


def test_self_checkin_by_code_page(now, host, guest_list):
    event = make_event(host)
    occurrence = Occurrence.objects.get(event=event)
    now.set(occurrence.start_at + dt.timedelta(minutes=5))
    client = client_for(guest_list[0])
    wrong = client.post(reverse("events:checkin_with_code"), {"code": "ZZZZZZ"})
    assert wrong.status_code == 404
    right = client.post(reverse("events:checkin_with_code"), {"code": occurrence.checkin_code.lower()})
    assert right.status_code == 302
    assert Rsvp.objects.get(occurrence=occurrence, profile=guest_list[0]).attendance == "attended"
    client2 = client_for(guest_list[1])
    page = client2.get(occ_url("self_checkin", occurrence) + f"?code={occurrence.checkin_code}")
    assert occurrence.checkin_code in page.content.decode()
    assert client2.post(occ_url("self_checkin", occurrence), {"code": "nope"}).status_code == 400
    assert client2.post(occ_url("self_checkin", occurrence), {"code": occurrence.checkin_code}).status_code == 302


def test_feedback_flow_and_withheld_results(now, host, guest_list):
    event = make_event(host)
    occurrence = Occurrence.objects.get(event=event)
    for p in guest_list[:3]:
        services.rsvp_set(actor=p.user, occurrence=occurrence, status="going")
    now.set(occurrence.end_at + dt.timedelta(hours=1))
    for i, p in enumerate(guest_list[:3]):
        response = client_for(p).post(occ_url("feedback", occurrence), {"rating": str(3 + i), "comment": "Nice"})
        assert response.status_code == 302
    results = client_for(host).get(occ_url("feedback_results", occurrence)).content.decode()
    assert "3 people answered" in results
    assert "Nice" not in results
    assert client_for(guest_list[0]).get(occ_url("feedback_results", occurrence)).status_code == 403
    again = client_for(guest_list[0]).post(occ_url("feedback", occurrence), {"rating": "1"})
    assert again.status_code == 409


def test_feedback_read_before_and_after_each_answer_tells_no_answer(now, host, guest_list):
    """The differencing attack on anonymous feedback: the host reads the page and the API before and after each
    answer. While feedback is taken nothing of the answers shows (only how many answered), so no difference is
    one person's rating or comment; a month after the event all of them show at once."""
    from tests.api.conftest import api_for

    event = make_event(host)
    occurrence = Occurrence.objects.get(event=event)
    for p in guest_list:
        services.rsvp_set(actor=p.user, occurrence=occurrence, status="going")
    now.set(occurrence.end_at + dt.timedelta(hours=1))
    host_client, host_api = client_for(host), api_for(host)
    feedback_api = f"/api/events/occurrences/{occurrence.pk}/feedback"

    def reading() -> tuple[str, dict]:
        page = host_client.get(occ_url("feedback_results", occurrence)).content.decode()
        body = dict(host_api.request("get", feedback_api).body)
        body.pop("respondents")  # who took part is not an answer
        shown = page[page.index('<h1 class="h3 mb-1">'):page.index("</main>")]
        return re.sub(r"\d+ (?:person|people) answered so far", "N answered so far", shown), body

    readings = []
    for i, p in enumerate(guest_list):
        comment = "Kumquat-pagoda-88" if i == 4 else f"Nice {i}"
        response = client_for(p).post(occ_url("feedback", occurrence), {"rating": str(1 + i % 5), "comment": comment})
        assert response.status_code == 302
        readings.append(reading())
        assert readings[-1][1]["released"] is False
        # From the first answer on (before it, "no answers yet" only says nobody took part yet):
        assert readings[-1] == readings[0], f"the feedback results moved with answer {i + 1}"
    assert "Kumquat-pagoda-88" not in str(readings)
    now.set(occurrence.end_at + dt.timedelta(days=30, minutes=1))
    summary = api_for(host).request("get", feedback_api).body
    assert (summary["released"], summary["withheld"], summary["respondents"]) == (True, False, 6)
    assert summary["average"] == pytest.approx((1 + 2 + 3 + 4 + 5 + 1) / 6, abs=0.01)
    assert "Kumquat-pagoda-88" in client_for(host).get(occ_url("feedback_results", occurrence)).content.decode()


def test_calendar_month_and_week_views(now, host):
    make_event(host, title="Spring fair", start_date=dt.date(2030, 3, 20), end_date=dt.date(2030, 3, 22), all_day=True)
    make_event(host, title="Late call", start_date=dt.date(2030, 3, 5), start_time=dt.time(23, 30),
               end_time=dt.time(23, 45), timezone="America/Los_Angeles")
    page = client_for(host).get(reverse("events:calendar") + "?month=2030-03").content.decode()
    assert page.count("Spring fair") == 3  # on each of its three days
    assert "Late call" in page
    assert client_for(host).get(reverse("events:calendar") + "?month=2030-13").status_code == 400
    week = client_for(host).get(reverse("events:list") + "?when=week").content.decode()
    assert "Late call" in week
    assert "Spring fair" not in week


def test_list_pages_by_cursor(now, host):
    for day in range(1, 26):
        make_event(host, title=f"Talk {day:02d}", start_date=dt.date(2030, 4, day))
    client = client_for(host)
    page = client.get(reverse("events:list")).content.decode()
    assert "Talk 01" in page
    assert "Talk 21" not in page
    assert "Later events" in page
    from courtyard.events import selectors

    cursor = selectors.occurrences_list(host.user, selectors.EventQuery())["next_cursor"]
    more = client.get(reverse("events:list") + f"?cursor={cursor}", HTTP_HX_REQUEST="true").content.decode()
    assert "Talk 21" in more
    assert "Talk 01" not in more
    assert client.get(reverse("events:list") + "?cursor=forged").status_code == 400


def test_calendar_subscription_page_shows_the_address_once(now, host):
    client = client_for(host)
    created = client.post(reverse("events:subscription"), {"action": "create"}).content.decode()
    assert "/events/feed/cal_" in created
    again = client.get(reverse("events:subscription")).content.decode()
    assert "/events/feed/cal_" not in again
    assert "You have an address" in again
    assert client.post(reverse("events:subscription"), {"action": "revoke"}).status_code == 302


def test_host_changes_and_cancels_one_date(now, host, guest_list):
    event = make_event(host, frequency="weekly", repeat_count=2)
    occurrence = Occurrence.objects.filter(event=event).order_by("start_at").last()
    client = client_for(host)
    assert client.get(occ_url("occurrence_edit", occurrence)).status_code == 200
    response = client.post(occ_url("occurrence_edit", occurrence), {
        "start": "2030-03-15T19:00", "end": "2030-03-15T22:00", "place": "Cellar", "note": "Moved an hour"})
    assert response.status_code == 302
    occurrence.refresh_from_db()
    assert occurrence.start_at == dt.datetime(2030, 3, 15, 18, 0, tzinfo=dt.UTC)
    bad = client.post(occ_url("occurrence_edit", occurrence), {"start": "2030-03-15T19:00", "end": "2030-03-15T18:00"})
    assert bad.status_code == 400
    assert "ends before it starts" in bad.content.decode()
    assert client.post(occ_url("occurrence_cancel", occurrence), {"reason": "Flu"}).status_code == 302
    page = client_for(guest_list[0]).get(occ_url("occurrence", occurrence)).content.decode()
    assert "This date is cancelled" in page
    assert "Flu" in page


def test_photo_and_link_on_a_past_event(now, host):
    event = make_event(host)
    occurrence = Occurrence.objects.get(event=event)
    now.set(occurrence.end_at + dt.timedelta(days=1))
    client = client_for(host)
    assert client.post(occ_url("media_add", occurrence), {"title": "Album", "url": "https://photos.example.com/a"}).status_code == 302
    assert client.post(occ_url("media_add", occurrence), {"title": "Group photo", "photo": image_upload()}).status_code == 302
    photo = event.media.get(kind="photo")
    assert client.get(reverse("events:media_file", args=[event.pk, photo.pk])).status_code == 200
    page = client.get(occ_url("occurrence", occurrence)).content.decode()
    assert "Album" in page
    assert "Group photo" in page
    assert client.post(reverse("events:media_delete", args=[event.pk, photo.pk])).status_code == 302
    assert client.get(reverse("events:media_file", args=[event.pk, photo.pk])).status_code == 404


def test_event_address_opens_on_the_next_date(now, host):
    event = make_event(host, frequency="weekly", repeat_count=3)
    dates = list(Occurrence.objects.filter(event=event).order_by("start_at"))
    now.set(dates[0].end_at + dt.timedelta(minutes=1))
    response = client_for(host).get(reverse("events:detail", args=[event.pk]))
    assert response["Location"] == reverse("events:occurrence", args=[event.pk, dates[1].pk])


def test_times_shown_in_the_members_zone_and_the_events(now, host):
    tokyo = make_profile(email="tomo@example.com", full_name="Tomo Tokyo", timezone="Asia/Tokyo")
    event = make_event(host)  # 18:00-20:00 Berlin = 02:00-04:00 Tokyo next day
    occurrence = Occurrence.objects.get(event=event)
    page = client_for(tokyo).get(occ_url("occurrence", occurrence)).content.decode()
    assert "Sat 9 Mar 2030, 02:00–04:00" in page
    assert "Fri 8 Mar 2030, 18:00–20:00 CET" in page
    berliner = client_for(host).get(occ_url("occurrence", occurrence)).content.decode()
    assert "Fri 8 Mar 2030, 18:00–20:00" in berliner
    assert "(Europe/Berlin)" not in berliner
    assert "(Europe/Berlin)" in page


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/Los_Angeles", "Pacific/Auckland"])
def test_calendar_days_hold_the_first_five_dates_and_count_the_rest(now, host, zone):
    """The grid built in SQL (one-day dates numbered per local day) equals bucketing every date in Python."""
    from zoneinfo import ZoneInfo

    from courtyard.events import selectors
    from courtyard.events.domain import times

    for i in range(8):  # a busy day: 8 dates on 12 March (Berlin), at different hours
        make_event(host, title=f"Busy {i}", start_date=dt.date(2030, 3, 12), start_time=dt.time(8 + i, 0),
                   end_time=dt.time(8 + i, 30))
    make_event(host, title="Night shift", start_date=dt.date(2030, 3, 14), start_time=dt.time(22, 0),
               end_date=dt.date(2030, 3, 15), end_time=dt.time(3, 0))  # crosses midnight
    make_event(host, title="Offsite", start_date=dt.date(2030, 3, 30), end_date=dt.date(2030, 4, 2), all_day=True)
    make_event(host, title="Late call", start_date=dt.date(2030, 3, 31), start_time=dt.time(23, 30),
               end_time=dt.time(23, 59), timezone="America/Los_Angeles")
    tz = ZoneInfo(zone)
    grid = selectors.calendar_month(host.user, 2030, 3, tz)
    expected: dict[dt.date, list[str]] = {}
    dates = list(selectors.visible_occurrences(host.user).select_related("event").order_by("start_at", "id"))
    for d in dates:
        first, last = ((d.start_date, d.end_date) if d.event.all_day
                       else times.local_span(d.start_at, d.end_at, tz))
        for day in times.days_covered(first, last):
            expected.setdefault(day, []).append(d.event.title)
    start, end = times.month_bounds(2030, 3, tz)
    assert grid["count"] == sum(1 for d in dates if d.start_at < end and d.end_at > start)
    for week in grid["weeks"]:
        for cell in week:
            titles = expected.get(cell["date"], [])
            assert [o.event.title for o in cell["items"]] == titles[:5], cell["date"]
            assert cell["more"] == max(0, len(titles) - 5)
    busy = next(c for w in grid["weeks"] for c in w if c["date"] == dt.date(2030, 3, 12))
    if zone == "Europe/Berlin":
        assert busy["more"] == 3
