"""Event pages and API lists run a fixed number of queries whatever the number of events, dates and answers
so a new N+1 fails here. Each page is asked once to warm the session, then counted on a small and
a large data set."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from courtyard.core import clock
from courtyard.events.models import Occurrence, Rsvp
from courtyard.groups import services as group_services
from tests.events.conftest import make_event
from tests.factories import make_profile

pytestmark = pytest.mark.django_db


def client_for(profile) -> Client:
    client = Client()
    client.force_login(profile.user)
    client.get("/healthz")
    return client


def count(client: Client, url: str, expected: int, django_assert_num_queries, **extra) -> str:
    client.get(url, **extra)  # warm up
    if not settings.SESSION_ENGINE.endswith(".db"):
        expected -= 1  # sessions kept in Redis (production) cost no database query
    with django_assert_num_queries(expected):
        response = client.get(url, **extra)
    assert response.status_code == 200, response.status_code
    return response.content.decode() if not response.streaming else ""


def crowd(occurrence: Occurrence, people, status: str = "going") -> None:
    now = clock.now()
    Rsvp.objects.bulk_create([
        Rsvp(occurrence=occurrence, profile=p, status=status, guests=i % 2, created_at=now, updated_at=now,
             first_going_at=now, waitlist_position=i + 1 if status == "waitlisted" else None)
        for i, p in enumerate(people)
    ])
    field = {"going": "going_count", "waitlisted": "waitlist_count"}[status]
    Occurrence.objects.filter(pk=occurrence.pk).update(**{field: len(people)})


@pytest.fixture
def people(db):
    return [make_profile(full_name=f"Guest {i:03d}", department=f"Dept {i % 5}") for i in range(60)]


# Pinned: a change must be deliberate. After the session and the user: the profile (time zone, "me"), the page's
# rows with their joins, and the few lists beside them.
LIST_PAGE = 5
CALENDAR_PAGE = 3  # the dates: the first five of each local day (numbered in SQL) and those spanning days
EVENT_PAGE = 11  # access (event, hosting, group standing) + hosts, questions, my answer, attendees, other dates
EVENT_PAGE_PAST = 11  # + photos and links and whether I gave feedback; no group, no other dates
CHECKIN_PAGE = 7
API_LIST = 6
API_DATE = 11
API_ATTENDEES = 7


@pytest.mark.parametrize("n", [3, 30])
def test_list_page(now, host, people, open_group, n, django_assert_num_queries):
    group_services.membership_join(actor=people[0].user, group=open_group)
    for i in range(n):
        event = make_event(host, title=f"Talk {i}", start_date=dt.date(2030, 3, 5 + i % 20),
                           group=open_group if i % 2 else None, capacity=10 if i % 3 else None)
        if i % 4 == 0:
            crowd(Occurrence.objects.get(event=event), people[:5])
    member = people[0]
    html = count(client_for(member), reverse("events:list"), LIST_PAGE, django_assert_num_queries)
    assert "Talk 0" in html
    count(client_for(member), reverse("events:list") + "?when=week&kind=social&format=in_person&mine=on",
          LIST_PAGE, django_assert_num_queries)
    count(client_for(member), reverse("events:list") + "?going=on&q=talk", LIST_PAGE, django_assert_num_queries)
    count(client_for(member), "/api/events/?q=talk&kind=social", API_LIST, django_assert_num_queries)
    count(client_for(member), "/api/events/", API_LIST, django_assert_num_queries)


@pytest.mark.parametrize("n", [3, 30])
def test_calendar_page(now, host, people, n, django_assert_num_queries):
    for i in range(n):
        make_event(host, title=f"Day {i}", start_date=dt.date(2030, 3, 1 + i % 28), all_day=i % 5 == 0,
                   end_date=dt.date(2030, 3, 1 + i % 28) + dt.timedelta(days=i % 3))
    html = count(client_for(people[0]), reverse("events:calendar") + "?month=2030-03", CALENDAR_PAGE,
                 django_assert_num_queries)
    assert "Day 1" in html


@pytest.mark.parametrize("n", [5, 60])
def test_event_page_with_many_answers(now, host, people, open_group, n, django_assert_num_queries):
    group_services.membership_join(actor=people[0].user, group=open_group)
    event = make_event(host, group=open_group, visibility="group", frequency="weekly", repeat_count=8, capacity=200,
                       questions=[("Diet?", False), ("Size?", True)], allow_guests=True, max_guests=1)
    occurrence = Occurrence.objects.filter(event=event).order_by("start_at").first()
    crowd(occurrence, people[1 : n + 1])
    me = people[0]
    url = reverse("events:occurrence", args=[event.pk, occurrence.pk])
    html = count(client_for(me), url, EVENT_PAGE, django_assert_num_queries)
    assert "Guest 001" in html
    count(client_for(host), url, EVENT_PAGE, django_assert_num_queries)  # the host's view costs the same
    count(client_for(host), reverse("events:checkin", args=[event.pk, occurrence.pk]), CHECKIN_PAGE,
          django_assert_num_queries)
    count(client_for(me), f"/api/events/occurrences/{occurrence.pk}", API_DATE, django_assert_num_queries)
    count(client_for(me), f"/api/events/occurrences/{occurrence.pk}/attendees", API_ATTENDEES,
          django_assert_num_queries)


@pytest.mark.parametrize("n", [5, 60])
def test_past_event_page(now, host, people, n, django_assert_num_queries):
    event = make_event(host)
    occurrence = Occurrence.objects.get(event=event)
    crowd(occurrence, people[:n])
    now.set(occurrence.end_at + dt.timedelta(days=1))
    html = count(client_for(people[0]), reverse("events:occurrence", args=[event.pk, occurrence.pk]), EVENT_PAGE_PAST,
                 django_assert_num_queries)
    assert "said they were going" in html
