"""Every write of the mail app: queueing notices into a member's next email, sending it, quiet hours,
unsubscribing and resuming. The design is in docs/email.md.

Queueing (``email_queue``) runs after the notices' transaction committed. A member has at most one
*queued* delivery: the first notice creates it, due MAIL_BATCH_SECONDS later, and schedules the job; the next
ones join it. The job (``delivery_send``) waits out quiet hours, claims the delivery (one conditional UPDATE:
a second copy of the job, or a retry of this one, finds it claimed and stops, so nothing is sent twice),
asks each notice's source what it says now (leaving out what the member may no longer read or no longer
wants by email), renders the email in the member's language and time zone, and sends it. A temporary
failure waits and retries with growing delays, MAIL_MAX_ATTEMPTS times in all; a permanent one (5xx) marks
the address as bouncing, and nothing more is sent to it until the member clears it.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections import defaultdict
from collections.abc import Sequence

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from courtyard.accounts.models import User
from courtyard.core import clock
from courtyard.core.errors import ApplicationError
from courtyard.mail import rendering, scheduling, selectors, sources
from courtyard.mail.domain import delivery as rules
from courtyard.mail.domain import quiet
from courtyard.mail.domain.items import MailItem
from courtyard.mail.models import Delivery, DeliveryItem, Mailbox
from courtyard.mail.tokens import Unsubscribe

logger = logging.getLogger(__name__)
Status = Delivery.Status
ERROR_LENGTH = 500


def _schedule(delivery_id: int, delay: int) -> None:
    scheduling.schedule(delivery_id, delay)  # the send job, queued by tasks.py (mail/scheduling.py says why)


def _schedule_after_commit(delivery_id: int, delay: int) -> None:
    transaction.on_commit(lambda: _schedule(delivery_id, delay))


# --- queueing ---------------------------------------------------------------------------------------------


def email_queue(*, source: str, kind: str, entries: Sequence[tuple[int, int]]) -> list[int]:
    """Add notices to their members' next email: ``entries`` are (member id, notice id) pairs from ``source``.
    Members who stopped all email, whose address bounces or who are deactivated are left out. Returns the ids
    of the deliveries this call created (each with its job scheduled after the commit). Queueing the same
    notice twice adds it once."""
    if not entries:
        return []
    now = clock.now()
    batch = int(settings.MAIL_BATCH_SECONDS)
    user_ids = {user_id for user_id, _id in entries}
    users = User.objects.in_bulk(user_ids)
    mailboxes = {m.user_id: m for m in Mailbox.objects.filter(user_id__in=user_ids)}
    allowed = {pk for pk, user in users.items() if not selectors.is_blocked(mailboxes.get(pk), user)}
    if not allowed:
        return []
    with transaction.atomic():
        before = dict(
            Delivery.objects.filter(user_id__in=allowed, status=Status.QUEUED).values_list("user_id", "pk")
        )
        # One insert for every member without a queued delivery; the partial unique constraint skips a member
        # whose first notice another process queued meanwhile (they then join that one).
        Delivery.objects.bulk_create(
            [
                Delivery(user_id=user_id, status=Status.QUEUED, created_at=now, updated_at=now,
                         due_at=now + dt.timedelta(seconds=batch))
                for user_id in sorted(allowed - set(before))
            ],
            ignore_conflicts=True,
        )
        queued = before if len(before) == len(allowed) else dict(
            Delivery.objects.filter(user_id__in=allowed, status=Status.QUEUED).values_list("user_id", "pk")
        )
        DeliveryItem.objects.bulk_create(
            [
                DeliveryItem(delivery_id=queued[user_id], source=source, source_id=source_id, kind=kind)
                for user_id, source_id in entries
                if user_id in queued
            ],
            ignore_conflicts=True,
        )
        created = sorted(pk for user_id, pk in queued.items() if before.get(user_id) != pk)
        for pk in created:
            _schedule_after_commit(pk, batch)
    return created


# --- sending ----------------------------------------------------------------------------------------------


def _smtp_code(exc: BaseException) -> int | None:
    """The SMTP reply code a failure carries about the recipient, if any. A refused *sender* is our own
    configuration, not the member's address: it never counts as their bounce."""
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return None
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in exc.recipients.values()]
        return max(codes) if codes else None
    if isinstance(exc, smtplib.SMTPResponseException):
        return int(exc.smtp_code)
    return None


