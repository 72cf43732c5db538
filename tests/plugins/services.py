"""With COURTYARD_REQUIRE_SERVICES=1 (CI), a configured service that does not answer fails the run at once,
instead of letting tests skip or fail one by one."""

from __future__ import annotations

import os

import pytest


def pytest_sessionstart(session: pytest.Session) -> None:
    if os.environ.get("COURTYARD_REQUIRE_SERVICES") != "1":
        return
    problems: list[str] = []
    database_url = os.environ.get("DATABASE_URL", "")
    if database_url.startswith("postgres"):
        import psycopg

        try:
            with psycopg.connect(database_url.rsplit("/", 1)[0] + "/postgres", connect_timeout=5) as conn:
                conn.execute("SELECT 1")
        except Exception as exc:  # noqa: BLE001
            problems.append(f"PostgreSQL at {database_url}: {exc}")
    redis_url = os.environ.get("REDIS_URL")
    if redis_url:
        import redis

        try:
            redis.Redis.from_url(redis_url, socket_connect_timeout=5).ping()
        except Exception as exc:  # noqa: BLE001
            problems.append(f"Redis at {redis_url}: {exc}")
    if problems:
        raise pytest.UsageError("Required services are not available:\n  " + "\n  ".join(problems))
