from __future__ import annotations

import pytest

from courtyard.groups import services
from courtyard.groups.models import Group, ReactionKind
from tests.factories import make_profile


@pytest.fixture(autouse=True)
def sent(monkeypatch) -> list[dict]:
    """Notifications the groups code asked to send (recipient, kind, text, url, ...); delivery itself is
    the notifications app's job and is tested there and in the browser journey."""
    calls: list[dict] = []
    monkeypatch.setattr("courtyard.groups.notify._send", lambda **kwargs: calls.append(kwargs))

    def send_many(*, recipients, **kwargs):
        calls.extend({"recipient": recipient, **kwargs} for recipient in recipients)

    monkeypatch.setattr("courtyard.groups.notify._send_many", send_many)
    return calls


@pytest.fixture
def reactions(db) -> list[ReactionKind]:
    services.reaction_kinds_ensure_defaults()
    return list(ReactionKind.objects.all())


@pytest.fixture
def organizer(db):
    return make_profile(email="olga.org@example.com", full_name="Olga Organizer", department="Engineering")


@pytest.fixture
def open_group(organizer) -> Group:
    return services.group_create(actor=organizer.user, name="Python Guild", description="All things *Python*",
                                 tags=["Python", "Open source"])


@pytest.fixture
def request_group(organizer) -> Group:
    return services.group_create(actor=organizer.user, name="Book Club", join_policy=Group.JoinPolicy.REQUEST)


@pytest.fixture
def private_group(organizer) -> Group:
    return services.group_create(actor=organizer.user, name="Leadership Circle", join_policy=Group.JoinPolicy.INVITATION)
