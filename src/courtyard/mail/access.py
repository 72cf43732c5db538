"""The doors of the mail app: the delivery log is for community admins; the outbox exists only in demo or
debug mode (a 404 otherwise, for everyone) and is for community admins there."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from courtyard.accounts.models import User
from courtyard.core.access import parse_id, require_admin
from courtyard.core.errors import NotFound
from courtyard.mail.models import OutboxMessage


def outbox_enabled() -> bool:
    return bool(settings.DEBUG or settings.COURTYARD_DEMO)


def require_outbox() -> None:
    if not outbox_enabled():
        raise NotFound()


def access_delivery_log(actor: User) -> None:
    require_admin(actor)


def access_outbox(actor: User) -> None:
    require_outbox()
    require_admin(actor)


def access_outbox_message(actor: User, message_id: object) -> OutboxMessage:
    access_outbox(actor)
    message = OutboxMessage.objects.filter(pk=parse_id(message_id)).first()
    if message is None:
        raise NotFound(_("No such email in the outbox."))
    return message
