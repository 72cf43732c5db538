"""Failures inside one request: the API always answers JSON, an unreachable database answers a calm 503 with
Retry-After, and nothing that fails after a commit turns the committed write into an error."""

from __future__ import annotations

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from courtyard.groups.models import Reaction
from courtyard.people import services as people_services
from tests.core.fault_servers import thread_to_react_to

pytestmark = pytest.mark.django_db


def lenient(profile) -> Client:
    """A client that gets the 500/503 page, as a browser would, instead of the exception."""
    client = Client(raise_request_exception=False)
    client.force_login(profile.user)
    return client


def database_down(*args, **kwargs):
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


def test_an_unexpected_api_error_answers_json_500(member, monkeypatch):
    monkeypatch.setattr("courtyard.people.api.access_own_profile", lambda *a, **k: 1 / 0)
    response = lenient(member).get("/api/people/me")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "server_error"


def test_the_database_failing_inside_an_api_view_answers_json_503(member, monkeypatch):
    monkeypatch.setattr("courtyard.people.api.access_own_profile", database_down)
    response = lenient(member).get("/api/people/me")
    assert (response.status_code, response["Retry-After"]) == (503, "30")
    assert response.json() == {
        "code": "unavailable", "message": "Courtyard is briefly unavailable. Please try again in a minute.",
    }


def test_the_database_failing_before_the_api_view_answers_json_503(member, monkeypatch):
    client = lenient(member)
    monkeypatch.setattr("django.contrib.sessions.backends.db.SessionStore._get_session_from_db", database_down)
    monkeypatch.setattr("django.contrib.sessions.backends.cached_db.SessionStore.load", database_down)
    response = client.get("/api/people/me")
    assert (response.status_code, response["Retry-After"], response["Content-Type"]) == (
        503, "30", "application/json",
    )


def test_the_database_failing_under_a_page_answers_a_calm_503_page(member, monkeypatch):
    client = lenient(member)
    client.get(reverse("home"))
    monkeypatch.setattr("courtyard.site.web.views.home_overview", database_down)
    # The notifications context processor would query the database again: the error page must not use it.
    monkeypatch.setattr("courtyard.notifications.context_processors.unread_count", database_down)
    response = client.get(reverse("home"))
    assert (response.status_code, response["Retry-After"]) == (503, "30")
    assert "Courtyard is back in a moment" in response.content.decode()


def test_an_unexpected_page_error_is_the_plain_500_page(member, monkeypatch):
    client = lenient(member)
    monkeypatch.setattr("courtyard.site.web.views.home_overview", lambda *a, **k: 1 / 0)
    monkeypatch.setattr("courtyard.notifications.context_processors.unread_count", database_down)
    response = client.get(reverse("home"))
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
    assert not response.has_header("Retry-After")


def test_recording_the_visit_failing_after_the_commit_keeps_the_answer(member, monkeypatch):
    """The reaction is committed before the day's visit is recorded; that failing must not answer 500 (and a
    member retrying a toggle after a 500 would take the reaction off again)."""
    thread, kind = thread_to_react_to(member)

    def cache_down(**kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(people_services, "visit_record", cache_down)
    response = lenient(member).post(reverse("groups:react", args=[thread.group.slug]), {"kind": kind.pk, "thread": thread.pk})
    assert response.status_code == 302
    assert Reaction.objects.filter(thread=thread, profile=member).count() == 1


def test_an_unreachable_redis_answers_every_cache_call_at_once():
    """Nothing listens on the port: every operation answers from this process, none raises or waits."""
    import time

    from courtyard.core.cache import ResilientRedisCache

    backend = ResilientRedisCache(
        "redis://127.0.0.1:18399/0", {"OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}
    )
    started = time.monotonic()
    assert backend.get("k") is None
    assert backend.add("k", 1, 60)
    assert not backend.add("k", 1, 60)
    assert backend.incr("k") == 2
    backend.set("s", "v", 60)
    assert backend.get_many(["s", "k"]) == {"s": "v", "k": 2}
    backend.delete_many(["s"])
    assert backend.get("s") is None
    assert backend.has_key("k")
    assert time.monotonic() - started < 2  # one failed connection, then no more tries for a while
