"""Which notices become which emails: batching, channels, own actions, quiet hours, language, and privacy at
send time (Django's in-memory outbox; tests/mail/test_smtp.py speaks real SMTP)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import transaction

from courtyard.mail import services
from courtyard.mail.models import Delivery, DeliveryItem, Mailbox
from courtyard.notifications import services as notification_services
from courtyard.notifications.models import Notification
from tests.factories import make_profile
from tests.mail.conftest import REVOKED, deliveries

pytestmark = pytest.mark.django_db


def send_due(frozen, delivery: Delivery) -> str:
    frozen.now = max(frozen.now, delivery.due_at)
    return services.delivery_send(delivery_id=delivery.pk)


def test_three_notices_within_the_window_make_one_email(frozen, notify, member, other_member):
    notify(member, actor=other_member, object_id=1, text="First")
    frozen.advance(minutes=1)
    notify(member, actor=other_member, object_id=2, text="Second", kind="reply_to_thread")
    frozen.advance(minutes=2)
    notify(member, actor=other_member, object_id=3, text="Third", kind="kudos_received")
    [delivery] = deliveries()
    assert DeliveryItem.objects.filter(delivery=delivery).count() == 3
    assert delivery.due_at == dt.datetime(2026, 6, 10, 12, 5, tzinfo=dt.UTC)  # the first notice + 300 s
    assert services.delivery_send(delivery_id=delivery.pk) == "early"
    assert send_due(frozen, delivery) == "sent"
    [email] = mail.outbox
    assert email.subject == "[Courtyard] 3 new notifications on Courtyard"
    assert email.body.index("First") < email.body.index("Second") < email.body.index("Third")
    assert email.extra_headers.get("References") is None  # about three things: not threaded under one
    delivery.refresh_from_db()
    assert delivery.kinds == "kudos_received,mention,reply_to_thread"
    # A notice after the email went out starts the next one.
    notify(member, actor=other_member, object_id=4, text="Fourth")
    assert len(deliveries()) == 2


def test_nobody_is_emailed_about_their_own_action(frozen, notify, member):
    notify(member, actor=member)
    assert not Delivery.objects.exists()


def test_only_email_now_kinds_are_emailed(frozen, notify, member, other_member):
    notify(member, actor=other_member, kind="join_request")  # digest by default
    assert Notification.objects.count() == 1
    assert not Delivery.objects.exists()
    notification_services.preferences_set(actor=member.user, choices={"join_request": "email", "mention": "app"})
    notify(member, actor=other_member, kind="mention", object_id=2)
    assert not Delivery.objects.exists()
    notify(member, actor=other_member, kind="join_request", object_id=3)
    assert DeliveryItem.objects.get().kind == "join_request"


def test_a_rolled_back_notice_queues_nothing(frozen, member, other_member, django_capture_on_commit_callbacks):
    def write_that_fails() -> None:
        with transaction.atomic():
            notification_services.notification_send(
                recipient=member.user, kind="mention", actor=other_member.user, text="x", url="/",
                object_type="probe", object_id=1,
            )
            raise RuntimeError("the write failed")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        write_that_fails()
    assert not Delivery.objects.exists()


def test_a_kind_switched_off_email_before_sending_is_left_out(frozen, notify, member, other_member):
    notify(member, actor=other_member, object_id=1, text="Mentioned")
    notify(member, actor=other_member, object_id=2, text="Thanked", kind="kudos_received")
    notification_services.preferences_set(actor=member.user, choices={"mention": "app"})
    assert send_due(frozen, deliveries()[0]) == "sent"
    [email] = mail.outbox
    assert "Thanked" in email.body
    assert "Mentioned" not in email.body


def test_a_notice_read_in_the_app_before_the_email_is_not_emailed(frozen, notify, member, other_member):
    notice = notify(member, actor=other_member)
    notification_services.notification_mark_read(actor=member.user, notification=notice)
    assert send_due(frozen, deliveries()[0]) == "dropped"
    assert mail.outbox == []


def test_an_email_never_tells_what_the_member_may_no_longer_read(frozen, notify, member, other_member):
    notify(member, actor=other_member, object_id=1, text="About the secret merger")
    notify(member, actor=other_member, object_id=2, text="Lunch on Friday")
    REVOKED.add(1)  # access ended (left the private group) before the batch was sent
    assert send_due(frozen, deliveries()[0]) == "sent"
    [email] = mail.outbox
    html = email.alternatives[0][0]
    assert "Lunch on Friday" in email.body
    assert "Lunch on Friday" in html
    assert "secret merger" not in email.body
    assert "secret merger" not in html
    assert "secret" not in email.subject


def test_quiet_hours_hold_the_email_until_they_end_in_the_members_zone(frozen, notify, member, other_member):
    # Mia is in Europe/Berlin (CEST in June): quiet 11:00-15:00 local is 09:00-13:00 UTC; it is 12:00 UTC.
    services.quiet_hours_set(actor=member.user, start=dt.time(11, 0), end=dt.time(15, 0))
    notify(member, actor=other_member, object_id=1, text="First")
    [delivery] = deliveries()
    assert send_due(frozen, delivery) == "quiet"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.due_at) == (Delivery.Status.QUEUED, dt.datetime(2026, 6, 10, 13, 0, tzinfo=dt.UTC))
    notify(member, actor=other_member, object_id=2, text="Second")  # joins the waiting email
    assert len(deliveries()) == 1
    assert send_due(frozen, delivery) == "sent"
    assert frozen.now == dt.datetime(2026, 6, 10, 13, 0, tzinfo=dt.UTC)
    assert "First" in mail.outbox[0].body
    assert "Second" in mail.outbox[0].body


def test_emails_are_in_the_members_language(settings, frozen, notify, member, other_member):
    settings.LANGUAGE_CODE = "de"  # no profile language yet: the site's
    notify(member, actor=other_member)
    send_due(frozen, deliveries()[0])
    html = mail.outbox[0].alternatives[0][0]
    assert '<html lang="de">' in html
    assert "Juni 2026" in mail.outbox[0].body  # Django's German month names, in the member's time zone
    assert "14:00" in mail.outbox[0].body  # 12:00 UTC is 14:00 in Berlin


def test_stopped_or_deactivated_members_get_no_email(frozen, notify, member, other_member):
    notify(member, actor=other_member, object_id=1)
    Mailbox.objects.create(user=member.user, paused_at=frozen.now)
    assert send_due(frozen, deliveries()[0]) == "dropped"
    notify(member, actor=other_member, object_id=2)
    assert len(deliveries()) == 1  # not even queued while paused
    gone = make_profile(email="gone@example.com", full_name="Gus Gone")
    notify(gone, actor=other_member, object_id=3)
    gone.user.is_active = False
    gone.user.save(update_fields=["is_active"])
    assert send_due(frozen, deliveries(gone.user)[0]) == "dropped"
    assert mail.outbox == []


def test_a_lost_job_is_queued_again_and_still_sends_once(frozen, notify, member, other_member):
    notify(member, actor=other_member)
    [delivery] = deliveries()
    frozen.advance(minutes=4)
    assert services.deliveries_due_enqueue(now=frozen.now) == 0  # not overdue yet
    frozen.advance(minutes=5)
    # Jobs run immediately in tests: the periodic job sends it, and again finds nothing to send.
    assert services.deliveries_due_enqueue(now=frozen.now) == 1
    assert services.deliveries_due_enqueue(now=frozen.now) == 0
    assert len(mail.outbox) == 1
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT


def test_the_same_notice_queued_twice_is_in_the_email_once(frozen, notify, member, other_member):
    notice = notify(member, actor=other_member)
    services.email_queue(source="notification", kind="mention", entries=[(member.user.pk, notice.pk)])
    assert DeliveryItem.objects.count() == 1


def test_a_subject_is_one_line_whatever_the_notice_says(frozen, notify, member, other_member):
    notify(member, actor=other_member, text="Olu replied to\n“Two\r\nlines”")
    assert send_due(frozen, deliveries()[0]) == "sent"
    assert mail.outbox[0].subject == "[Courtyard] Olu replied to “Two lines”"


def test_without_the_tasks_module_no_job_can_be_queued(monkeypatch):
    from courtyard.mail import scheduling

    monkeypatch.setattr(scheduling, "_scheduler", None)
    with pytest.raises(RuntimeError, match="not loaded"):
        scheduling.schedule(1, 0)
