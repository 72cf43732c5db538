"""Opaque cursors for newest-first lists paged on (time, id): stable while new items arrive."""

from __future__ import annotations

import base64
import datetime as dt


def encode_cursor(moment: dt.datetime, pk: int) -> str:
    return base64.urlsafe_b64encode(f"{moment.isoformat()}|{pk}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[dt.datetime, int] | None:
    """The (time, id) a cursor stands for, or None when it was not made by encode_cursor."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, pk = raw.split("|", 1)
        moment, position = dt.datetime.fromisoformat(stamp), int(pk)
    except (ValueError, UnicodeDecodeError):
        return None
    if moment.tzinfo is None or not 0 < position < 2**63:
        return None  # hand-made: a naive time or an id the database cannot compare
    return moment, position
