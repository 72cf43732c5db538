"""Automatic badges from the activity-facts ledger (whoever recorded the facts) and admins' custom badges."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from courtyard.core.activity import participation_record
from courtyard.core.errors import Conflict, PermissionDenied
from courtyard.notifications.models import Notification
from courtyard.recognition import selectors, services, tasks
from courtyard.recognition.models import BadgeAward
from tests.conftest import signed_in_client
from tests.helpers import db_snapshot

pytestmark = pytest.mark.django_db


def keys(profile) -> set[str]:
    return set(BadgeAward.objects.filter(profile=profile, badge__isnull=True).values_list("automatic_key", flat=True))


def test_first_kudos_given_and_ten_received(org, monkeypatch):
    monkeypatch.setattr(services, "KUDOS_LIMITS", ((100, 60),))
    services.kudos_send(actor=org.ana.user, people=[org.bo], message="Thanks!")
    assert keys(org.ana) == {"first_kudos"}
    assert keys(org.bo) == set()
    for sender in (org.ana, org.cy, org.mo, org.sam, org.admin) * 2:
        if sender.pk != org.bo.pk and BadgeAward.objects.filter(profile=org.bo).count() == 0:
            services.kudos_send(actor=sender.user, people=[org.bo], message="Thanks again")
    assert "kudos_10" in keys(org.bo)
    assert Notification.objects.filter(kind="badge_awarded", recipient=org.bo.user).count() == 1
    assert Notification.objects.filter(kind="badge_awarded", recipient=org.ana.user).count() == 1


def test_badges_from_other_capabilities_facts_via_the_job(org, monkeypatch):
    for _ in range(10):
        participation_record(member_id=org.cy.pk, verb="answered", department_id=org.cy.department_id)
    participation_record(member_id=org.sam.pk, verb="hosted_event", department_id=None, event_id=1)
    participation_record(member_id=org.mo.pk, verb="completed_mentorship", department_id=None, program_id=3,
                         object_type="mentor")
    participation_record(member_id=org.bo.pk, verb="completed_mentorship", department_id=None, program_id=3,
                         object_type="mentee")
    tasks.badges_award.call_local()
    assert keys(org.cy) == {"helper_10"}
    assert keys(org.sam) == {"host"}
    assert keys(org.mo) == {"mentor"}
    assert keys(org.bo) == set()
    before = db_snapshot()
    tasks.badges_award.call_local()  # idempotent
    assert db_snapshot() == before


def test_old_facts_are_left_to_earlier_runs(org):
    participation_record(member_id=org.sam.pk, verb="hosted_event", department_id=None,
                         occurred_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    assert services.badges_award_recent(since=dt.datetime(2024, 1, 1, tzinfo=dt.UTC)) == 0
    assert services.badges_check([org.sam.pk]) == 1


def test_custom_badges_are_admin_only_and_awarded_once(org):
    with pytest.raises(PermissionDenied):
        services.badge_create(actor=org.ana.user, name="Night owl")
    badge = services.badge_create(actor=org.admin.user, name="Night owl", emoji="🦉", description="Saved a release")
    with pytest.raises(Conflict):
        services.badge_create(actor=org.admin.user, name="Host")  # an automatic badge's name
    with pytest.raises(PermissionDenied):
        services.badge_award(actor=org.ana.user, badge=badge, profile=org.bo)
    services.badge_award(actor=org.admin.user, badge=badge, profile=org.bo, reason="Release 4.2")
    with pytest.raises(Conflict):
        services.badge_award(actor=org.admin.user, badge=badge, profile=org.bo)
    held = selectors.badges_of(org.bo)
    assert [(b["name"], b["reason"], b["automatic"]) for b in held] == [("Night owl", "Release 4.2", False)]
    assert Notification.objects.get(kind="badge_awarded").text == "You earned the badge “Night owl”"
    from courtyard.core.errors import ApplicationError

    with pytest.raises(ApplicationError):
        services.badge_award(actor=org.admin.user, badge=badge, profile=org.gone)


def test_badges_page_and_award_through_the_page(org):
    badge = services.badge_create(actor=org.admin.user, name="Night owl", emoji="🦉")
    admin = signed_in_client(org.admin)
    response = admin.post(reverse("recognition:badge_award", args=[badge.pk]), {"email": "bo@example.com", "note": "Thanks"})
    assert response.status_code == 302
    page = signed_in_client(org.ana).get(reverse("recognition:badges") + f"?person={org.bo.pk}").content.decode()
    assert "Night owl" in page
    assert "Badges of Bo Builder" in page
    award = BadgeAward.objects.get(badge=badge)
    assert admin.post(reverse("recognition:award_remove", args=[award.pk])).status_code == 302
    assert not BadgeAward.objects.filter(badge=badge).exists()
