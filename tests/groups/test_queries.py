"""Group pages run a fixed number of queries, whatever the number of threads, replies, reactions, groups,
members or library items: a new N+1 fails here. Each page is asked once to warm the session and
the caches (as for a returning member), then counted, with a small and a large data set."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from courtyard.core import clock
from courtyard.groups import services
from courtyard.groups.models import Group, Membership, Post, Reaction, ReactionKind, Resource, Thread
from tests.factories import make_profile

pytestmark = pytest.mark.django_db
_names = itertools.count(1)


def client_for(profile) -> Client:
    client = Client()
    client.force_login(profile.user)
    client.get("/healthz")
    return client


def assert_queries(client: Client, url: str, expected: int, django_assert_num_queries) -> str:
    client.get(url)  # warm up
    if not settings.SESSION_ENGINE.endswith(".db"):
        expected -= 1  # sessions kept in Redis (production) cost no database query
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def people(organizer, member, reactions):
    others = [make_profile(full_name=f"Reactor {i}") for i in range(4)]
    return {"organizer": organizer, "member": member, "others": others}


def add_members(group: Group, profiles) -> None:
    now = clock.now()
    Membership.objects.bulk_create(
        [Membership(group=group, profile=p, status="active", role="member", created_at=now, joined_at=now)
         for p in profiles]
    )


def add_threads(group: Group, authors, n: int) -> list[Thread]:
    now = clock.now()
    threads = Thread.objects.bulk_create([
        Thread(group=group, author=authors[i % len(authors)], title=f"Thread {next(_names)}", body="Body",
               body_html="<p>Body</p>", created_at=now - dt.timedelta(minutes=i), last_activity_at=now,
               is_question=i % 3 == 0, pinned_at=now if i == 0 else None, reply_count=i)
        for i in range(n)
    ])
    return threads


def add_replies(thread: Thread, authors, n: int) -> list[Post]:
    now = clock.now()
    posts = Post.objects.bulk_create([
        Post(thread=thread, author=authors[i % len(authors)], body=f"Reply {i}", body_html=f"<p>Reply {i}</p>",
             created_at=now + dt.timedelta(seconds=i), edited_at=now if i % 7 == 0 else None)
        for i in range(n)
    ])
    Thread.objects.filter(pk=thread.pk).update(reply_count=n)
    return posts


def add_reactions(posts, people_list) -> None:
    kinds = list(ReactionKind.objects.all())
    now = clock.now()
    Reaction.objects.bulk_create([
        Reaction(kind=kinds[(i + j) % len(kinds)], profile=person, post=post, created_at=now)
        for i, post in enumerate(posts) for j, person in enumerate(people_list) if (i + j) % 2 == 0
    ])


# What each page asks, after the session and the user: the membership/standing, the page's rows with their
# joins, and the few lists beside them. Pinned: a change must be deliberate.
GROUP_PAGE = 11  # + pinned threads, and the page picked by keys before its rows are joined
THREAD_PAGE = 10  # the page of replies is picked by keys before its rows are joined
BROWSE_PAGE = 9
BROWSE_SEARCH = 6
MEMBERS_PAGE = 5
RESOURCES_PAGE = 6


@pytest.mark.parametrize("n", [3, 30])
def test_group_page(people, open_group, n, django_assert_num_queries):
    add_members(open_group, [people["member"], *people["others"]])
    add_threads(open_group, [people["member"], *people["others"]], n)
    html = assert_queries(client_for(people["member"]), reverse("groups:detail", args=[open_group.slug]),
                          GROUP_PAGE, django_assert_num_queries)
    assert html.count("cy-thread-list") == 1
    assert "Thread " in html


@pytest.mark.parametrize("n", [5, 200])
def test_thread_page(people, open_group, n, django_assert_num_queries):
    authors = [people["member"], *people["others"]]
    add_members(open_group, authors)
    thread = services.thread_create(actor=people["organizer"].user, group=open_group, title="Long one", body="Go",
                                    is_question=True)
    posts = add_replies(thread, authors, n)
    add_reactions(posts, authors)
    services.reaction_toggle(actor=people["member"].user, target=thread, kind=ReactionKind.objects.first())
    Thread.objects.filter(pk=thread.pk).update(accepted_post=posts[1])
    url = reverse("groups:thread", args=[open_group.slug, thread.pk])
    html = assert_queries(client_for(people["member"]), url, THREAD_PAGE, django_assert_num_queries)
    assert "Reply 1<" in html
    # The moderator's view (deleted replies shown, moderation buttons) and a later page cost the same.
    Post.objects.filter(pk=posts[2].pk).update(deleted_at=clock.now())
    assert_queries(client_for(people["organizer"]), url, THREAD_PAGE, django_assert_num_queries)
    assert_queries(client_for(people["member"]), url + "?page=last", THREAD_PAGE, django_assert_num_queries)


@pytest.mark.parametrize("n", [3, 30])
def test_browse_page(people, n, django_assert_num_queries):
    member = people["member"]
    member.interests.set([])
    for i in range(n):
        group = services.group_create(actor=people["organizer"].user, name=f"Club {next(_names)}",
                                      read_access=("organization", "members")[i % 2],
                                      join_policy=("open", "request", "invitation")[i % 3], tags=["Chess", f"Tag {i}"])
        if i % 2:
            add_members(group, [member])
    people_tag = group.tags.first()
    member.interests.add(people_tag)  # suggestions are shown too
    html = assert_queries(client_for(member), reverse("groups:browse"), BROWSE_PAGE, django_assert_num_queries)
    assert "Club " in html
    assert_queries(client_for(member), reverse("groups:browse") + "?q=club", BROWSE_SEARCH,
                   django_assert_num_queries)  # a search shows no suggestions


@pytest.mark.parametrize("n", [3, 30])
def test_members_page(people, open_group, n, django_assert_num_queries):
    crowd = [make_profile(full_name=f"Crowd {i}", department=f"Department {i % 4}") for i in range(n)]
    add_members(open_group, [people["member"], *crowd])
    Membership.objects.filter(group=open_group, profile=crowd[0]).update(status="requested")
    html = assert_queries(client_for(people["member"]), reverse("groups:members", args=[open_group.slug]),
                          MEMBERS_PAGE, django_assert_num_queries)
    assert "Crowd 1" in html
    assert_queries(client_for(people["organizer"]), reverse("groups:members", args=[open_group.slug]),
                   MEMBERS_PAGE, django_assert_num_queries)


@pytest.mark.parametrize("n", [3, 30])
def test_resources_page(people, open_group, n, django_assert_num_queries):
    authors = [people["member"], *people["others"]]
    add_members(open_group, authors)
    now = clock.now()
    Resource.objects.bulk_create([
        Resource(group=open_group, kind="link", title=f"Link {i}", url=f"https://example.com/{i}",
                 added_by=authors[i % len(authors)], created_at=now, description="About it")
        for i in range(n)
    ])
    html = assert_queries(client_for(people["member"]), reverse("groups:resources", args=[open_group.slug]),
                          RESOURCES_PAGE, django_assert_num_queries)
    assert "Link 1" in html
