"""The cache every process shares (no Redis): rate limits hold across processes, counts are atomic."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from courtyard.core.cache import SharedFileCache

ROOT = Path(__file__).resolve().parents[2]

# One process of the app: waits for the start signal, then posts ten replies' worth of rate-limit checks
# (8 a minute allowed) and six failed sign-ins for one address (5 in 5 minutes allowed), as fast as it can.
WORKER = textwrap.dedent(
    """
    import json, os, sys, time
    from pathlib import Path

    import django

    django.setup()
    from allauth.core import ratelimit as allauth_ratelimit
    from django.test import RequestFactory

    from courtyard.core.ratelimit import RateLimited, ratelimit_check
    from courtyard.groups.services import POST_LIMITS

    go = Path(sys.argv[1])
    while not go.exists():
        time.sleep(0.01)
    posts = 0
    for _ in range(10):
        try:
            ratelimit_check(scope="post", key=sys.argv[3], limits=POST_LIMITS)
            posts += 1
        except RateLimited:
            pass
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="10.0.0.%s" % sys.argv[2])
    failed_sign_ins = sum(
        bool(allauth_ratelimit.consume(request, action="login_failed", key=sys.argv[3] + "@example.com"))
        for _ in range(6)
    )
    print(json.dumps({"posts": posts, "failed_sign_ins": failed_sign_ins}))
    """
)


def run_two_processes(tmp_path: Path, env_overrides: dict[str, str]) -> list[dict[str, int]]:
    env = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "DJANGO_SETTINGS_MODULE": "courtyard.config.settings",
        "COURTYARD_VAR_DIR": str(tmp_path / "var"),
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        **env_overrides,
    }
    go = tmp_path / "go"
    key = uuid.uuid4().hex  # a Redis shared with other runs never holds this run's counts
    workers = [
        subprocess.Popen(  # noqa: S603 - our own interpreter and script
            [sys.executable, "-c", WORKER, str(go), str(i), key], env=env, stdout=subprocess.PIPE, text=True, cwd=tmp_path
        )
        for i in (1, 2)
    ]
    time.sleep(0.5)
    go.touch()  # both start counting at (nearly) the same moment
    results = []
    for worker in workers:
        out, _ = worker.communicate(timeout=60)
        assert worker.returncode == 0
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def test_rate_limits_hold_across_two_processes(tmp_path):
    """Two app processes sharing the cache (one directory, or Redis when REDIS_URL is set): 8 replies a minute
    and 5 failed sign-ins in total, not per process (with a per-process cache they let 16 and 10 through)."""
    results = run_two_processes(tmp_path, {"COURTYARD_CACHE_DIR": str(tmp_path / "cache")})
    assert sum(r["posts"] for r in results) == 8
    assert sum(r["failed_sign_ins"] for r in results) == 5


def test_the_cache_is_never_per_process_and_sessions_outlive_it():
    expected = "ResilientRedisCache" if os.environ.get("REDIS_URL") else "SharedFileCache"
    assert settings.CACHES["default"]["BACKEND"] == f"courtyard.core.cache.{expected}"
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"


def test_incr_keeps_the_expiry_and_counts_from_the_stored_value(tmp_path, monkeypatch):
    shared = SharedFileCache(str(tmp_path), {})
    assert shared.add("n", 1, timeout=60)
    assert not shared.add("n", 1, timeout=60)
    assert shared.incr("n") == 2
    assert shared.incr("n", 3) == 5
    assert shared.get("n") == 5
    later = time.time() + 61
    monkeypatch.setattr("courtyard.core.cache.time.time", lambda: later)
    monkeypatch.setattr("django.core.cache.backends.filebased.time.time", lambda: later)
    with pytest.raises(ValueError, match="not found"):
        shared.incr("n")  # expired at the time add set, not pushed back by the counting
    assert shared.add("n", 1, timeout=60)


def test_incr_of_a_missing_key_raises_like_every_backend(tmp_path):
    with pytest.raises(ValueError, match="not found"):
        SharedFileCache(str(tmp_path), {}).incr("missing")


def test_sweeping_drops_only_expired_entries(tmp_path, monkeypatch):
    shared = SharedFileCache(str(tmp_path), {})
    shared.set("old", 1, timeout=1)
    shared.set("live", 1, timeout=600)
    later = time.time() + 5
    monkeypatch.setattr("courtyard.core.cache.time.time", lambda: later)
    monkeypatch.setattr("courtyard.core.cache.random.random", lambda: 0.0)
    shared.set("new", 1, timeout=600)  # a write that sweeps
    names = {p.name for p in tmp_path.glob("*.djcache")}
    assert shared._key_to_file("old").rsplit("/", 1)[1] not in names
    assert shared.get("live") == 1



def test_a_full_disk_makes_cache_writes_misses_not_errors(tmp_path, monkeypatch):
    """Caching is best effort: a page that caches something must not fail because the disk is full."""
    import errno

    shared = SharedFileCache(str(tmp_path), {})
    shared.add("count", 1, timeout=60)

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("django.core.cache.backends.filebased.tempfile.mkstemp", disk_full)
    monkeypatch.setattr("courtyard.core.cache.open", disk_full, raising=False)
    shared.set("page", "html", timeout=60)
    assert shared.get("page") is None
    assert shared.add("other", 1, timeout=60)  # counts restart: the database refuses writes on a full disk too
    assert shared.incr("count") == 1
