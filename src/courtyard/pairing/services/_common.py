"""What the pairing services modules share: text cleaning, reproducible random streams, and a coffee
program's next round.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils.translation import gettext as _

from courtyard.core.errors import ApplicationError
from courtyard.core.validation import clean_text
from courtyard.pairing.domain import schedule
from courtyard.pairing.models import Program


def _clean_text(value: str | None, *, field: str, max_length: int, required: bool = False) -> str:
    value = (value or "").strip()
    # The last line behind every surface; whether line breaks are allowed is each surface's call.
    value = clean_text(value, multiline=True, field=field)
    if required and not value:
        raise ApplicationError(_("%(field)s cannot be empty.") % {"field": field}, code="required")
    if len(value) > max_length:
        raise ApplicationError(
            _("%(field)s is longer than %(max)d characters.") % {"field": field, "max": max_length}, code="too_long"
        )
    return value


def _rng(*parts: object) -> random.Random:
    """A random stream fixed by what it is for, so that a rerun of the same thing gives the same result."""
    return random.Random(":".join(str(p) for p in parts))  # noqa: S311 - reproducible matching, not secrets


def _schedule_next(program: Program, after: dt.datetime) -> None:
    if program.kind != Program.Kind.COFFEE or program.status != Program.Status.OPEN:
        program.next_round_at = None
        return
    _day, moment = schedule.next_round(
        cadence=program.cadence, weekday=program.weekday, local_time=program.local_time, tz_name=program.timezone,
        starts_on=program.starts_on, after=after,
    )
    program.next_round_at = moment
