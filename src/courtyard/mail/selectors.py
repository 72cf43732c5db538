"""Reads of the mail app: a member's email state, their language and zone, and the admins' delivery log."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import Count

from courtyard.accounts.models import User
from courtyard.core import clock
from courtyard.mail.models import Delivery, DeliveryItem, Mailbox, OutboxMessage
from courtyard.people.models import Profile

RECENT_FAILURES = 50
OUTBOX_PAGE = 50


@dataclasses.dataclass(frozen=True)
class MailState:
    """What the settings page shows about a member's email."""

    address: str
    quiet_start: dt.time | None
    quiet_end: dt.time | None
    paused: bool
    bouncing: bool
    bouncing_since: dt.datetime | None
    bounce_reason: str
    time_zone: str


def is_bouncing(mailbox: Mailbox | None, user: User) -> bool:
    """A bounce counts for the address that bounced; a member who changed their address is tried again."""
    if mailbox is None or mailbox.bouncing_since is None:
        return False
    return mailbox.bouncing_address.lower() == user.email.lower()


def is_blocked(mailbox: Mailbox | None, user: User) -> bool:
    """Nothing is emailed to a deactivated member, one who stopped all email, or a bouncing address."""
    if not user.is_active:
        return True
    if mailbox is not None and mailbox.paused_at is not None:
        return True
    return is_bouncing(mailbox, user)


def mail_state(user: User) -> MailState:
    """One query for the mailbox, one for the time zone."""
    mailbox = Mailbox.objects.filter(user=user).first()
    return MailState(
        address=user.email,
        quiet_start=mailbox.quiet_start if mailbox else None,
        quiet_end=mailbox.quiet_end if mailbox else None,
        paused=bool(mailbox and mailbox.paused_at),
        bouncing=is_bouncing(mailbox, user),
        bouncing_since=mailbox.bouncing_since if mailbox else None,
        bounce_reason=mailbox.bounce_reason if mailbox else "",
        time_zone=member_zone_name(user),
    )


def member_zone_name(user: User) -> str:
    return Profile.objects.filter(user=user).values_list("timezone", flat=True).first() or settings.TIME_ZONE


def member_zone(user: User) -> dt.tzinfo:
    return clock.safe_zone(member_zone_name(user))


def member_name(user: User) -> str:
    row = Profile.objects.filter(user=user).values_list("preferred_name", "full_name").first()
    if row is None:
        return ""
    return row[0] or row[1]


def member_language(user: User) -> str:
    """The language of a member's emails. Profiles have no language of their own yet (their ``languages`` is
    free text for the directory), so the site's LANGUAGE_CODE; a profile language plugs in here."""
    return str(settings.LANGUAGE_CODE)


def delivery_counts() -> list[dict[str, Any]]:
    """Emails by kind and status (an email about two kinds counts for each), for the delivery log. One query."""
    rows = (
        DeliveryItem.objects.values("kind", "delivery__status")
        .annotate(emails=Count("delivery", distinct=True))
        .order_by("kind", "delivery__status")
    )
    table: dict[str, dict[str, int]] = {}
    for row in rows:
        table.setdefault(row["kind"], {})[row["delivery__status"]] = row["emails"]
    return [{"kind": kind, "counts": counts, "total": sum(counts.values())} for kind, counts in table.items()]


def status_totals() -> dict[str, int]:
    return dict(Delivery.objects.values_list("status").annotate(n=Count("id")).order_by())


def recent_failures(limit: int = RECENT_FAILURES) -> list[Delivery]:
    statuses = [Delivery.Status.FAILED, Delivery.Status.BOUNCED, Delivery.Status.RETRY]
    return list(
        Delivery.objects.filter(status__in=statuses).select_related("user").order_by("-updated_at", "-id")[:limit]
    )


def outbox_messages(limit: int = OUTBOX_PAGE) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.order_by("-created_at", "-id")[:limit])
