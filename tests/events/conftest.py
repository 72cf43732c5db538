from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from courtyard.core import clock
from courtyard.events import services
from courtyard.events.models import Event
from courtyard.groups import services as group_services
from courtyard.groups.models import Group
from tests.factories import make_profile


class Clock:
    """A settable clock: services, audit and facts all read courtyard.core.clock.now."""

    def __init__(self, moment: dt.datetime) -> None:
        self.moment = moment

    def __call__(self) -> dt.datetime:
        return self.moment

    def set(self, moment: dt.datetime) -> None:
        self.moment = moment

    def advance(self, **delta: float) -> None:
        self.moment = self.moment + dt.timedelta(**delta)


START = dt.datetime(2030, 3, 4, 9, 0, tzinfo=dt.UTC)  # a Monday, well ahead of any real clock


@pytest.fixture
def now(monkeypatch) -> Clock:
    frozen = Clock(START)
    monkeypatch.setattr(clock, "now", frozen)
    return frozen


@pytest.fixture
def sent(monkeypatch) -> list[dict]:
    """Notifications events asked to send (recipient, kind, text, url, ...)."""
    calls: list[dict] = []

    def send_many(*, recipients, **kwargs):
        calls.extend({"recipient": recipient, **kwargs} for recipient in recipients)

    monkeypatch.setattr("courtyard.events.notify._send_many", send_many)
    return calls


@pytest.fixture
def host(db):
    return make_profile(email="hana.host@example.com", full_name="Hana Host", department="Engineering")


@pytest.fixture
def guest_list(db):
    return [make_profile(email=f"p{i}@example.com", full_name=f"Person {i:02d}", department=f"Dept {i % 3}")
            for i in range(6)]


@pytest.fixture
def open_group(host) -> Group:
    return group_services.group_create(actor=host.user, name="Board Games")


@pytest.fixture
def private_group(host) -> Group:
    return group_services.group_create(actor=host.user, name="Leadership Circle", join_policy=Group.JoinPolicy.INVITATION)


def event_data(**overrides: Any) -> services.EventData:
    values: dict[str, Any] = {
        "title": "Friday drinks", "start_date": dt.date(2030, 3, 8), "start_time": dt.time(18, 0),
        "end_time": dt.time(20, 0), "timezone": "Europe/Berlin", "place": "Rooftop",
    }
    values.update(overrides)
    return services.EventData(**values)


def make_event(profile, **overrides: Any) -> Event:
    return services.event_create(actor=profile.user, data=event_data(**overrides))