def _describe(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        parts = [f"{code} {message.decode(errors='replace') if isinstance(message, bytes) else message}"
                 for code, message in exc.recipients.values()]
        return "; ".join(parts)[:ERROR_LENGTH]
    if isinstance(exc, smtplib.SMTPResponseException):
        message = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        return f"{exc.smtp_code} {message}"[:ERROR_LENGTH]
    return f"{type(exc).__name__}: {exc}"[:ERROR_LENGTH]


def _finish(delivery: Delivery, status: str, **fields: object) -> None:
    Delivery.objects.filter(pk=delivery.pk, status=Status.SENDING).update(
        status=status, updated_at=clock.now(), **fields
    )


def _load_items(user: User, delivery: Delivery) -> list[MailItem]:
    by_source: dict[str, list[int]] = defaultdict(list)
    for source_name, source_id in delivery.items.values_list("source", "source_id").order_by("pk"):
        by_source[source_name].append(source_id)
    loaded: list[MailItem] = []
    for source_name, ids in by_source.items():
        registered = sources.source(source_name)
        if registered is not None:  # a source that is gone (an app removed) says nothing
            loaded.extend(registered.load(user, ids))
    return sorted(loaded, key=lambda item: (item.created_at, item.source_id))


def delivery_send(*, delivery_id: int) -> str:
    """Send one delivery if it is due, once. Safe to run any number of times, concurrently too: returns what
    happened (``sent``, ``early``, ``quiet``, ``taken``, ``dropped``, ``retry``, ``failed``, ``bounced``)."""
    now = clock.now()
    delivery = Delivery.objects.select_related("user").filter(pk=delivery_id).first()
    if delivery is None or delivery.status not in (Status.QUEUED, Status.RETRY):
        return "taken"
    if delivery.due_at > now:
        _schedule(delivery.pk, int((delivery.due_at - now).total_seconds()) + 1)
        return "early"
    user = delivery.user
    mailbox = Mailbox.objects.filter(user=user).first()
    zone = selectors.member_zone(user)
    if not selectors.is_blocked(mailbox, user) and mailbox is not None:
        when = quiet.send_at(now, zone, mailbox.quiet_start, mailbox.quiet_end)
        if when > now:
            # Quiet hours: the delivery waits (and, while queued, keeps collecting notices) until they end.
            moved = Delivery.objects.filter(pk=delivery.pk, status=delivery.status, attempts=delivery.attempts).update(
                due_at=when, updated_at=now
            )
            if moved:
                _schedule(delivery.pk, int((when - now).total_seconds()) + 1)
            return "quiet"
    claimed = Delivery.objects.filter(pk=delivery.pk, status=delivery.status, attempts=delivery.attempts).update(
        status=Status.SENDING, attempts=F("attempts") + 1, updated_at=now
    )
    if not claimed:
        return "taken"
    attempt = delivery.attempts + 1
    if selectors.is_blocked(mailbox, user):
        _finish(delivery, Status.DROPPED, last_error="email stopped, address bouncing, or member deactivated")
        return "dropped"
    try:
        with translation.override(selectors.member_language(user)), timezone.override(zone):
            items = _load_items(user, delivery)
            if not items:
                _finish(delivery, Status.DROPPED, last_error="nothing left the member may read and wants by email")
                return "dropped"
            rendered = rendering.notices_email(user=user, name=selectors.member_name(user), items=items)
        rendered.message.send(fail_silently=False)
    except Exception as exc:  # noqa: BLE001 - every failure is recorded; the kind decides retry or bounce
        return _failed(delivery, user, attempt, exc)
    _finish(
        delivery, Status.SENT, sent_at=clock.now(), subject=rendered.subject[:300], message_id=rendered.message_id,
        to_address=user.email, kinds=",".join(sorted({item.kind for item in items}))[:300], last_error="",
    )
    return "sent"


def _failed(delivery: Delivery, user: User, attempt: int, exc: BaseException) -> str:
    error = _describe(exc)
    now = clock.now()
    if rules.classify_smtp_code(_smtp_code(exc)) == rules.PERMANENT:
        logger.warning("email delivery %s bounced: %s", delivery.pk, error)
        with transaction.atomic():
            _finish(delivery, Status.BOUNCED, last_error=error, to_address=user.email)
            Mailbox.objects.update_or_create(
                user=user,
                defaults={"bouncing_address": user.email, "bouncing_since": now, "bounce_reason": error[:300]},
            )
        return "bounced"
    if not isinstance(exc, smtplib.SMTPException | OSError):
        logger.exception("email delivery %s failed unexpectedly", delivery.pk, exc_info=exc)
    if attempt >= int(settings.MAIL_MAX_ATTEMPTS):
        logger.warning("email delivery %s failed %s times, giving up: %s", delivery.pk, attempt, error)
        _finish(delivery, Status.FAILED, last_error=error, to_address=user.email)
        return "failed"
    wait = rules.retry_delay(attempt)
    _finish(delivery, Status.RETRY, last_error=error, due_at=now + dt.timedelta(seconds=wait))
    _schedule(delivery.pk, wait)
    return "retry"


def deliveries_due_enqueue(*, now: dt.datetime, grace: dt.timedelta = dt.timedelta(minutes=2)) -> int:
    """Queue the job again for deliveries overdue by more than ``grace`` (a job lost with a restarted queue).
    The jobs are idempotent, so one queued twice still sends once."""
    overdue = list(
        Delivery.objects.filter(status__in=[Status.QUEUED, Status.RETRY], due_at__lte=now - grace)
        .order_by("due_at")
        .values_list("pk", flat=True)[:500]
    )
    for pk in overdue:
        _schedule(pk, 0)
    return len(overdue)


# --- the member's choices ---------------------------------------------------------------------------------


@transaction.atomic
def quiet_hours_set(*, actor: User, start: dt.time | None, end: dt.time | None) -> None:
    """Quiet hours in the member's own time zone; both times, or neither (no quiet hours)."""
    if (start is None) != (end is None):
        raise ApplicationError(_("Give both the start and the end of your quiet hours, or neither."), code="bad_quiet_hours")
    if start is not None and start == end:
        raise ApplicationError(_("Quiet hours must start and end at different times."), code="bad_quiet_hours")
    if any(t is not None and t.tzinfo is not None for t in (start, end)):
        raise ApplicationError(
            _("Quiet hours are times on your own clock: leave out the UTC offset."), code="bad_quiet_hours"
        )
    Mailbox.objects.update_or_create(user=actor, defaults={"quiet_start": start, "quiet_end": end})


@transaction.atomic
def mailbox_resume(*, actor: User) -> None:
    """"I fixed my address, try again" and "send me email again": clears the bounce and the pause."""
    Mailbox.objects.filter(user=actor).update(paused_at=None, bouncing_address="", bouncing_since=None, bounce_reason="")


@transaction.atomic
def unsubscribe(*, request: Unsubscribe) -> User:
    """Apply a signed unsubscribe request: stop every email (``*``), or the named kinds by email (they stay
    in the app). A request for a member who no longer exists is refused; kinds nobody knows are ignored."""
    user = User.objects.filter(pk=request.user_id).first()
    if user is None:
        raise ApplicationError(_("This unsubscribe link no longer works."), code="bad_token")
    if request.everything:
        Mailbox.objects.update_or_create(user=user, defaults={"paused_at": clock.now()})
        return user
    for kind in request.kinds:
        registered = sources.source_of_kind(kind)
        if registered is not None:
            registered.unsubscribe(user, kind)
    return user
