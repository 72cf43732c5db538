"""Following people: quiet (no notification, no activity fact), idempotent, audited, never oneself or the departed."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from courtyard.core.errors import ApplicationError
from courtyard.core.models import AuditEntry, Interaction, Participation
from courtyard.notifications.models import Notification
from courtyard.people import selectors, services
from courtyard.people.models import Follow
from tests.api.conftest import api_for
from tests.conftest import signed_in_client
from tests.factories import make_profile

pytestmark = pytest.mark.django_db


def test_follow_and_unfollow_are_idempotent_and_audited_once(member, other_member):
    services.follow_create(actor=member.user, profile=other_member)
    services.follow_create(actor=member.user, profile=other_member)
    assert Follow.objects.filter(follower=member, followed=other_member).count() == 1
    assert services.follow_delete(actor=member.user, profile=other_member) is True
    assert services.follow_delete(actor=member.user, profile=other_member) is False
    actions = list(AuditEntry.objects.filter(action__startswith="people.follow").order_by("pk").values_list("action", flat=True))
    assert actions == ["people.follow.created", "people.follow.deleted"]


def test_following_is_quiet(member, other_member):
    services.follow_create(actor=member.user, profile=other_member)
    assert not Notification.objects.exists()
    assert not Participation.objects.exists()
    assert not Interaction.objects.exists()


def test_nobody_follows_themselves_or_a_deactivated_member(member, other_member, admin):
    with pytest.raises(ApplicationError, match="yourself"):
        services.follow_create(actor=member.user, profile=member)
    services.follow_create(actor=member.user, profile=other_member)
    services.member_set_active(actor=admin.user, profile=other_member, active=False)
    other_member.refresh_from_db()
    with pytest.raises(ApplicationError, match="deactivated"):
        services.follow_create(actor=admin.user, profile=other_member)
    assert services.follow_delete(actor=member.user, profile=other_member) is True  # leaving is always possible


def test_the_database_refuses_self_follows_and_duplicates(member, other_member):
    Follow.objects.create(follower=member, followed=other_member, created_at="2026-01-01T00:00:00Z")
    with pytest.raises(IntegrityError), transaction.atomic():
        Follow.objects.create(follower=member, followed=other_member, created_at="2026-01-01T00:00:00Z")
    with pytest.raises(IntegrityError), transaction.atomic():
        Follow.objects.create(follower=member, followed=member, created_at="2026-01-01T00:00:00Z")


def test_selectors_give_ids_for_the_feed_and_counts_for_the_profile(member, other_member, admin):
    services.follow_create(actor=member.user, profile=other_member)
    services.follow_create(actor=member.user, profile=admin)
    services.follow_create(actor=admin.user, profile=member)
    assert set(selectors.followed_ids(member).values_list("followed_id", flat=True)) == {other_member.pk, admin.pk}
    assert set(selectors.followed_ids(member.pk).values_list("followed_id", flat=True)) == {other_member.pk, admin.pk}
    assert selectors.follow_summary(member, viewer_user_id=admin.user.pk) == {
        "followers": 1, "following": 2, "viewer_follows": True}
    assert selectors.follow_summary(member, viewer_user_id=other_member.user.pk)["viewer_follows"] is False
    assert [p.pk for p in selectors.following_of(member)] == [admin.pk, other_member.pk]  # by name


def test_the_profile_button_works_without_javascript(member, other_member):
    client = signed_in_client(member)
    url = reverse("people:profile", args=[other_member.pk])
    page = client.get(url).content.decode()
    assert "0 followers" in page
    assert 'name="follow" value="1"' in page
    response = client.post(reverse("people:profile_follow", args=[other_member.pk]), {"follow": "1"}, follow=True)
    page = response.content.decode()
    assert "You follow Olu Other" in page
    assert "1 follower" in page
    assert 'name="follow" value="0"' in page
    client.post(reverse("people:profile_follow", args=[other_member.pk]), {"follow": "0"})
    assert not Follow.objects.exists()


def test_the_profile_button_with_htmx_swaps_only_the_box(member, other_member):
    client = signed_in_client(member)
    response = client.post(reverse("people:profile_follow", args=[other_member.pk]), {"follow": "1"},
                           HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<div id="follow-box"')
    assert "Unfollow" in page
    assert "1 follower" in page
    assert "<html" not in page


def test_ones_own_profile_has_counts_but_no_button(member, other_member):
    services.follow_create(actor=other_member.user, profile=member)
    page = signed_in_client(member).get(reverse("people:profile", args=[member.pk])).content.decode()
    assert "1 follower" in page
    assert "follows 0 people" in page
    assert 'name="follow"' not in page


def test_api_follow_unfollow_and_list(member, other_member):
    api = api_for(member)
    assert api.request("post", f"/api/people/{other_member.pk}/follow").body == {"following": True, "followers": 1}
    assert api.request("post", f"/api/people/{other_member.pk}/follow").body == {"following": True, "followers": 1}
    assert api.get("/api/people/me/following").body == [{"id": other_member.pk, "name": "Olu Other"}]
    assert api.request("delete", f"/api/people/{other_member.pk}/follow").body == {"following": False, "followers": 0}
    assert api.get("/api/people/me/following").body == []
    refused = api.request("post", f"/api/people/{member.pk}/follow")
    assert refused.status_code == 400
    assert refused.body["code"] == "self_follow"


def test_following_list_leaves_out_deactivated_people(member, other_member, admin):
    services.follow_create(actor=member.user, profile=other_member)
    services.member_set_active(actor=admin.user, profile=other_member, active=False)
    assert api_for(member).get("/api/people/me/following").body == []


def test_api_following_list_costs_fixed_queries(member, django_assert_num_queries):
    api = api_for(member)
    for size in (2, 20):
        for _ in range(size):
            services.follow_create(actor=member.user, profile=make_profile())
        api.get("/api/people/me/following")
        from django.conf import settings

        session = 2 if settings.SESSION_ENGINE.endswith(".db") else 1
        with django_assert_num_queries(session + 2):  # the member's profile, the people
            api.get("/api/people/me/following")
