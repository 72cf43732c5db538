"""Buddy assignment on the database: the pairing engine's hard rules hold (never the manager, never across a
do-not-pair entry, opted-in seasoned colleagues only), changes follow the permission rules, both are told."""

from __future__ import annotations

import pytest
from django.utils import timezone

from courtyard.core.errors import ApplicationError, PermissionDenied
from courtyard.core.models import Interaction
from courtyard.notifications.models import Notification
from courtyard.pairing.models import DoNotPair
from courtyard.welcome import selectors, services
from courtyard.welcome.domain import checklist
from courtyard.welcome.models import Buddying, BuddyOffer
from tests.factories import make_profile
from tests.welcome.conftest import days_ago, offer, today

pytestmark = pytest.mark.django_db


def buddy_of(profile):
    found = Buddying.objects.filter(newcomer=profile).first()
    return found.buddy if found else None


def test_a_buddy_from_another_team_is_chosen_and_both_are_introduced(team, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        made = services.buddies_assign(today=today())
    assert [b.newcomer_id for b in made] == [team.newcomer.pk]
    assert buddy_of(team.newcomer) == team.volunteer  # not the manager, not the teammate
    pairing = made[0]
    assert "works in the same place" in pairing.why
    assert "chess" in pairing.why.lower()
    told = set(Notification.objects.filter(kind="buddy_introduced").values_list("recipient_id", flat=True))
    assert told == {team.newcomer.user_id, team.volunteer.user_id}


def test_never_the_manager_even_when_nobody_else_offered(team):
    BuddyOffer.objects.exclude(profile=team.manager).delete()
    assert services.buddies_assign(today=today()) == []
    assert buddy_of(team.newcomer) is None


def test_never_anyone_above_the_manager_either(team):
    director = make_profile(password=None, email="dora.dir@example.com", full_name="Dora Director", start_date=days_ago(4000))
    team.manager.manager = director
    team.manager.save(update_fields=["manager"])
    BuddyOffer.objects.all().delete()
    offer(director)
    assert services.buddies_assign(today=today()) == []


@pytest.mark.parametrize("written_by", ["newcomer", "volunteer"])
def test_never_across_a_do_not_pair_entry_whoever_wrote_it(team, written_by):
    a, b = (team.newcomer, team.volunteer) if written_by == "newcomer" else (team.volunteer, team.newcomer)
    DoNotPair.objects.create(profile=a, other=b, created_at=timezone.now())
    services.buddies_assign(today=today())
    assert buddy_of(team.newcomer) == team.teammate  # the only one left: a teammate rather than nobody


def test_opted_in_only(team):
    BuddyOffer.objects.all().delete()
    assert services.buddies_assign(today=today()) == []
    offer(team.bystander)
    services.buddies_assign(today=today())
    assert buddy_of(team.newcomer) == team.bystander


def test_newcomers_are_not_buddies(team):
    fresh = make_profile(password=None, email="fred.fresh@example.com", full_name="Fred Fresh", start_date=days_ago(10))
    with pytest.raises(ApplicationError):
        services.buddy_offer_set(actor=fresh.user, offered=True)
    BuddyOffer.objects.all().delete()
    offer(fresh)  # even an offer row that got there somehow is not used
    assert services.buddies_assign(today=today()) == []


def test_capacity_is_respected_and_a_second_run_changes_nothing(team, django_capture_on_commit_callbacks):
    BuddyOffer.objects.exclude(profile=team.volunteer).delete()
    BuddyOffer.objects.filter(profile=team.volunteer).update(capacity=1)
    second = make_profile(password=None, email="sam.second@example.com", full_name="Sam Second", start_date=days_ago(5))
    with django_capture_on_commit_callbacks(execute=True):
        made = services.buddies_assign(today=today())
        assert len(made) == 1
        assert services.buddies_assign(today=today()) == []
    assert Buddying.objects.count() == 1
    assert Notification.objects.filter(kind="buddy_introduced").count() == 2
    assert {buddy_of(team.newcomer), buddy_of(second)} == {team.volunteer, None}


def test_a_hidden_start_date_gets_a_buddy_only_when_asked(team):
    team.newcomer.hidden_fields = ["start_date"]
    team.newcomer.save(update_fields=["hidden_fields"])
    assert services.buddies_assign(today=today()) == []
    found = services.buddy_request(actor=team.newcomer.user)
    assert found is not None
    assert found.buddy == team.volunteer


def test_the_manager_and_admins_change_the_buddy_within_the_rules(team, django_capture_on_commit_callbacks):
    services.buddies_assign(today=today())
    pairing = Buddying.objects.get(newcomer=team.newcomer)
    for someone in (team.newcomer, team.volunteer, team.other):
        with pytest.raises(PermissionDenied):
            services.buddy_change(actor=someone.user, buddying=pairing, buddy=team.teammate)
    with pytest.raises(ApplicationError, match="manager"):
        services.buddy_change(actor=team.admin.user, buddying=pairing, buddy=team.manager)
    with pytest.raises(ApplicationError, match="offered"):
        services.buddy_change(actor=team.admin.user, buddying=pairing, buddy=team.bystander)
    DoNotPair.objects.create(profile=team.teammate, other=team.newcomer, created_at=timezone.now())
    with pytest.raises(ApplicationError, match="never to be paired"):
        services.buddy_change(actor=team.manager.user, buddying=pairing, buddy=team.teammate)
    DoNotPair.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        changed = services.buddy_change(actor=team.manager.user, buddying=pairing, buddy=team.teammate)
    assert changed.buddy == team.teammate
    assert changed.assigned_by == team.manager.user
    assert "Mona" in changed.why
    latest = Notification.objects.filter(kind="buddy_introduced", actor=team.manager.user)
    assert set(latest.values_list("recipient_id", flat=True)) == {team.newcomer.user_id, team.teammate.user_id}


def test_meeting_the_buddy_ticks_both_checklists(team):
    services.buddies_assign(today=today())
    pairing = Buddying.objects.select_related("newcomer", "buddy").get(newcomer=team.newcomer)
    with pytest.raises(PermissionDenied):
        services.buddy_met(actor=team.manager.user, buddying=pairing)
    assert services.buddy_met(actor=team.volunteer.user, buddying=pairing)
    assert not services.buddy_met(actor=team.newcomer.user, buddying=pairing)  # once a day
    assert Interaction.objects.filter(kind="buddy_met").count() == 2
    ids = selectors.Profile.objects.filter(pk=team.newcomer.pk).values("pk")
    assert selectors.facts_for(ids, hello_thread_id=None)[team.newcomer.pk].met_buddy
    steps = selectors.buddy_checklist(pairing)
    assert steps.step(checklist.BUDDY_COFFEE).done
    assert not steps.step(checklist.BUDDY_CHECKIN).done


def test_a_newcomer_without_a_connection_after_three_weeks_is_nudged_once(team, django_capture_on_commit_callbacks):
    from courtyard.core.activity import interaction_record

    team.newcomer.start_date = days_ago(20)
    team.newcomer.save(update_fields=["start_date"])
    connected = make_profile(password=None, email="cora.conn@example.com", full_name="Cora Connected",
                             manager=team.manager, start_date=days_ago(30))
    services.buddies_assign(today=today())
    interaction_record(actor_id=team.other.pk, other_id=connected.pk, kind="reply", actor_department_id=None,
                       other_department_id=None)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.nudges_send(today=today()) == 0  # day 20: too early; Cora has a tie
    team.newcomer.start_date = days_ago(22)
    team.newcomer.save(update_fields=["start_date"])
    with django_capture_on_commit_callbacks(execute=True):
        assert services.nudges_send(today=today()) == 1
        assert services.nudges_send(today=today()) == 0  # once
    told = set(Notification.objects.filter(kind="newcomer_nudge").values_list("recipient_id", flat=True))
    assert told == {team.manager.user_id, Buddying.objects.get(newcomer=team.newcomer).buddy.user_id}
    assert "Nia New" in Notification.objects.filter(kind="newcomer_nudge").first().text


def test_the_daily_jobs_assign_and_nudge_and_can_run_twice(team, django_capture_on_commit_callbacks):
    from courtyard.welcome import tasks

    tasks.buddies_for_new_arrivals.call_local()
    tasks.buddies_for_new_arrivals.call_local()
    assert Buddying.objects.filter(newcomer=team.newcomer).count() == 1
    team.newcomer.start_date = days_ago(30)
    team.newcomer.save(update_fields=["start_date"])
    with django_capture_on_commit_callbacks(execute=True):
        tasks.newcomer_nudges.call_local()
        tasks.newcomer_nudges.call_local()
    assert Notification.objects.filter(kind="newcomer_nudge").count() == 2  # the manager and the buddy, once
