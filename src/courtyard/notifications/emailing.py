"""Notifications as a source of email (courtyard.mail): answer what a queued notice says when its email is
sent, which kinds exist, and how to stop emailing one. (Queueing the "email now" notices is in services.)

mail is below notifications in the stack and never imports it; this module registers the notifications app
with mail's source registry from ``NotificationsConfig.ready()``.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from courtyard.accounts.models import User
from courtyard.mail import sources
from courtyard.mail.domain.items import MailItem
from courtyard.notifications.domain.kinds import APP, BY_KEY, EMAIL, KINDS, channel
from courtyard.notifications.models import Notification, Preference
from courtyard.notifications.services import EMAIL_SOURCE, preferences_set
from courtyard.notifications.targets import readable_keys


def load(user: User, ids: Sequence[int]) -> list[MailItem]:
    """What the member's queued notices say now: only their own, unread (read in the app already: no need to
    email it), of a kind they still want by email, about a target they may still read. Three queries plus the
    readability check of each distinct target."""
    rows = list(
        Notification.objects.filter(pk__in=list(ids), recipient=user, read_at__isnull=True).order_by("created_at", "id")
    )
    overrides = dict(Preference.objects.filter(user=user).values_list("kind", "channel"))
    rows = [n for n in rows if n.kind in BY_KEY and channel(n.kind, overrides) == EMAIL]
    allowed = readable_keys(user, [(n.object_type, n.object_id) for n in rows])
    return [
        MailItem(
            source_id=n.pk, kind=n.kind, kind_label=_(BY_KEY[n.kind].label), text=n.text, url=n.url,
            created_at=n.created_at, object_type=n.object_type, object_id=n.object_id,
        )
        for n in rows
        if (n.object_type, n.object_id) in allowed
    ]


def kinds() -> dict[str, str]:
    return {kind.key: _(kind.label) for kind in KINDS}


def unsubscribe(user: User, kind: str) -> None:
    """Stop emailing this kind: it stays in the app. A kind not emailed now is left as the member set it."""
    overrides = dict(Preference.objects.filter(user=user, kind=kind).values_list("kind", "channel"))
    if channel(kind, overrides) == EMAIL:
        preferences_set(actor=user, choices={kind: APP})


def register() -> None:
    sources.register(EMAIL_SOURCE, load=load, kinds=kinds, unsubscribe=unsubscribe)
