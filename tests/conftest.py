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


# --- Every URL is tested (a page no test requests is a page nobody checked) ---------------------------------------------------------
# Each request the suite makes (test client, live_server for the browser tests, any thread) records
# the route of the URL pattern it resolved to. With COURTYARD_URL_COVERAGE=1 (the full run in the
# Makefile and CI), the session fails when one of our patterns was never requested.

from tests import url_coverage  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def _fast_clients():
    """WhiteNoise scans every static file each time a test Client builds its middleware (~75 ms a Client);
    looking files up per request instead, as in development, keeps the suite fast and serves the same files."""
    from django.test import override_settings

    with override_settings(WHITENOISE_AUTOREFRESH=True):
        yield


@pytest.fixture(scope="session", autouse=True)
def _record_requested_routes():
    with url_coverage.recording():
        yield


def pytest_sessionfinish(session, exitstatus):
    url_coverage.session_finish(session)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """Under pytest-xdist each worker records its own routes; the controller gathers them."""
    url_coverage.merge_worker_output(getattr(node, "workeroutput", {}))
