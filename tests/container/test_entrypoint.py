"""The container entrypoint (container/entrypoint.py) against the test database and a local HTTP server."""

from __future__ import annotations

import http.server
import importlib.util
import threading
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("container_entrypoint", ROOT / "container" / "entrypoint.py")
assert spec is not None
assert spec.loader is not None
entrypoint = importlib.util.module_from_spec(spec)
spec.loader.exec_module(entrypoint)


@pytest.mark.django_db
def test_a_migrated_database_has_nothing_pending_and_the_worker_starts_at_once(capsys):
    assert entrypoint.pending_migrations() == []
    entrypoint.wait_for_migrations(timeout=0)
    assert "migrations are applied" in capsys.readouterr().out


@pytest.mark.django_db
def test_pending_migrations_are_found_from_the_database(capsys):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE app = 'surveys'")
    pending = entrypoint.pending_migrations()
    assert pending
    assert all(name.startswith("surveys.") for name in pending)
    with pytest.raises(SystemExit, match=r"migration\(s\) still pending after 0 s \(first: surveys\."):
        entrypoint.wait_for_migrations(timeout=0)


@pytest.mark.django_db(transaction=True)
def test_migrate_reports_what_it_applied_and_releases_the_lock(capsys):
    entrypoint.migrate()
    assert "migrations done: 0 applied" in capsys.readouterr().out
    if connection.vendor == "postgresql":
        # Another session can take the lock: a second web container is not left waiting forever.
        import psycopg

        settings = connection.settings_dict
        with psycopg.connect(
            dbname=settings["NAME"], user=settings["USER"], host=settings["HOST"] or None, port=settings["PORT"] or None
        ) as other:
            got = other.execute("SELECT pg_try_advisory_lock(%s)", [entrypoint.MIGRATION_LOCK_ID]).fetchone()
            assert got == (True,)


class Recorder(http.server.BaseHTTPRequestHandler):
    status = 200
    seen: list[dict[str, str]] = []

    def do_GET(self) -> None:
        Recorder.seen.append(
            {"path": self.path, "host": self.headers.get("Host", ""), "proto": self.headers.get("X-Forwarded-Proto", "")}
        )
        self.send_response(Recorder.status)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server(monkeypatch, tmp_path):
    httpd = http.server.HTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("PORT", str(httpd.server_address[1]))
    monkeypatch.setattr(entrypoint, "ROLE_FILE", tmp_path / "role")
    Recorder.seen, Recorder.status = [], 200
    yield Recorder
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize(
    ("allowed_hosts", "host"),
    [("courtyard.example.com,localhost", "courtyard.example.com"), (".example.com", "example.com"), ("*", "localhost")],
)
def test_web_healthcheck_asks_healthz_with_a_host_the_site_accepts(server, monkeypatch, allowed_hosts, host):
    monkeypatch.setenv("ALLOWED_HOSTS", allowed_hosts)
    assert entrypoint.healthcheck() == 0
    assert server.seen[-1]["path"] == "/healthz"
    assert server.seen[-1]["host"] == host
    assert server.seen[-1]["proto"] == "https"


def test_web_healthcheck_fails_when_healthz_is_not_ok_or_nothing_listens(server, monkeypatch):
    server.status = 503
    assert entrypoint.healthcheck() == 1
    monkeypatch.setenv("PORT", "1")
    assert entrypoint.healthcheck() == 1


@pytest.mark.django_db
def test_worker_healthcheck_checks_the_database_and_cache_without_http(server):
    entrypoint.ROLE_FILE.write_text("worker")
    assert entrypoint.healthcheck() == 0
    assert server.seen == []
