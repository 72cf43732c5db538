"""The only door to a notification: a member reaches their own, and nobody else's."""

from __future__ import annotations

from django.utils.translation import gettext as _

from courtyard.accounts.models import User
from courtyard.core.access import parse_id, require_signed_in
from courtyard.core.errors import NotFound
from courtyard.notifications.models import Notification


def access_notification(actor: User, notification_id: object) -> Notification:
    """The actor's own notification; someone else's is the same 404 as a missing one."""
    require_signed_in(actor)
    pk = parse_id(notification_id)
    notification = Notification.objects.filter(pk=pk, recipient=actor).first()
    if notification is None:
        raise NotFound(_("No such notification."))
    return notification
