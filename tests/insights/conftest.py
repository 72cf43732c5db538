"""A small organization with activity facts for the insights tests: three departments, a manager, a group
organizer, a newcomer, and facts written by the real services or straight into the ledger."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from django.test import Client

from courtyard.core import clock
from courtyard.core.activity import interaction_record, participation_record
from courtyard.groups import services as group_services
from courtyard.insights import rollups
from tests.factories import make_profile


@dataclasses.dataclass
class Org:
    admin: Any
    manager: Any
    report: Any
    organizer: Any
    member: Any
    newcomer: Any
    outsider: Any
    group: Any
    people: list[Any]


def client_for(profile) -> Client:
    client = Client()
    client.force_login(profile.user)
    assert client.get("/healthz").status_code == 200  # records the session and the day's visit up front
    return client


def add_facts(org: Org, *, days: int = 40, per_day: int = 1) -> None:
    """Activity over the last ``days`` days: posts, replies, kudos, events, coffee, surveys, visits."""
    now = clock.now()
    people = org.people
    for day in range(days):
        at = now - dt.timedelta(days=day, hours=1)
        for k in range(per_day):
            a = people[(day + k) % len(people)]
            b = people[(day + k + 1) % len(people)]
            for verb in ("visited", "posted", "gave_kudos", "rsvped", "answered_survey", "paired"):
                participation_record(member_id=a.pk, verb=verb, department_id=a.department_id, occurred_at=at,
                                     event_id=100 + day if verb == "rsvped" else None,
                                     program_id=9 if verb == "paired" else None)
            participation_record(member_id=b.pk, verb="received_kudos", department_id=b.department_id, occurred_at=at)
            if day % 2:
                participation_record(member_id=a.pk, verb="attended", department_id=a.department_id, occurred_at=at,
                                     event_id=100 + day)
                participation_record(member_id=a.pk, verb="met", department_id=a.department_id, occurred_at=at,
                                     program_id=9)
            for kind in ("kudos", "reply", "coffee_met"):
                interaction_record(actor_id=a.pk, other_id=b.pk, kind=kind, actor_department_id=a.department_id,
                                   other_department_id=b.department_id, occurred_at=at)


@pytest.fixture
def org(db) -> Org:
    return build_org()


def build_org() -> Org:
    admin = make_profile(email="ada@example.com", full_name="Ada Admin", is_admin=True, department="People")
    manager = make_profile(email="max@example.com", full_name="Max Manager", department="Engineering")
    report = make_profile(email="rae@example.com", full_name="Rae Report", department="Engineering", manager=manager)
    organizer = make_profile(email="ola@example.com", full_name="Ola Organizer", department="Sales")
    member = make_profile(email="mia@example.com", full_name="Mia Member", department="Sales")
    newcomer = make_profile(email="nia@example.com", full_name="Nia Newcomer", department="Engineering",
                            start_date=clock.now().date() - dt.timedelta(days=20))
    outsider = make_profile(email="otto@example.com", full_name="Otto Other", department="Finance")
    group = group_services.group_create(actor=organizer.user, name="Bridge club")
    group_services.membership_join(actor=member.user, group=group)
    group_services.membership_join(actor=report.user, group=group)
    thread = group_services.thread_create(actor=member.user, group=group, title="Hello", body="Hi all")
    group_services.post_create(actor=report.user, thread=thread, body="Welcome")
    people = [admin, manager, report, organizer, member, newcomer, outsider]
    result = Org(admin=admin, manager=manager, report=report, organizer=organizer, member=member, newcomer=newcomer,
                 outsider=outsider, group=group, people=people)
    add_facts(result, days=10)
    interaction_record(actor_id=newcomer.pk, other_id=member.pk, kind="reply", actor_department_id=newcomer.department_id,
                       other_department_id=member.department_id)
    rollups.rollups_update()
    return result
