"""Delivery to a real SMTP server on loopback (aiosmtpd), read back with the email package: both parts, the
threading headers, RFC 8058 one-click unsubscribe without a session; temporary failures retried and sent
once; permanent failures mark the address as bouncing."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.test import Client

from courtyard.mail import services
from courtyard.mail.models import Delivery, Mailbox
from courtyard.notifications.models import Preference
from tests.mail.conftest import deliveries

pytestmark = pytest.mark.django_db
HOST = "courtyard.example.org"


def send_due(frozen, delivery: Delivery) -> str:
    frozen.now = max(frozen.now, delivery.due_at)
    return services.delivery_send(delivery_id=delivery.pk)


def test_an_email_now_notice_arrives_with_both_parts_threading_and_one_click_unsubscribe(
    smtp_server, frozen, notify, member, other_member
):
    notify(member, actor=other_member, object_id=7)
    [delivery] = deliveries(member.user)
    assert delivery.status == Delivery.Status.QUEUED
    assert smtp_server.messages == []  # batched: nothing before the window closes
    assert send_due(frozen, delivery) == "sent"

    [message] = smtp_server.messages
    assert message["To"] == "member@example.com"
    assert message["Subject"].strip() == "[Courtyard] Olu mentioned you in “Lunch plans”"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "Olu mentioned you in “Lunch plans”" in text
    assert f"https://{HOST}/groups/lunch/threads/1/" in text
    assert f"https://{HOST}/notifications/preferences/" in text  # the footer
    assert f'href="https://{HOST}/notifications/preferences/"' in html
    # CSS inlined by css-inline: style attributes, no <style> block left.
    assert "<style" not in html
    assert 'style="' in html
    assert "max-width: 600px" in html
    # Threading: a unique Message-ID, and a stable root for the target.
    root = f"<probe.7@{HOST}>"
    assert message["In-Reply-To"] == root
    assert message["References"] == root
    first_id = message["Message-ID"]
    assert first_id.endswith(f"@{HOST}>")
    assert first_id != root
    assert message["Auto-Submitted"] == "auto-generated"
    # RFC 8058: a one-click POST to the List-Unsubscribe address, with no session and no CSRF token.
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = message["List-Unsubscribe"].strip().strip("<>")  # long headers fold: whitespace first
    assert unsubscribe.startswith(f"https://{HOST}/mail/unsubscribe/")

    # A second notice about the same thread: a new email, threaded under the same root, with its own id.
    frozen.advance(minutes=10)
    notify(member, actor=other_member, object_id=7, text="Olu replied in “Lunch plans”")
    [_, second] = deliveries(member.user)
    assert send_due(frozen, second) == "sent"
    reply = smtp_server.messages[1]
    assert reply["References"] == root
    assert reply["In-Reply-To"] == root
    assert reply["Message-ID"] != first_id

    browser_less = Client(enforce_csrf_checks=True)
    response = browser_less.post(
        urlsplit(unsubscribe).path, data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert list(Preference.objects.filter(user=member.user).values_list("kind", "channel")) == [("mention", "app")]
    # From now on mentions stay in the app.
    notify(member, actor=other_member, object_id=8)
    assert len(deliveries(member.user)) == 2


def test_a_temporary_failure_is_retried_with_backoff_and_sent_once(smtp_server, frozen, notify, member, other_member):
    smtp_server.refuse = ["451 4.3.0 Mailbox temporarily unavailable"]
    notify(member, actor=other_member)
    [delivery] = deliveries()
    assert send_due(frozen, delivery) == "retry"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.RETRY, 1)
    assert delivery.last_error.startswith("451")
    assert delivery.due_at == frozen.now + __import__("datetime").timedelta(seconds=60)
    assert smtp_server.messages == []
    assert services.delivery_send(delivery_id=delivery.pk) == "early"  # not before the backoff ends
    assert send_due(frozen, delivery) == "sent"
    # The same job again (a queue retry, a second worker): claimed already, nothing sent twice.
    assert services.delivery_send(delivery_id=delivery.pk) == "taken"
    assert len(smtp_server.messages) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.kinds) == (Delivery.Status.SENT, 2, "mention")


def test_a_server_that_does_not_answer_is_a_temporary_failure_and_attempts_are_capped(
    settings, frozen, notify, member, other_member
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens
    settings.MAIL_MAX_ATTEMPTS = 2
    notify(member, actor=other_member)
    [delivery] = deliveries()
    assert send_due(frozen, delivery) == "retry"
    delivery.refresh_from_db()
    assert "ConnectionRefusedError" in delivery.last_error
    assert send_due(frozen, delivery) == "failed"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.FAILED, 2)
    assert not Mailbox.objects.filter(bouncing_since__isnull=False).exists()  # not the member's fault


def test_a_permanent_failure_marks_the_address_bouncing_and_stops_sending(
    smtp_server, frozen, notify, member, other_member, django_capture_on_commit_callbacks
):
    smtp_server.refuse = ["550 5.1.1 Mailbox unavailable"]
    notify(member, actor=other_member)
    [delivery] = deliveries()
    assert send_due(frozen, delivery) == "bounced"
    mailbox = Mailbox.objects.get(user=member.user)
    assert mailbox.bouncing_address == "member@example.com"
    assert mailbox.bounce_reason.startswith("550 5.1.1")
    # Nothing more is queued for the address, and the settings page says why.
    notify(member, actor=other_member, object_id=2)
    assert len(deliveries()) == 1
    client = Client()
    client.force_login(member.user)
    page = client.get("/notifications/preferences/").content.decode()
    assert "bounces since" in page
    assert "550 5.1.1 Mailbox unavailable" in page
    # "I fixed my address, try again": email flows again.
    assert client.post("/mail/resume/").status_code == 302
    assert "bounces since" not in client.get("/notifications/preferences/").content.decode()
    notify(member, actor=other_member, object_id=3)
    queued = deliveries()[-1]
    assert send_due(frozen, queued) == "sent"
    assert len(smtp_server.messages) == 1


def test_a_changed_address_is_tried_again_by_itself(smtp_server, frozen, notify, member, other_member):
    smtp_server.refuse = ["550 no such user"]
    notify(member, actor=other_member)
    send_due(frozen, deliveries()[0])
    member.user.email = "mia.new@example.com"
    member.user.save(update_fields=["email"])
    notify(member, actor=other_member, object_id=2)
    assert send_due(frozen, deliveries()[-1]) == "sent"
    assert smtp_server.messages[0]["To"] == "mia.new@example.com"
