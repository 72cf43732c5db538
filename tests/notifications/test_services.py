"""The one entry point: preferences, no self-notes, deactivated members, de-duplication, the bulk form."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache

from courtyard.core.models import Interaction, Participation
from courtyard.notifications import selectors, services
from courtyard.notifications.models import Notification, Preference
from courtyard.people.services import member_set_active
from tests.factories import make_profile
from tests.notifications.conftest import send

pytestmark = pytest.mark.django_db


def test_a_notification_is_made_with_what_it_is_about(member, other_member):
    made = send(member, actor=other_member, object_id=7, url="/groups/chess/")
    assert made is not None
    stored = Notification.objects.get()
    assert (stored.recipient_id, stored.kind, stored.actor_id) == (member.user.pk, "mention", other_member.user.pk)
    assert (stored.text, stored.url, stored.object_type, stored.object_id) == (
        "Something happened", "/groups/chess/", "probe", 7)
    assert stored.read_at is None


def test_preference_off_means_no_row_and_back_on_stores_nothing(member, other_member):
    services.preferences_set(actor=member.user, choices={"mention": False})
    assert send(member, actor=other_member) is None
    assert not Notification.objects.exists()
    assert send(member, actor=other_member, kind="reply_to_thread") is not None  # other kinds still arrive
    services.preferences_set(actor=member.user, choices={"mention": True})
    assert not Preference.objects.exists()  # the default again: nothing stored
    assert send(member, actor=other_member, object_id=2) is not None


def test_nobody_is_told_about_their_own_action(member):
    assert send(member, actor=member) is None
    assert not Notification.objects.exists()


def test_deactivated_members_are_not_notified(member, admin):
    member_set_active(actor=admin.user, profile=member, active=False)
    member.user.refresh_from_db()
    assert send(member, actor=admin) is None
    assert not Notification.objects.exists()


def test_the_same_news_about_the_same_thing_is_told_once_within_the_window(member, other_member, admin):
    assert send(member, actor=other_member, object_id=1) is not None
    assert send(member, actor=admin, object_id=1) is None  # someone else, same thing, minutes later
    assert send(member, actor=other_member, object_id=2) is not None  # another thing
    assert send(member, actor=other_member, object_id=1, kind="reply_to_thread") is not None  # another kind
    Notification.objects.update(created_at=Notification.objects.first().created_at - services.DEDUP_WINDOW
                                - dt.timedelta(seconds=1))
    assert send(member, actor=other_member, object_id=1) is not None  # long after: told again
    assert Notification.objects.count() == 4


def test_links_must_stay_on_the_site_and_kinds_must_exist(member, other_member):
    with pytest.raises(ValueError, match="local"):
        send(member, actor=other_member, url="https://evil.example/")
    with pytest.raises(ValueError, match="local"):
        send(member, actor=other_member, url="//evil.example/")
    with pytest.raises(ValueError, match="unknown"):
        send(member, actor=other_member, kind="nonsense")
    assert not Notification.objects.exists()


def test_long_text_is_cut_to_fit(member, other_member):
    made = send(member, actor=other_member, text="x" * 1000)
    assert len(made.text) == services.TEXT_LENGTH


def test_creating_one_clears_the_cached_count(member, other_member):
    assert selectors.unread_count(member.user) == 0
    send(member, actor=other_member)
    assert cache.get(services.unread_cache_key(member.user.pk)) is None
    assert selectors.unread_count(member.user) == 1


def test_notifying_records_no_activity_facts(member, other_member):
    send(member, actor=other_member)
    assert not Participation.objects.exists()
    assert not Interaction.objects.exists()


def bulk(recipients, actor, object_id=1):
    return services.notifications_send_bulk(
        recipients=[p.user for p in recipients], kind="mention", actor=actor.user, text="You were mentioned",
        url="/groups/", object_type="probe", object_id=object_id,
    )


def test_bulk_applies_every_rule_per_recipient(member, other_member, admin):
    quiet = make_profile(full_name="Quinn Quiet")
    services.preferences_set(actor=quiet.user, choices={"mention": False})
    gone = make_profile(full_name="Gus Gone")
    member_set_active(actor=admin.user, profile=gone, active=False)
    gone.user.refresh_from_db()
    told_already = make_profile(full_name="Tia Told")
    send(told_already, actor=admin, object_id=1)
    made = bulk([member, other_member, quiet, gone, told_already, admin, member], actor=admin)
    assert sorted(n.recipient_id for n in made) == sorted([member.user.pk, other_member.user.pk])
    assert all(n.pk for n in made)
    assert Notification.objects.filter(recipient=member.user).count() == 1  # listed twice, told once


@pytest.mark.parametrize("size", [2, 5, 40])
def test_bulk_costs_three_queries_whatever_the_number_of_recipients(admin, size, django_assert_num_queries):
    people = [make_profile() for _ in range(size)]
    services.preferences_set(actor=people[0].user, choices={"mention": False})
    with django_assert_num_queries(3):  # the choices, recent duplicates, one insert
        made = bulk(people, actor=admin)
    assert len(made) == size - 1
    with django_assert_num_queries(2):  # everyone told already: nothing to insert
        assert bulk(people, actor=admin) == []


def test_bulk_with_nobody_to_tell_costs_nothing(member, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert bulk([member], actor=member) == []


def test_mark_read_is_for_the_recipient_only(member, other_member):
    made = send(member, actor=other_member)
    with pytest.raises(ValueError, match="recipient"):
        services.notification_mark_read(actor=other_member.user, notification=made)
    services.notification_mark_read(actor=member.user, notification=made)
    first = Notification.objects.get().read_at
    assert first is not None
    services.notification_mark_read(actor=member.user, notification=made)  # idempotent: the first time stays
    assert Notification.objects.get().read_at == first


def test_mark_all_read_touches_only_ones_own(member, other_member):
    send(member, actor=other_member, object_id=1)
    send(member, actor=other_member, object_id=2)
    send(other_member, actor=member, object_id=3)
    assert services.notifications_mark_all_read(actor=member.user) == 2
    assert not Notification.objects.filter(recipient=member.user, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=other_member.user, read_at__isnull=True).count() == 1


def test_preferences_refuse_unknown_kinds_and_non_booleans(member):
    from courtyard.core.errors import ApplicationError

    with pytest.raises(ApplicationError, match="Unknown"):
        services.preferences_set(actor=member.user, choices={"bogus": False, "mention": False})
    with pytest.raises(ApplicationError, match="channel must be one of"):
        services.preferences_set(actor=member.user, choices={"mention": "app", "reply_to_thread": "no"})
    with pytest.raises(ApplicationError, match="true or false"):
        services.preferences_set(actor=member.user, choices={"mention": 3})
    assert not Preference.objects.exists()  # nothing half-saved


def test_preferences_store_channels_that_differ_from_the_default(member):
    services.preferences_set(actor=member.user, choices={"mention": "app", "join_request": "email"})
    assert sorted(Preference.objects.values_list("kind", "channel")) == [("join_request", "email"), ("mention", "app")]
    services.preferences_set(actor=member.user, choices={"mention": "email", "join_request": True})
    assert list(Preference.objects.values_list("kind", "channel")) == [("join_request", "email")]
