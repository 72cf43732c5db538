"""Kudos, +1, reactions, withdrawal, values and the allowance through the services, with their facts and notifications."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Sum

from courtyard.core.errors import ApplicationError, Conflict, PermissionDenied
from courtyard.core.models import AuditEntry, Interaction, Participation
from courtyard.core.ratelimit import RateLimited
from courtyard.groups import services as group_services
from courtyard.notifications.models import Notification
from courtyard.recognition import access, services
from courtyard.recognition.domain import allowance
from courtyard.recognition.models import (
    AllowanceBalance,
    AllowanceEntry,
    Kudos,
    KudosCoSender,
    KudosReaction,
    KudosReceiver,
)
from tests.factories import make_profile
from tests.helpers import db_snapshot

pytestmark = pytest.mark.django_db


def send(actor, **kwargs):
    kwargs.setdefault("message", "Thank you for the **great** review!")
    return services.kudos_send(actor=actor.user, **kwargs)


def standing(profile, kudos):
    return access.access_kudos(profile.user, kudos.pk)


def test_kudos_to_a_person_with_a_value_records_facts_and_notifies(org):
    kudos = send(org.ana, people=[org.sam], value=org.values[0])
    assert kudos.message_html == "<p>Thank you for the <strong>great</strong> review!</p>\n"
    assert list(KudosReceiver.objects.filter(kudos=kudos).values_list("profile_id", "via")) == [(org.sam.pk, "person")]
    gave = Participation.objects.get(verb="gave_kudos")
    assert (gave.member_id, gave.department_id, gave.object_type, gave.object_id) == (
        org.ana.pk, org.ana.department_id, "kudos", kudos.pk)
    received = Participation.objects.get(verb="received_kudos")
    assert (received.member_id, received.department_id) == (org.sam.pk, org.sam.department_id)
    tie = Interaction.objects.get(kind="kudos")
    assert (tie.actor_id, tie.other_id, tie.actor_department_id, tie.other_department_id) == (
        org.ana.pk, org.sam.pk, org.ana.department_id, org.sam.department_id)
    note = Notification.objects.get(kind="kudos_received")
    assert note.recipient == org.sam.user
    assert note.text == "Ana Appreciative sent you kudos"
    assert AuditEntry.objects.filter(action="recognition.kudos.sent", object_id=str(kudos.pk)).exists()


def test_team_kudos_thanks_each_active_member_but_not_the_sender(org):
    kudos = send(org.ana, teams=[org.team])
    receivers = set(KudosReceiver.objects.filter(kudos=kudos).values_list("profile_id", "via"))
    assert receivers == {(org.bo.pk, "team"), (org.cy.pk, "team"), (org.mo.pk, "team")}
    assert Interaction.objects.filter(kind="kudos", actor_id=org.ana.pk).count() == 3
    assert set(Notification.objects.filter(kind="kudos_received").values_list("recipient_id", flat=True)) == {
        org.bo.user_id, org.cy.user_id, org.mo.user_id}


def test_a_person_named_and_in_the_team_is_thanked_once_by_name(org):
    kudos = send(org.ana, people=[org.bo], teams=[org.team])
    assert KudosReceiver.objects.get(kudos=kudos, profile=org.bo).via == "person"
    assert Participation.objects.filter(verb="received_kudos", member_id=org.bo.pk).count() == 1


def test_group_kudos_thanks_its_members_and_records_the_group(org):
    group = group_services.group_create(actor=org.bo.user, name="Chess Club")
    group_services.membership_join(actor=org.sam.user, group=group)
    kudos = send(org.ana, groups=[group])
    assert set(KudosReceiver.objects.filter(kudos=kudos).values_list("profile_id", flat=True)) == {org.bo.pk, org.sam.pk}
    assert set(Participation.objects.filter(verb="received_kudos").values_list("group_id", flat=True)) == {group.pk}


def test_big_groups_are_thanked_as_a_whole(org, monkeypatch):
    monkeypatch.setattr(services, "TEAM_KUDOS_MAX_MEMBERS", 1)
    group = group_services.group_create(actor=org.bo.user, name="Everyone")
    group_services.membership_join(actor=org.sam.user, group=group)
    kudos = send(org.ana, groups=[group], teams=[org.team])
    assert not KudosReceiver.objects.filter(kudos=kudos).exists()  # 2 group members and 3 teammates: both too big
    assert kudos.recipients.count() == 2
    assert Participation.objects.filter(verb="gave_kudos").count() == 1


def test_private_groups_cannot_be_thanked_by_outsiders(org):
    from courtyard.core.errors import NotFound

    secret = group_services.group_create(actor=org.bo.user, name="Secret Circle", join_policy="invitation")
    before = db_snapshot()
    with pytest.raises(NotFound):
        send(org.ana, groups=[secret])
    assert db_snapshot() == before


@pytest.mark.parametrize(
    ("build", "code"),
    [
        (lambda o: {"people": []}, "no_recipient"),
        (lambda o: {"people": [o.ana]}, "self_kudos"),
        (lambda o: {"people": [o.gone]}, "inactive"),
        (lambda o: {"people": [o.bo], "message": "   "}, "required"),
        (lambda o: {"people": [o.bo], "message": "x" * 4001}, "too_long"),
        (lambda o: {"teams": [o.team], "is_private": True}, "private_to_people"),
        (lambda o: {"people": [o.bo], "share_with_manager": True}, "share_needs_private"),
        (lambda o: {"people": [o.bo], "points": 5}, "allowance_off"),
        (lambda o: {"people": [o.bo], "points": -1}, "negative_points"),
    ],
)
def test_refused_kudos_change_nothing(org, build, code):
    before = db_snapshot()
    with pytest.raises(ApplicationError) as caught:
        send(org.ana, **build(org))
    assert caught.value.code == code
    assert caught.value.status == 400
    assert caught.value.message
    assert db_snapshot() == before


def test_retired_values_are_refused(org):
    services.value_update(actor=org.admin.user, value=org.values[1], data={"is_active": False})
    with pytest.raises(ApplicationError, match="not offered"):
        send(org.ana, people=[org.bo], value=org.values[1])


def test_sending_is_rate_limited(org):
    for _ in range(services.KUDOS_LIMITS[0][0]):
        send(org.ana, people=[org.bo])
    count = Kudos.objects.count()
    with pytest.raises(RateLimited):
        send(org.ana, people=[org.bo])
    assert Kudos.objects.count() == count


def test_plus_one_makes_a_co_sender_with_facts_and_tells_the_sender(org):
    kudos = send(org.ana, people=[org.bo], teams=[])
    _kudos, current = standing(org.sam, kudos)
    assert services.kudos_plus_one(actor=org.sam.user, kudos=kudos, current=current) is True
    _kudos, current = standing(org.sam, kudos)
    assert services.kudos_plus_one(actor=org.sam.user, kudos=kudos, current=current) is True  # idempotent
    assert KudosCoSender.objects.filter(kudos=kudos).count() == 1
    kudos.refresh_from_db()
    assert kudos.co_sender_count == 1
    assert Participation.objects.filter(verb="gave_kudos", member_id=org.sam.pk).count() == 1
    assert Participation.objects.filter(verb="received_kudos").count() == 1  # not received twice
    assert Interaction.objects.filter(kind="kudos", actor_id=org.sam.pk, other_id=org.bo.pk).count() == 1
    assert Notification.objects.get(kind="kudos_agreed").recipient == org.ana.user
    services.kudos_plus_one(actor=org.sam.user, kudos=kudos, current=current, agree=False)
    kudos.refresh_from_db()
    assert kudos.co_sender_count == 0


@pytest.mark.parametrize("who", ["ana", "bo"])
def test_sender_and_recipient_cannot_plus_one(org, who):
    kudos = send(org.ana, people=[org.bo])
    profile = getattr(org, who)
    _kudos, current = standing(profile, kudos)
    before = db_snapshot()
    with pytest.raises(PermissionDenied):
        services.kudos_plus_one(actor=profile.user, kudos=kudos, current=current)
    assert db_snapshot() == before


def test_reactions_toggle_and_count(org, reactions):
    kudos = send(org.ana, people=[org.bo])
    _kudos, current = standing(org.cy, kudos)
    assert services.kudos_reaction_toggle(actor=org.cy.user, kudos=kudos, current=current, kind=reactions[1]) is True
    assert KudosReaction.objects.filter(kudos=kudos).count() == 1
    assert Interaction.objects.filter(kind="reaction", actor_id=org.cy.pk, other_id=org.ana.pk).exists()
    assert services.kudos_reaction_toggle(actor=org.cy.user, kudos=kudos, current=current, kind=reactions[1]) is False
    kudos.refresh_from_db()
    assert kudos.reaction_count == 0


def test_withdraw_and_restore(org):
    kudos = send(org.ana, people=[org.bo])
    _kudos, current = standing(org.cy, kudos)
    with pytest.raises(PermissionDenied):
        services.kudos_set_deleted(actor=org.cy.user, kudos=kudos, current=current, deleted=True)
    _kudos, current = standing(org.ana, kudos)
    services.kudos_set_deleted(actor=org.ana.user, kudos=kudos, current=current, deleted=True)
    assert not access.visible_kudos(org.bo.user).exists()
    kudos, current = access.access_kudos(org.admin.user, kudos.pk, include_deleted=True)
    services.kudos_set_deleted(actor=org.admin.user, kudos=kudos, current=current, deleted=False)
    assert access.visible_kudos(org.bo.user).filter(pk=kudos.pk).exists()


def test_values_are_admin_only_and_unique(org):
    with pytest.raises(PermissionDenied):
        services.value_create(actor=org.ana.user, name="Be kind")
    with pytest.raises(Conflict):
        services.value_create(actor=org.admin.user, name="own IT")


# --- The allowance ---------------------------------------------------------------------------------


def ledger_ok(member) -> bool:
    for balance in AllowanceBalance.objects.filter(member=member):
        entries = AllowanceEntry.objects.filter(member=member, month=balance.month).values_list("kind", "amount")
        if not allowance.ledger_balances(entries, granted=balance.granted, spent=balance.spent):
            return False
    return True


def test_points_are_spent_per_person_and_the_ledger_balances(org, allowance_on):
    send(org.ana, people=[org.bo, org.cy], points=10)
    balance = AllowanceBalance.objects.get(member=org.ana)
    assert (balance.granted, balance.spent) == (100, 20)
    assert list(AllowanceEntry.objects.filter(member=org.ana).values_list("kind", "amount")) == [
        ("grant", 100), ("spend", -10), ("spend", -10)]
    assert ledger_ok(org.ana)
    from courtyard.recognition.selectors import points_received

    assert points_received(org.bo, balance.month) == 10


def test_limits_per_recipient_and_per_month(org, allowance_on, monkeypatch):
    monkeypatch.setattr(services, "KUDOS_LIMITS", ((100, 60),))
    send(org.ana, people=[org.bo], points=20)
    before = db_snapshot()
    with pytest.raises(ApplicationError) as caught:
        send(org.ana, people=[org.bo], points=11)  # 20 + 11 > 30 to one colleague
    assert caught.value.code == "recipient_limit"
    assert "10 are left for Bo Builder" in caught.value.message
    with pytest.raises(ApplicationError) as caught:
        send(org.ana, people=[org.bo], points=21)
    assert caught.value.code == "too_many_points"
    assert db_snapshot() == before
    for person in (org.cy, org.mo, org.sam, org.admin):
        send(org.ana, people=[person], points=20)  # 100 of 100 now
    with pytest.raises(ApplicationError) as caught:
        send(org.ana, people=[org.bo], points=1)
    assert caught.value.code == "not_enough_points"
    send(org.ana, people=[org.bo], points=0)  # thanks without points are always possible
    assert AllowanceBalance.objects.get(member=org.ana).spent == 100
    assert ledger_ok(org.ana)


def test_not_enough_points_left(org, allowance_on):
    services.settings_update(actor=org.admin.user, allowance_enabled=True, monthly_points=30, per_recipient_limit=30,
                             max_points_per_kudos=20)
    send(org.ana, people=[org.bo], points=20)
    with pytest.raises(ApplicationError) as caught:
        send(org.ana, people=[org.cy], points=15)
    assert caught.value.code == "not_enough_points"
    assert "15 points and you have 10 left" in caught.value.message


def test_points_need_people_and_never_go_to_oneself(org, allowance_on):
    with pytest.raises(ApplicationError) as caught:
        send(org.ana, teams=[org.team], points=5)
    assert caught.value.code == "points_need_people"


def test_no_roll_over_and_a_top_up_when_raised(org, allowance_on, monkeypatch):
    from courtyard.core import clock

    may = dt.datetime(2025, 5, 20, 12, tzinfo=dt.UTC)
    monkeypatch.setattr(clock, "now", lambda: may)
    send(org.ana, people=[org.bo], points=10)
    services.settings_update(actor=org.admin.user, allowance_enabled=True, monthly_points=150, per_recipient_limit=30,
                             max_points_per_kudos=20)
    send(org.ana, people=[org.cy], points=10)
    assert AllowanceBalance.objects.get(member=org.ana, month=dt.date(2025, 5, 1)).granted == 150
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2025, 6, 2, 12, tzinfo=dt.UTC))
    send(org.ana, people=[org.bo], points=20)  # a new month: a fresh 150, and the per-colleague limit starts over
    june = AllowanceBalance.objects.get(member=org.ana, month=dt.date(2025, 6, 1))
    assert (june.granted, june.spent) == (150, 20)
    assert AllowanceEntry.objects.filter(member=org.ana, kind="grant").aggregate(total=Sum("amount"))["total"] == 300
    assert ledger_ok(org.ana)


def test_the_month_is_the_senders_own(org, allowance_on, monkeypatch):
    """At 11:00 UTC on 31 May it is already 1 June in Kiritimati (UTC+14)."""
    from courtyard.core import clock
    from courtyard.people.models import Profile

    Profile.objects.filter(pk=org.ana.pk).update(timezone="Pacific/Kiritimati")
    org.ana.refresh_from_db()
    org.ana.user._courtyard_profile = None
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2025, 5, 31, 11, tzinfo=dt.UTC))
    services.kudos_send(actor=org.ana.user, people=[org.bo], points=5, message="Thanks")
    assert AllowanceBalance.objects.get(member=org.ana).month == dt.date(2025, 6, 1)


def test_withdrawing_keeps_the_ledger(org, allowance_on):
    kudos = send(org.ana, people=[org.bo], points=10)
    _kudos, current = standing(org.ana, kudos)
    services.kudos_set_deleted(actor=org.ana.user, kudos=kudos, current=current, deleted=True)
    assert AllowanceBalance.objects.get(member=org.ana).spent == 10
    assert ledger_ok(org.ana)


def test_settings_are_validated_and_admin_only(org):
    before = db_snapshot()
    with pytest.raises(PermissionDenied):
        services.settings_update(actor=org.ana.user, allowance_enabled=True, monthly_points=10, per_recipient_limit=5,
                                 max_points_per_kudos=5)
    with pytest.raises(ApplicationError):
        services.settings_update(actor=org.admin.user, allowance_enabled=True, monthly_points=0, per_recipient_limit=5,
                                 max_points_per_kudos=5)
    assert db_snapshot() == before


def test_markdown_is_sanitized(org):
    kudos = send(org.ana, people=[org.bo], message='<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>')
    assert "<script" not in kudos.message_html
    assert 'href="javascript' not in kudos.message_html
    assert "<img" not in kudos.message_html


def test_deactivated_people_in_a_team_are_left_out(org):
    from courtyard.people import services as people_services

    people_services.member_set_active(actor=org.admin.user, profile=org.cy, active=False)
    kudos = send(org.ana, teams=[org.team])
    assert org.cy.pk not in set(KudosReceiver.objects.filter(kudos=kudos).values_list("profile_id", flat=True))


def test_new_member_without_profile_cannot_send(org):
    from courtyard.accounts.models import User

    user = User.objects.create_user("nobody@example.com", "x-long-password-123")
    with pytest.raises(PermissionDenied):
        services.kudos_send(actor=user, people=[org.bo], message="hi")
    assert make_profile  # factories import kept for other tests
