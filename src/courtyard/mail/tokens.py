"""Signed unsubscribe tokens: who (a user id) and which kinds ("*" for every email), nothing else.

A token works without a session (a mail client's one-click POST has none), so the signature is what proves
it came from an email we sent to that member. The salt keeps it from being confused with any other signed
value of the site; the age limit bounds how long a leaked email can be used (an expired link shows the
page that says so and points to the settings page)."""

from __future__ import annotations

import dataclasses

from django.conf import settings
from django.core import signing

SALT = "courtyard.mail.unsubscribe"
ALL = "*"


@dataclasses.dataclass(frozen=True)
class Unsubscribe:
    user_id: int
    kinds: tuple[str, ...]  # (ALL,) for every email

    @property
    def everything(self) -> bool:
        return ALL in self.kinds


def unsubscribe_token(user_id: int, kinds: list[str] | tuple[str, ...]) -> str:
    return signing.dumps({"u": int(user_id), "k": sorted(set(kinds))}, salt=SALT, compress=True)


def unsubscribe_read(token: str) -> Unsubscribe | None:
    """The request a token carries, or None when it is forged, damaged, malformed or expired."""
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.MAIL_UNSUBSCRIBE_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is a BadSignature too
        return None
    if not isinstance(data, dict):
        return None
    user_id, kinds = data.get("u"), data.get("k")
    if not isinstance(user_id, int) or not isinstance(kinds, list) or not kinds:
        return None
    if not all(isinstance(kind, str) and kind for kind in kinds):
        return None
    return Unsubscribe(user_id=user_id, kinds=tuple(kinds))
