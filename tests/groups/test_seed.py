"""Seeded groups and discussions: the same for the same seed, counters and activity facts right, skewed
like a real community, and removable before the seeded people are."""

from __future__ import annotations

import datetime as dt
import random
import statistics
from collections import Counter
from typing import Any

import pytest
from django.db.models import Count, Q

from courtyard.core.models import Interaction, Participation
from courtyard.groups import services
from courtyard.groups.models import Group, Membership, Post, Reaction, Revision, Thread
from courtyard.groups.seed import WINDOW_DAYS, seed_groups, seeded_groups_delete
from courtyard.groups.selectors import groups_suggested
from courtyard.people.models import Profile
from courtyard.people.seed import seed_people, seeded_people_delete, seeded_profiles
from tests.factories import make_profile

SIZE = 150
TODAY = dt.date(2026, 3, 1)


def seed(people_seed: int = 7, groups_seed: int = 11) -> Any:
    seed_people(size=SIZE, rng=random.Random(people_seed), today=TODAY)
    return seed_groups(rng=random.Random(groups_seed), members=SIZE, today=TODAY)


def snapshot() -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    groups = list(
        Group.objects.order_by("name").values_list("name", "slug", "kind", "read_access", "join_policy", "member_count", "thread_count")
    )
    threads = list(
        Thread.objects.order_by("created_at", "title").values_list(
            "group__name", "title", "author__user__email", "reply_count", "is_question"
        )
    )
    return groups, threads


@pytest.fixture
def seeded(db) -> Any:
    return seed()


def test_same_seed_same_groups_and_discussions(db):
    seed()
    first = snapshot()
    assert first[1], "no threads were seeded"
    seeded_groups_delete()
    seeded_people_delete()
    assert not Group.objects.exists()
    assert not Post.objects.exists()
    seed()
    assert snapshot() == first
    seeded_groups_delete()
    seeded_people_delete()
    seed(groups_seed=12)
    assert snapshot()[1] != first[1]


def test_counters_equal_the_real_counts(seeded):
    for group in Group.objects.annotate(
        active=Count("memberships", filter=Q(memberships__status=Membership.Status.ACTIVE), distinct=True),
        live_threads=Count("threads", filter=Q(threads__deleted_at__isnull=True), distinct=True),
    ):
        assert group.member_count == group.active, group.name
        assert group.thread_count == group.live_threads, group.name
        latest = Thread.objects.filter(group=group).order_by("-last_activity_at").first()
        if latest is not None:
            assert group.last_activity_at == latest.last_activity_at
    for thread in Thread.objects.annotate(live=Count("posts", filter=Q(posts__deleted_at__isnull=True))):
        assert thread.reply_count == thread.live
        last_post = thread.posts.order_by("-created_at").first()
        assert thread.last_activity_at == (last_post.created_at if last_post else thread.created_at)
    assert seeded.posts == Post.objects.count()
    assert seeded.threads == Thread.objects.count()
    assert seeded.groups == Group.objects.count()


def test_activity_facts_match_what_happened(seeded):
    verbs = Counter(Participation.objects.values_list("verb", flat=True))
    assert verbs["posted"] + verbs["asked"] == Thread.objects.count()
    assert verbs["asked"] == Thread.objects.filter(is_question=True).count() == seeded.questions
    assert verbs["replied"] == Post.objects.count()
    assert verbs["reacted"] == Reaction.objects.count() > 0
    assert verbs["joined_group"] == Membership.objects.filter(status=Membership.Status.ACTIVE).count()
    assert verbs["answered"] == Thread.objects.filter(accepted_post__isnull=False).count() > 0
    assert not Participation.objects.filter(group_id__isnull=True).exists()
    departments = dict(Profile.objects.values_list("pk", "department_id"))
    for fact in Participation.objects.all()[:300]:
        assert fact.department_id == departments[fact.member_id]
    replies_to_others = Post.objects.exclude(author_id=models_f("thread__author_id")).count()
    assert Interaction.objects.filter(kind="reply").count() == replies_to_others
    reactions_to_others = Reaction.objects.filter(
        Q(thread__isnull=False) & ~Q(profile_id=models_f("thread__author_id"))
        | Q(post__isnull=False) & ~Q(profile_id=models_f("post__author_id"))
    ).count()
    assert Interaction.objects.filter(kind="reaction").count() == reactions_to_others
    replied = Participation.objects.filter(verb="replied").first()
    assert Post.objects.get(pk=replied.object_id).author_id == replied.member_id


def models_f(name: str) -> Any:
    from django.db.models import F

    return F(name)


