from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from courtyard.core import clock
from courtyard.people import services as people
from courtyard.people.models import Profile
from courtyard.welcome.models import BuddyOffer
from tests.factories import make_profile


def today() -> dt.date:
    return clock.now().date()


def days_ago(n: int) -> dt.date:
    return today() - dt.timedelta(days=n)


def offer(profile: Profile, capacity: int = 2) -> BuddyOffer:
    return BuddyOffer.objects.create(profile=profile, capacity=capacity, created_at=timezone.now())


@dataclasses.dataclass
class Team:
    """A newcomer, their manager (also a seasoned member who offered to be a buddy), two more seasoned
    volunteers (one in the newcomer's team, one in another department), a seasoned colleague who did not
    offer, an admin and an unrelated member."""

    newcomer: Profile
    manager: Profile
    teammate: Profile
    volunteer: Profile
    bystander: Profile
    admin: Profile
    other: Profile
    extra: dict[str, Any] = dataclasses.field(default_factory=dict)


@pytest.fixture
def team(db) -> Team:
    berlin = people.location_ensure("Berlin", "Europe/Berlin")
    engineering = people.department_ensure_path("Engineering")
    platform = people.team_ensure("Platform", engineering)
    manager = make_profile(password=None, email="mona.manager@example.com", full_name="Mona Manager", department=engineering,
                           team=platform, location=berlin, start_date=dt.date(2015, 1, 1))
    newcomer = make_profile(password=None, email="nia.new@example.com", full_name="Nia New", department=engineering, team=platform,
                            location=berlin, manager=manager, start_date=days_ago(3), interests=["Chess"])
    teammate = make_profile(password=None, email="tom.team@example.com", full_name="Tom Teammate", department=engineering,
                            team=platform, location=berlin, start_date=dt.date(2018, 1, 1))
    volunteer = make_profile(password=None, email="vera.vol@example.com", full_name="Vera Volunteer", department="Sales",
                             location=berlin, start_date=dt.date(2019, 1, 1), interests=["Chess"])
    bystander = make_profile(password=None, email="ben.by@example.com", full_name="Ben Bystander", department="Finance",
                             location=berlin, start_date=dt.date(2017, 1, 1), interests=["Chess"])
    admin = make_profile(password=None, email="ada.admin@example.com", full_name="Ada Admin", is_admin=True, department="People")
    other = make_profile(password=None, email="olu.other@example.com", full_name="Olu Other", department="Marketing")
    for p in (manager, teammate, volunteer):
        offer(p)
    return Team(newcomer=newcomer, manager=manager, teammate=teammate, volunteer=volunteer, bystander=bystander,
                admin=admin, other=other)
