"""An email backend that keeps every message in the database (OutboxMessage) instead of sending it.

For the demo (`courtyard demo` sets EMAIL_URL=outbox://) and for development: a newcomer reads what members
would receive on /mail/outbox/ without any SMTP server."""

from __future__ import annotations

from collections.abc import Sequence
from email.message import Message

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend

from courtyard.core import clock
from courtyard.mail.models import OutboxMessage


def _html_part(message: EmailMessage) -> str:
    if isinstance(message, EmailMultiAlternatives):
        for content, mimetype in message.alternatives:
            if mimetype == "text/html":
                return str(content)
    return ""


def _headers(built: Message) -> str:
    return "\n".join(f"{name}: {value}" for name, value in built.items())


class OutboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        kept = [
            OutboxMessage(
                to=", ".join(message.to)[:500], subject=str(message.subject)[:300], text=str(message.body),
                html=_html_part(message), headers=_headers(message.message()), created_at=clock.now(),
            )
            for message in email_messages
        ]
        OutboxMessage.objects.bulk_create(kept)
        return len(kept)
