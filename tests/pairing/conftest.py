from __future__ import annotations

import datetime as dt

import pytest

from courtyard.groups import services as groups
from courtyard.groups.models import Group
from courtyard.pairing import services
from courtyard.pairing.models import Program
from tests.factories import make_profile


@pytest.fixture(autouse=True)
def sent(monkeypatch) -> list[dict]:
    """Notifications pairing asked to send, one row per recipient; delivery is the notifications app's job."""
    calls: list[dict] = []

    def send_many(*, recipients, **kwargs):
        calls.extend({"recipient": recipient, **kwargs} for recipient in recipients)

    monkeypatch.setattr("courtyard.pairing.notify._send_many", send_many)
    return calls


@pytest.fixture
def organizer(db):
    return make_profile(email="olga.org@example.com", full_name="Olga Organizer", department="People", is_admin=True)


@pytest.fixture
def crowd(db):
    """Twelve people in four departments, some sharing interests, one reporting line."""
    departments = ["Engineering", "Sales", "Marketing", "Finance"]
    people = []
    for i in range(12):
        people.append(make_profile(
            email=f"p{i}@example.com", full_name=f"Person {i:02d}", department=departments[i % 4],
            interests=["Climbing", "Chess"][: i % 3], start_date=dt.date(2015 + i % 8, 1, 1),
        ))
    people[1].manager = people[0]
    people[1].save(update_fields=["manager"])
    return people


def coffee_program(actor, **settings) -> Program:
    settings.setdefault("name", "Coffee roulette")
    return services.program_create(actor=actor.user, kind=Program.Kind.COFFEE, **settings)


def join_all(program: Program, people) -> None:
    for person in people:
        services.signup_join(actor=person.user, program=program)


def make_group(organizer, name="Harbour Circle", join_policy=Group.JoinPolicy.OPEN, members=()) -> Group:
    group = groups.group_create(actor=organizer.user, name=name, join_policy=join_policy)
    for person in members:
        groups.membership_invite(actor=organizer.user, group=group, profile=person)
        groups.membership_join(actor=person.user, group=group)
    return group
