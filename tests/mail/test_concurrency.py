"""Email under real concurrency on PostgreSQL, each thread with its own connection: first notices for one
member arriving at the same instant make one email, and jobs sending the same delivery at once send it once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core import mail
from django.db import connection

from courtyard.core import clock
from courtyard.mail import services
from courtyard.mail.models import Delivery, DeliveryItem
from courtyard.notifications import services as notification_services
from tests.helpers import at_once

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL"),
]


def test_first_notices_at_the_same_instant_join_one_email(member):
    def queue(n: int) -> Callable[[], list[int]]:
        return lambda: services.email_queue(source="notification", kind="mention", entries=[(member.user.pk, n)])

    results = at_once([queue(n) for n in range(1, 9)])
    assert not [r for r in results if isinstance(r, Exception)], results
    [delivery] = Delivery.objects.filter(user=member.user)
    assert sorted(DeliveryItem.objects.filter(delivery=delivery).values_list("source_id", flat=True)) == list(range(1, 9))


def test_jobs_sending_the_same_delivery_at_once_send_it_once(member, other_member, monkeypatch):
    notification_services.notification_send(
        recipient=member.user, kind="mention", actor=other_member.user, text="Olu mentioned you",
        url="/groups/", object_type="probe", object_id=1,
    )
    delivery = Delivery.objects.get(user=member.user)
    later = clock.now() + dt.timedelta(hours=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    results = at_once([lambda: services.delivery_send(delivery_id=delivery.pk) for _ in range(6)])
    assert sorted(results) == ["sent"] + ["taken"] * 5, results
    assert len(mail.outbox) == 1
