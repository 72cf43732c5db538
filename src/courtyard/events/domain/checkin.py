"""Self check-in codes: short, readable aloud, without look-alike characters. Pure Python."""

from __future__ import annotations

import datetime as dt
import hmac
import random

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
LENGTH = 6
OPENS_BEFORE = dt.timedelta(hours=1)
CLOSES_AFTER = dt.timedelta(hours=2)
HOST_OPENS_BEFORE = dt.timedelta(hours=2)


def new_code(rng: random.Random) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(LENGTH))


def normalize(text: str) -> str:
    """What a person typed, as a code: case, spaces and dashes do not matter."""
    return "".join(ch for ch in (text or "").upper() if ch.isascii() and ch.isalnum())[:32]


def matches(typed: str, code: str) -> bool:
    """Constant-time comparison of a typed code with the occurrence's."""
    return bool(code) and hmac.compare_digest(normalize(typed).encode(), code.encode())


def self_checkin_open(start: dt.datetime, end: dt.datetime, now: dt.datetime) -> bool:
    """Attendees check themselves in from an hour before the start until two hours after the end."""
    return start - OPENS_BEFORE <= now <= end + CLOSES_AFTER


def host_checkin_open(start: dt.datetime, now: dt.datetime) -> bool:
    """Hosts check people in from two hours before the start, and correct attendance at any time after."""
    return now >= start - HOST_OPENS_BEFORE
