from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from courtyard.accounts.models import User
from courtyard.core.domain import cursors
from courtyard.notifications.caching import unread_cache_key
from courtyard.notifications.domain.kinds import CHANNEL_LABELS, KINDS, OFF, channel
from courtyard.notifications.models import Notification, Preference
from courtyard.notifications.targets import withhold_unreadable

PAGE_SIZE = 20


def unread_count(user: User) -> int:
    """Cached per member; services clear it whenever a notification is created or read."""
    key = unread_cache_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        cache.set(key, count, 600)
    return int(count)


def encode_cursor(notification: Notification) -> str:
    return cursors.encode_cursor(notification.created_at, notification.pk)


def notifications_page(user: User, cursor: str | None, size: int = PAGE_SIZE) -> dict[str, Any]:
    """Newest first, by cursor (stable while new ones arrive). One query for the rows, then each distinct target
    is checked: one the member can no longer read shows a neutral line (see notifications.targets)."""
    rows = Notification.objects.filter(recipient=user).select_related("actor").order_by("-created_at", "-id")
    if cursor:
        position = cursors.decode_cursor(cursor)
        if position is None:
            raise ValueError("bad cursor")
        stamp, pk = position
        rows = rows.filter(Q(created_at__lt=stamp) | Q(created_at=stamp, id__lt=pk))
    items = list(rows[: size + 1])
    more = len(items) > size
    items = items[:size]
    withhold_unreadable(user, items, home=reverse("notifications:list"))
    return {"items": items, "next_cursor": encode_cursor(items[-1]) if more and items else None}


def notification_shown(user: User, notification: Notification) -> Notification:
    """One notification as the member may see it now (``withheld`` set, words replaced when they may not)."""
    withhold_unreadable(user, [notification], home=reverse("notifications:list"))
    return notification


def preferences_of(user: User) -> list[dict[str, Any]]:
    """Every kind with the member's current choice, labels translated: one query."""
    overrides = dict(Preference.objects.filter(user=user).values_list("kind", "channel"))
    rows = []
    for k in KINDS:
        chosen = channel(k.key, overrides)
        rows.append({
            "kind": k.key, "label": _(k.label), "description": _(k.description), "area": _(k.area),
            "channel": chosen, "default_channel": k.default_channel, "enabled": chosen != OFF,
        })
    return rows


def channel_choices() -> list[tuple[str, str]]:
    """The channels a member picks from, labels translated."""
    return [(key, _(label)) for key, label in CHANNEL_LABELS.items()]
