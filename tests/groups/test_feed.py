from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from courtyard.groups import services
from courtyard.groups.selectors import home_feed, unanswered_questions
from courtyard.people.services import follow_set
from tests.api.conftest import api_for
from tests.conftest import signed_in_client
from tests.factories import make_profile

pytestmark = pytest.mark.django_db


def texts(feed) -> list[str]:
    return [item["thread"].title if "thread" in item else item["resource"].title for item in feed["items"]]


def test_feed_shows_my_groups_and_people_i_follow_but_nothing_unreadable(member, organizer, open_group, private_group, other_member):
    services.membership_join(actor=member.user, group=open_group)
    services.thread_create(actor=organizer.user, group=open_group, title="In my group", body="x")
    elsewhere = services.group_create(actor=other_member.user, name="Elsewhere")
    services.thread_create(actor=other_member.user, group=elsewhere, title="By someone I follow", body="y")
    services.thread_create(actor=organizer.user, group=private_group, title="Private words", body="z")
    services.thread_create(actor=member.user, group=open_group, title="My own", body="w")
    assert texts(home_feed(member.user)) == ["In my group"]
    follow_set(actor=member.user, profile=other_member, following=True)
    follow_set(actor=member.user, profile=organizer, following=True)
    assert texts(home_feed(member.user)) == ["By someone I follow", "In my group"]  # not "Private words"
    services.membership_set_muted(actor=member.user, group=open_group, muted=True)
    assert texts(home_feed(member.user)) == ["By someone I follow", "In my group"]  # still followed: organizer


def test_feed_pages_by_cursor_and_skips_deleted(member, organizer, open_group):
    services.membership_join(actor=member.user, group=open_group)
    threads = []
    for i in range(8):
        threads.append(services.thread_create(actor=organizer.user, group=open_group, title=f"T{i}", body="b"))
    services.content_set_deleted(actor=organizer.user, target=threads[7], deleted=True)
    first = home_feed(member.user, size=4)
    assert texts(first) == ["T6", "T5", "T4"]  # T7 deleted: its slot stays empty rather than shifting pages
    second = home_feed(member.user, cursor=first["next_cursor"], size=4)
    assert texts(second) == ["T3", "T2", "T1", "T0"]
    assert second["next_cursor"] is None


def test_unanswered_questions(member, organizer, open_group, other_member):
    services.membership_join(actor=member.user, group=open_group)
    services.membership_join(actor=other_member.user, group=open_group)
    waiting = services.thread_create(actor=organizer.user, group=open_group, title="Help?", body="?", is_question=True)
    answered = services.thread_create(actor=organizer.user, group=open_group, title="Done?", body="?", is_question=True)
    services.post_create(actor=other_member.user, thread=answered, body="yes")
    assert unanswered_questions(member.user) == [waiting]


def test_home_feed_runs_a_fixed_number_of_queries(member, organizer, open_group, other_member, django_assert_num_queries):
    services.membership_join(actor=member.user, group=open_group)
    services.membership_join(actor=other_member.user, group=open_group)
    client = signed_in_client(member)

    def fill(n: int, starter, replier) -> None:
        for i in range(n):
            thread = services.thread_create(actor=starter.user, group=open_group, title=f"Topic {i}", body="b")
            services.post_create(actor=replier.user, thread=thread, body="reply")
        services.resource_add(actor=replier.user, group=open_group, title="Doc", url="https://example.com/")

    fill(2, organizer, other_member)
    client.get("/")
    # session, user, profile, newcomers, interests check (no interests: nobody "similar" to rank),
    # my profile id, my groups, feed facts, threads, replies, library items, unanswered questions
    expected = 12 if settings.SESSION_ENGINE.endswith(".db") else 11
    with django_assert_num_queries(expected):
        client.get("/")
    # Other people write the next ones: the posting rate limit allows 8 a minute each.
    starter, replier = make_profile(full_name="Sam Starter"), make_profile(full_name="Rae Replier")
    for person in (starter, replier):
        services.membership_join(actor=person.user, group=open_group)
    fill(7, starter, replier)
    client.get("/")
    with django_assert_num_queries(expected):
        page = client.get("/").content.decode()
    assert "Topic 6" in page


def test_follow_buttons_and_api(member, other_member):
    client = signed_in_client(member)
    url = reverse("people:profile", args=[other_member.pk])
    assert "Follow" in client.get(url).content.decode()
    client.post(reverse("people:profile_follow", args=[other_member.pk]), {"follow": "1"})
    assert "Unfollow" in client.get(url).content.decode()
    api = api_for(member)
    assert [p["name"] for p in api.request("get", "/api/people/me/following").body] == ["Olu Other"]
    assert api.request("delete", f"/api/people/{other_member.pk}/follow").body == {"following": False, "followers": 0}
    assert api.request("post", f"/api/people/{other_member.pk}/follow").body == {"following": True, "followers": 1}
    assert api.request("post", f"/api/people/{member.pk}/follow").status_code == 400
    gone = make_profile(full_name="Gone Person")
    gone.is_active = False
    gone.save()
    assert api.request("post", f"/api/people/{gone.pk}/follow").status_code == 404


def test_feed_merges_every_group_and_follow_newest_first_without_duplicates(member, other_member, organizer, open_group):
    """Each group is read by its own probe and the follows by another; a followed person's post in one of the
    member's groups comes from both and is shown once; paging by cursor neither repeats nor skips."""
    second = services.group_create(actor=organizer.user, name="Second group")
    for group in (open_group, second):
        services.membership_join(actor=member.user, group=group)
        services.membership_join(actor=other_member.user, group=group)
    follow_set(actor=member.user, profile=other_member, following=True)
    titles = []
    for i in range(7):
        group = (open_group, second)[i % 2]
        author = (other_member, organizer)[i % 2]
        services.thread_create(actor=author.user, group=group, title=f"Item {i}", body="b")
        titles.append(f"Item {i}")
    seen, cursor = [], None
    while True:
        page = home_feed(member.user, cursor=cursor, size=3)
        seen.extend(item["thread"].title for item in page["items"])
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == list(reversed(titles))
