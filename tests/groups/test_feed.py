from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from courtyard.groups import services
from courtyard.groups.models import Post
from courtyard.groups.selectors import FEED_PAGE, home_feed, unanswered_questions
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


def _santa_run(member, organizer, other_member, open_group):
    """Oldest first: the Santa thread, another thread, two replies to Santa, a third thread, a reply to Santa,
    a reply to the other thread, a last reply to Santa in Markdown. Returns (santa, repliers)."""
    services.membership_join(actor=member.user, group=open_group)
    repliers = [make_profile(full_name=f"Rep {name}") for name in ("Ada", "Ben", "Cai", "Dee")]
    for person in (*repliers, other_member):
        services.membership_join(actor=person.user, group=open_group)
    santa = services.thread_create(actor=organizer.user, group=open_group, title="Santa run: who's in?", body="Sign up")
    other = services.thread_create(actor=other_member.user, group=open_group, title="Book club", body="b")
    services.post_create(actor=repliers[0].user, thread=santa, body="me")
    services.post_create(actor=repliers[1].user, thread=santa, body="me too")
    services.thread_create(actor=other_member.user, group=open_group, title="Lunch", body="c")
    services.post_create(actor=repliers[2].user, thread=santa, body="count me in")
    services.post_create(actor=repliers[0].user, thread=other, body="great")
    services.post_create(actor=repliers[3].user, thread=santa, body="**Edit:** bring _gloves_")
    return santa, repliers


def _walk(member, size):
    seen, cursor, pages = [], None, 0
    while True:
        page = home_feed(member.user, cursor=cursor, size=size)
        seen.extend(item["thread"].title for item in page["items"])
        pages += 1
        cursor = page["next_cursor"]
        if not cursor:
            return seen, pages


def test_replies_to_one_thread_are_one_item_with_its_new_replies_and_last_repliers(member, organizer, other_member, open_group):
    santa, repliers = _santa_run(member, organizer, other_member, open_group)
    feed = home_feed(member.user)
    assert texts(feed) == ["Santa run: who's in?", "Book club", "Lunch"]
    item = feed["items"][0]
    assert [p.full_name for p in item["repliers"]] == ["Rep Dee", "Rep Cai", "Rep Ben"]  # newest first, three
    assert item["new_replies"] == 4
    assert item["text"] == "**Edit:** bring _gloves_"
    assert feed["items"][1]["new_replies"] == 1
    assert feed["items"][2]["new_replies"] == 0  # nobody replied to "Lunch"
    # The member answers: only the replies after theirs are new.
    services.post_create(actor=member.user, thread=santa, body="I'm in")
    services.post_create(actor=repliers[1].user, thread=santa, body="yay")
    assert home_feed(member.user)["items"][0]["new_replies"] == 1

    page = signed_in_client(member).get("/").content.decode()
    assert page.count("Santa run: who&#x27;s in?") == 1
    assert "1 new reply" in page
    assert "Edit: bring gloves" not in page  # the newest reply now is "yay"
    assert "**" not in page


def test_grouped_threads_page_by_cursor_without_repeats_or_gaps(member, organizer, other_member, open_group):
    """Whatever the page size, walking the pages shows the same items in the same order as one long page:
    a thread is shown where its newest activity falls and never again for its older replies."""
    _santa, repliers = _santa_run(member, organizer, other_member, open_group)
    whole = texts(home_feed(member.user, size=50))
    assert whole == ["Santa run: who's in?", "Book club", "Lunch"]
    for size in range(1, 10):
        seen, pages = _walk(member, size)
        assert seen == whole, size
        assert pages == -(-8 // size), size  # eight facts: the cursor still walks every one of them
    # The newest reply to Santa is deleted: the thread moves to its newest live activity, still once.
    newest = Post.objects.filter(thread__title__startswith="Santa").order_by("-created_at", "-id").first()
    services.content_set_deleted(actor=repliers[3].user, target=newest, deleted=True)
    whole = texts(home_feed(member.user, size=50))
    assert whole == ["Book club", "Santa run: who's in?", "Lunch"]
    for size in range(1, 10):
        assert _walk(member, size)[0] == whole, size


def test_a_feed_page_after_the_cursor_runs_a_fixed_number_of_queries(member, organizer, other_member, open_group,
                                                                       django_assert_num_queries):
    _santa_run(member, organizer, other_member, open_group)
    client = signed_in_client(member)
    assert home_feed(member.user, size=FEED_PAGE)["next_cursor"] is None

    def after_the_newest_two() -> str:
        return f"/?cursor={home_feed(member.user, size=2)['next_cursor']}"

    url = after_the_newest_two()
    client.get(url)
    # session, user, my profile id, my groups, feed facts, replies, threads (with "shown before" and the
    # count of new replies as subqueries); no library item on the page, so no query for them
    expected = 7 if settings.SESSION_ENGINE.endswith(".db") else 6
    with django_assert_num_queries(expected):
        page = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "Lunch" in page
    assert "Santa run" not in page  # shown on the first page, with its newest reply
    for i in range(6):
        thread = services.thread_create(actor=organizer.user, group=open_group, title=f"More {i}", body="m")
        services.post_create(actor=other_member.user, thread=thread, body="r")
    url = after_the_newest_two()
    with django_assert_num_queries(expected):
        page = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "More 0" in page
    assert "Santa run" in page
