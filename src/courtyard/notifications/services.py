"""The single place where notifications are created, read and configured.

Every notification goes through notifications_send_bulk (notification_send is its one-recipient form), so
the rules live here once: the member's on/off choice per kind, nobody hears about their own action,
deactivated members hear nothing, the same news about the same thing within DEDUP_WINDOW is told once, and
nobody hears about a target they may not read (notifications.targets: each app registers how to check its
own; the list, the API and opening check again, since access can end after the notification was made).

Each kind reaches a member on the channel they chose (domain/kinds.py): every channel but "off" makes the
notification; "email now" also queues it, after the commit, for the member's next email (notifications.emailing
and courtyard.mail, which batches notices arriving close together into one email).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _

from courtyard.accounts.models import User
from courtyard.core import clock
from courtyard.core.errors import ApplicationError
from courtyard.mail import services as mail_services
from courtyard.notifications.caching import unread_cache_key
from courtyard.notifications.domain.kinds import (
    BY_KEY,
    CHANNELS,
    EMAIL,
    OFF,
    channel,
    channel_from_choice,
    is_known,
    is_local_path,
)
from courtyard.notifications.models import Notification, Preference
from courtyard.notifications.targets import readers_of, require_registered

DEDUP_WINDOW = dt.timedelta(minutes=10)
EMAIL_SOURCE = "notification"  # the name notifications.emailing registers with mail's sources
TEXT_LENGTH = 300
URL_LENGTH = 500


def _invalidate(user_ids: Iterable[int]) -> None:
    # Now, and again once committed: a page rendered in between must not keep a stale count cached.
    keys = [unread_cache_key(pk) for pk in user_ids]
    if not keys:
        return
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys), robust=True)


def notification_send(
    *,
    recipient: User,
    kind: str,
    actor: User | None,
    text: str,
    url: str,
    object_type: str = "",
    object_id: int | None = None,
) -> Notification | None:
    """Tell one member about something, unless they turned that kind off, are the one who did it, are
    deactivated, or were just told the same thing. Returns the notification, or None when none was made."""
    made = notifications_send_bulk(
        recipients=[recipient], kind=kind, actor=actor, text=text, url=url, object_type=object_type,
        object_id=object_id,
    )
    return made[0] if made else None


def notifications_send_bulk(
    *,
    recipients: Iterable[User],
    kind: str,
    actor: User | None,
    text: str,
    url: str,
    object_type: str = "",
    object_id: int | None = None,
) -> list[Notification]:
    """notification_send for many members at once (everyone mentioned, every organizer of a group), with the
    same rules, in three queries plus the readability check of the target (the app's access function per
    recipient, or one batch query where the app registered one): choices, recent duplicates, one insert.
    (No transaction of its own: one multi-row insert is atomic, and callers' transactions hold it anyway.)"""
    if not is_known(kind):
        raise ValueError(f"unknown notification kind {kind!r}")
    if not is_local_path(url):
        raise ValueError(f"notification links must be local paths, not {url!r}")
    require_registered(object_type)
    candidates = {
        user.pk: user for user in recipients if user.is_active and (actor is None or user.pk != actor.pk)
    }
    if not candidates:
        return []
    choices = dict(Preference.objects.filter(user_id__in=candidates, kind=kind).values_list("user_id", "channel"))
    channels = {pk: channel(kind, {kind: choices[pk]} if pk in choices else {}) for pk in candidates}
    wanted = [pk for pk in candidates if channels[pk] != OFF]
    now = clock.now()
    if wanted and object_id is not None:
        told = set(
            Notification.objects.filter(
                recipient_id__in=wanted, kind=kind, object_type=object_type, object_id=object_id,
                created_at__gte=now - DEDUP_WINDOW,
            ).values_list("recipient_id", flat=True)
        )
        wanted = [pk for pk in wanted if pk not in told]
    if not wanted:
        return []
    # Last, as it is the costly rule: the words below come from the target, so only its readers get them.
    may_read = readers_of(object_type, object_id, [candidates[pk] for pk in wanted])
    wanted = [pk for pk in wanted if pk in may_read]
    if not wanted:
        return []
    made = Notification.objects.bulk_create(
        Notification(
            recipient=candidates[pk], kind=kind, actor=actor, text=text[:TEXT_LENGTH], url=url[:URL_LENGTH],
            object_type=object_type, object_id=object_id, created_at=now,
        )
        for pk in wanted
    )
    _invalidate(wanted)
    email_queue_after_commit([n for n in made if channels[n.recipient_id] == EMAIL])
    return made


def email_queue_after_commit(notifications: Sequence[Notification]) -> None:
    """Once the notices are committed, add them to their recipients' next email (mail batches them; what the
    email says is read back through notifications.emailing when it is sent)."""
    if not notifications:
        return
    kind = notifications[0].kind
    entries = [(n.recipient_id, n.pk) for n in notifications]
    transaction.on_commit(lambda: mail_services.email_queue(source=EMAIL_SOURCE, kind=kind, entries=entries))


@transaction.atomic
def notification_mark_read(*, actor: User, notification: Notification) -> Notification:
    """Mark one of the actor's notifications read (idempotent). Reach it through access_notification."""
    if notification.recipient_id != actor.pk:
        raise ValueError("only the recipient marks a notification read")
    if notification.read_at is None:
        notification.read_at = clock.now()
        notification.save(update_fields=["read_at"])
        _invalidate([actor.pk])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, actor: User) -> int:
    count = Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=clock.now())
    _invalidate([actor.pk])
    return count


@transaction.atomic
def preferences_set(*, actor: User, choices: dict[str, Any]) -> None:
    """Store the member's channel per kind: a channel name (app, email, digest, off), or the older true/false
    (false is off; true keeps the current channel, or the default when it was off). A choice equal to the
    default removes the stored row. Nothing is saved unless every choice is valid."""
    unknown = sorted(k for k in choices if not is_known(k))
    if unknown:
        raise ApplicationError(
            _("Unknown notification kinds: %(kinds)s.") % {"kinds": ", ".join(unknown)}, code="bad_kind"
        )
    if any(not isinstance(value, bool | str) for value in choices.values()):
        raise ApplicationError(_("Each choice must be a channel or true or false."), code="bad_value")
    stored = dict(Preference.objects.filter(user=actor, kind__in=list(choices)).values_list("kind", "channel"))
    wanted: dict[str, str] = {}
    for key, value in choices.items():
        chosen = channel_from_choice(key, value, channel(key, stored))
        if chosen is None:
            raise ApplicationError(
                _("Each channel must be one of: %(channels)s.") % {"channels": ", ".join(CHANNELS)}, code="bad_value"
            )
        wanted[key] = chosen
    for key, chosen in wanted.items():
        if chosen == BY_KEY[key].default_channel:
            Preference.objects.filter(user=actor, kind=key).delete()
        else:
            Preference.objects.update_or_create(user=actor, kind=key, defaults={"channel": chosen})
