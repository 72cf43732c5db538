"""The machinery behind "every URL is tested": the URLconf walk, the exclusions, the recording hook.

The check itself runs at the end of the session (tests/conftest.py, pytest_sessionfinish) when
COURTYARD_URL_COVERAGE=1, because only then has the whole suite made its requests.
"""

from __future__ import annotations

import pytest
from django.urls import resolve

from tests import url_coverage


def test_routes_are_joined_as_the_resolver_joins_them():
    routes = url_coverage.all_routes()
    for path in ["/", "/people/", "/people/12/edit/", "/api/people/me", "/api/people/7", "/healthz",
                 "/accounts/password/reset/key/1-abc/", "/media/photos/1.jpg"]:
        assert resolve(path).route in routes, path


def test_every_exclusion_names_a_real_route():
    """A stale exclusion (the URL was renamed or removed) would hide nothing and mislead: keep the list true."""
    routes = url_coverage.all_routes()
    stale = [route for route in url_coverage.EXCLUDED_ROUTES if route not in routes]
    assert not stale, stale


def test_our_own_routes_are_never_excluded():
    ours = ("people/", "accounts/security/", "accounts/invitation", "api/people", "media/", "healthz")
    for route in url_coverage.routes_to_cover():
        assert not url_coverage.excluded(route)
    for route in url_coverage.EXCLUDED_ROUTES:
        assert not route.startswith(ours), route
    assert "" in url_coverage.routes_to_cover()  # home
    assert "admin/" in url_coverage.routes_to_cover()  # the admin index is ours to test


@pytest.mark.django_db
def test_requests_are_recorded(client):
    client.get("/healthz")
    client.get("/people/123/")
    assert {"healthz", "people/<str:profile_id>/"} <= url_coverage.requested_routes()


def test_missing_routes_are_reported(monkeypatch):
    monkeypatch.setattr(url_coverage, "_requested", set())
    assert "healthz" in url_coverage.missing_routes()


def test_session_finish_fails_the_run_when_a_route_was_never_requested(monkeypatch):
    monkeypatch.setattr(url_coverage, "_requested", set())
    monkeypatch.setenv(url_coverage.ENV_FLAG, "1")

    class Config:
        class pluginmanager:
            @staticmethod
            def get_plugin(name):
                return None

    class Session:
        config = Config()
        exitstatus = 0

    session = Session()
    url_coverage.session_finish(session)
    assert session.exitstatus == 1
    monkeypatch.setattr(url_coverage, "_requested", url_coverage.routes_to_cover())
    session.exitstatus = 0
    url_coverage.session_finish(session)
    assert session.exitstatus == 0


def test_without_the_flag_nothing_is_enforced(monkeypatch):
    monkeypatch.setattr(url_coverage, "_requested", set())
    monkeypatch.delenv(url_coverage.ENV_FLAG, raising=False)

    class Session:
        class config:
            pass

        exitstatus = 0

    url_coverage.session_finish(Session)
    assert Session.exitstatus == 0


def test_xdist_workers_hand_their_routes_to_the_controller(monkeypatch):
    monkeypatch.setattr(url_coverage, "_requested", {"healthz"})

    class Session:
        class config:
            workeroutput: dict = {}

        exitstatus = 0

    url_coverage.session_finish(Session)
    assert Session.config.workeroutput["courtyard_requested_routes"] == ["healthz"]
    monkeypatch.setattr(url_coverage, "_requested", set())
    url_coverage.merge_worker_output(Session.config.workeroutput)
    assert url_coverage.requested_routes() == {"healthz"}
