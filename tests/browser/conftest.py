"""Browser journeys in real Chromium (Debian's package), driven by Playwright against live_server."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from django.db import connection

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("COURTYARD_CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
SCREENSHOTS = Path(os.environ.get("COURTYARD_SCREENSHOTS", "var/screenshots"))


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists() or shutil.which(CHROMIUM):
        return
    if os.environ.get("COURTYARD_REQUIRE_SERVICES") == "1":
        raise pytest.UsageError(f"Chromium is required (COURTYARD_REQUIRE_SERVICES=1) but {CHROMIUM} is missing")
    skip = pytest.mark.skip(reason=f"Chromium not installed at {CHROMIUM}")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _release_the_live_server_connections(django_db_blocker):
    """The live server answers each browser connection in a thread of its own, which keeps its database
    connection while Chromium keeps the socket open. On PostgreSQL a browser run left ~40 of them, and a later
    test that opens 60 connections at once met the server's connection limit. After each browser test the idle
    ones are ended; a live-server thread that is used again reconnects (CONN_HEALTH_CHECKS)."""
    yield
    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'idle'"
        )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # bypass_csp only lets the test inject axe-core; the policy itself is tested on responses.
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}, "locale": "en-GB", "bypass_csp": True}


@pytest.fixture
def sign_in(live_server, page):
    """Sign in through the real form, as a person would."""

    def _sign_in(email: str, password: str) -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{live_server.url}/")

    return _sign_in


def check_accessibility(page, name: str) -> None:
    """axe-core finds no serious or critical violation on the page; a screenshot is kept for people to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, f"accessibility violations on {name}:\n" + "\n".join(bad)
