"""Email tests: a real SMTP server on loopback (aiosmtpd), notices about "probe" targets, and a helper to move
the clock.

The SMTP server speaks real SMTP to Django's SMTP backend; its handler can be told to answer the next
recipients with a temporary (451) or permanent (550) refusal, to test retries and bounces."""

from __future__ import annotations

import contextlib
import datetime as dt
import email
import email.policy
import logging
import socket
import threading
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from courtyard.core import clock
from courtyard.mail.models import Delivery
from courtyard.notifications import services as notification_services

# The notifications tests' "probe" targets (readable unless revoked), autouse here too.
from tests.notifications.conftest import PROBE, REVOKED, probe_targets  # noqa: F401

# aiosmtpd logs every SMTP command at INFO: quiet in test output.
logging.getLogger("mail.log").setLevel(logging.WARNING)

@pytest.fixture(autouse=True)
def _mail_settings(settings):
    settings.SITE_URL = "https://courtyard.example.org"
    settings.MAIL_MESSAGE_ID_DOMAIN = "courtyard.example.org"
    settings.MAIL_BATCH_SECONDS = 300


class Recorder:
    """An aiosmtpd handler: keeps every message it accepts; ``refuse`` scripts the next RCPT answers."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refuse: list[str] = []
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self.lock:
            answer = self.refuse.pop(0) if self.refuse else None
        if answer:
            return answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(parsed)
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1, and Django's SMTP backend pointed at it."""
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    try:
        yield recorder
    finally:
        controller.stop()


class Clock:
    """The application's clock, moved by hand."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> dt.datetime:
        self.now += dt.timedelta(**delta)
        return self.now


@pytest.fixture
def frozen(monkeypatch) -> Clock:
    # A Wednesday in June, at 12:00 UTC: in nobody's default quiet hours.
    moved = Clock(dt.datetime(2026, 6, 10, 12, 0, tzinfo=dt.UTC))
    monkeypatch.setattr(clock, "now", moved)
    return moved


@pytest.fixture
def notify(django_capture_on_commit_callbacks):
    """Send a notification about a probe target through the one entry point, running its after-commit work."""

    def _notify(recipient, actor=None, kind="mention", object_id=1, text="Olu mentioned you in “Lunch plans”",
                url="/groups/lunch/threads/1/"):
        with django_capture_on_commit_callbacks(execute=True):
            return notification_services.notification_send(
                recipient=recipient.user, kind=kind, actor=actor.user if actor else None, text=text, url=url,
                object_type=PROBE, object_id=object_id,
            )

    return _notify


def deliveries(user=None) -> list[Delivery]:
    rows = Delivery.objects.order_by("pk")
    if user is not None:
        rows = rows.filter(user=user)
    return list(rows)


@contextlib.contextmanager
def no_new_email(recorder: Recorder):
    before = len(recorder.messages)
    yield
    assert len(recorder.messages) == before
