"""Redis stops, for real, while members are signed in and writing: nothing fails, nobody is signed out.

A redis-server of the test's own (tests/core/services.py) backs the cache; the app runs in this process
with the production cache backend pointed at it.
"""

from __future__ import annotations

import signal
import time

import pytest
from django.test import Client
from django.urls import reverse

from courtyard.core.cache import ResilientRedisCache
from courtyard.groups.models import Reaction
from tests.core.fault_servers import RedisServer, thread_to_react_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_server(tmp_path, settings, monkeypatch):
    server = RedisServer(tmp_path)
    server.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "courtyard.core.cache.ResilientRedisCache",
            "LOCATION": server.url,
            "KEY_PREFIX": "faults",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
        }
    }
    monkeypatch.setattr(ResilientRedisCache, "RETRY_SECONDS", 0.2)
    yield server
    if server.process is not None:
        server.stop()


def sign_in(email: str, password: str) -> Client:
    client = Client(raise_request_exception=False)
    response = client.post(reverse("account_login"), {"login": email, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def test_a_redis_outage_degrades_and_signs_nobody_out(redis_server, member, other_member, password):
    import redis

    thread, kind = thread_to_react_to(member)
    client = sign_in("member@example.com", password)
    assert client.get(reverse("home")).status_code == 200
    assert redis.Redis.from_url(redis_server.url).dbsize() > 0  # the session is cached in Redis

    redis_server.stop()
    started = time.monotonic()
    assert client.get(reverse("home")).status_code == 200  # still signed in: sessions live in the database
    api = client.get("/api/people/me")
    assert (api.status_code, api["Content-Type"]) == (200, "application/json; charset=utf-8")
    reacted = client.post(reverse("groups:react", args=[thread.group.slug]), {"kind": kind.pk, "thread": thread.pk})
    assert reacted.status_code == 302  # committed, and answered as such
    assert Reaction.objects.filter(thread=thread, profile=member).count() == 1
    other = sign_in("other@example.com", password)  # allauth's rate limiter counts in memory meanwhile
    assert other.get(reverse("people:directory")).status_code == 200
    # Failed sign-ins are still limited (per process while Redis is away): the sixth is refused even when right.
    guesser = Client(raise_request_exception=False)
    for _ in range(5):
        guesser.post(reverse("account_login"), {"login": "member@example.com", "password": "wrong-password-123"})
    refused = guesser.post(reverse("account_login"), {"login": "member@example.com", "password": password})
    assert refused.status_code == 200
    assert "Too many failed login attempts" in refused.content.decode()
    assert time.monotonic() - started < 10  # nothing waited on Redis

    redis_server.start()  # empty, as after a restart
    time.sleep(0.3)
    assert client.get(reverse("home")).status_code == 200
    assert other.get(reverse("home")).status_code == 200
    assert Reaction.objects.filter(thread=thread, profile=member).count() == 1
    assert redis.Redis.from_url(redis_server.url).dbsize() > 0  # back in use


def test_values_changed_during_the_outage_are_not_served_stale_afterwards(redis_server, settings):
    from django.core.cache import cache

    cache.set("unread", 3)
    redis_server.process.send_signal(signal.SIGSTOP)  # Redis hangs instead of refusing (a network partition)
    try:
        started = time.monotonic()
        cache.delete("unread")  # a notification was read: the count must not come back from Redis later
        assert time.monotonic() - started < 3
        assert cache.get("unread") is None
    finally:
        redis_server.process.send_signal(signal.SIGCONT)  # Redis answers again, with its old value
    time.sleep(0.3)
    assert cache.get("unread") is None
