"""/metrics: Prometheus text behind a token or allowed networks; nothing but a refusal otherwise."""

from __future__ import annotations

import ipaddress
import os
import re
import subprocess
import sys

import pytest
from django.test import Client
from huey.contrib.djhuey import HUEY

from courtyard.core.metrics import FAILURES_KEY
from courtyard.events import services as event_services
from courtyard.events import tasks as event_tasks

pytestmark = pytest.mark.django_db

TOKEN = "s3cret-scrape-token"
REMINDERS = "courtyard.events.tasks.events_send_reminders"


def sample(text: str, name: str, **labels: str) -> float | None:
    """The value of one sample in Prometheus text, or None when absent."""
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        match = re.fullmatch(r"([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)", line)
        if not match or match.group(1) != name:
            continue
        found = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', match.group(2) or ""))
        if all(found.get(key) == value for key, value in labels.items()):
            return float(match.group(3))
    return None


def scrape(client: Client | None = None, **headers: str):
    return (client or Client()).get("/metrics", headers=headers)


@pytest.fixture
def token(settings):
    settings.METRICS_TOKEN = TOKEN
    return TOKEN


def test_metrics_do_not_exist_unless_configured(member_client):
    for response in (scrape(), scrape(member_client), scrape(Authorization="Bearer anything")):
        assert response.status_code == 404
        assert b"courtyard_" not in response.content


def test_a_missing_or_wrong_token_is_refused_without_metrics(token, admin_client):
    for response in (
        scrape(),
        scrape(admin_client),  # signing in is not the way in
        scrape(Authorization=f"Bearer {TOKEN}x"),
        scrape(Authorization=f"Basic {TOKEN}"),
        scrape(Authorization="Bearer"),
    ):
        assert response.status_code == 403
        assert response.content == b"Forbidden\n"


def test_the_token_reads_request_counts_and_latency_by_url_pattern(token, member_client):
    before = sample(scrape(Authorization=f"Bearer {TOKEN}").content.decode(), "courtyard_http_requests_total",
                    method="GET", route="healthz", status="200") or 0
    for _ in range(3):
        assert member_client.get("/healthz").status_code == 200
    member_client.get("/people/8675309/")  # the pattern, not the path, is the label

    response = scrape(Authorization=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert sample(text, "courtyard_http_requests_total", method="GET", route="healthz", status="200") == before + 3
    assert sample(text, "courtyard_http_request_duration_seconds_count", route="healthz") >= 3
    assert sample(text, "courtyard_http_requests_total", route="people/<str:profile_id>/", status="404") >= 1
    assert "8675309" not in text


def test_allowed_networks_match_the_connecting_address(settings):
    settings.METRICS_ALLOWED_NETWORKS = [ipaddress.ip_network("10.1.0.0/16")]
    allowed = Client(REMOTE_ADDR="10.1.2.3").get("/metrics")
    refused = Client(REMOTE_ADDR="10.2.0.1").get("/metrics")
    spoofed = Client(REMOTE_ADDR="10.2.0.1").get("/metrics", headers={"X-Forwarded-For": "10.1.2.3"})
    assert allowed.status_code == 200
    assert b"courtyard_jobs_queued" in allowed.content
    assert refused.status_code == 403
    assert spoofed.status_code == 403
    assert b"courtyard_" not in refused.content + spoofed.content


def test_queue_depth_is_read_from_the_queue(token):
    queued_before = sample(scrape(Authorization=f"Bearer {TOKEN}").content.decode(), "courtyard_jobs_queued")
    # Put two messages on the queue without running them (the tests' queue runs what is enqueued at once).
    for _ in range(2):
        HUEY.storage.enqueue(HUEY.serialize_task(event_tasks.events_send_reminders.s()), 0)
    try:
        text = scrape(Authorization=f"Bearer {TOKEN}").content.decode()
        assert sample(text, "courtyard_jobs_queued") == queued_before + 2
    finally:
        HUEY.storage.flush_queue()


def test_a_failed_job_is_counted_through_huey_signals(token, monkeypatch):
    def broken() -> int:
        raise RuntimeError("SMTP server down")

    before = HUEY.storage.incr(FAILURES_KEY % REMINDERS, 0)
    monkeypatch.setattr(event_services, "reminders_send", broken)
    event_tasks.events_send_reminders()  # executed at once; Huey records the error and emits its signal

    text = scrape(Authorization=f"Bearer {TOKEN}").content.decode()
    assert sample(text, "courtyard_job_failures_total", job=REMINDERS) == before + 1
    assert sample(text, "courtyard_job_failures_total", job="courtyard.pairing.tasks.coffee_round_job") is not None


def test_a_malformed_network_list_stops_the_start_with_a_clear_message(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "courtyard.config.settings", "COURTYARD_VAR_DIR": str(tmp_path),
           "METRICS_ALLOWED_NETWORKS": "10.0.0.0/8, 10.300.0.0/16"}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True, text=True,
        timeout=120, check=False,
    )
    assert result.returncode != 0
    assert "METRICS_ALLOWED_NETWORKS must be a comma-separated list of CIDR ranges" in result.stderr
