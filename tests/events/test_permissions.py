"""The events permission matrix: every events URL and API operation, as five people, on three kinds of event.

People: anonymous; a *member* (signed in; a member of the event's group, going to its dates); an *outsider*
(signed in, not in the event's group); the *host*; a community *admin* who is neither. Events: *public*
(organization-wide, no group), *private* (a private group's, for its members), *members* (an open group's,
limited to the group's members). Each event is a weekly series of three dates: one over (the member came),
one on now (check-in is open), one next week (answers are open).

Rules, written out row by row below: an event the outsider may not see is a 404 everywhere, with nothing
of it in the answer; anybody who may see an event may answer it and check in with its code; only hosts and
admins (and the group's organizers) change, cancel, check people in, export and read feedback; only people
who came give feedback and add photos. Refusals change nothing; allowed writes change something.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from courtyard.events import services
from courtyard.events.models import Event, Media, Occurrence, Rsvp
from courtyard.groups import services as group_services
from tests.events.conftest import event_data
from tests.factories import make_profile
from tests.helpers import db_snapshot, image_upload

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "member", "outsider", "host", "admin")
KINDS = ("public", "private", "members")
L = "login"
TITLE = "Harbour lantern walk"
GROUP = "Lantern Keepers"

EVENT_ROUTES = {
    "events/", "events/calendar/", "events/new/", "events/checkin/", "events/subscribe/",
    "events/feed/<str:token>.ics", "events/feed/<str:token>/organization.ics", "events/<str:event_id>/",
    "events/<str:event_id>/edit/", "events/<str:event_id>/cancel/", "events/<str:event_id>/cover.jpg",
    "events/<str:event_id>/event.ics", "events/<str:event_id>/media/<str:media_id>/",
    "events/<str:event_id>/media/<str:media_id>/delete/", "events/<str:event_id>/<str:occurrence_id>/",
    "events/<str:event_id>/<str:occurrence_id>/rsvp/", "events/<str:event_id>/<str:occurrence_id>/change/",
    "events/<str:event_id>/<str:occurrence_id>/cancel/", "events/<str:event_id>/<str:occurrence_id>/checkin/",
    "events/<str:event_id>/<str:occurrence_id>/checkin/code/",
    "events/<str:event_id>/<str:occurrence_id>/answers/<str:rsvp_id>/remove/",
    "events/<str:event_id>/<str:occurrence_id>/self-checkin/",
    "events/<str:event_id>/<str:occurrence_id>/attendees.csv",
    "events/<str:event_id>/<str:occurrence_id>/feedback/",
    "events/<str:event_id>/<str:occurrence_id>/feedback/results/",
    "events/<str:event_id>/<str:occurrence_id>/media/",
    "events/<str:event_id>/<str:occurrence_id>/occurrence.ics",
}
API_ROUTES = {
    "api/events/", "api/events/calendar-feed", "api/events/<event_id>", "api/events/<event_id>/cancel",
    "api/events/<event_id>/occurrences", "api/events/occurrences/<occurrence_id>",
    "api/events/occurrences/<occurrence_id>/cancel", "api/events/occurrences/<occurrence_id>/rsvp",
    "api/events/occurrences/<occurrence_id>/attendees", "api/events/occurrences/<occurrence_id>/checkins",
    "api/events/occurrences/<occurrence_id>/checkin", "api/events/occurrences/<occurrence_id>/feedback",
    "api/events/occurrences/<occurrence_id>/answers/<rsvp_id>/remove",
}


class FrozenClock:
    def __init__(self, moment: dt.datetime) -> None:
        self.moment = moment

    def __call__(self) -> dt.datetime:
        return self.moment


@dataclasses.dataclass
class World:
    kind: str
    event: Event
    past: Occurrence
    live: Occurrence
    upcoming: Occurrence
    profiles: dict[str, Any]
    clients: dict[str, Client]
    member_live_rsvp: Rsvp
    member_upcoming_rsvp: Rsvp
    photo: Media
    token: str


def build_world(kind: str, clock: FrozenClock) -> World:
    people = {
        "host": make_profile(email="hal.host@example.com", full_name="Hal Host"),
        "member": make_profile(email="meg.member@example.com", full_name="Meg Member"),
        "outsider": make_profile(email="oz.out@example.com", full_name="Oz Outsider"),
        "admin": make_profile(email="ada.admin@example.com", full_name="Ada Admin", is_admin=True),
    }
    host, member = people["host"], people["member"]
    clock.moment = dt.datetime(2030, 3, 1, 9, 0, tzinfo=dt.UTC)
    group, visibility = None, "organization"
    if kind != "public":
        group = group_services.group_create(actor=host.user, name=GROUP,
                                            join_policy="invitation" if kind == "private" else "open")
        group_services.membership_invite(actor=host.user, group=group, profile=member)
        group_services.membership_join(actor=member.user, group=group)
        visibility = "group"
    event = services.event_create(actor=host.user, data=event_data(
        title=TITLE, group=group, visibility=visibility, start_date=dt.date(2030, 3, 4), start_time=dt.time(10, 0),
        end_time=dt.time(12, 0), timezone="UTC", frequency="weekly", repeat_count=3, capacity=20,
        description="Lanterns at dusk", format="hybrid", meeting_url="https://meet.example.com/lantern"))
    services.event_cover_set(actor=host.user, event=event, upload=image_upload())
    past, live, upcoming = Occurrence.objects.filter(event=event).order_by("start_at")
    for occurrence in (past, live, upcoming):
        services.rsvp_set(actor=member.user, occurrence=occurrence, status="going")
    clock.moment = dt.datetime(2030, 3, 4, 10, 30, tzinfo=dt.UTC)
    member_past = Rsvp.objects.get(occurrence=past, profile=member)
    services.attendance_set(actor=host.user, occurrence=past, rsvp_ids=[member_past.pk], mark="attended")
    clock.moment = dt.datetime(2030, 3, 5, 9, 0, tzinfo=dt.UTC)
    photo = services.media_add(actor=member.user, occurrence=past, title="Lanterns", upload=image_upload("l.png"))
    clock.moment = dt.datetime(2030, 3, 11, 10, 10, tzinfo=dt.UTC)
    _feed, token = services.calendar_feed_create(actor=member.user)
    clients = {"anonymous": Client()}
    for role in ROLES[1:]:
        client = Client()
        client.force_login(people[role].user)
        assert client.get("/healthz").status_code == 200
        clients[role] = client
    for occurrence in (past, live, upcoming):
        occurrence.refresh_from_db()
    return World(kind, event, past, live, upcoming, people, clients, Rsvp.objects.get(occurrence=live, profile=member),
                 Rsvp.objects.get(occurrence=upcoming, profile=member), photo, token)


@pytest.fixture
def world_of(monkeypatch) -> Callable[[str], World]:
    from courtyard.core import clock

    frozen = FrozenClock(dt.datetime(2030, 3, 1, tzinfo=dt.UTC))
    monkeypatch.setattr(clock, "now", frozen)
    return lambda kind: build_world(kind, frozen)


Row = tuple[int | str, int | str, int | str, int | str, int | str]


def rows(public: Row, hidden: Row) -> dict[str, Row]:
    """The outcome per kind: the private and members-only events hide themselves from the outsider alike."""
    return {"public": public, "private": hidden, "members": hidden}


#                   anon member outsider host admin
SIGNED_IN = rows((L, 200, 200, 200, 200), (L, 200, 200, 200, 200))
SIGNED_IN_WRITE = rows((L, 302, 302, 302, 302), (L, 302, 302, 302, 302))
READ = rows((L, 200, 200, 200, 200), (L, 200, 404, 200, 200))
READ_REDIRECT = rows((L, 302, 302, 302, 302), (L, 302, 404, 302, 302))
ANSWER = READ_REDIRECT  # whoever sees an event may answer it, and check in with its code
MANAGE_PAGE = rows((L, 403, 403, 200, 200), (L, 403, 404, 200, 200))
MANAGE_WRITE = rows((L, 403, 403, 302, 302), (L, 403, 404, 302, 302))
EDIT_PAGE = rows((L, 404, 404, 200, 200), (L, 404, 404, 200, 200))  # the editor does not exist for others
EDIT_WRITE = rows((L, 404, 404, 302, 302), (L, 404, 404, 302, 302))
ATTENDED_WRITE = rows((L, 302, 403, 403, 403), (L, 302, 404, 403, 403))  # feedback: only who came
MEDIA_WRITE = rows((L, 302, 403, 302, 302), (L, 302, 404, 302, 302))  # photos: who came, and the hosts
CREATE_IN_GROUP = rows((L, 302, 302, 302, 302), (L, 302, 400, 302, 400))  # a group's event: its members only
FEED = rows((200,) * 5, (200,) * 5)  # the secret address is the key: no session needed
NOT_FOUND = rows((404,) * 5, (404,) * 5)
API_READ = rows((401, 200, 200, 200, 200), (401, 200, 404, 200, 200))
API_SIGNED_IN = rows((401, 200, 200, 200, 200), (401, 200, 200, 200, 200))
API_CREATED = rows((401, 201, 201, 201, 201), (401, 201, 201, 201, 201))
API_MANAGE = rows((401, 403, 403, 200, 200), (401, 403, 404, 200, 200))
API_ATTENDED = rows((401, 201, 403, 403, 403), (401, 201, 404, 403, 403))


@dataclasses.dataclass(frozen=True)
class Case:
    name: str
    method: str
    url: Callable[[World], str]
    expected: dict[str, Row]
    data: Callable[[World], dict[str, Any]] | None = None
    json_body: bool = False
    noop: tuple[str, ...] = ()  # roles whose allowed write has nothing to change
    reads_write: bool = False  # a GET that records something (a feed's last use)

    def __str__(self) -> str:
        return self.name


def occ(name: str, which: str) -> Callable[[World], str]:
    return lambda w: reverse(f"events:{name}", args=[w.event.pk, getattr(w, which).pk])


def ev(name: str) -> Callable[[World], str]:
    return lambda w: reverse(f"events:{name}", args=[w.event.pk])


def new_event_form(w: World) -> dict[str, Any]:
    group = w.event.group
    return {"title": "Another walk", "kind": "social", "format": "in_person", "visibility": "group" if group else
            "organization", "group": str(group.pk) if group else "", "start_date": "2030-04-02", "start_time": "18:00",
            "end_time": "19:00", "timezone": "UTC", "frequency": "none", "interval": "1"}


def edit_form(w: World) -> dict[str, Any]:
    return {"title": TITLE + " (moved)", "kind": "social", "format": "hybrid", "visibility": w.event.visibility,
            "start_date": "2030-03-04", "start_time": "10:00", "end_time": "12:00", "timezone": "UTC",
            "frequency": "weekly", "interval": "1", "repeat_count": "3", "capacity": "20",
            "meeting_url": "https://meet.example.com/lantern", "feedback_enabled": "on", "feedback_anonymous": "on"}


CASES = [
    # --- discovery and personal pages ---------------------------------------------------------------
    Case("list", "get", lambda w: reverse("events:list"), SIGNED_IN),
    Case("list: past", "get", lambda w: reverse("events:list") + "?when=past&q=lantern", SIGNED_IN),
    Case("calendar", "get", lambda w: reverse("events:calendar") + "?month=2030-03", SIGNED_IN),
    Case("new event page", "get", lambda w: reverse("events:create"), SIGNED_IN),
    Case("create event", "post", lambda w: reverse("events:create"), CREATE_IN_GROUP, data=new_event_form),
    Case("check-in code page", "get", lambda w: reverse("events:checkin_with_code"), SIGNED_IN),
    Case("check in with a code", "post", lambda w: reverse("events:checkin_with_code"), ANSWER,
         data=lambda w: {"code": w.live.checkin_code}),
    Case("subscription page", "get", lambda w: reverse("events:subscription"), SIGNED_IN),
    Case("make a subscription address", "post", lambda w: reverse("events:subscription"), SIGNED_IN,
         data=lambda w: {"action": "create"}),
    Case("switch the address off", "post", lambda w: reverse("events:subscription"), SIGNED_IN_WRITE,
         data=lambda w: {"action": "revoke"}, noop=("outsider", "host", "admin")),
    Case("personal feed", "get", lambda w: reverse("events:feed_personal", args=[w.token]), FEED, reads_write=True),
    Case("organization feed", "get", lambda w: reverse("events:feed_organization", args=[w.token]), FEED,
         reads_write=True),
    Case("feed, forged address", "get", lambda w: reverse("events:feed_personal", args=["cal_" + "x" * 40]), NOT_FOUND),
    # --- the event -----------------------------------------------------------------------------------
    Case("event address", "get", ev("detail"), READ_REDIRECT),
    Case("edit page", "get", ev("edit"), EDIT_PAGE),
    Case("edit", "post", ev("edit"), EDIT_WRITE, data=edit_form),
    Case("cancel event", "post", ev("cancel"), MANAGE_WRITE, data=lambda w: {"reason": "Fog"}),
    Case("cover", "get", ev("cover"), READ),
    Case("event .ics", "get", ev("event_ics"), READ),
    Case("photo", "get", lambda w: reverse("events:media_file", args=[w.event.pk, w.photo.pk]), READ),
    Case("remove photo", "post", lambda w: reverse("events:media_delete", args=[w.event.pk, w.photo.pk]),
         rows((L, 302, 403, 302, 302), (L, 302, 404, 302, 302))),
    # --- one date ------------------------------------------------------------------------------------
    Case("date page", "get", occ("occurrence", "upcoming"), READ),
    Case("past date page", "get", occ("occurrence", "past"), READ),
    Case("answer", "post", occ("rsvp", "upcoming"), ANSWER, data=lambda w: {"status": "maybe"}),
    Case("change date page", "get", occ("occurrence_edit", "upcoming"), MANAGE_PAGE),
    Case("change date", "post", occ("occurrence_edit", "upcoming"), MANAGE_WRITE,
         data=lambda w: {"start": "2030-03-18T11:00", "end": "2030-03-18T13:00", "place": "Pier", "note": "Later"}),
    Case("cancel date", "post", occ("occurrence_cancel", "upcoming"), MANAGE_WRITE),
    Case("check-in list", "get", occ("checkin", "live"), MANAGE_PAGE),
    Case("check people in", "post", occ("checkin", "live"), MANAGE_WRITE,
         data=lambda w: {"rsvp": [w.member_live_rsvp.pk], "mark": "attended"}),
    Case("remove an answer: confirmation", "get", lambda w: reverse(
        "events:answer_remove", args=[w.event.pk, w.upcoming.pk, w.member_upcoming_rsvp.pk]), MANAGE_PAGE),
    Case("remove an answer", "post", lambda w: reverse(
        "events:answer_remove", args=[w.event.pk, w.upcoming.pk, w.member_upcoming_rsvp.pk]), MANAGE_WRITE,
         data=lambda w: {"note": "Double booked"}),
    Case("new check-in code", "post", occ("checkin_code_reset", "live"), MANAGE_WRITE),
    Case("self check-in page", "get", occ("self_checkin", "live"), READ),
    Case("self check-in", "post", occ("self_checkin", "live"), ANSWER, data=lambda w: {"code": w.live.checkin_code}),
    Case("attendees CSV", "get", occ("attendees_csv", "live"), MANAGE_PAGE),
    Case("feedback page", "get", occ("feedback", "past"), READ),
    Case("give feedback", "post", occ("feedback", "past"), ATTENDED_WRITE, data=lambda w: {"rating": "4"}),
    Case("feedback results", "get", occ("feedback_results", "past"), MANAGE_PAGE),
    Case("add a link", "post", occ("media_add", "past"), MEDIA_WRITE,
         data=lambda w: {"title": "Album", "url": "https://photos.example.com/lanterns"}),
    Case("date .ics", "get", occ("occurrence_ics", "upcoming"), READ),
    # --- the API -------------------------------------------------------------------------------------
    Case("api list", "get", lambda w: "/api/events/?when=past", API_SIGNED_IN),
    Case("api create", "post", lambda w: "/api/events/", API_CREATED, json_body=True,
         data=lambda w: {"title": "API walk", "start_date": "2030-04-02", "start_time": "18:00", "end_time": "19:00"}),
    Case("api feed", "get", lambda w: "/api/events/calendar-feed", API_SIGNED_IN),
    Case("api make feed", "post", lambda w: "/api/events/calendar-feed", rows((401,) + (201,) * 4, (401,) + (201,) * 4),
         json_body=True),
    Case("api revoke feed", "delete", lambda w: "/api/events/calendar-feed", API_SIGNED_IN, json_body=True,
         noop=("outsider", "host", "admin")),
    Case("api event", "get", lambda w: f"/api/events/{w.event.pk}", API_READ),
    Case("api change event", "patch", lambda w: f"/api/events/{w.event.pk}", API_MANAGE, json_body=True,
         data=lambda w: {"title": "Renamed walk"}),
    Case("api cancel event", "post", lambda w: f"/api/events/{w.event.pk}/cancel", API_MANAGE, json_body=True),
    Case("api dates", "get", lambda w: f"/api/events/{w.event.pk}/occurrences", API_READ),
    Case("api date", "get", lambda w: f"/api/events/occurrences/{w.upcoming.pk}", API_READ),
    Case("api change date", "patch", lambda w: f"/api/events/occurrences/{w.upcoming.pk}", API_MANAGE, json_body=True,
         data=lambda w: {"place": "Lighthouse"}),
    Case("api cancel date", "post", lambda w: f"/api/events/occurrences/{w.upcoming.pk}/cancel", API_MANAGE,
         json_body=True),
    Case("api answer", "put", lambda w: f"/api/events/occurrences/{w.upcoming.pk}/rsvp", API_READ, json_body=True,
         data=lambda w: {"status": "maybe"}),
    Case("api cancel answer", "delete", lambda w: f"/api/events/occurrences/{w.upcoming.pk}/rsvp", API_READ,
         json_body=True),
    Case("api remove an answer", "post",
         lambda w: f"/api/events/occurrences/{w.upcoming.pk}/answers/{w.member_upcoming_rsvp.pk}/remove", API_MANAGE,
         json_body=True, data=lambda w: {"note": "Double booked"}),
    Case("api attendees", "get", lambda w: f"/api/events/occurrences/{w.live.pk}/attendees", API_READ),
    Case("api check-ins", "post", lambda w: f"/api/events/occurrences/{w.live.pk}/checkins", API_MANAGE,
         json_body=True, data=lambda w: {"rsvp_ids": [w.member_live_rsvp.pk], "mark": "attended"}),
    Case("api self check-in", "post", lambda w: f"/api/events/occurrences/{w.live.pk}/checkin", API_READ,
         json_body=True, data=lambda w: {"code": w.live.checkin_code}),
    Case("api give feedback", "post", lambda w: f"/api/events/occurrences/{w.past.pk}/feedback", API_ATTENDED,
         json_body=True, data=lambda w: {"rating": 5, "comment": "Lovely"}),
    Case("api feedback results", "get", lambda w: f"/api/events/occurrences/{w.past.pk}/feedback", API_MANAGE),
]


def refused(expected: int | str) -> bool:
    return expected in (L, 401) or (isinstance(expected, int) and expected >= 400)


def send(client: Client, case: Case, world: World):
    url = case.url(world)
    data = case.data(world) if case.data else {}
    if case.json_body:
        return getattr(client, case.method)(url, data=json.dumps(data), content_type="application/json")
    return client.get(url) if case.method == "get" else client.post(url, data)


def check_cell(world: World, case: Case, role: str, expected: int | str, before: dict) -> list[str]:
    problems: list[str] = []
    response = send(world.clients[role], case, world)
    status = response.status_code
    if expected == L:
        location = response.get("Location", "")
        if status != 302 or not location.startswith(reverse("account_login") + "?next="):
            problems.append(f"{role}: expected a redirect to sign in, got {status} {location}")
    elif status != expected:
        problems.append(f"{role}: expected {expected}, got {status} {response.content[:200]!r}")
    after = db_snapshot()
    if refused(expected) or (case.method == "get" and not case.reads_write):
        if after != before:
            problems.append(f"{role}: a refused request (or a read) changed {sorted(k for k in before if before[k] != after.get(k))}")
    elif case.method != "get" and role not in case.noop and after == before:
        problems.append(f"{role}: an allowed write changed nothing")
    if world.kind != "public" and role == "outsider" and refused(expected):
        body = b"".join(response.streaming_content) if response.streaming else response.content
        problems += [f"{role}: leaks {secret!r}" for secret in (TITLE, GROUP) if secret.encode() in body]
    if str(case.url(world)).startswith("/api/") and status >= 400 and not {"code", "message"} <= set(response.json()):
        problems.append(f"{role}: an API refusal without code and message")
    return problems


@pytest.mark.parametrize("kind", KINDS)
def test_permission_matrix(kind: str, world_of):
    """Each (URL, person) cell runs in a savepoint that is rolled back, so every cell starts from the same rows."""
    world = world_of(kind)
    before = db_snapshot()
    problems: list[str] = []
    for case in CASES:
        for role, expected in zip(ROLES, case.expected[kind], strict=True):
            with transaction.atomic():
                problems += [f"{case}, {p}" for p in check_cell(world, case, role, expected, before)]
                transaction.set_rollback(True)
    assert not problems, f"on a {kind} event:\n  " + "\n  ".join(problems)


def test_the_matrix_covers_every_events_route():
    from tests import url_coverage

    routes = url_coverage.routes_to_cover()
    assert {r for r in routes if r.startswith("events/")} == EVENT_ROUTES
    assert {r for r in routes if r.startswith("api/events/")} == API_ROUTES


def test_hidden_events_are_missing_from_lists_calendars_search_and_feeds_for_outsiders(world_of):
    world = world_of("private")
    outsider = world.clients["outsider"]
    for url in (reverse("events:list"), reverse("events:list") + "?q=lantern", reverse("events:list") + "?when=past",
                reverse("events:calendar") + "?month=2030-03", "/api/events/?q=lantern", "/search/?q=lantern",
                "/api/search/?q=lantern"):
        body = outsider.get(url).content.decode()
        assert TITLE not in body, url
        assert TITLE in world.clients["member"].get(url).content.decode() or "search" in url, url
    _feed, token = services.calendar_feed_create(actor=world.profiles["outsider"].user)
    for name in ("events:feed_personal", "events:feed_organization"):
        assert TITLE not in Client().get(reverse(name, args=[token])).content.decode()


def test_public_events_are_found_in_search(world_of):
    world = world_of("public")
    body = world.clients["outsider"].get("/search/?q=lantern").content.decode()
    assert TITLE in body
    assert "Event" in body


def test_a_private_groups_event_stays_hidden_when_the_member_leaves(world_of):
    world = world_of("private")
    group_services.membership_leave(actor=world.profiles["member"].user, group=world.event.group)
    member = world.clients["member"]
    assert member.get(reverse("events:occurrence", args=[world.event.pk, world.upcoming.pk])).status_code == 404
    assert member.get(f"/api/events/{world.event.pk}").status_code == 404


BAD_IDS = ["abc", "0", "-1", "99999999999999999999999", "9223372036854775808", "1.5", "%20"]


def test_bad_ids_are_404_not_500(world_of):
    world = world_of("public")
    client = world.clients["admin"]
    e, o = world.event.pk, world.live.pk
    urls = [
        ("get", lambda x: f"/events/{x}/"), ("get", lambda x: f"/events/{x}/edit/"), ("post", lambda x: f"/events/{x}/cancel/"),
        ("get", lambda x: f"/events/{x}/cover.jpg"), ("get", lambda x: f"/events/{x}/event.ics"),
        ("get", lambda x: f"/events/{e}/media/{x}/"), ("post", lambda x: f"/events/{e}/media/{x}/delete/"),
        ("get", lambda x: f"/events/{e}/{x}/"), ("get", lambda x: f"/events/{x}/{o}/"), ("post", lambda x: f"/events/{e}/{x}/rsvp/"),
        ("get", lambda x: f"/events/{e}/{x}/change/"), ("post", lambda x: f"/events/{e}/{x}/cancel/"),
        ("get", lambda x: f"/events/{e}/{x}/checkin/"), ("post", lambda x: f"/events/{e}/{x}/checkin/code/"),
        ("get", lambda x: f"/events/{e}/{x}/self-checkin/"), ("get", lambda x: f"/events/{e}/{x}/attendees.csv"),
        ("get", lambda x: f"/events/{e}/{x}/feedback/"), ("get", lambda x: f"/events/{e}/{x}/feedback/results/"),
        ("post", lambda x: f"/events/{e}/{x}/media/"), ("get", lambda x: f"/events/{e}/{x}/occurrence.ics"),
        ("get", lambda x: f"/api/events/{x}"), ("get", lambda x: f"/api/events/occurrences/{x}"),
    ]
    before = db_snapshot()
    for method, url in urls:
        for bad in BAD_IDS:
            response = getattr(client, method)(url(bad))
            # The API checks a path's type first: a word where a number belongs is a 422 (as for people).
            allowed = (404, 422) if url(bad).startswith("/api/") and not bad.lstrip("-").isdigit() else (404,)
            assert response.status_code in allowed, (method, url(bad), response.status_code)
    other = services.event_create(actor=world.profiles["host"].user, data=event_data(title="Elsewhere"))
    before = db_snapshot()
    # A date addressed under another event's id is a 404 too.
    assert client.get(reverse("events:occurrence", args=[other.pk, world.live.pk])).status_code == 404
    assert client.post(reverse("events:rsvp", args=[other.pk, world.upcoming.pk]), {"status": "going"}).status_code == 404
    assert client.get(reverse("events:media_file", args=[other.pk, world.photo.pk])).status_code == 404
    assert db_snapshot() == before
