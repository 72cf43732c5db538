"""The single place where notifications are created. The email channel (a later issue) hooks in here."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _

from courtyard.accounts.models import User
from courtyard.core import clock
from courtyard.core.errors import ApplicationError, NotFound
from courtyard.notifications.domain.kinds import BY_KEY, enabled, is_known
from courtyard.notifications.models import Notification, Preference

DEDUP_WINDOW = dt.timedelta(minutes=10)


def unread_cache_key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def _invalidate(user_id: int) -> None:
    # Now, and again once committed: a page read in between must not keep a stale count cached.
    cache.delete(unread_cache_key(user_id))
    transaction.on_commit(lambda: cache.delete(unread_cache_key(user_id)))


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
    if not is_known(kind):
        raise ValueError(f"unknown notification kind {kind!r}")
    if not url.startswith("/") or url.startswith("//"):
        raise ValueError("notification links must be local paths")
    if not recipient.is_active or (actor is not None and actor.pk == recipient.pk):
        return None
    overrides = dict(Preference.objects.filter(user=recipient, kind=kind).values_list("kind", "enabled"))
    if not enabled(kind, overrides):
        return None
    now = clock.now()
    if object_id is not None and Notification.objects.filter(
        recipient=recipient, kind=kind, object_type=object_type, object_id=object_id, created_at__gte=now - DEDUP_WINDOW
    ).exists():
        return None
    notification = Notification.objects.create(
        recipient=recipient, kind=kind, actor=actor, text=text[:300], url=url[:500], object_type=object_type,
        object_id=object_id, created_at=now,
    )
    _invalidate(recipient.pk)
    # Email (a later issue): queue delivery here, per the member's email preferences, on commit.
    return notification


@transaction.atomic
def notification_open(*, actor: User, notification_id: int) -> Notification:
    notification = Notification.objects.filter(pk=notification_id, recipient=actor).first()
    if notification is None:
        raise NotFound(_("No such notification."))
    if notification.read_at is None:
        notification.read_at = clock.now()
        notification.save(update_fields=["read_at"])
        _invalidate(actor.pk)
    return notification


@transaction.atomic
def notifications_mark_all_read(*, actor: User) -> int:
    count = Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=clock.now())
    _invalidate(actor.pk)
    return count


@transaction.atomic
def preferences_set(*, actor: User, choices: dict[str, Any]) -> None:
    """Store the member's on/off per kind; a choice equal to the default removes the stored row."""
    unknown = sorted(k for k in choices if not is_known(k))
    if unknown:
        raise ApplicationError(_("Unknown notification kinds: %(kinds)s.") % {"kinds": ", ".join(unknown)}, code="bad_kind")
    for key, value in choices.items():
        if not isinstance(value, bool):
            raise ApplicationError(_("Each choice must be true or false."), code="bad_value")
        if value == BY_KEY[key].default_on:
            Preference.objects.filter(user=actor, kind=key).delete()
        else:
            Preference.objects.update_or_create(user=actor, kind=key, defaults={"enabled": value})
