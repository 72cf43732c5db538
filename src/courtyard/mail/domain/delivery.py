"""Rules of delivery as pure functions: how an SMTP answer is classified, how long a retry waits, how emails
thread together, and the subject of a batch."""

from __future__ import annotations

TEMPORARY = "temporary"
PERMANENT = "permanent"


def classify_smtp_code(code: int | None) -> str:
    """A 5xx reply is permanent (the mailbox does not exist, is disabled, refuses us): stop sending to the
    address. Anything else (4xx "try again later", no reply at all: refused connection, timeout) is temporary."""
    if code is not None and 500 <= code < 600:
        return PERMANENT
    return TEMPORARY


def retry_delay(attempt: int, *, base: int = 60, cap: int = 3600) -> int:
    """Seconds before attempt ``attempt + 1`` after ``attempt`` failed: 1, 2, 4, 8 … minutes, at most an hour."""
    if attempt < 1:
        raise ValueError("attempts count from 1")
    return int(min(cap, base * 2 ** (attempt - 1)))


def thread_root_id(object_type: str, object_id: int, host: str) -> str:
    """The Message-ID every email about one target refers to (In-Reply-To, References), so that mail clients
    show them as one conversation. No email carries it as its own Message-ID: it names the thread."""
    safe_type = "".join(ch for ch in object_type if ch.isalnum() or ch in "-_") or "item"
    return f"<{safe_type}.{int(object_id)}@{host}>"


def common_target(targets: list[tuple[str, int | None]]) -> tuple[str, int] | None:
    """The one target every item of an email is about, or None when they are about several (or none)."""
    distinct = set(targets)
    if len(distinct) != 1:
        return None
    object_type, object_id = next(iter(distinct))
    if not object_type or object_id is None:
        return None
    return object_type, object_id
