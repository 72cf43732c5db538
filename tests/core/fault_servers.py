"""Throw-away Redis and PostgreSQL servers for the fault tests: started on their own ports (18360-18379), in
a temporary directory, stopped for real by the tests. Never the shared servers on 6379 and 5432.

Without the binaries the tests skip on a laptop; under COURTYARD_REQUIRE_SERVICES=1 (CI) they fail instead.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest

REQUIRE_SERVICES = os.environ.get("COURTYARD_REQUIRE_SERVICES") == "1"


def missing(what: str) -> None:
    message = f"{what} is not installed: the fault tests need it"
    if REQUIRE_SERVICES:
        pytest.fail(message)
    pytest.skip(message)


def free_port(candidates: range) -> int:
    for port in candidates:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError(f"no free port in {candidates}")


def wait_for_port(port: int, *, up: bool, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if (probe.connect_ex(("127.0.0.1", port)) == 0) == up:
                return
        time.sleep(0.05)
    raise TimeoutError(f"port {port} did not come {'up' if up else 'down'}")


class RedisServer:
    def __init__(self, directory: Path) -> None:
        self.binary = shutil.which("redis-server")
        if self.binary is None:
            missing("redis-server")
        self.directory = directory
        self.port = free_port(range(18360, 18370))
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - a binary found on PATH, fixed arguments
            [str(self.binary), "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port, up=True)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None
        wait_for_port(self.port, up=False)


def postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if found:
        return Path(found[-1]).parent
    pg_ctl = shutil.which("pg_ctl")
    return Path(pg_ctl).parent if pg_ctl else None


class PostgresServer:
    """A cluster of its own (initdb), run as the ``postgres`` user when we are root (PostgreSQL refuses root)."""

    def __init__(self) -> None:
        bindir = postgres_bin()
        if bindir is None:
            missing("PostgreSQL (initdb, pg_ctl)")
        assert bindir is not None
        self.bindir = bindir
        # Directly under /tmp: pytest's own temporary folders are private to root, and postgres must enter it.
        self.directory = Path(tempfile.mkdtemp(prefix="courtyard-faults-pg-"))
        self.data = self.directory / "data"
        self.port = free_port(range(18370, 18380))
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            runuser = shutil.which("runuser")
            if runuser is None:
                missing("runuser (to run PostgreSQL as the postgres user)")
            self.as_user = [str(runuser), "-u", "postgres", "--"]
            shutil.chown(self.directory, "postgres")

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        subprocess.run([*self.as_user, *args], check=True, capture_output=True, timeout=60)  # noqa: S603

    def init(self) -> None:
        self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                  "--no-sync")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-o", options, "-l",
                  str(self.directory / "log"), "-w", "start")
        wait_for_port(self.port, up=True)

    def stop(self) -> None:
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        wait_for_port(self.port, up=False)

    def remove(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)


def thread_to_react_to(member: Any) -> tuple[Any, Any]:
    """A thread in a group the member belongs to, and a reaction kind: a write that toggles, for the fault
    tests (a retried toggle after a false 500 would undo it)."""
    from courtyard.groups import services as group_services
    from courtyard.groups.models import ReactionKind
    from tests.factories import make_profile

    organizer = make_profile(email="olga.org@example.com", full_name="Olga Organizer")
    group = group_services.group_create(actor=organizer.user, name="Python Guild")
    group_services.membership_join(actor=member.user, group=group)
    thread = group_services.thread_create(actor=organizer.user, group=group, title="Hello", body="Welcome")
    group_services.reaction_kinds_ensure_defaults()
    return thread, ReactionKind.objects.first()
