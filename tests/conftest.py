from __future__ import annotations

import os

import pytest
from django.core.cache import cache
from django.test import Client

from courtyard.people.models import Profile
from tests.factories import PASSWORD, make_profile

REQUIRE_SERVICES = os.environ.get("COURTYARD_REQUIRE_SERVICES") == "1"


@pytest.fixture(autouse=True)
def _isolate(settings, tmp_path):
    """Each test gets its own media folder and an empty cache."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def member(db) -> Profile:
    return make_profile(email="member@example.com", full_name="Mia Member", department="Engineering / Platform")


@pytest.fixture
def other_member(db) -> Profile:
    return make_profile(email="other@example.com", full_name="Olu Other", department="Sales")


@pytest.fixture
def admin(db) -> Profile:
    return make_profile(email="admin@example.com", full_name="Ada Admin", is_admin=True, department="People")


def signed_in_client(profile: Profile) -> Client:
    client = Client()
    client.force_login(profile.user)
    return client


@pytest.fixture
def member_client(member) -> Client:
    return signed_in_client(member)


@pytest.fixture
def admin_client(admin) -> Client:
    return signed_in_client(admin)


@pytest.fixture
def password() -> str:
    return PASSWORD
