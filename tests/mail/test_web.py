"""The pages of email: the delivery log for admins, the demo outbox and its backend, the settings page."""

from __future__ import annotations

import pytest
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from courtyard.mail import services
from courtyard.mail.backends import OutboxBackend
from courtyard.mail.models import OutboxMessage
from courtyard.site.management.commands.demo import demo_environment
from tests.conftest import signed_in_client
from tests.factories import make_profile
from tests.mail.conftest import deliveries

pytestmark = pytest.mark.django_db


def _queries(client, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_the_delivery_log_counts_by_kind_and_status_and_lists_failures(
    smtp_server, frozen, notify, member, other_member, admin
):
    notify(member, actor=other_member, object_id=1)
    notify(other_member, actor=member, object_id=2, kind="kudos_received")
    smtp_server.refuse = ["550 5.1.1 No such user"]
    for delivery in deliveries():
        frozen.now = max(frozen.now, delivery.due_at)
        services.delivery_send(delivery_id=delivery.pk)
    client = signed_in_client(admin)
    client.get(reverse("mail:deliveries"))  # the session's first request records it
    few = _queries(client, reverse("mail:deliveries"))
    measured_at = frozen.now
    for n in range(3, 13):  # more people, kinds and failures: the same number of queries
        someone = make_profile(email=f"p{n}@example.com", full_name=f"Person {n}")
        notify(someone, actor=member, object_id=n, kind=["mention", "coffee_match", "survey_opened"][n % 3])
        smtp_server.refuse = ["550 gone"]
        frozen.advance(minutes=6)
        services.delivery_send(delivery_id=deliveries(someone.user)[0].pk)
    frozen.now = measured_at  # the same moment: the session's own bookkeeping does not differ
    assert _queries(client, reverse("mail:deliveries")) == few
    page = client.get(reverse("mail:deliveries")).content.decode()
    assert "Email delivery log" in page
    assert "Mentions" in page
    assert "Kudos" in page
    assert "550 5.1.1 No such user" in page
    assert "member@example.com" in page
    assert "Lunch plans" not in page  # what an email said is not shown to admins


def test_the_outbox_backend_keeps_both_parts_and_the_headers(settings):
    message = EmailMultiAlternatives("Hi", "Plain words", "from@example.com", ["to@example.com"],
                                     headers={"List-Unsubscribe": "<https://example.org/u/>"})
    message.attach_alternative("<p>HTML words</p>", "text/html")
    assert OutboxBackend().send_messages([message]) == 1
    kept = OutboxMessage.objects.get()
    assert (kept.to, kept.subject, kept.text, kept.html) == ("to@example.com", "Hi", "Plain words", "<p>HTML words</p>")
    assert "List-Unsubscribe: <https://example.org/u/>" in kept.headers


def test_in_the_demo_admins_read_the_emails_in_the_outbox(settings, frozen, notify, member, other_member, admin):
    settings.EMAIL_BACKEND = "courtyard.mail.backends.OutboxBackend"
    settings.COURTYARD_DEMO = True
    notify(member, actor=other_member)
    frozen.advance(minutes=5)
    services.delivery_send(delivery_id=deliveries()[0].pk)
    client = signed_in_client(admin)
    listing = client.get(reverse("mail:outbox")).content.decode()
    kept = OutboxMessage.objects.get()
    assert "Olu mentioned you in “Lunch plans”" in listing
    page = client.get(reverse("mail:outbox_message", args=[kept.pk])).content.decode()
    assert "https://courtyard.example.org/mail/unsubscribe/" in page
    assert reverse("mail:outbox_message_html", args=[kept.pk]) in page  # the HTML part, framed
    html = client.get(reverse("mail:outbox_message_html", args=[kept.pk])).content.decode()
    assert "Lunch plans" in html
    settings.COURTYARD_DEMO = False
    assert client.get(reverse("mail:outbox")).status_code == 404


def test_debug_mode_opens_the_outbox_too(settings, admin):
    settings.DEBUG = True
    assert signed_in_client(admin).get(reverse("mail:outbox")).status_code == 200


def test_the_demo_keeps_email_and_batches_briefly_unless_told_otherwise():
    env = demo_environment({"PATH": "/bin"})
    assert (env["COURTYARD_DEMO"], env["EMAIL_URL"], env["MAIL_BATCH_SECONDS"]) == ("1", "outbox://", "30")
    assert demo_environment({"EMAIL_URL": "smtp://mail:25"})["EMAIL_URL"] == "smtp://mail:25"


def test_the_outbox_scheme_of_email_url():
    from courtyard.config.settings import email_settings

    assert email_settings("outbox://")["EMAIL_BACKEND"] == "courtyard.mail.backends.OutboxBackend"


def test_the_settings_page_shows_quiet_hours_and_saves_them(member):
    client = signed_in_client(member)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert "Emails go to member@example.com" in page
    assert "Europe/Berlin" in page
    response = client.post(reverse("notifications:preferences"), {"quiet_start": "21:30", "quiet_end": "07:15"})
    assert response.status_code == 302
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert 'value="21:30"' in page
    assert 'value="07:15"' in page