def test_kinds_visibilities_and_moderation_are_all_there(seeded):
    groups = Group.objects.all()
    assert {g.kind for g in groups} == set(Group.Kind.values)
    combinations = set(groups.values_list("read_access", "join_policy"))
    assert combinations == {(read, join) for read in Group.ReadAccess.values for join in Group.JoinPolicy.values}
    assert groups.filter(archived_at__isnull=False).count() == 1
    assert Membership.objects.filter(status=Membership.Status.REQUESTED, group__join_policy="request").exists()
    assert Membership.objects.filter(status=Membership.Status.INVITED, group__join_policy="invitation").exists()
    for group in groups:
        assert group.memberships.filter(role=Membership.Role.ORGANIZER, status=Membership.Status.ACTIVE).exists()
    assert Membership.objects.filter(role=Membership.Role.MODERATOR).exists()
    assert Thread.objects.filter(pinned_at__isnull=False).exists()
    assert Post.objects.filter(deleted_at__isnull=False).exists()
    assert Revision.objects.exists()
    edited = Post.objects.filter(edited_at__isnull=False).first() or Thread.objects.filter(edited_at__isnull=False).first()
    assert edited is not None
    assert edited.revisions.get().body != edited.body
    accepted = Thread.objects.filter(accepted_post__isnull=False).select_related("accepted_post").first()
    assert accepted.is_question
    assert accepted.accepted_post.thread_id == accepted.pk
    assert accepted.accepted_post.author_id != accepted.author_id
    assert Group.objects.filter(tags__isnull=False).distinct().count() >= 8


def test_activity_is_skewed_and_recent(seeded):
    per_group = sorted(Group.objects.annotate(n=Count("threads__posts")).values_list("n", flat=True))
    assert per_group[-1] >= 5 * max(1, statistics.median(per_group))
    per_author = sorted(Post.objects.values("author").annotate(n=Count("id")).values_list("n", flat=True), reverse=True)
    top = per_author[: max(1, SIZE // 10)]
    assert sum(top) > 0.4 * sum(per_author)  # a few prolific posters ...
    assert len(per_author) < 0.8 * SIZE  # ... and people who never reply
    sizes = sorted(Group.objects.values_list("member_count", flat=True))
    assert sizes[-1] >= 3 * statistics.median(sizes)
    end = dt.datetime.combine(TODAY, dt.time(0), tzinfo=dt.UTC)
    window = end - dt.timedelta(days=WINDOW_DAYS)
    assert not Post.objects.filter(Q(created_at__gt=end) | Q(created_at__lt=window)).exists()
    months = {d.month for d in Post.objects.values_list("created_at", flat=True)}
    assert len(months) >= 5


def test_texts_are_rendered_markdown_with_real_mentions(seeded):
    for post in Post.objects.exclude(body__contains="@")[:200]:
        assert post.body_html == services.render_body(post.body, [])
    for thread in Thread.objects.all()[:100]:
        assert thread.body_html == services.render_body(thread.body, [])
    mention = Post.objects.filter(body__contains="@").first()
    assert mention is not None
    mentioned = services.mentioned_profiles(mention.body)
    assert mentioned
    assert seeded_profiles().filter(pk=mentioned[0].pk).exists()
    assert mention.body_html == services.render_body(mention.body, mentioned)
    assert len(set(Thread.objects.values_list("title", flat=True))) > 0.5 * Thread.objects.count()


def test_members_find_suggested_groups_through_their_interests(seeded):
    member = Profile.objects.filter(interests__groups__isnull=False).first()
    assert member is not None
    Membership.objects.filter(profile=member).delete()
    assert groups_suggested(member.user)


def test_seeded_people_can_be_deleted_after_their_groups(seeded):
    outsider = make_profile(email="real.person@example.com", full_name="Real Person")
    group = services.group_create(actor=outsider.user, name="Real Group")
    author = seeded_profiles().first()
    assert author is not None
    services.membership_join(actor=author.user, group=group)
    thread = services.thread_create(actor=outsider.user, group=group, title="Hello", body="Hi")
    services.post_create(actor=author.user, thread=thread, body="A seeded reply")
    services.post_create(actor=outsider.user, thread=thread, body="A real reply")
    assert seeded_groups_delete() == seeded.groups
    assert seeded_people_delete() == SIZE
    assert list(Group.objects.values_list("name", flat=True)) == ["Real Group"]
    thread.refresh_from_db()
    assert thread.reply_count == 1 == thread.posts.count()
    assert not Participation.objects.exclude(group_id=group.pk).filter(group_id__isnull=False).exists()
