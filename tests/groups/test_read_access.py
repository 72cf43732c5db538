"""Who may read a group, on every surface that shows its content: pages, the API, search, the home feed,
notifications, events and their calendars (.ics), for each of the six combinations of who may read (members
only, the whole organization) and who may join (anyone, by request, by invitation).

Words planted in the group's discussion, reply, library and event must reach an outsider exactly when the
group is readable by the organization; its name reaches them exactly when it is listed (every combination but
members only + by invitation). Members and admins read everything everywhere.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from courtyard.events import services as event_services
from courtyard.events.models import Occurrence
from courtyard.groups import services
from courtyard.groups.models import Group
from courtyard.people.services import follow_create
from tests.api.conftest import api_for
from tests.events.conftest import event_data
from tests.factories import make_profile

pytestmark = pytest.mark.django_db

COMBINATIONS = [(read, join) for read in ("organization", "members") for join in ("open", "request", "invitation")]
NAME = "Lantern Guild"
TITLE = "Zanzibar harbour plans"  # the discussion
REPLY = "Quokkabay is the secret route"  # a reply
LIBRARY = "Marmaduke chart"  # a library item
EVENT = "Zanzibar lantern walk"  # an event of the group
CONTENT = (TITLE, REPLY, LIBRARY, EVENT)


@dataclasses.dataclass
class World:
    group: Group
    people: dict[str, Any]
    clients: dict[str, Client]
    thread_id: int
    event_id: int
    sent: list[dict]

    @property
    def readable(self) -> bool:
        return self.group.read_access == Group.ReadAccess.ORGANIZATION

    @property
    def listed(self) -> bool:
        return not (self.group.read_access == Group.ReadAccess.MEMBERS
                    and self.group.join_policy == Group.JoinPolicy.INVITATION)


def build(read_access: str, join_policy: str, sent: list[dict]) -> World:
    people = {
        "organizer": make_profile(email="olga.org@example.com", full_name="Olga Organizer"),
        "member": make_profile(email="mia.member@example.com", full_name="Mia Member"),
        "outsider": make_profile(email="otto.out@example.com", full_name="Otto Outsider"),
        "admin": make_profile(email="ada.admin@example.com", full_name="Ada Admin", is_admin=True),
    }
    organizer, member, outsider = people["organizer"], people["member"], people["outsider"]
    group = services.group_create(actor=organizer.user, name=NAME, description="Lights for the harbour",
                                  read_access=read_access, join_policy=join_policy)
    services.membership_invite(actor=organizer.user, group=group, profile=member)
    services.membership_join(actor=member.user, group=group)
    follow_create(actor=outsider.user, profile=member)  # the outsider's feed would show what Mia writes
    sent.clear()
    thread = services.thread_create(actor=member.user, group=group, title=TITLE, body="Where to? @otto.out")
    services.post_create(actor=organizer.user, thread=thread, body=REPLY + ", @otto.out")
    services.resource_add(actor=member.user, group=group, title=LIBRARY, url="https://example.com/chart")
    # A members-only group's events are for its members; an organization-readable group's are for everyone.
    audience = "group" if read_access == "members" else "organization"
    event = event_services.event_create(actor=organizer.user, data=event_data(title=EVENT, group=group,
                                                                              visibility=audience))
    clients = {}
    for role, profile in people.items():
        clients[role] = Client()
        clients[role].force_login(profile.user)
    return World(group, people, clients, thread.pk, event.pk, sent)


@pytest.fixture(params=COMBINATIONS, ids=["+".join(c) for c in COMBINATIONS])
def world(request, sent) -> World:
    return build(*request.param, sent)


def text(response) -> str:
    return response.content.decode(errors="replace")


def assert_content(body: str, shown: bool, where: str, words: tuple[str, ...] = CONTENT) -> None:
    for word in words:
        assert (word in body) is shown, f"{where}: {word!r} {'missing' if shown else 'leaks'}"


def test_pages(world: World):
    slug = world.group.slug
    for role in ("outsider", "member", "admin"):
        reads = role != "outsider" or world.readable
        sees = role != "outsider" or world.listed
        client = world.clients[role]
        page = client.get(reverse("groups:detail", args=[slug]))
        assert page.status_code == (200 if sees else 404), role
        assert (NAME in text(page)) is sees, role
        assert (TITLE in text(page)) is reads, role
        browse = text(client.get(reverse("groups:browse")))
        assert (NAME in browse) is sees, role
        for name, args in (("members", []), ("resources", []), ("thread", [world.thread_id])):
            response = client.get(reverse(f"groups:{name}", args=[slug, *args]))
            assert response.status_code == (200 if reads else 404), (role, name)
            if not reads:
                assert_content(text(response), False, f"{role} {name}")
                assert "Mia Member" not in text(response), (role, name)
        if role == "outsider":  # they follow Mia: what she writes is in their feed only where they may read it
            home = text(client.get(reverse("home")))
            assert_content(home, reads, "outsider home feed", words=(TITLE, LIBRARY))


def test_listed_members_only_group_shows_how_to_join_but_not_its_content(world: World):
    if world.readable or not world.listed:
        pytest.skip("only for a listed members-only group")
    page = text(world.clients["outsider"].get(reverse("groups:detail", args=[world.group.slug])))
    assert "Lights for the harbour" in page  # the description, to decide whether to join
    expected = {"open": "Join group", "request": "Ask to join"}[world.group.join_policy]
    assert expected in page
    assert "Only members read this group" in page


def test_api(world: World):
    slug = world.group.slug
    for role in ("outsider", "member", "admin"):
        reads = role != "outsider" or world.readable
        sees = role != "outsider" or world.listed
        api = api_for(world.people[role])
        detail = api.request("get", f"/api/groups/{slug}")
        assert detail.status_code == (200 if sees else 404), role
        if sees:
            assert (detail.body["read_access"], detail.body["join_policy"]) == (
                world.group.read_access, world.group.join_policy)
        listing = api.request("get", "/api/groups/").body
        assert (slug in {g["slug"] for g in listing["items"]}) is sees, role
        for path in (f"/api/groups/{slug}/threads", f"/api/groups/{slug}/members", f"/api/groups/{slug}/resources",
                     f"/api/discussions/threads/{world.thread_id}", f"/api/events/{world.event_id}"):
            response = api.request("get", path)
            assert response.status_code == (200 if reads else 404), (role, path)
            if not reads:
                assert_content(response.text, False, f"{role} {path}")
        events = api.request("get", "/api/events/")
        assert (EVENT in events.text) is reads, role


def test_search(world: World):
    for role in ("outsider", "member", "admin"):
        reads = role != "outsider" or world.readable
        sees = role != "outsider" or world.listed
        client = world.clients[role]
        # A reply is found by its own words and shown under its discussion's title.
        for query, planted in (("zanzibar", TITLE), ("quokkabay", TITLE), ("marmaduke", LIBRARY)):
            page = text(client.get(reverse("search:search"), {"q": query}))
            api = api_for(world.people[role]).request("get", f"/api/search/?q={query}").text
            for where, body in (("page", page), ("api", api)):
                assert (planted in body) is reads, f"{role} search {where} {query}"
        # The group itself is found where it is listed, like in the group list.
        found = text(client.get(reverse("search:search"), {"q": "lantern guild", "kind": "group"}))
        assert (NAME in found) is sees, role


def test_notifications_reach_only_readers(world: World):
    """Otto is @mentioned in the discussion and in a reply: he hears of it only where he may read it."""
    outsider = world.people["outsider"].user
    told = [call for call in world.sent if outsider in (call.get("recipient"),)]
    assert bool(told) is world.readable
    assert len(told) == (2 if world.readable else 0)


def test_event_pages_and_calendars(world: World):
    occurrence = Occurrence.objects.filter(event_id=world.event_id).first()
    for role in ("outsider", "member", "admin"):
        reads = role != "outsider" or world.readable
        client = world.clients[role]
        for url in (reverse("events:occurrence", args=[world.event_id, occurrence.pk]),
                    reverse("events:event_ics", args=[world.event_id]),
                    reverse("events:occurrence_ics", args=[world.event_id, occurrence.pk])):
            response = client.get(url)
            assert response.status_code == (200 if reads else 404), (role, url)
            if not reads:
                assert EVENT not in text(response)
        listing = text(client.get(reverse("events:list")))
        assert (EVENT in listing) is reads, role
    _feed, token = event_services.calendar_feed_create(actor=world.people["outsider"].user)
    organization = text(Client().get(reverse("events:feed_organization", args=[token])))
    assert (EVENT in organization) is world.readable


def test_making_a_group_members_only_hides_it_at_once(sent):
    """An outsider who read an organization-readable group, and said they go to its event, loses it everywhere
    when its organizers make it members-only: the pages, search, their feed and their calendar subscription."""
    world = build("organization", "request", sent)
    outsider = world.people["outsider"]
    occurrence = Occurrence.objects.filter(event_id=world.event_id).first()
    event_services.rsvp_set(actor=outsider.user, occurrence=occurrence, status="going")
    _feed, token = event_services.calendar_feed_create(actor=outsider.user)
    client = world.clients["outsider"]
    thread_url = reverse("groups:thread", args=[world.group.slug, world.thread_id])
    assert client.get(thread_url).status_code == 200
    assert EVENT in text(Client().get(reverse("events:feed_personal", args=[token])))

    services.group_update(actor=world.people["organizer"].user, group=world.group, data={"read_access": "members"})

    assert client.get(thread_url).status_code == 404
    assert TITLE not in text(client.get(reverse("search:search"), {"q": "zanzibar"}))
    assert TITLE not in text(client.get(reverse("home")))
    assert EVENT not in text(Client().get(reverse("events:feed_personal", args=[token])))
    assert client.get(reverse("events:event_ics", args=[world.event_id])).status_code == 404
    assert NAME in text(client.get(reverse("groups:browse")))  # still listed: by request
