"""Anonymous authors' mailboxes: how the author of an anonymous idea finds it again, and nobody else can.

An anonymous idea stores no author, only a random nonce and a keyed hash of (member id, nonce). The key is
derived from the server's secret, so the author's own requests can recompute the hash while nobody reading
the database, a page, an export or the Django admin can tell whose idea it is.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings

from courtyard.surveys.models import Idea


def mailbox_keys() -> list[bytes]:
    """Keys for anonymous authors' mailboxes, derived from SECRET_KEY (and its fallbacks, so that rotating it
    does not cut authors off from the replies to ideas they posted before)."""
    secrets_in_use = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [hmac.new(str(s).encode(), b"courtyard.surveys.idea-mailbox", hashlib.sha256).digest() for s in secrets_in_use]


def mailbox_tag(member_id: int, nonce: str, key: bytes | None = None) -> str:
    """A keyed hash of the member and a per-idea random nonce. Stored on an anonymous idea instead of its
    author: the author's own requests recompute it to find their ideas, while nobody reading the database
    (or any page, export or the admin) can tell whose it is without the server's secret key."""
    secret = key if key is not None else mailbox_keys()[0]
    return hmac.new(secret, f"{member_id}:{nonce}".encode(), hashlib.sha256).hexdigest()


def is_anonymous_author(member_id: int, idea: Idea) -> bool:
    if not idea.anonymous or not idea.mailbox_nonce:
        return False
    return any(hmac.compare_digest(mailbox_tag(member_id, idea.mailbox_nonce, key), idea.mailbox_tag)
               for key in mailbox_keys())
