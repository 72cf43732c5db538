"""One email from a member's notices: subject, plain text and HTML (CSS inlined by css-inline), and headers
(Message-ID, threading, RFC 8058 one-click unsubscribe). Called with the member's language and time zone
active (services.delivery_send)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from email.utils import make_msgid

import css_inline
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import ngettext

from courtyard.accounts.models import User
from courtyard.mail.domain.delivery import common_target, thread_root_id
from courtyard.mail.domain.items import MailItem, headline
from courtyard.mail.tokens import ALL, unsubscribe_token

_INLINER = css_inline.CSSInliner(keep_style_tags=False, load_remote_stylesheets=False)


def absolute(path: str) -> str:
    """A link for an email: SITE_URL and a path of this site."""
    return f"{settings.SITE_URL}{path}"


@dataclasses.dataclass(frozen=True)
class Rendered:
    message: EmailMultiAlternatives
    subject: str
    message_id: str


def subject_for(items: Sequence[MailItem]) -> str:
    if len(items) == 1:
        return headline(items[0].text)
    return ngettext(
        "%(count)d new notification on %(site)s", "%(count)d new notifications on %(site)s", len(items)
    ) % {"count": len(items), "site": settings.SITE_NAME}


def notices_email(*, user: User, name: str, items: Sequence[MailItem]) -> Rendered:
    """The email telling ``user`` about ``items`` (newest last, as they happened)."""
    kinds = sorted({item.kind for item in items})
    unsubscribe_url = absolute(reverse("mail:unsubscribe", args=[unsubscribe_token(user.pk, kinds)]))
    unsubscribe_all_url = absolute(reverse("mail:unsubscribe", args=[unsubscribe_token(user.pk, [ALL])]))
    context = {
        "name": name,
        "items": [{"item": item, "link": absolute(item.url)} for item in items],
        "site_name": settings.SITE_NAME,
        "site_url": absolute("/"),
        "preferences_url": absolute(reverse("notifications:preferences")),
        "unsubscribe_url": unsubscribe_url,
        "unsubscribe_all_url": unsubscribe_all_url,
        "kind_labels": sorted({item.kind_label for item in items}),
    }
    subject = subject_for(items)
    text = render_to_string("mail/email/notices.txt", context)
    html = _INLINER.inline(render_to_string("mail/email/notices.html", context))
    host = settings.MAIL_MESSAGE_ID_DOMAIN
    message_id = make_msgid(domain=host)
    headers = {
        "Message-ID": message_id,
        # RFC 8058: a mail client may unsubscribe with one POST to this address, no session, no page.
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"{settings.SITE_NAME} notifications <notifications.{host}>",
        # An automatic email: out-of-office replies should not answer it (RFC 3834).
        "Auto-Submitted": "auto-generated",
        "X-Auto-Response-Suppress": "All",
    }
    target = common_target([(item.object_type, item.object_id) for item in items])
    if target is not None:
        root = thread_root_id(target[0], target[1], host)
        headers["In-Reply-To"] = root
        headers["References"] = root
    message = EmailMultiAlternatives(
        subject=f"[{settings.SITE_NAME}] {subject}", body=text, from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email], headers=headers,
    )
    message.attach_alternative(html, "text/html")
    return Rendered(message=message, subject=subject, message_id=message_id)
