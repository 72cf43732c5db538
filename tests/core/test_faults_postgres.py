"""PostgreSQL stops, for real, under a running app server: calm 503s with Retry-After (JSON for the API),
every request answered, and everything works again once it is back, without a restart.

A cluster of the test's own (initdb on a port of its own) and a gunicorn server in a subprocess.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.core.fault_servers import PostgresServer, free_port, wait_for_port

ROOT = Path(__file__).resolve().parents[2]

SETUP = textwrap.dedent(
    """
    import json
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from tests.factories import make_profile

    call_command("migrate", run_syncdb=True, verbosity=0)
    profile = make_profile(email="member@example.com", full_name="Mia Member")
    client = Client()
    client.force_login(profile.user)
    print(json.dumps({"session": client.cookies["sessionid"].value}))
    """
)


class App:
    def __init__(self, port: int, session: str) -> None:
        self.port, self.session = port, session

    def get(self, path: str, timeout: float = 15) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request("GET", path, headers={"Cookie": f"sessionid={self.session}"})
            response = connection.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            connection.close()


@pytest.fixture
def app_on_own_postgres(tmp_path):
    postgres = PostgresServer()
    postgres.init()
    postgres.start()
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "COURTYARD_TESTING"}},
        "DJANGO_SETTINGS_MODULE": "tests.core.fault_settings",
        "DATABASE_URL": postgres.url,
        "COURTYARD_VAR_DIR": str(tmp_path / "var"),
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        "HUEY_IMMEDIATE": "1",
    }
    setup = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", SETUP], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )
    assert setup.returncode == 0, setup.stderr[-2000:]
    session = json.loads(setup.stdout.strip().splitlines()[-1])["session"]
    port = free_port(range(18380, 18390))
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "courtyard.config.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--threads", "4", "--timeout", "60", "--preload",
         "--access-logfile", "-", "--access-logformat", "%(r)s %(s)s %(M)sms"],
        env=env, cwd=tmp_path, stdout=(tmp_path / "server.log").open("w"), stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port(port, up=True, seconds=60)  # --preload: listening means the app is loaded
        yield App(port, session), postgres
    finally:
        server.send_signal(signal.SIGQUIT)  # gunicorn's quick shutdown
        server.wait(15)
        postgres.stop()
        postgres.remove()


def test_a_postgres_outage_answers_503_and_recovers(app_on_own_postgres):
    app, postgres = app_on_own_postgres
    assert app.get("/", timeout=60)[0] == 200  # the first request compiles templates
    assert app.get("/api/people/me")[0] == 200
    assert app.get("/healthz")[0] == 200

    postgres.stop()
    status, headers, body = app.get("/")
    assert status == 503
    assert headers["retry-after"] == "30"
    assert headers["content-type"].startswith("text/html")
    assert "back in a moment" in body.decode()
    status, headers, body = app.get("/people/")
    assert (status, headers["retry-after"]) == (503, "30")
    status, headers, body = app.get("/api/people/me")
    assert (status, headers["retry-after"], headers["content-type"]) == (503, "30", "application/json")
    assert json.loads(body)["code"] == "unavailable"
    assert app.get("/healthz")[0] == 503

    postgres.start()
    assert app.get("/")[0] == 200  # the same session, the same server: recovery needs nobody
    status, headers, body = app.get("/api/people/me")
    assert status == 200
    assert json.loads(body)["full_name"] == "Mia Member"
