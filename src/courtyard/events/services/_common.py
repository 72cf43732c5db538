"""What the events services modules share: the error shortcut, text cleaning and new check-in codes."""

from __future__ import annotations

import secrets

from django.utils.translation import gettext as _

from courtyard.core.errors import ApplicationError
from courtyard.core.validation import clean_text
from courtyard.events.domain import checkin as checkin_rules


def _fail(message: str, code: str) -> ApplicationError:
    return ApplicationError(message, code=code)


def _text(value: str, *, field: str, max_length: int, required: bool = False) -> str:
    value = (value or "").strip()
    # The last line behind every surface; whether line breaks are allowed is each surface's call.
    value = clean_text(value, multiline=True, field=field)
    if required and not value:
        raise _fail(_("%(field)s cannot be empty.") % {"field": field}, "required")
    if len(value) > max_length:
        raise _fail(_("%(field)s is longer than %(max)d characters.") % {"field": field, "max": max_length}, "too_long")
    return value


def _new_code() -> str:
    return checkin_rules.new_code(secrets.SystemRandom())
